/** Regression evaluation by sums: a bank's holdout → RegressionData, and pooled RMSE/MAE/R²/direction plus the portfolio backtest from many banks' sums. */
import type { Metrics } from '../../common/weights.js';
import type { RegressionData } from '../../schema/fleet.js';
import { backtestDays, mergeBacktestDays, portfolioReport, type BacktestExample } from './backtest.js';

/**
 * The sums a bank sends for its holdout: errors ŷ − y in log-return units, direction counts (up means
 * > 0) and the backtest's per-day sums.
 * @param examples grouped by symbol, dates increasing within a symbol.
 */
export function regressionSums(examples: readonly BacktestExample[], costBps = 0): RegressionData {
  let sumError = 0;
  let sumSqError = 0;
  let sumAbsError = 0;
  let sumTarget = 0;
  let sumSqTarget = 0;
  let directionCorrect = 0;
  let predictedUp = 0;
  let actualUp = 0;
  for (const e of examples) {
    const err = e.predicted - e.realised;
    sumError += err;
    sumSqError += err * err;
    sumAbsError += Math.abs(err);
    sumTarget += e.realised;
    sumSqTarget += e.realised * e.realised;
    const up = e.predicted > 0;
    const wasUp = e.realised > 0;
    if (up === wasUp) directionCorrect++;
    if (up) predictedUp++;
    if (wasUp) actualUp++;
  }
  return { numExamples: examples.length, sumError, sumSqError, sumAbsError, sumTarget, sumSqTarget, directionCorrect, predictedUp, actualUp, days: backtestDays(examples, costBps) };
}

/** Adds banks' sums (days merged date by date). */
export function mergeRegression(parts: readonly RegressionData[]): RegressionData {
  const add = (k: Exclude<keyof RegressionData, 'days'>) => parts.reduce((a, p) => a + p[k], 0);
  return {
    numExamples: add('numExamples'),
    sumError: add('sumError'),
    sumSqError: add('sumSqError'),
    sumAbsError: add('sumAbsError'),
    sumTarget: add('sumTarget'),
    sumSqTarget: add('sumSqTarget'),
    directionCorrect: add('directionCorrect'),
    predictedUp: add('predictedUp'),
    actualUp: add('actualUp'),
    days: mergeBacktestDays(parts.map((p) => p.days)),
  };
}

/**
 * Flat metrics of (pooled) sums: rmse, mae, bias, r2 (against the pooled mean), directionalAccuracy,
 * upRate (realised), predictedUpRate, then the equal-weight portfolio: sharpe, annualReturn,
 * annualVolatility, maxDrawdown, turnover, and buyHoldSharpe, buyHoldAnnualReturn,
 * buyHoldAnnualVolatility, buyHoldMaxDrawdown, backtestDays. Undefined values are NaN.
 */
export function regressionMetrics(g: RegressionData): Metrics {
  const n = g.numExamples;
  const sst = g.sumSqTarget - (g.sumTarget * g.sumTarget) / n;
  // From sums, a spread below ~1e-12 of Σy² is rounding, not variance: R² is undefined there (NaN), not a huge number.
  const sstDefined = sst > 1e-12 * g.sumSqTarget;
  const p = portfolioReport(g.days);
  return {
    numExamples: n,
    rmse: Math.sqrt(g.sumSqError / n),
    mae: g.sumAbsError / n,
    bias: g.sumError / n,
    r2: sstDefined ? 1 - g.sumSqError / sst : Number.NaN,
    directionalAccuracy: g.directionCorrect / n,
    upRate: g.actualUp / n,
    predictedUpRate: g.predictedUp / n,
    sharpe: p.strategy.sharpe,
    annualReturn: p.strategy.annualReturn,
    annualVolatility: p.strategy.annualVolatility,
    maxDrawdown: p.strategy.maxDrawdown,
    turnover: p.turnover,
    buyHoldSharpe: p.buyHold.sharpe,
    buyHoldAnnualReturn: p.buyHold.annualReturn,
    buyHoldAnnualVolatility: p.buyHold.annualVolatility,
    buyHoldMaxDrawdown: p.buyHold.maxDrawdown,
    backtestDays: p.strategy.days,
  };
}

/** Pools evaluation replies that carry regression sums; non-finite metrics are dropped. */
export function pooledRegressionMetrics(replies: readonly { readonly regression?: RegressionData | undefined }[]): Metrics {
  const parts = replies.flatMap((r) => (r.regression ? [r.regression] : []));
  if (parts.length === 0) return {};
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(regressionMetrics(mergeRegression(parts)))) if (Number.isFinite(v)) out[k] = v;
  out['evalBanks'] = parts.length;
  return out;
}
