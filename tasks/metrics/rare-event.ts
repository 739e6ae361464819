/**
 * Rare-event (fraud) metrics from a pooled score histogram: PR-AUC as average precision, recall at
 * a fixed false-positive rate, and precision among the k highest scores.
 */
import { assertInRange, assertPositive } from '../../common/assert.js';
import { edgesOf, labelTotals, type BinnedCounts } from './binning.js';

/**
 * Average precision (the step-wise PR-AUC): Σ over thresholds of (recall gained) × (precision at
 * that threshold), walking bin by bin from the highest score down. All scores in one bin are tied,
 * so this is exactly scikit-learn's `average_precision_score` of the binned scores. For a model
 * that ranks at random it equals the positive rate (its no-skill baseline), not 0.5.
 * @returns NaN when the histogram has no positives.
 */
export function averagePrecision(h: BinnedCounts): number {
  const cp = h.countsPos;
  const cn = h.countsNeg;
  const nb = h.numBins;
  const { pos: totalPos } = labelTotals(h);
  if (totalPos === 0) return Number.NaN;
  let tp = 0;
  let fp = 0;
  let ap = 0;
  for (let i = nb - 1; i >= 0; i--) {
    const p = cp[i]!;
    tp += p;
    fp += cn[i]!;
    if (p > 0) ap += (p / totalPos) * (tp / (tp + fp));
  }
  return ap;
}

/** Recall reached when the alert threshold admits a given share of negatives. */
export interface RecallAtFpr {
  /** The false-positive rate asked for. */
  readonly fpr: number;
  /** Share of positives scoring above the threshold. */
  readonly recall: number;
  /** Precision among the flagged examples at that threshold. */
  readonly precision: number;
  /** The score threshold (linear inside its bin). */
  readonly threshold: number;
}

/**
 * Recall at a fixed false-positive rate (e.g. 1 % of legitimate transactions flagged): the highest
 * true-positive rate with FPR ≤ the target. The ROC
 * curve is walked bin by bin from the top; inside the bin where the FPR target is exceeded, the
 * bin's positives are taken in proportion to its negatives (linear interpolation, the same
 * tie convention as the binned AUC). Exact when the target falls on a bin edge.
 * @param fpr target false-positive rate in [0, 1].
 * @returns NaN fields when the histogram lacks positives or negatives.
 * @throws RangeError when `fpr` is outside [0, 1].
 */
export function recallAtFpr(h: BinnedCounts, fpr: number): RecallAtFpr {
  const cp = h.countsPos;
  const cn = h.countsNeg;
  const nb = h.numBins;
  assertInRange('recallAtFpr', 'fpr', fpr, 0, 1);
  const { pos: totalPos, neg: totalNeg } = labelTotals(h);
  if (totalPos === 0 || totalNeg === 0) return { fpr, recall: Number.NaN, precision: Number.NaN, threshold: Number.NaN };
  const target = fpr * totalNeg;
  const edges = edgesOf(h);
  let cumPos = 0;
  let cumNeg = 0;
  for (let i = nb - 1; i >= 0; i--) {
    const pos = cp[i]!;
    const neg = cn[i]!;
    // Whole bins are taken while their negatives keep the FPR within the target, so positives ranked
    // just below the last admitted negative still count (recall is the ROC curve's highest point at that FPR).
    if (neg > 0 && cumNeg + neg > target) {
      const f = Math.max(0, (target - cumNeg) / neg);
      const tp = cumPos + f * pos;
      const flagged = tp + target;
      const hi = edges[i + 1]!;
      return { fpr, recall: tp / totalPos, precision: flagged > 0 ? tp / flagged : Number.NaN, threshold: hi - f * (hi - edges[i]!) };
    }
    cumPos += pos;
    cumNeg += neg;
  }
  return { fpr, recall: 1, precision: totalPos / (totalPos + totalNeg), threshold: 0 };
}

/**
 * Precision among the k highest-scoring examples (e.g. the alerts a fraud team can review a day).
 * Bins are taken whole from the top; the bin holding the k-th example contributes its positives in
 * proportion to the share of it taken. Off from the raw-score value by at most that bin's count / k.
 * @param k number of top examples, a positive number (fractional k is allowed for pooled counts).
 * @returns NaN when k exceeds the number of examples.
 * @throws RangeError when `k` is not positive and finite.
 */
export function precisionAtK(h: BinnedCounts, k: number): number {
  const cp = h.countsPos;
  const cn = h.countsNeg;
  const nb = h.numBins;
  assertPositive('precisionAtK', 'k', k);
  let taken = 0;
  let tp = 0;
  for (let i = nb - 1; i >= 0; i--) {
    const pos = cp[i]!;
    const c = pos + cn[i]!;
    if (c === 0) continue;
    if (taken + c >= k) return (tp + ((k - taken) / c) * pos) / k;
    taken += c;
    tp += pos;
  }
  return Number.NaN;
}
