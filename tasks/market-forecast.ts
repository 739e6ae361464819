/** `market-forecast`: next-day return (and so direction) of each instrument from windows of its daily bars, with an LSTM or an MLP baseline. */
import { createHash } from 'node:crypto';
import { FedfinError } from '../common/errors.js';
import { canonicalJson } from '../schema/encoding.js';
import type { EncodingStats } from '../schema/encoding-stats.js';
import type { JobSpec } from '../schema/job-spec.js';
import { loadSeries } from './market-forecast/series.js';
import { regressionSums } from './market-forecast/regression-metrics.js';
import { DAY_FEATURES, FEATURES_PER_STEP, buildWindows, exampleCount, holdoutCount, trainMoments } from './market-forecast/windows.js';
import type { TaskDefinition } from './registry.js';

/**
 * The feature definition every bank of a job must share (its hash is the stats stage's feature hash);
 * an exported model records its parts so `fedfin predict` can recompute it.
 */
export function featureDefinition(f: Pick<JobSpec['forecast'], 'windowDays' | 'holdoutFraction'>): Record<string, unknown> {
  return { task: 'market-forecast', features: DAY_FEATURES, windowDays: f.windowDays, holdoutFraction: f.holdoutFraction, target: 'next-day log return / std(logReturn)' };
}

/** SHA-256 hex of a value's canonical JSON (feature and spec hashes). */
export const sha256 = (value: unknown): string => createHash('sha256').update(canonicalJson(value)).digest('hex');

/** The hash of a bank's built examples: the feature definition plus the federation's statistics it standardised with. */
export function marketSpecHash(f: Pick<JobSpec['forecast'], 'windowDays' | 'holdoutFraction'>, stats: EncodingStats): string {
  return sha256({ ...featureDefinition(f), stats: DAY_FEATURES.map((n) => stats[n] ?? null) });
}

export const MARKET_FORECAST: TaskDefinition = {
  name: 'market-forecast',
  description: 'next-day return and direction per instrument from windows of daily bars (LSTM or MLP); metrics RMSE, directional accuracy, long/flat backtest vs buy-and-hold',
  schemaKinds: ['market'],
  labelField() {
    // No label column: the target is computed from consecutive bars of one symbol.
    return 'close';
  },
  modelSpec(job, numFeatures) {
    const T = job.forecast.windowDays;
    if (numFeatures !== T * FEATURES_PER_STEP) {
      throw new FedfinError('encoding-mismatch', `market-forecast: input width ${numFeatures} is not windowDays ${T} × ${FEATURES_PER_STEP} features per day`);
    }
    if (job.model.type === 'lstm') return { kind: 'lstm', timesteps: T, featuresPerStep: FEATURES_PER_STEP, units: job.model.units };
    return { numFeatures, hiddenUnits: job.model.type === 'logistic' ? [] : [...job.model.hidden], activation: job.model.activation, loss: 'mse' };
  },
  examples: {
    stats(records, job) {
      const f = job.forecast;
      const series = loadSeries(records, f.maxMissingWeekdays);
      const numExamples = series.reduce((a, s) => {
        const c = exampleCount(s.dates.length, f.windowDays);
        return a + c - holdoutCount(c, f.holdoutFraction);
      }, 0);
      if (numExamples === 0) throw new FedfinError('data-invalid', `market data: no symbol has more than ${f.windowDays + 2} days, so no training window of ${f.windowDays} days exists`);
      return { numFeatures: f.windowDays * FEATURES_PER_STEP, featureHash: sha256(featureDefinition(f)), moments: trainMoments(series, f.windowDays, f.holdoutFraction), numExamples };
    },
    build(records, job, stats) {
      const f = job.forecast;
      const series = loadSeries(records, f.maxMissingWeekdays);
      const built = buildWindows(series, f.windowDays, f.holdoutFraction, stats);
      const { holdout, targetScale } = built;
      return {
        train: built.train,
        holdout,
        specHash: marketSpecHash(f, stats),
        evaluate(outputs) {
          if (outputs.length !== holdout.numExamples) throw new RangeError(`market-forecast evaluate: expected ${holdout.numExamples} outputs, got ${outputs.length}`);
          const examples = Array.from(outputs, (o, i) => ({ symbol: holdout.symbolIndex[i]!, date: holdout.targetDates[i]!, predicted: o * targetScale, realised: holdout.targetReturns[i]! }));
          return regressionSums(examples, f.costBps);
        },
      };
    },
  },
};
