/**
 * Score histograms by label: what a bank returns from federated evaluation instead of scores.
 * Pooled across banks they give ROC-AUC and KS exact up to binning, and log-loss, Brier score and
 * accuracy exactly (those travel as sums) — never an average of per-bank AUCs.
 */
import { assertInt } from '../../common/assert.js';
import { assertEdges, findBin, sameBinning } from './binning.js';

/** Counts of holdout examples per score bin, split by label, plus exact sums. */
export interface ScoreHistogram {
  /** Equal-width bins on [0, 1]; bin i holds scores in [i/numBins, (i+1)/numBins) (the last bin includes 1). */
  readonly numBins: number;
  /**
   * Optional explicit bin edges fixed per job (`numBins + 1` values, 0 … 1, strictly increasing;
   * bin i holds [edges[i], edges[i+1])), e.g. `logitEdges` for rare events. Absent: equal-width bins.
   * Histograms merge only with identical binning, so pooling stays exact either way.
   */
  readonly edges?: readonly number[];
  readonly countsPos: readonly number[];
  readonly countsNeg: readonly number[];
  /** Σ of binary cross-entropy over examples (scores clamped to [1e-7, 1 − 1e-7]). */
  readonly sumLogLoss: number;
  /** Σ (score − label)². */
  readonly sumBrier: number;
  /** Examples with (score ≥ 0.5) == label. */
  readonly numCorrect: number;
  readonly numExamples: number;
}

/** Pooled classification metrics. `auc` and `ks` are exact up to binning. */
export interface BinaryMetrics {
  readonly auc: number;
  readonly ks: number;
  readonly logLoss: number;
  readonly brier: number;
  readonly accuracy: number;
  readonly numExamples: number;
  readonly positiveRate: number;
}

export const DEFAULT_NUM_BINS = 1000;
const EPS = 1e-7;

// Packed, not `new Array(n).fill(0)`: V8 keeps that one holey, and JSON.stringify of a holey array (the
// bank's result cache, the coordinator's stored header) runs about 3× slower.
function zeros(n: number): number[] {
  const a: number[] = [];
  for (let i = 0; i < n; i++) a.push(0);
  return a;
}

/**
 * Builds a histogram from a bank's local scores and 0/1 labels.
 * @param binning a number of equal-width bins, or `{ edges }` (see `logitEdges`). @default 1000 bins
 * @example buildHistogram(Float32Array.of(0.9, 0.2), Float32Array.of(1, 0), 10).countsPos[9] === 1
 */
export function buildHistogram(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  binning: number | { readonly edges: readonly number[] } = DEFAULT_NUM_BINS,
): ScoreHistogram {
  const edges = typeof binning === 'number' ? undefined : [...binning.edges];
  if (edges) assertEdges('buildHistogram', edges);
  const numBins = edges ? edges.length - 1 : (binning as number);
  assertInt('buildHistogram', 'numBins', numBins, 2, 1_000_000);
  if (scores.length !== labels.length) throw new RangeError(`buildHistogram: expected equal lengths, got ${scores.length} scores and ${labels.length} labels`);
  const pos = zeros(numBins);
  const neg = zeros(numBins);
  let sumLogLoss = 0;
  let sumBrier = 0;
  let numCorrect = 0;
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i] as number;
    const y = labels[i] as number;
    if (!Number.isFinite(s) || s < 0 || s > 1) throw new RangeError(`buildHistogram: "scores[${i}]" expected number in [0, 1], got ${s}`);
    if (y !== 0 && y !== 1) throw new RangeError(`buildHistogram: "labels[${i}]" expected 0 or 1, got ${y}`);
    const bin = findBin(s, numBins, edges);
    if (y === 1) pos[bin]! += 1;
    else neg[bin]! += 1;
    const p = Math.min(1 - EPS, Math.max(EPS, s));
    sumLogLoss += y === 1 ? -Math.log(p) : -Math.log(1 - p);
    sumBrier += (s - y) ** 2;
    if ((s >= 0.5 ? 1 : 0) === y) numCorrect++;
  }
  const out = { numBins, countsPos: pos, countsNeg: neg, sumLogLoss, sumBrier, numCorrect, numExamples: scores.length };
  return edges ? { ...out, edges } : out;
}

/** Adds histograms of equal binning (pooling across banks); equal edges are required, not re-binned. */
export function mergeHistograms(hs: readonly ScoreHistogram[]): ScoreHistogram {
  if (hs.length === 0) throw new RangeError('mergeHistograms: expected at least one histogram, got 0');
  const numBins = hs[0]!.numBins;
  const pos = zeros(numBins);
  const neg = zeros(numBins);
  let sumLogLoss = 0;
  let sumBrier = 0;
  let numCorrect = 0;
  let numExamples = 0;
  for (const h of hs) {
    if (h.numBins !== numBins || h.countsPos.length !== numBins || h.countsNeg.length !== numBins) {
      throw new RangeError(`mergeHistograms: expected ${numBins} bins in every histogram, got ${h.numBins}`);
    }
    if (!sameBinning(h, hs[0]!)) throw new RangeError('mergeHistograms: expected the same bin edges in every histogram, got different edges');
    // Locals, not `h.countsPos[i]`: replies of different shapes make that property load megamorphic per bin.
    const cp = h.countsPos;
    const cn = h.countsNeg;
    for (let i = 0; i < numBins; i++) {
      pos[i]! += cp[i]!;
      neg[i]! += cn[i]!;
    }
    sumLogLoss += h.sumLogLoss;
    sumBrier += h.sumBrier;
    numCorrect += h.numCorrect;
    numExamples += h.numExamples;
  }
  const out = { numBins, countsPos: pos, countsNeg: neg, sumLogLoss, sumBrier, numCorrect, numExamples };
  return hs[0]!.edges ? { ...out, edges: hs[0]!.edges } : out;
}

/**
 * Metrics of a (pooled) histogram. AUC counts pairs within one bin as ties (½), which is the exact
 * AUC of the binned scores; KS is the largest gap between the two labels' CDFs at bin edges.
 * With no positives or no negatives, `auc` and `ks` are NaN.
 */
export function metricsFromHistogram(h: ScoreHistogram): BinaryMetrics {
  const cp = h.countsPos;
  const cn = h.countsNeg;
  const nb = h.numBins;
  let totalPos = 0;
  let totalNeg = 0;
  for (let i = 0; i < nb; i++) {
    totalPos += cp[i]!;
    totalNeg += cn[i]!;
  }
  let auc = Number.NaN;
  let ks = Number.NaN;
  if (totalPos > 0 && totalNeg > 0) {
    // Walk bins from low to high score: a positive beats every negative in lower bins.
    let negBelow = 0;
    let wins = 0;
    let cumPos = 0;
    ks = 0;
    for (let i = 0; i < nb; i++) {
      const p = cp[i]!;
      const n = cn[i]!;
      wins += p * negBelow + 0.5 * p * n;
      negBelow += n;
      cumPos += p;
      ks = Math.max(ks, Math.abs(negBelow / totalNeg - cumPos / totalPos));
    }
    auc = wins / (totalPos * totalNeg);
  }
  const n = Math.max(1, h.numExamples);
  return {
    auc,
    ks,
    logLoss: h.sumLogLoss / n,
    brier: h.sumBrier / n,
    accuracy: h.numCorrect / n,
    numExamples: h.numExamples,
    positiveRate: h.numExamples > 0 ? totalPos / h.numExamples : Number.NaN,
  };
}
