/**
 * Calibration from a pooled score histogram: reliability bins (mean predicted vs observed default
 * rate), expected and maximum calibration error, and the Hosmer–Lemeshow statistic.
 */
import { assertInt } from '../../common/assert.js';
import { labelTotals, type BinnedCounts } from './binning.js';
import { quantileCuts, sliceByScore } from './histogram-slices.js';

/** One reliability bin. */
export interface CalibrationBin {
  readonly scoreLo: number;
  readonly scoreHi: number;
  readonly count: number;
  readonly positives: number;
  /**
   * Mean predicted probability, from histogram bin midpoints: off from the true mean score by at
   * most half the widest histogram bin in the group (0.0005 with 1,000 equal-width bins).
   */
  readonly meanPredicted: number;
  /** positives / count: the observed default rate. */
  readonly observedRate: number;
}

/** Reliability bins plus summary statistics. */
export interface CalibrationResult {
  readonly bins: readonly CalibrationBin[];
  /** Σ (count/N)·|observed − predicted| over non-empty bins (expected calibration error). */
  readonly ece: number;
  /** Largest |observed − predicted| over non-empty bins (maximum calibration error). */
  readonly mce: number;
  /** Overall mean predicted score minus the overall observed rate (calibration-in-the-large). */
  readonly meanPredictedMinusObserved: number;
  /**
   * Hosmer–Lemeshow χ² = Σ (O − E)² / (E·(1 − E/n)) over non-empty bins with 0 < E < n;
   * compare with χ² on (bins − 2) degrees of freedom. Large samples make any miscalibration
   * significant, so read it with the ECE, not alone.
   */
  readonly hosmerLemeshow: number;
}

/** How reliability bins are formed. */
export interface CalibrationOptions {
  /** Number of reliability bins. @default 10 */
  readonly groups?: number;
  /**
   * `'uniform'`: equal-width score ranges [g/G, (g+1)/G), the usual reliability diagram.
   * `'quantile'`: equal-count groups of the pooled scores (deciles of risk, as Hosmer–Lemeshow).
   * @default 'uniform'
   */
  readonly strategy?: 'uniform' | 'quantile';
}

/**
 * Reliability bins of a histogram. Counts per group are exact when group boundaries fall on
 * histogram bin edges (uniform groups with `numBins` a multiple of `groups`); otherwise a
 * straddling bin is split by overlap length.
 * @throws RangeError when `groups` is not an integer in [1, 1000].
 */
export function calibration(h: BinnedCounts, options: CalibrationOptions = {}): CalibrationResult {
  const groups = options.groups ?? 10;
  assertInt('calibration', 'groups', groups, 1, 1000);
  const cuts =
    options.strategy === 'quantile' ? quantileCuts(h, groups) : Array.from({ length: groups - 1 }, (_, g) => (g + 1) / groups);
  const total = labelTotals(h);
  const n = total.pos + total.neg;
  const bins: CalibrationBin[] = [];
  let ece = 0;
  let mce = 0;
  let hl = 0;
  let sumPred = 0;
  for (const s of sliceByScore(h, cuts)) {
    const meanPredicted = s.count > 0 ? s.sumMid / s.count : Number.NaN;
    const observedRate = s.count > 0 ? s.pos / s.count : Number.NaN;
    bins.push({ scoreLo: s.scoreLo, scoreHi: s.scoreHi, count: s.count, positives: s.pos, meanPredicted, observedRate });
    if (s.count <= 0) continue;
    const gap = Math.abs(observedRate - meanPredicted);
    ece += (s.count / n) * gap;
    mce = Math.max(mce, gap);
    sumPred += s.sumMid;
    const expected = s.sumMid;
    if (expected > 0 && expected < s.count) hl += (s.pos - expected) ** 2 / (expected * (1 - expected / s.count));
  }
  if (n === 0) return { bins, ece: Number.NaN, mce: Number.NaN, meanPredictedMinusObserved: Number.NaN, hosmerLemeshow: Number.NaN };
  return { bins, ece, mce, meanPredictedMinusObserved: sumPred / n - total.pos / n, hosmerLemeshow: hl };
}
