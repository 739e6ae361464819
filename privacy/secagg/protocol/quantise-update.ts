/** A bank's update to its quantised integer vector (clip, weight, stochastic rounding, DP noise), and the survivors' sum back to a mean. */
import { FedfinError } from '../../../common/errors.js';
import type { RandomSource } from '../../../common/random.js';
import { quantize, type QuantizeParams } from '../quantize.js';
import { addDistributedNoise } from './dp-noise.js';
import type { ResolvedSecAggConfig } from './types.js';

function quantizeParams(config: ResolvedSecAggConfig): QuantizeParams {
  return {
    clippingRange: config.clippingRange,
    targetRange: config.targetRange,
    modulus: config.modulus,
    maxWeight: config.maxWeight,
    numClients: config.numMembers,
  };
}

/**
 * x = [q, Q_1 … Q_d]: without DP, each coordinate clipped to [−c, c] and weighted by q/T with
 * q = max(1, round(min(w/maxWeight, 1)·T)); with DP, the update is first L2-clipped to c, every bank
 * weighs q = T (no example count released) and integer noise is added to Q_1 … Q_d.
 * Rounding is unbiased stochastic rounding onto [0, T] (quantize.ts).
 * @param update d finite numbers.
 * @param numExamples the bank's example count (weight), ≥ 0.
 * @param config the resolved configuration (d must match).
 * @param rng cryptoRandom() in production.
 * @returns the integer vector, entries in [0, M).
 * @throws RangeError naming the first non-finite coordinate or a wrong length.
 */
export function quantiseUpdate(update: ArrayLike<number>, numExamples: number, config: ResolvedSecAggConfig, rng: RandomSource): Uint32Array {
  if (typeof update !== 'object' || update === null || update.length !== config.dimension) {
    throw new RangeError(`secagg maskedInput: "update" expected ${config.dimension} numbers, got ${update === null || typeof update !== 'object' ? String(update) : update.length}`);
  }
  const params = quantizeParams(config);
  const dp = config.distributedDp;
  if (dp === undefined) return quantize(update, numExamples, params, rng);
  let norm2 = 0;
  for (let i = 0; i < update.length; i++) {
    const v = update[i]!;
    if (!Number.isFinite(v)) throw new RangeError(`secagg maskedInput: "update[${i}]" expected finite number, got ${String(v)}`);
    norm2 += v * v;
  }
  const scale = Math.min(1, config.clippingRange / Math.sqrt(norm2));
  const clipped = new Float64Array(update.length);
  for (let i = 0; i < update.length; i++) clipped[i] = update[i]! * scale;
  const x = quantize(clipped, config.maxWeight, params, rng);
  clipped.fill(0);
  addDistributedNoise(x, dp, config.modulus, rng);
  return x;
}

/**
 * The survivors' weighted mean from their unmasked sum [Q_tot, S_1 … S_d]: each S_j is read as a
 * signed value centred on the data range [0, s·T] (noise can push it slightly outside, mod M), then
 * mean_j = (S_j·2c/T − s·c)·T/Q_tot.
 * @param sum the unmasked sum.
 * @param numSurvivors s.
 * @param config the resolved configuration.
 * @returns the mean and Q_tot.
 * @throws FedfinError 'aggregation-failed' when Q_tot is impossible (a corrupted sum).
 */
export function dequantiseSum(sum: Uint32Array, numSurvivors: number, config: ResolvedSecAggConfig): { mean: Float32Array; totalWeight: number } {
  const { targetRange: t, clippingRange: c, modulus: m } = config;
  const qTot = sum[0]!;
  const expected = config.distributedDp ? [numSurvivors * t, numSurvivors * t] : [numSurvivors, numSurvivors * t];
  if (qTot < expected[0]! || qTot > expected[1]!) {
    throw new FedfinError('aggregation-failed', `secagg: the unmasked total weight ${qTot} lies outside [${expected[0]}, ${expected[1]}] for ${numSurvivors} survivors: the sum is corrupted`);
  }
  const top = numSurvivors * t;
  const wrap = top + (m - top) / 2;
  const mean = new Float32Array(sum.length - 1);
  const k = t / qTot;
  for (let j = 1; j < sum.length; j++) {
    const v = sum[j]! > wrap ? sum[j]! - m : sum[j]!;
    mean[j - 1] = ((v * 2 * c) / t - numSurvivors * c) * k;
  }
  return { mean, totalWeight: qTot };
}
