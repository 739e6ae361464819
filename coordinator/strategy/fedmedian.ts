/**
 * FedMedian (Yin et al. 2018, https://arxiv.org/abs/1803.01498): the next model is the coordinate-wise
 * median of the banks' models. Needs individual updates, so never with secure aggregation.
 */
import { createStrategy, type FedAvgOptions } from './fedavg.js';
import { coordinateMedian } from './robust-aggregate.js';
import type { Strategy } from './strategy.js';

/**
 * Creates a FedMedian strategy. Unweighted (a bank's claimed example count buys no influence); one
 * arbitrary update among three or more cannot move any coordinate outside the honest banks' range.
 */
export function fedMedian(options: FedAvgOptions = {}): Strategy {
  return createStrategy('fedmedian', options, {}, (_round, _current, replies) => ({
    weights: coordinateMedian(replies.map((r) => r.weights)),
    metrics: {},
  }));
}
