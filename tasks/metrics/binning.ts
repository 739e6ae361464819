/**
 * Score binning for histograms: equal-width bins on [0, 1] (the default) or explicit edges fixed per
 * job, e.g. logit-spaced edges that keep resolution at the tiny scores of rare-event (fraud) models.
 */
import { assertInt, assertPositive } from '../../common/assert.js';
import { boundedMemo } from '../../common/bounded-memo.js';

/** One bin of a histogram as a score interval [lo, hi) with its label counts. */
export interface Bin {
  readonly lo: number;
  readonly hi: number;
  readonly pos: number;
  readonly neg: number;
}

/** The part of a histogram the binning helpers read. */
export interface BinnedCounts {
  readonly numBins: number;
  readonly countsPos: readonly number[];
  readonly countsNeg: readonly number[];
  /** Strictly increasing, `numBins + 1` values from 0 to 1; absent means equal-width bins. */
  readonly edges?: readonly number[];
}

/**
 * Checks bin edges: `numBins + 1` finite values, strictly increasing, first 0 and last 1.
 * @throws RangeError naming the first bad edge.
 */
export function assertEdges(ctx: string, edges: readonly number[]): void {
  if (edges.length < 3) throw new RangeError(`${ctx}: "edges" expected at least 3 edges (2 bins), got ${edges.length}`);
  if (edges[0] !== 0 || edges[edges.length - 1] !== 1) throw new RangeError(`${ctx}: "edges" expected to start at 0 and end at 1, got ${edges[0]} … ${edges[edges.length - 1]}`);
  for (let i = 1; i < edges.length; i++) {
    const e = edges[i]!;
    if (!Number.isFinite(e) || e <= edges[i - 1]!) throw new RangeError(`${ctx}: "edges[${i}]" expected finite number > ${edges[i - 1]}, got ${e}`);
  }
}

/**
 * Logit-spaced edges: 0, then `numBins − 1` edges uniform in logit space on [−maxLogit, maxLogit],
 * then 1. Bins are narrow near 0 and 1 (where fraud and prime-credit scores sit) and widest at 0.5.
 * With the defaults the first bin is [0, 1e-6) and a bin near 0.001 is about 3 % of its score wide,
 * where 1,000 equal-width bins would put every score below 0.001 in one bin.
 * @param numBins number of bins (≥ 3).
 * @param maxLogit logit of the highest inner edge. @default 13.8155 (logit(1 − 1e-6))
 * @example logitEdges(4, 2) // [0, 0.119, 0.5, 0.881, 1]
 */
export function logitEdges(numBins: number, maxLogit = Math.log((1 - 1e-6) / 1e-6)): number[] {
  assertInt('logitEdges', 'numBins', numBins, 3, 1_000_000);
  assertPositive('logitEdges', 'maxLogit', maxLogit);
  const inner = numBins - 1;
  const edges = [0];
  for (let j = 0; j < inner; j++) {
    const z = -maxLogit + (2 * maxLogit * j) / (inner - 1);
    edges.push(1 / (1 + Math.exp(-z)));
  }
  edges.push(1);
  assertEdges('logitEdges', edges);
  return edges;
}

// Equal-width edges per bin count, built once: every histogram of a job has the same (1,000 bins by default),
// and the coordinator reads them per bank and per metric. Frozen, since every caller shares the array.
const equalWidth = boundedMemo<readonly number[]>(8);

/** The `numBins + 1` edges of a histogram, equal-width when it carries none (a shared, frozen array). */
export function edgesOf(h: BinnedCounts): readonly number[] {
  if (h.edges) return h.edges;
  const n = h.numBins;
  return equalWidth.get(String(n), () => Object.freeze(Array.from({ length: n + 1 }, (_, i) => i / n)));
}

/**
 * The bin of a score: bin i holds [edges[i], edges[i+1]); the last bin also holds 1.
 * Equal-width bins use `floor(s · numBins)`, the rule histograms were always built with.
 */
export function findBin(score: number, numBins: number, edges?: readonly number[]): number {
  if (!edges) return Math.min(numBins - 1, Math.floor(score * numBins));
  let lo = 0;
  let hi = numBins - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (edges[mid]! <= score) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Two binnings are equal: same number of bins and identical edges (equal-width when absent). */
export function sameBinning(a: BinnedCounts, b: BinnedCounts): boolean {
  if (a.numBins !== b.numBins) return false;
  if (!a.edges && !b.edges) return true;
  const ea = edgesOf(a);
  const eb = edgesOf(b);
  return ea.every((e, i) => e === eb[i]);
}

/** The bins of a histogram in ascending score order. */
export function binsOf(h: BinnedCounts): Bin[] {
  const cp = h.countsPos;
  const cn = h.countsNeg;
  const nb = h.numBins;
  const edges = edgesOf(h);
  const out: Bin[] = [];
  for (let i = 0; i < nb; i++) out.push({ lo: edges[i]!, hi: edges[i + 1]!, pos: cp[i]!, neg: cn[i]! });
  return out;
}

/** Total positives and negatives. */
export function labelTotals(h: BinnedCounts): { pos: number; neg: number } {
  const cp = h.countsPos;
  const cn = h.countsNeg;
  const nb = h.numBins;
  let pos = 0;
  let neg = 0;
  for (let i = 0; i < nb; i++) {
    pos += cp[i]!;
    neg += cn[i]!;
  }
  return { pos, neg };
}
