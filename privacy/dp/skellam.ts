/** Skellam noise Poisson(λ) − Poisson(λ): integer, symmetric, variance 2λ, closed under summation (Agarwal, Kairouz, Liu 2021). */
import { assertInt, assertPositive, describeValue } from '../../common/assert.js';
import type { RandomSource } from '../../common/random.js';
import { readerFor } from './gaussian.js';
import { checkLambda, poissonDrawer } from './poisson.js';

/**
 * Fills `out` with independent symmetric Skellam(λ, λ) draws: the difference of two independent
 * Poisson(λ) draws, mean 0, variance 2λ. Sums of n client draws are Skellam(nλ, nλ), which is why
 * distributed DP can split the noise across banks exactly.
 * @param rng `cryptoRandom()` in production.
 * @param out Int32Array or Float64Array; every element is overwritten.
 * @param lambda each Poisson's mean, in (0, 2^30]; λ = 0 is refused (no noise).
 * @throws TypeError for a wrong-typed argument; RangeError for λ ≤ 0, NaN, ∞ or λ > 2^30.
 */
export function fillSkellam(rng: RandomSource, out: Int32Array | Float64Array, lambda: number): void {
  if (!(out instanceof Int32Array) && !(out instanceof Float64Array)) {
    throw new TypeError(`fillSkellam: "out" expected Int32Array | Float64Array, got ${describeValue(out)}`);
  }
  checkLambda('fillSkellam', lambda, false);
  const draw = poissonDrawer(readerFor(rng), lambda);
  for (let i = 0; i < out.length; i++) out[i] = draw() - draw();
}

/**
 * `count` independent Skellam(λ, λ) draws as an Int32Array.
 * @throws TypeError for a wrong-typed argument; RangeError for a bad λ or count.
 */
export function sampleSkellam(rng: RandomSource, lambda: number, count: number): Int32Array {
  assertInt('sampleSkellam', 'count', count, 0, 2 ** 31 - 1);
  checkLambda('sampleSkellam', lambda, false);
  const out = new Int32Array(count);
  fillSkellam(rng, out, lambda);
  return out;
}

/**
 * The λ giving Skellam noise of standard deviation `std` (variance 2λ = std²), as TFF's distributed
 * DP does for the local noise in the scaled integer domain: λ = std² / 2.
 * @throws RangeError for a non-positive or non-finite std.
 */
export function skellamLambdaForStd(std: number): number {
  assertPositive('skellamLambdaForStd', 'std', std);
  return (std * std) / 2;
}

/**
 * P(X = k) for X ~ Skellam(λ, λ): e^{−2λ} I_|k|(2λ), computed as Σ_j P(A = j + |k|) P(B = j) in log
 * space. For tests and small λ (cost grows with √λ).
 * @throws RangeError for a bad λ; TypeError when k is not an integer.
 */
export function skellamPmf(lambda: number, k: number): number {
  checkLambda('skellamPmf', lambda, false);
  assertInt('skellamPmf', 'k', k);
  const a = Math.abs(k);
  const logLambda = Math.log(lambda);
  const jMax = Math.ceil(lambda + 40 * Math.sqrt(lambda) + 40);
  let sum = 0;
  let logFactJ = 0;
  let logFactJa = 0;
  for (let i = 1; i <= a; i++) logFactJa += Math.log(i);
  for (let j = 0; j <= jMax; j++) {
    if (j > 0) {
      logFactJ += Math.log(j);
      logFactJa += Math.log(j + a);
    }
    sum += Math.exp((2 * j + a) * logLambda - 2 * lambda - logFactJ - logFactJa);
  }
  return sum;
}
