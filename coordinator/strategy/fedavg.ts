/**
 * FedAvg (McMahan et al. 2017, https://arxiv.org/abs/1602.05629): the example-weighted mean of the
 * banks' local models. FedProx reuses it and only adds the proximal term to each bank's config.
 */
import { pooledFinanceMetrics } from '../../tasks/metrics/index.js';
import { pooledRegressionMetrics } from '../../tasks/market-forecast/regression-metrics.js';
import type { Metrics, Weights } from '../../common/weights.js';
import { canonicalOrder, weightedMean } from './aggregate.js';
import { selectMembers } from './sampling.js';
import type { EvaluateReply, FitReply, RoundConfig, SamplingOptions, Strategy } from './strategy.js';

export interface FedAvgOptions extends SamplingOptions {
  /** Fewest successful fit replies to accept a round. @default minFitClients */
  readonly minFitReplies?: number;
}

function resolveConfig(options: SamplingOptions, round: number): RoundConfig {
  const c = options.fitConfig;
  return typeof c === 'function' ? c(round) : (c ?? {});
}

/**
 * Pools evaluation replies (histograms, or regression sums for regression tasks) into exact metrics;
 * shared by every built-in strategy.
 */
export function pooledEvaluation(replies: readonly EvaluateReply[]): { readonly metrics: Metrics } {
  if (replies.length === 0) return { metrics: {} };
  if (replies.some((r) => r.regression)) return { metrics: pooledRegressionMetrics(replies) };
  const m = pooledFinanceMetrics(replies).metrics;
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(m as unknown as Record<string, number>)) if (Number.isFinite(v)) out[k] = v;
  out['evalBanks'] = replies.length;
  return { metrics: out };
}

/** Creates a FedAvg strategy. */
export function fedAvg(options: FedAvgOptions = {}): Strategy {
  return createAveragingStrategy('fedavg', options, {});
}

/** The shared body of FedAvg-style strategies; `extra` is merged into every bank's fit config. */
export function createAveragingStrategy(name: string, options: FedAvgOptions, extra: RoundConfig): Strategy {
  return createStrategy(name, options, extra, (_round, _current, replies) => ({
    weights: weightedMean(
      replies.map((r) => r.weights),
      replies.map((r) => r.numExamples),
    ),
    metrics: {},
  }));
}

/**
 * How a strategy turns the accepted replies of a round into the next model. Called only with at
 * least `minFitReplies` (and at least one) replies, sorted by memberId; returns `weights: undefined`
 * to keep the model.
 */
export type FitAggregator = (
  round: number,
  current: Weights,
  replies: readonly FitReply[],
) => { readonly weights: Weights | undefined; readonly metrics: Metrics; readonly reason?: string };

/**
 * The body every built-in strategy shares: selection (sampling.ts), the minimum-replies gate, fit
 * metrics (`fitReplies`, `fitExamples`, example-weighted `trainLoss`) and pooled evaluation. Only
 * the aggregation step differs between strategies.
 * @param extra merged into every bank's fit config (e.g. FedProx's `proximalMu`).
 */
export function createStrategy(name: string, options: FedAvgOptions, extra: RoundConfig, aggregate: FitAggregator): Strategy {
  const minReplies = Math.max(1, options.minFitReplies ?? options.minFitClients ?? 2);
  return {
    name,
    configureFit(round, _weights, available, rng) {
      const config = { ...resolveConfig(options, round), ...extra };
      return selectMembers(available, options, rng).map((memberId) => ({ memberId, config }));
    },
    aggregateFit(round, current, replies) {
      if (replies.length < minReplies) {
        return { weights: undefined, metrics: { fitReplies: replies.length }, reason: `${replies.length} usable replies, ${minReplies} needed` };
      }
      const out = aggregate(round, current, canonicalOrder(replies));
      const numExamples = replies.reduce((a, r) => a + r.numExamples, 0);
      const metrics: Record<string, number> = { ...out.metrics, fitReplies: replies.length, fitExamples: numExamples };
      // Example-weighted mean of the banks' training losses, when they report one.
      const withLoss = replies.filter((r) => Number.isFinite(r.metrics['loss']));
      if (withLoss.length > 0) {
        const n = withLoss.reduce((a, r) => a + r.numExamples, 0);
        metrics['trainLoss'] = withLoss.reduce((a, r) => a + r.metrics['loss']! * r.numExamples, 0) / n;
      }
      return { weights: out.weights, metrics, ...(out.reason !== undefined ? { reason: out.reason } : {}) };
    },
    configureEvaluate(_round, _weights, available) {
      return [...available].sort().map((memberId) => ({ memberId, config: {} }));
    },
    aggregateEvaluate(_round, replies) {
      return pooledEvaluation(replies);
    },
  };
}
