/** Pure robust aggregation kernels: coordinate-wise median and trimmed mean (quickselect), Krum selection. */
import { assertInRange, assertInt } from '../../common/assert.js';
import { sameStructure, type Weights } from '../../common/weights.js';
import { weightedMean } from './aggregate.js';

function assertSets(fn: string, sets: readonly Weights[]): void {
  if (sets.length === 0) throw new RangeError(`${fn}: "sets" expected at least one weight set, got 0`);
  for (let k = 1; k < sets.length; k++) {
    if (!sameStructure(sets[0]!, sets[k]!)) throw new RangeError(`${fn}: weight set ${k} differs in structure from set 0`);
  }
}

/**
 * Rearranges `a[lo..hi]` (inclusive) so that `a[k]` holds the value it would have after sorting, with
 * nothing larger before it and nothing smaller after it. Expected O(hi − lo); in place, no allocation.
 * @returns a[k]
 */
export function selectInPlace(a: Float64Array, k: number, lo = 0, hi = a.length - 1): number {
  if (!(lo <= k && k <= hi && lo >= 0 && hi < a.length)) throw new RangeError(`selectInPlace: "k" expected index in [${lo}, ${hi}], got ${k}`);
  select(a, k, lo, hi);
  return a[k]!;
}

/** selectInPlace without the guard: the per-coordinate hot path. */
function select(a: Float64Array, k: number, lo: number, hi: number): void {
  while (hi - lo > 16) {
    // Median of three: sorted input (all banks agreeing on an order) must not degrade to O(n²).
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < a[lo]!) swap(a, lo, mid);
    if (a[hi]! < a[lo]!) swap(a, lo, hi);
    if (a[hi]! < a[mid]!) swap(a, mid, hi);
    const pivot = a[mid]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) swap(a, i++, j--);
    }
    // Now a[lo..j] ≤ pivot ≤ a[i..hi], and everything strictly between j and i equals the pivot.
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
  for (let i = lo + 1; i <= hi; i++) {
    const v = a[i]!;
    let j = i - 1;
    while (j >= lo && a[j]! > v) a[j + 1] = a[j--]!;
    a[j + 1] = v;
  }
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i]!;
  a[i] = a[j]!;
  a[j] = t;
}

/**
 * Per coordinate, the n values at columns[j·n .. j·n + n) are reduced to one by `select`ing order
 * statistics [from, to] and averaging the values between them (median: the middle one or two; trimmed
 * mean: all but `cut` at each end). Coordinates are gathered a block at a time so each bank's values
 * are read sequentially; one loop serves both kernels so the hot path stays monomorphic.
 */
function orderStatisticMean(sets: readonly Weights[], from: number, to: number): Weights {
  const n = sets.length;
  const BLOCK = 256;
  const columns = new Float64Array(BLOCK * n);
  const count = to - from + 1;
  return sets[0]!.map((tensor, ti) => {
    const sources = sets.map((s) => s[ti]!.values);
    const size = tensor.values.length;
    const out = new Float32Array(size);
    for (let start = 0; start < size; start += BLOCK) {
      const len = Math.min(BLOCK, size - start);
      for (let k = 0; k < n; k++) {
        const src = sources[k]!;
        for (let j = 0; j < len; j++) columns[j * n + k] = src[start + j]!;
      }
      for (let j = 0; j < len; j++) {
        const o = j * n;
        select(columns, o + from, o, o + n - 1);
        if (to > from) select(columns, o + to, o + from, o + n - 1);
        let sum = columns[o + from]!;
        for (let i = o + from + 1; i <= o + to; i++) sum += columns[i]!;
        out[start + j] = sum / count;
      }
    }
    return { name: tensor.name, shape: [...tensor.shape], values: out };
  });
}

/**
 * Coordinate-wise median (Yin et al. 2018, https://arxiv.org/abs/1803.01498; Flower's FedMedian):
 * for an even count, the mean of the two middle values. Unweighted: a bank cannot buy influence by
 * claiming more examples. O(n·d) expected.
 * @throws RangeError when `sets` is empty or the sets differ in structure.
 * @example coordinateMedian([[t(1)], [t(2)], [t(100)]]) → [t(2)]
 */
export function coordinateMedian(sets: readonly Weights[]): Weights {
  assertSets('coordinateMedian', sets);
  const n = sets.length;
  const k = (n - 1) >>> 1;
  return orderStatisticMean(sets, k, n % 2 === 1 ? k : k + 1);
}

/** How many values a trimmed mean drops from each end: ⌊β·n⌋, as scipy's trim_mean and Flower. */
export function trimCount(n: number, beta: number): number {
  return Math.floor(beta * n);
}

/**
 * Coordinate-wise trimmed mean (Yin et al. 2018): per coordinate, drop the ⌊β·n⌋ smallest and the
 * ⌊β·n⌋ largest values and average the rest (unweighted). β = 0 is the plain mean. O(n·d) expected.
 * @param beta fraction trimmed from each end, in [0, 0.5).
 * @throws RangeError when `sets` is empty, differs in structure, or β is out of range.
 * @example trimmedMean([[t(1)], [t(2)], [t(3)], [t(4)], [t(1000)]], 0.2) → [t(3)]
 */
export function trimmedMean(sets: readonly Weights[], beta: number): Weights {
  assertInRange('trimmedMean', 'beta', beta, 0, 0.5, { hi: true });
  assertSets('trimmedMean', sets);
  const n = sets.length;
  const cut = trimCount(n, beta);
  return orderStatisticMean(sets, cut, n - cut - 1);
}

/** Squared Euclidean distances between every pair of sets, accumulated in float64: O(n²·d). */
export function pairwiseSquaredDistances(sets: readonly Weights[]): Float64Array[] {
  assertSets('pairwiseSquaredDistances', sets);
  const n = sets.length;
  const d = Array.from({ length: n }, () => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let s = 0;
      for (let ti = 0; ti < sets[i]!.length; ti++) {
        const a = sets[i]![ti]!.values;
        const b = sets[j]![ti]!.values;
        for (let x = 0; x < a.length; x++) {
          const diff = a[x]! - b[x]!;
          s += diff * diff;
        }
      }
      d[i]![j] = s;
      d[j]![i] = s;
    }
  }
  return d;
}

/**
 * Krum scores (Blanchard et al. 2017, https://papers.nips.cc/paper/6617): for each set, the sum of
 * squared distances to its n − f − 2 nearest other sets. Requires n ≥ 2f + 3 (the paper's n > 2f + 2).
 * @param byzantine f, the number of updates that may be arbitrary.
 * @throws RangeError when n < 2f + 3, or on the conditions of pairwiseSquaredDistances.
 */
export function krumScores(sets: readonly Weights[], byzantine: number): Float64Array {
  assertInt('krumScores', 'byzantine', byzantine, 0);
  const n = sets.length;
  if (n < 2 * byzantine + 3) throw new RangeError(`krumScores: "sets" expected at least 2f + 3 = ${2 * byzantine + 3} updates for f = ${byzantine}, got ${n}`);
  const d = pairwiseSquaredDistances(sets);
  const nearest = n - byzantine - 2;
  const scores = new Float64Array(n);
  const others = new Float64Array(n - 1);
  for (let i = 0; i < n; i++) {
    let o = 0;
    for (let j = 0; j < n; j++) if (j !== i) others[o++] = d[i]![j]!;
    others.sort();
    let s = 0;
    for (let j = 0; j < nearest; j++) s += others[j]!;
    scores[i] = s;
  }
  return scores;
}

/**
 * (Multi-)Krum: the indices of the `select` sets with the lowest Krum score (ties go to the lower
 * index), and their unweighted mean — for `select` = 1 the chosen set itself (Krum), for m > 1 the
 * average of the m best (Multi-Krum, as in the paper; weighting by example counts would let a
 * selected bank inflate its influence).
 * @param select m in [1, n − f].
 * @throws RangeError when n < 2f + 3 or m is out of range.
 */
export function multiKrum(sets: readonly Weights[], byzantine: number, select: number): { readonly weights: Weights; readonly selected: readonly number[]; readonly scores: Float64Array } {
  const scores = krumScores(sets, byzantine);
  assertInt('multiKrum', 'select', select, 1, sets.length - byzantine);
  const order = Array.from(scores.keys()).sort((a, b) => scores[a]! - scores[b]! || a - b);
  const selected = order.slice(0, select).sort((a, b) => a - b);
  const chosen = selected.map((i) => sets[i]!);
  const weights = select === 1 ? chosen[0]!.map((t) => ({ name: t.name, shape: [...t.shape], values: t.values.slice() })) : weightedMean(chosen, chosen.map(() => 1));
  return { weights, selected, scores };
}
