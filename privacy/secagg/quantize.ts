/** Quantisation for SecAgg: clip, weight, map onto a T-step grid with unbiased stochastic rounding; and back. */
import { assertInt, assertPositive } from '../../common/assert.js';
import { RandomReader, type RandomSource } from '../../common/random.js';
import { SecAggParamsError } from './errors.js';
import { checkModulus } from './prg.js';
import { assertRandomSource } from '../math/guard.js';

/** Quantisation settings shared by every member of a round. */
export interface QuantizeParams {
  /** c: every coordinate is clipped to [−c, c] before weighting. */
  readonly clippingRange: number;
  /** T: grid steps over [−c, c]; one quantised coordinate lies in [0, T]. */
  readonly targetRange: number;
  /** M: the masking modulus; n·T < M is required so the sum never wraps. */
  readonly modulus: number;
  /** Number of examples that earns the full weight T (weights are capped at 1, as in DP-FedAvg). */
  readonly maxWeight: number;
  /** n: how many quantised vectors will be summed (the cohort size, an upper bound on the survivors). */
  readonly numClients: number;
}

/**
 * Checks the parameters and refuses n·T ≥ M up front: the modular sum would wrap and the mean be garbage.
 * @param params the settings.
 * @throws TypeError / RangeError for malformed numbers; SecAggParamsError ('config-invalid') stating n, T and M
 *   when n·T ≥ M.
 */
export function checkQuantizeParams(params: QuantizeParams): void {
  if (typeof params !== 'object' || params === null) throw new TypeError(`checkQuantizeParams: "params" expected object, got ${params === null ? 'null' : typeof params}`);
  assertPositive('quantize', 'clippingRange', params.clippingRange);
  assertInt('quantize', 'targetRange', params.targetRange, 1, 2 ** 32 - 1);
  checkModulus('quantize', params.modulus);
  assertPositive('quantize', 'maxWeight', params.maxWeight);
  assertInt('quantize', 'numClients', params.numClients, 1, 2 ** 32);
  const { numClients: n, targetRange: t, modulus: m } = params;
  if (n * t >= m) {
    throw new SecAggParamsError([`sum overflow: numClients · targetRange = ${n} · ${t} = ${n * t} must be < modulus ${m}; use targetRange ≤ ${Math.floor((m - 1) / n)} or a larger modulus`]);
  }
}

/**
 * The integer weight factor q = max(1, round(min(w / maxWeight, 1) · T)) carried as element 0.
 * @param weight the member's weight (e.g. number of training examples), ≥ 0.
 * @param params the settings.
 * @returns q in [1, T].
 */
export function weightFactor(weight: number, params: QuantizeParams): number {
  if (typeof weight !== 'number') throw new TypeError(`weightFactor: "weight" expected non-negative finite number, got ${typeof weight}`);
  if (!Number.isFinite(weight) || weight < 0) throw new RangeError(`weightFactor: "weight" expected non-negative finite number, got ${Number.isNaN(weight) ? 'NaN' : weight}`);
  // Never 0: a zero total weight would make the mean undefined; capping at T keeps element 0 within n·T < M.
  return Math.max(1, Math.round(Math.min(weight / params.maxWeight, 1) * params.targetRange));
}

/**
 * Quantises one member's update: x' = (q/T)·clip(x, −c, c), v = (x' + c)·T/(2c) ∈ [0, T], then
 * Q = ⌊v⌋ + [u < v − ⌊v⌋] with u uniform — E[Q] = v exactly (unbiased stochastic rounding).
 * Output: [q, Q_1 … Q_d]. Differs from Flower on purpose: clipping comes before weighting, so a light member's
 * coordinates are bounded by c like everyone else's instead of by c·T/q.
 * @param values the update (finite numbers).
 * @param weight the member's weight (examples), capped at maxWeight.
 * @param params the settings (checked, including n·T < M).
 * @param rng rounding randomness (cryptoRandom() in production).
 * @returns a Uint32Array of length d + 1.
 * @throws RangeError naming the first non-finite coordinate; SecAggParamsError when n·T ≥ M.
 * @example quantize([0.5], 100, { clippingRange: 1, targetRange: 4, modulus: 2 ** 32, maxWeight: 100, numClients: 1 }, rng) // [4, 3]
 */
export function quantize(values: ArrayLike<number>, weight: number, params: QuantizeParams, rng: RandomSource): Uint32Array {
  assertRandomSource('quantize', 'rng', rng);
  checkQuantizeParams(params);
  if (typeof values !== 'object' || values === null || typeof values.length !== 'number') throw new TypeError(`quantize: "values" expected array of finite numbers, got ${values === null ? 'null' : typeof values}`);
  const q = weightFactor(weight, params);
  const { clippingRange: c, targetRange: t } = params;
  // (q/T)·x mapped by (· + c)·T/(2c) collapses to x·q/(2c) + T/2.
  const scale = q / (2 * c);
  const out = new Uint32Array(values.length + 1);
  out[0] = q;
  const reader = new RandomReader(rng, 1 << 14);
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    if (typeof x !== 'number' || !Number.isFinite(x)) {
      throw new RangeError(`quantize: "values[${i}]" expected finite number, got ${typeof x === 'number' ? (Number.isNaN(x) ? 'NaN' : String(x)) : typeof x}`);
    }
    const clipped = x < -c ? -c : x > c ? c : x;
    const v = Math.min(t, Math.max(0, clipped * scale + t / 2));
    const f = Math.floor(v);
    out[i + 1] = f + (reader.uniform() < v - f ? 1 : 0);
  }
  return out;
}

/**
 * Turns the unmasked sum [Q_tot, S_1 … S_d] of `numSummed` members back into their weighted mean:
 * mean_j = (S_j · 2c/T − numSummed · c) · T / Q_tot.
 * @param sum the unmasked sum from masking.ts `unmaskSum`.
 * @param numSummed how many members' vectors are in the sum (the survivors), ≤ params.numClients.
 * @param params the settings used by quantize.
 * @returns the d-entry weighted mean.
 * @throws RangeError for an empty sum, numSummed out of range, or Q_tot = 0.
 */
export function dequantizeSum(sum: Uint32Array, numSummed: number, params: QuantizeParams): Float64Array {
  checkQuantizeParams(params);
  if (!(sum instanceof Uint32Array)) throw new TypeError(`dequantizeSum: "sum" expected Uint32Array, got ${sum === null ? 'null' : typeof sum}`);
  if (sum.length < 1) throw new RangeError('dequantizeSum: "sum" expected at least the weight entry, got Uint32Array(0)');
  assertInt('dequantizeSum', 'numSummed', numSummed, 1, params.numClients);
  const qTot = sum[0]!;
  if (qTot < numSummed || qTot > numSummed * params.targetRange) {
    throw new RangeError(`dequantizeSum: "sum[0]" expected total weight in [${numSummed}, ${numSummed * params.targetRange}], got ${qTot}`);
  }
  const { clippingRange: c, targetRange: t } = params;
  const out = new Float64Array(sum.length - 1);
  for (let j = 1; j < sum.length; j++) out[j - 1] = ((sum[j]! * 2 * c) / t - numSummed * c) * (t / qTot);
  return out;
}
