/**
 * Trimmed mean (Yin et al. 2018, https://arxiv.org/abs/1803.01498; Flower's FedTrimmedAvg): per
 * coordinate, drop the ⌊β·n⌋ lowest and highest values and average the rest. Needs individual updates.
 */
import { assertInRange } from '../../common/assert.js';
import { STRATEGY_DEFAULTS } from '../../schema/job-spec.js';
import { createStrategy, type FedAvgOptions } from './fedavg.js';
import { trimCount, trimmedMean } from './robust-aggregate.js';
import type { Strategy } from './strategy.js';

export interface TrimmedMeanOptions extends FedAvgOptions {
  /** Fraction β trimmed from each end, in [0, 0.5). @default 0.2 (Flower's FedTrimmedAvg) */
  readonly beta?: number;
}

/** Published default of the trimmed mean. */
export const TRIMMED_MEAN_DEFAULTS = STRATEGY_DEFAULTS['trimmed-mean'];

/**
 * Creates a trimmed-mean strategy. With n replies it tolerates ⌊β·n⌋ arbitrary updates; when
 * ⌊β·n⌋ = 0 (e.g. β = 0.2 with 4 banks) nothing is trimmed and the round is a plain unweighted mean —
 * the metric `trimmedPerSide` says how many values were dropped from each end.
 * @throws RangeError when β is outside [0, 0.5).
 */
export function trimmedMeanStrategy(options: TrimmedMeanOptions = {}): Strategy {
  const beta = options.beta ?? TRIMMED_MEAN_DEFAULTS.beta;
  assertInRange('trimmedMeanStrategy', 'beta', beta, 0, 0.5, { hi: true });
  return createStrategy('trimmed-mean', options, {}, (_round, _current, replies) => ({
    weights: trimmedMean(replies.map((r) => r.weights), beta),
    metrics: { trimmedPerSide: trimCount(replies.length, beta) },
  }));
}
