/**
 * FedAdagrad, FedAdam and FedYogi (Reddi et al. 2021, https://arxiv.org/abs/2003.00295, Algorithm 2):
 * adaptive server optimisers over the pseudo-gradient Δ = mean(w_i) − x, on the shared core in fedopt.ts.
 */
import { assertInRange, assertPositive } from '../../common/assert.js';
import { STRATEGY_DEFAULTS } from '../../schema/job-spec.js';
import type { FedAvgOptions } from './fedavg.js';
import { createServerOptStrategy, type ServerOptimizer } from './fedopt.js';
import type { Strategy } from './strategy.js';

export interface AdaptiveOptions extends FedAvgOptions {
  /** Server learning rate η > 0. */
  readonly eta?: number;
  /** [β1, β2]: decay of the first and second moments, each in [0, 1). FedAdagrad uses only β1. */
  readonly betas?: readonly [number, number];
  /** Adaptivity τ > 0: added to √v; smaller τ means more adaptive steps. */
  readonly tau?: number;
}

/**
 * Published defaults. η, β1, β2, τ follow Flower's current `flwr.serverapp.strategy` classes; τ = 1e-3
 * is also the value Reddi et al. report working across their tasks (Flower's legacy classes used
 * 1e-9). FedAdagrad has β1 = 0 as in Flower. Flower's `eta_l` (the client rate) is the job's
 * `learningRate` here.
 */
export const ADAPTIVE_DEFAULTS = {
  fedadagrad: STRATEGY_DEFAULTS.fedadagrad,
  fedadam: STRATEGY_DEFAULTS.fedadam,
  fedyogi: STRATEGY_DEFAULTS.fedyogi,
} as const;

type Variant = keyof typeof ADAPTIVE_DEFAULTS;

/** v_t from v_{t−1} and Δ² for each variant (Reddi et al., Algorithm 2). */
const SECOND_MOMENT: Record<Variant, (v: number, d2: number, beta2: number) => number> = {
  fedadagrad: (v, d2) => v + d2,
  fedadam: (v, d2, b2) => b2 * v + (1 - b2) * d2,
  fedyogi: (v, d2, b2) => v - (1 - b2) * d2 * Math.sign(v - d2),
};

function adaptive(variant: Variant, options: AdaptiveOptions): Strategy {
  const d = ADAPTIVE_DEFAULTS[variant];
  const eta = options.eta ?? d.eta;
  const [beta1, beta2] = options.betas ?? d.betas;
  const tau = options.tau ?? d.tau;
  assertPositive(variant, 'eta', eta);
  assertInRange(variant, 'betas[0]', beta1, 0, 1, { hi: true });
  assertInRange(variant, 'betas[1]', beta2, 0, 1, { hi: true });
  assertPositive(variant, 'tau', tau);
  const second = SECOND_MOMENT[variant];
  const optimizer: ServerOptimizer = {
    slots: ['m', 'v'],
    params: { eta, beta1, beta2, tau },
    step(x, delta, [m0, v0], [m, v]) {
      for (let j = 0; j < x.length; j++) {
        const dj = delta[j]!;
        const mj = beta1 * m0![j]! + (1 - beta1) * dj;
        const vj = second(v0![j]!, dj * dj, beta2);
        m![j] = mj;
        v![j] = vj;
        // No bias correction, as in the paper's Algorithm 2 and Flower's legacy classes.
        x[j]! += (eta * mj) / (Math.sqrt(vj) + tau);
      }
    },
  };
  return createServerOptStrategy(variant, options, optimizer);
}

/**
 * FedAdagrad: m ← β1·m + (1−β1)·Δ; v ← v + Δ²; x ← x + η·m / (√v + τ). Moments start at 0.
 * @throws RangeError when a parameter is out of range.
 */
export function fedAdagrad(options: AdaptiveOptions = {}): Strategy {
  return adaptive('fedadagrad', options);
}

/**
 * FedAdam: m ← β1·m + (1−β1)·Δ; v ← β2·v + (1−β2)·Δ²; x ← x + η·m / (√v + τ). Moments start at 0.
 * @throws RangeError when a parameter is out of range.
 * @example with the defaults, round 1 with Δ = 0.5 everywhere moves x by 0.1·0.05/(0.05 + 0.001) ≈ 0.098.
 */
export function fedAdam(options: AdaptiveOptions = {}): Strategy {
  return adaptive('fedadam', options);
}

/**
 * FedYogi: m as FedAdam; v ← v − (1−β2)·Δ²·sign(v − Δ²), which grows v more cautiously than Adam
 * when Δ² jumps; x ← x + η·m / (√v + τ). Moments start at 0.
 * @throws RangeError when a parameter is out of range.
 */
export function fedYogi(options: AdaptiveOptions = {}): Strategy {
  return adaptive('fedyogi', options);
}
