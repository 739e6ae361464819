/** Distributed DP inside the secure sum: each bank's integer noise (Skellam or discrete Gaussian) and the mechanism the sum realises. */
import type { RandomSource } from '../../../common/random.js';
import { discreteGaussianVariance, fillDiscreteGaussian } from '../../dp/discrete-gaussian.js';
import { fillSkellam } from '../../dp/skellam.js';
import type { RealisedNoise, ResolvedDistributedDp, ResolvedSecAggConfig } from './types.js';

// Noise is drawn in blocks so a 1M-entry update never needs a second 4 MB buffer.
const BLOCK = 1 << 14;

/**
 * Adds each bank's share of the noise to its quantised vector, in place, mod M: entries 1..d get
 * independent draws with std σ_local (Skellam(λ, λ) with λ = σ_local²/2, or N_Z(0, σ_local²)); entry 0
 * (the weight factor, a public constant under DP) gets none.
 * @param vector the quantised vector [q, Q_1 … Q_d], entries in [0, M).
 * @param dp the resolved DP sizing.
 * @param modulus M.
 * @param rng cryptoRandom() in production.
 */
export function addDistributedNoise(vector: Uint32Array, dp: ResolvedDistributedDp, modulus: number, rng: RandomSource): void {
  const noise = new Int32Array(Math.min(BLOCK, Math.max(0, vector.length - 1)));
  for (let off = 1; off < vector.length; off += BLOCK) {
    const block = noise.subarray(0, Math.min(BLOCK, vector.length - off));
    if (dp.mechanism === 'skellam') fillSkellam(rng, block, dp.skellamLambda!);
    else fillDiscreteGaussian(rng, block, dp.localStd);
    for (let i = 0; i < block.length; i++) {
      const v = vector[off + i]! + block[i]!;
      vector[off + i] = v - modulus * Math.floor(v / modulus);
    }
  }
  noise.fill(0);
}

/**
 * The mechanism a sum of `numSurvivors` banks' noise realises: variances add, so the sum's noise std is
 * σ_local·√s and the Gaussian-equivalent noise multiplier is σ_local·√s / Δ₂ (≥ z when s ≥ minSurvivors).
 * An RDP accountant composes it as one step with sampleRate 1. For the discrete Gaussian the exact
 * variance of N_Z(0, σ²) is used (slightly below σ² for small σ); Skellam's variance is exactly 2λ.
 * @param config the resolved configuration.
 * @param numSurvivors banks whose noise is in the sum, ≥ 1.
 * @returns the realised noise, or undefined without distributed DP.
 */
export function realisedNoise(config: ResolvedSecAggConfig, numSurvivors: number): RealisedNoise | undefined {
  const dp = config.distributedDp;
  if (dp === undefined) return undefined;
  if (!Number.isInteger(numSurvivors) || numSurvivors < 1) throw new RangeError(`realisedNoise: "numSurvivors" expected integer ≥ 1, got ${String(numSurvivors)}`);
  const localVariance = dp.mechanism === 'skellam' ? 2 * dp.skellamLambda! : discreteGaussianVariance(dp.localStd);
  const sumStd = Math.sqrt(localVariance * numSurvivors);
  return {
    mechanism: dp.mechanism,
    numSurvivors,
    localStd: dp.localStd,
    sumStd,
    sensitivity: dp.sensitivity,
    noiseMultiplier: sumStd / dp.sensitivity,
    sampleRate: 1,
  };
}
