/** Pure aggregation kernels over Weights: the weighted mean used by FedAvg and its relatives. */
import { sameStructure, type Weights } from '../../common/weights.js';
import type { FitReply } from './strategy.js';

/**
 * Weighted mean of several weight sets, accumulated in float64 for accuracy and then rounded to
 * float32. Weights are typically `numExamples`.
 * @throws RangeError when inputs are empty, differ in structure, or weights are not positive finite.
 * @example weightedMean([[t(1)], [t(3)]], [1, 3]) → [t(2.5)]
 */
export function weightedMean(sets: readonly Weights[], weights: readonly number[]): Weights {
  if (sets.length === 0) throw new RangeError('weightedMean: expected at least one weight set, got 0');
  if (sets.length !== weights.length) throw new RangeError(`weightedMean: expected ${sets.length} weights, got ${weights.length}`);
  const total = weights.reduce((a, b) => a + b, 0);
  weights.forEach((w, i) => {
    if (!Number.isFinite(w) || w <= 0) throw new RangeError(`weightedMean: "weights[${i}]" expected positive finite number, got ${w}`);
  });
  const first = sets[0]!;
  for (let k = 1; k < sets.length; k++) {
    if (!sameStructure(first, sets[k]!)) throw new RangeError(`weightedMean: weight set ${k} differs in structure from set 0`);
  }
  return first.map((tensor, ti) => {
    const n = tensor.values.length;
    const acc = new Float64Array(n);
    for (let k = 0; k < sets.length; k++) {
      const v = sets[k]![ti]!.values;
      const w = weights[k]! / total;
      for (let j = 0; j < n; j++) acc[j]! += w * v[j]!;
    }
    return { name: tensor.name, shape: [...tensor.shape], values: Float32Array.from(acc) };
  });
}

/**
 * Replies sorted by memberId: every built-in strategy aggregates in this order, so float sums (and
 * Krum's tie-breaks) never depend on the order in which banks answered.
 */
export function canonicalOrder(replies: readonly FitReply[]): FitReply[] {
  return [...replies].sort((a, b) => (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0));
}
