/**
 * Credit-scoring ranking metrics from a pooled score histogram: the KS curve, Gini, and the
 * lift/gain table by decile of the pooled score distribution (FATE's KS, Lift and Gain).
 */
import { assertInt } from '../../common/assert.js';
import { edgesOf, labelTotals, type BinnedCounts } from './binning.js';
import { sliceByRank } from './histogram-slices.js';
import { metricsFromHistogram, type ScoreHistogram } from './score-histogram.js';

/** One point of the KS curve: the share of each class scoring at or above `threshold`. */
export interface KsPoint {
  readonly threshold: number;
  /** Share of positives (defaults) with score ≥ threshold: the true-positive rate. */
  readonly tpr: number;
  /** Share of negatives with score ≥ threshold: the false-positive rate. */
  readonly fpr: number;
}

/** The KS statistic, where it is reached, and the curve at every bin edge (high to low). */
export interface KsResult {
  /** max over bin edges of |tpr − fpr|, in [0, 1]; NaN without both classes. */
  readonly ks: number;
  /** The bin edge where the maximum gap is reached (the highest such edge on ties). */
  readonly threshold: number;
  readonly curve: readonly KsPoint[];
}

/**
 * KS curve and statistic of a histogram. Evaluated only at bin edges, so the binned KS never
 * exceeds the KS of the raw scores and falls short of it by at most the largest share of one class
 * in a single bin.
 * @returns `ks` and `threshold` NaN when the histogram lacks positives or negatives.
 */
export function ksCurve(h: BinnedCounts): KsResult {
  const curve: KsPoint[] = [{ threshold: 1, tpr: 0, fpr: 0 }];
  const { ks, threshold } = walkKs(h, (p) => curve.push(p));
  return { ks, threshold, curve };
}

/** `ksCurve` without the curve: the statistic and where it is reached (the pooled report's per-round need). */
export function ksStatistic(h: BinnedCounts): { readonly ks: number; readonly threshold: number } {
  return walkKs(h, undefined);
}

/** The KS walk from the top bin down, reading edges and counts in place; `onPoint` sees each curve point. */
function walkKs(h: BinnedCounts, onPoint: ((p: KsPoint) => void) | undefined): { ks: number; threshold: number } {
  const cp = h.countsPos;
  const cn = h.countsNeg;
  const nb = h.numBins;
  const { pos: totalPos, neg: totalNeg } = labelTotals(h);
  if (totalPos === 0 || totalNeg === 0) return { ks: Number.NaN, threshold: Number.NaN };
  const edges = edgesOf(h);
  let cumPos = 0;
  let cumNeg = 0;
  let ks = 0;
  let threshold = 1;
  for (let i = nb - 1; i >= 0; i--) {
    cumPos += cp[i]!;
    cumNeg += cn[i]!;
    const tpr = cumPos / totalPos;
    const fpr = cumNeg / totalNeg;
    onPoint?.({ threshold: edges[i]!, tpr, fpr });
    const gap = Math.abs(tpr - fpr);
    if (gap > ks) {
      ks = gap;
      threshold = edges[i]!;
    }
  }
  return { ks, threshold };
}

/**
 * Gini coefficient (accuracy ratio) = 2·AUC − 1, with AUC counting pairs in one bin as ties.
 * @returns a value in [−1, 1]; NaN without both classes.
 */
export function gini(h: ScoreHistogram): number {
  return 2 * metricsFromHistogram(h).auc - 1;
}

/** One row of the decile (gains) table. Decile 1 holds the highest scores (the riskiest tenth). */
export interface DecileRow {
  readonly decile: number;
  readonly scoreLo: number;
  readonly scoreHi: number;
  /** Examples in the decile (one tenth of the total; fractional when it split a bin). */
  readonly count: number;
  readonly positives: number;
  readonly negatives: number;
  /** positives / count. */
  readonly positiveRate: number;
  /** positiveRate / overall positive rate: how much riskier than average this decile is. */
  readonly lift: number;
  /** Cumulative positive rate of deciles 1..d over the overall positive rate. */
  readonly cumulativeLift: number;
  /** Share of all positives captured in deciles 1..d (the gain / CAP curve). */
  readonly cumulativeGain: number;
  /** Share of all negatives in deciles 1..d. */
  readonly cumulativeNegativeShare: number;
  /** cumulativeGain − cumulativeNegativeShare: the KS of the table at this decile's lower edge. */
  readonly ks: number;
}

/**
 * The lift/gain table by decile of the pooled score distribution. The deciles are cut from the
 * histogram itself: ranking examples from the highest score down, each decile takes one tenth of
 * the total count; where a decile boundary falls inside a bin the bin is split proportionally
 * (its positives and negatives in the bin's own mix, its score range linearly), so the table is
 * exact whenever boundaries fall on bin edges and otherwise off by at most one bin's content.
 * @param groups number of groups (10 for deciles, 20 for ventiles). @default 10
 * @returns one row per group; empty when the histogram holds no examples.
 */
export function decileTable(h: BinnedCounts, groups = 10): DecileRow[] {
  assertInt('decileTable', 'groups', groups, 2, 1000);
  const { pos: totalPos, neg: totalNeg } = labelTotals(h);
  const total = totalPos + totalNeg;
  if (total === 0) return [];
  const baseRate = totalPos / total;
  const rows: DecileRow[] = [];
  let cumPos = 0;
  let cumNeg = 0;
  let cumCount = 0;
  sliceByRank(h, groups).forEach((s, i) => {
    cumPos += s.pos;
    cumNeg += s.neg;
    cumCount += s.count;
    const rate = s.count > 0 ? s.pos / s.count : Number.NaN;
    const gain = totalPos > 0 ? cumPos / totalPos : Number.NaN;
    const negShare = totalNeg > 0 ? cumNeg / totalNeg : Number.NaN;
    rows.push({
      decile: i + 1,
      scoreLo: s.scoreLo,
      scoreHi: s.scoreHi,
      count: s.count,
      positives: s.pos,
      negatives: s.neg,
      positiveRate: rate,
      lift: rate / baseRate,
      cumulativeLift: cumPos / cumCount / baseRate,
      cumulativeGain: gain,
      cumulativeNegativeShare: negShare,
      ks: gain - negShare,
    });
  });
  return rows;
}
