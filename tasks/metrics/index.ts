/**
 * Finance evaluation of a pooled score histogram in one call: a flat metrics record for round
 * records and `--json`, plus the decile, calibration and stability tables for reports.
 */
import { assertInRange } from '../../common/assert.js';
import type { Metrics } from '../../common/weights.js';
import { calibration, type CalibrationBin, type CalibrationOptions } from './calibration.js';
import { decileTable, ksStatistic, type DecileRow } from './finance-metrics.js';
import { psiByBank, type BankStability, type PsiOptions } from './psi.js';
import { averagePrecision, precisionAtK, recallAtFpr } from './rare-event.js';
import { mergeHistograms, metricsFromHistogram, type ScoreHistogram } from './score-histogram.js';

export { logitEdges } from './binning.js';
export { calibration } from './calibration.js';
export { decileTable, gini, ksCurve } from './finance-metrics.js';
export { psi, psiByBank, psiLevel } from './psi.js';
export { averagePrecision, precisionAtK, recallAtFpr } from './rare-event.js';
export { buildHistogram, mergeHistograms, metricsFromHistogram } from './score-histogram.js';
export type { ScoreHistogram } from './score-histogram.js';

/** What `financeMetrics` computes beyond the defaults. */
export interface FinanceMetricsOptions {
  /** False-positive rate for `recallAtFpr`. @default 0.01 */
  readonly fpr?: number;
  /** Number of top scores for `precisionAtK`. @default 1 % of the examples, at least 1 */
  readonly k?: number;
  /** Reliability bins. @default { groups: 10, strategy: 'uniform' } */
  readonly calibration?: CalibrationOptions;
}

/** Flat metrics plus the tables a risk report prints. */
export interface FinanceReport {
  /**
   * auc, ks, ksThreshold, gini, logLoss, brier, accuracy, numExamples, positiveRate, liftTop10,
   * gainTop10, gainTop20, gainTop30, ece, mce, hosmerLemeshow, meanPredictedMinusObserved, prAuc,
   * recallAtFpr, recallAtFprTarget, precisionAtK, precisionAtKCount. A metric undefined for the data
   * (e.g. AUC with no positives) is NaN; drop non-finite values before storing.
   */
  readonly metrics: Metrics;
  readonly deciles: readonly DecileRow[];
  readonly calibration: readonly CalibrationBin[];
}

/**
 * Every finance metric of one (pooled) histogram. Ranking metrics (AUC, KS, Gini, lift, gain,
 * PR-AUC, recall at FPR, precision at k) are exact up to binning; log-loss, Brier and accuracy are
 * exact; calibration uses bin midpoints for the mean predicted score.
 * @throws RangeError when `fpr` is outside [0, 1] or `k` is not positive.
 */
export function financeMetrics(h: ScoreHistogram, options: FinanceMetricsOptions = {}): FinanceReport {
  const fpr = options.fpr ?? 0.01;
  assertInRange('financeMetrics', 'fpr', fpr, 0, 1);
  const k = options.k ?? Math.max(1, Math.round(0.01 * h.numExamples));
  const base = metricsFromHistogram(h);
  const ks = ksStatistic(h); // the threshold only: no 1,001-point curve per round
  const deciles = decileTable(h, 10);
  const cal = calibration(h, options.calibration);
  const rec = recallAtFpr(h, fpr);
  const gainAt = (d: number): number => deciles[d - 1]?.cumulativeGain ?? Number.NaN;
  return {
    metrics: {
      ...base,
      ksThreshold: ks.threshold,
      gini: 2 * base.auc - 1,
      liftTop10: deciles[0]?.lift ?? Number.NaN,
      gainTop10: gainAt(1),
      gainTop20: gainAt(2),
      gainTop30: gainAt(3),
      ece: cal.ece,
      mce: cal.mce,
      hosmerLemeshow: cal.hosmerLemeshow,
      meanPredictedMinusObserved: cal.meanPredictedMinusObserved,
      prAuc: averagePrecision(h),
      recallAtFpr: rec.recall,
      recallAtFprTarget: fpr,
      precisionAtK: precisionAtK(h, k),
      precisionAtKCount: k,
    },
    deciles,
    calibration: cal.bins,
  };
}

/** Finance metrics of a federation: the pooled report plus each bank's stability against the pool. */
export interface PooledFinanceReport extends FinanceReport {
  readonly stability: readonly BankStability[];
}

/**
 * Pools per-bank histograms and computes `financeMetrics` on the pool, plus PSI of each bank
 * against the pool; the flat record gains `psiMax` (the least stable bank's PSI) and `evalBanks`.
 * The shape matches `EvaluateReply` ({ memberId, histogram }) so a strategy can pass its replies.
 * @throws RangeError when the banks' histograms are binned differently.
 */
export function pooledFinanceMetrics(
  replies: readonly { readonly memberId: string; readonly histogram: ScoreHistogram }[],
  options: FinanceMetricsOptions & { readonly psi?: PsiOptions } = {},
): PooledFinanceReport {
  if (replies.length === 0) throw new RangeError('pooledFinanceMetrics: expected at least one reply, got 0');
  // One merge serves both the pooled metrics and the PSI reference.
  const pool = mergeHistograms(replies.map((r) => r.histogram));
  const report = financeMetrics(pool, options);
  const stability = psiByBank(
    replies.map((r) => ({ bank: r.memberId, histogram: r.histogram })),
    options.psi,
    pool,
  );
  const psiMax = stability.length > 0 ? Math.max(...stability.map((s) => s.psi)) : Number.NaN;
  return { ...report, metrics: { ...report.metrics, psiMax, evalBanks: replies.length }, stability };
}
