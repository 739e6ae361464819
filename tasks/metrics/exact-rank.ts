/**
 * Rare-event ranking metrics straight from scores (no histogram): the reference the pooled-histogram
 * metrics are checked against, and what a single party can compute on its own scores.
 */
import { assertInRange, assertPositive } from '../../common/assert.js';

/** Distinct score levels from the highest down, with their label counts (ties grouped). */
function tieGroups(scores: ArrayLike<number>, labels: ArrayLike<number>): { pos: number; neg: number }[] {
  if (scores.length !== labels.length) throw new RangeError(`exact-rank: expected equal lengths, got ${scores.length} scores and ${labels.length} labels`);
  const idx = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => (scores[b] as number) - (scores[a] as number));
  const out: { pos: number; neg: number }[] = [];
  let last = Number.NaN;
  for (const i of idx) {
    const s = scores[i] as number;
    if (out.length === 0 || s !== last) out.push({ pos: 0, neg: 0 });
    const g = out[out.length - 1]!;
    if ((labels[i] as number) === 1) g.pos++;
    else g.neg++;
    last = s;
  }
  return out;
}

/**
 * Average precision exactly as scikit-learn's `average_precision_score`: Σ over distinct thresholds
 * of (recall gained) × (precision at that threshold). NaN without positives.
 */
export function exactAveragePrecision(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const groups = tieGroups(scores, labels);
  const totalPos = groups.reduce((a, g) => a + g.pos, 0);
  if (totalPos === 0) return Number.NaN;
  let tp = 0;
  let fp = 0;
  let ap = 0;
  for (const g of groups) {
    tp += g.pos;
    fp += g.neg;
    if (g.pos > 0) ap += (g.pos / totalPos) * (tp / (tp + fp));
  }
  return ap;
}

/**
 * Recall at a false-positive rate (the ROC curve's highest point with FPR ≤ the target): walking
 * thresholds down, the tie group where the FPR target is exceeded contributes its positives in proportion to the share of its negatives taken (the ROC
 * curve's linear segment through a tie). NaN without positives or negatives.
 */
export function exactRecallAtFpr(scores: ArrayLike<number>, labels: ArrayLike<number>, fpr: number): number {
  assertInRange('exactRecallAtFpr', 'fpr', fpr, 0, 1);
  const groups = tieGroups(scores, labels);
  const totalPos = groups.reduce((a, g) => a + g.pos, 0);
  const totalNeg = groups.reduce((a, g) => a + g.neg, 0);
  if (totalPos === 0 || totalNeg === 0) return Number.NaN;
  const target = fpr * totalNeg;
  let cumPos = 0;
  let cumNeg = 0;
  for (const g of groups) {
    if (g.neg > 0 && cumNeg + g.neg > target) return (cumPos + Math.max(0, (target - cumNeg) / g.neg) * g.pos) / totalPos;
    cumPos += g.pos;
    cumNeg += g.neg;
  }
  return 1;
}

/** Precision among the k highest scores; a tie group straddling k contributes pro rata. NaN when k exceeds the examples. */
export function exactPrecisionAtK(scores: ArrayLike<number>, labels: ArrayLike<number>, k: number): number {
  assertPositive('exactPrecisionAtK', 'k', k);
  let taken = 0;
  let tp = 0;
  for (const g of tieGroups(scores, labels)) {
    const c = g.pos + g.neg;
    if (taken + c >= k) return (tp + ((k - taken) / c) * g.pos) / k;
    taken += c;
    tp += g.pos;
  }
  return Number.NaN;
}
