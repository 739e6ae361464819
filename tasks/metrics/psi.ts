/**
 * Population stability index (PSI) between score histograms: one bank against another, or each
 * bank against the pool of all banks — computed from histograms, never from scores.
 */
import { assertInRange, assertInt } from '../../common/assert.js';
import { edgesOf, sameBinning, type BinnedCounts } from './binning.js';
import { quantileCuts, sliceByScore } from './histogram-slices.js';
import { mergeHistograms, type ScoreHistogram } from './score-histogram.js';

/** The usual reading of a PSI value. */
export type PsiLevel = 'stable' | 'moderate-shift' | 'significant-shift';

/** PSI options. */
export interface PsiOptions {
  /** Number of score groups compared. @default 10 */
  readonly groups?: number;
  /**
   * `'quantile'`: deciles of the *expected* (reference) distribution, the usual scorecard practice.
   * `'uniform'`: equal-width score ranges; PSI is then exactly symmetric in its two arguments.
   * @default 'quantile'
   */
  readonly strategy?: 'quantile' | 'uniform';
  /** A share of 0 in either distribution is replaced by this before taking logs. @default 1e-4 */
  readonly epsilon?: number;
}

/** PSI with its per-group breakdown. */
export interface PsiResult {
  readonly psi: number;
  readonly level: PsiLevel;
  /** Score cuts between groups (ascending). */
  readonly cuts: readonly number[];
  /** Share of the expected and the actual population per group, after ε-smoothing. */
  readonly expectedShares: readonly number[];
  readonly actualShares: readonly number[];
}

/**
 * The standard thresholds: below 0.1 no significant change, 0.1 to 0.25 a moderate shift worth
 * investigating, 0.25 or more a significant shift (rebuild or recalibrate).
 */
export function psiLevel(psi: number): PsiLevel {
  return psi < 0.1 ? 'stable' : psi < 0.25 ? 'moderate-shift' : 'significant-shift';
}

/**
 * PSI = Σ_g (a_g − e_g) · ln(a_g / e_g) over score groups, where e_g and a_g are the shares of the
 * expected (reference) and actual populations in group g; all labels count. Each term is ≥ 0, so
 * PSI ≥ 0, and PSI(h, h) = 0.
 * @param expected the reference distribution (e.g. the pool, or the development sample's bank).
 * @param actual the distribution compared with it (e.g. one bank).
 * @throws RangeError when the two histograms are binned differently or either is empty.
 * @example psi(poolHistogram, bankHistogram).level // 'stable'
 */
export function psi(expected: BinnedCounts, actual: BinnedCounts, options: PsiOptions = {}): PsiResult {
  return psiAgainst(reference(expected, options), actual);
}

/** The expected side of PSI: options checked, the groups' cuts and the expected shares, computed once per reference. */
interface PsiReference {
  readonly expected: BinnedCounts;
  readonly cuts: readonly number[];
  readonly shares: readonly number[];
  readonly epsilon: number;
  readonly layout: BinLayout;
}

/**
 * Where each bin's examples fall among the groups of fixed cuts: bin i's pieces are `group[s]`, `fraction[s]`
 * for s in [start[i], start[i + 1]) — the overlaps `sliceByScore` computes, worked out once per reference
 * instead of once per bank.
 */
interface BinLayout {
  readonly start: Int32Array;
  readonly group: Int32Array;
  readonly fraction: Float64Array;
}

function binLayout(h: BinnedCounts, cuts: readonly number[]): BinLayout {
  const edges = edgesOf(h);
  const bounds = [0, ...cuts, 1];
  const groups = cuts.length + 1;
  const start = new Int32Array(h.numBins + 1);
  const group: number[] = [];
  const fraction: number[] = [];
  let g = 0;
  // sliceByScore's walk and arithmetic exactly, for every bin (its group pointer depends on the bin's edges only).
  for (let i = 0; i < h.numBins; i++) {
    start[i] = group.length;
    const binLo = edges[i]!;
    const binHi = edges[i + 1]!;
    while (g + 1 < groups && bounds[g + 1]! <= binLo) g++;
    for (let k = g; k < groups && bounds[k]! < binHi; k++) {
      const lo = Math.max(binLo, bounds[k]!);
      const hi = Math.min(binHi, bounds[k + 1]!);
      if (hi <= lo) continue;
      group.push(k);
      fraction.push((hi - lo) / (binHi - binLo));
    }
  }
  start[h.numBins] = group.length;
  return { start, group: Int32Array.from(group), fraction: Float64Array.from(fraction) };
}

/** `sliceByScore(h, cuts)`'s counts by a layout of the same binning and cuts: the same additions in the same order. */
function groupCounts(h: BinnedCounts, layout: BinLayout, groups: number): Float64Array {
  const cp = h.countsPos;
  const cn = h.countsNeg;
  const { start, group, fraction } = layout;
  const count = new Float64Array(groups);
  for (let i = 0, nb = h.numBins; i < nb; i++) {
    const c = cp[i]! + cn[i]!;
    if (c === 0) continue;
    for (let s = start[i]!, end = start[i + 1]!; s < end; s++) count[group[s]!] += fraction[s]! * c;
  }
  return count;
}

function reference(expected: BinnedCounts, options: PsiOptions): PsiReference {
  const groups = options.groups ?? 10;
  const epsilon = options.epsilon ?? 1e-4;
  assertInt('psi', 'groups', groups, 2, 1000);
  assertInRange('psi', 'epsilon', epsilon, 0, 0.1, { lo: true });
  const cuts =
    options.strategy === 'uniform' ? Array.from({ length: groups - 1 }, (_, g) => (g + 1) / groups) : quantileCuts(expected, groups);
  return { expected, cuts, shares: shares('expected', expected, cuts, epsilon), epsilon, layout: binLayout(expected, cuts) };
}

function psiAgainst(ref: PsiReference, actual: BinnedCounts): PsiResult {
  if (!sameBinning(ref.expected, actual)) throw new RangeError('psi: expected histograms with the same binning, got different bins');
  const e = ref.shares;
  const a = sharesOf('actual', groupCounts(actual, ref.layout, ref.cuts.length + 1), ref.epsilon);
  let value = 0;
  for (let g = 0; g < e.length; g++) value += (a[g]! - e[g]!) * Math.log(a[g]! / e[g]!);
  // Rounding of the split shares can leave −1e-17 where the distributions are equal.
  value = Math.max(0, value);
  return { psi: value, level: psiLevel(value), cuts: ref.cuts, expectedShares: e, actualShares: a };
}

function shares(name: string, h: BinnedCounts, cuts: readonly number[], epsilon: number): number[] {
  return sharesOf(name, sliceByScore(h, cuts).map((s) => s.count), epsilon);
}

function sharesOf(name: string, counts: ArrayLike<number>, epsilon: number): number[] {
  let total = 0;
  for (let g = 0; g < counts.length; g++) total += counts[g]!;
  if (total <= 0) throw new RangeError(`psi: "${name}" expected a histogram with examples, got an empty one`);
  return Array.from(counts, (c) => Math.max(epsilon, c / total));
}

/** One bank's stability against the pool. */
export interface BankStability {
  readonly bank: string;
  readonly numExamples: number;
  readonly psi: number;
  readonly level: PsiLevel;
}

/**
 * Each bank's PSI against the pool of all banks (the pool is the reference: its deciles define the
 * groups). A bank whose scores sit apart from the federation's shows up here before it distorts
 * pooled metrics. Banks without examples are skipped.
 * @param banks per-bank histograms of equal binning.
 * @param pool `mergeHistograms` of exactly these banks' histograms, when the caller already has it (used
 *   only when every bank has examples; otherwise the pool of those that have is merged here).
 */
export function psiByBank(banks: readonly { readonly bank: string; readonly histogram: ScoreHistogram }[], options: PsiOptions = {}, pool?: ScoreHistogram): BankStability[] {
  const withData = banks.filter((b) => b.histogram.numExamples > 0);
  if (withData.length === 0) return [];
  // The pool's cuts and shares once, not once per bank (quadratic in banks otherwise); the caller's pool when
  // it merged exactly these histograms.
  const ref = reference(pool && withData.length === banks.length ? pool : mergeHistograms(withData.map((b) => b.histogram)), options);
  return withData.map((b) => {
    const r = psiAgainst(ref, b.histogram);
    return { bank: b.bank, numExamples: b.histogram.numExamples, psi: r.psi, level: r.level };
  });
}
