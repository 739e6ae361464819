/**
 * FedAvgM (Hsu et al. 2019, https://arxiv.org/abs/1909.06335): FedAvg with server momentum — the
 * averaged update is treated as a gradient step and accumulated in a momentum buffer on the coordinator.
 */
import { assertInRange, assertPositive } from '../../common/assert.js';
import { STRATEGY_DEFAULTS } from '../../schema/job-spec.js';
import type { FedAvgOptions } from './fedavg.js';
import { createServerOptStrategy } from './fedopt.js';
import type { Strategy } from './strategy.js';

export interface FedAvgMOptions extends FedAvgOptions {
  /** Server learning rate η > 0. @default 1 (Flower's default; η = 1 with β = 0 is FedAvg) */
  readonly serverLearningRate?: number;
  /** Server momentum β in [0, 1); the effective step is η/(1−β). @default 0.9 (Flower's default, 0, is FedAvg) */
  readonly serverMomentum?: number;
}

/** Published defaults of FedAvgM, as used by strategyFor and docs/strategies.md. */
export const FEDAVGM_DEFAULTS = STRATEGY_DEFAULTS.fedavgm;

/**
 * Creates a FedAvgM strategy. With g = x − mean(w_i) (example-weighted), each round computes
 * v ← β·v + g (v starts at 0, so the first round has v = g) and x ← x − η·v, the PyTorch SGD
 * convention Flower follows.
 * @throws RangeError when η is not positive or β is outside [0, 1).
 * @example fedAvgM({ serverMomentum: 0.9 }): round 1 equals FedAvg; later rounds add 0.9 × the previous step.
 */
export function fedAvgM(options: FedAvgMOptions = {}): Strategy {
  const eta = options.serverLearningRate ?? FEDAVGM_DEFAULTS.serverLearningRate;
  const beta = options.serverMomentum ?? FEDAVGM_DEFAULTS.serverMomentum;
  assertPositive('fedAvgM', 'serverLearningRate', eta);
  assertInRange('fedAvgM', 'serverMomentum', beta, 0, 1, { hi: true });
  return createServerOptStrategy('fedavgm', options, {
    slots: ['momentum'],
    params: { serverLearningRate: eta, serverMomentum: beta },
    step(x, delta, [v0], [v]) {
      for (let j = 0; j < x.length; j++) {
        // delta is mean − x, the negative of the pseudo-gradient g.
        const vj = beta * v0![j]! - delta[j]!;
        v![j] = vj;
        x[j]! -= eta * vj;
      }
    },
  });
}
