/**
 * FedProx (Li et al. 2020, https://arxiv.org/abs/1812.06127): FedAvg aggregation, with each bank
 * minimising its loss plus (μ/2)·‖w − w_global‖² locally — the trainer reads `proximalMu` from the config.
 */
import { assertNonNegative } from '../../common/assert.js';
import { createAveragingStrategy, type FedAvgOptions } from './fedavg.js';
import type { Strategy } from './strategy.js';

export interface FedProxOptions extends FedAvgOptions {
  /** Proximal coefficient μ ≥ 0 (μ = 0 is FedAvg). Flower's examples use 0.1–1. */
  readonly proximalMu: number;
}

/** Creates a FedProx strategy. */
export function fedProx(options: FedProxOptions): Strategy {
  assertNonNegative('fedProx', 'proximalMu', options.proximalMu);
  return createAveragingStrategy('fedprox', options, { proximalMu: options.proximalMu });
}
