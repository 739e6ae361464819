/** Poisson sampler valid for any λ: sequential inversion below 10, Hörmann's PTRS transformed rejection from 10 up. */
import { assertInRange, assertInt, describeValue } from '../../common/assert.js';
import type { RandomReader, RandomSource } from '../../common/random.js';
import { readerFor } from './gaussian.js';

/** Largest λ accepted: draws stay exact integers in float64 and inside int32 for Skellam differences. */
export const MAX_POISSON_LAMBDA = 2 ** 30;

/** λ from which PTRS is used (Hörmann 1993 proves its constants valid for λ ≥ 10). */
const PTRS_THRESHOLD = 10;

const LOG_FACTORIAL_TABLE = (() => {
  const t = new Float64Array(256);
  for (let k = 1; k < 256; k++) t[k] = (t[k - 1] as number) + Math.log(k);
  return t;
})();

/**
 * ln(k!) for an integer k ≥ 0: a table below 256, Stirling's series with three correction terms
 * above (absolute error < 1e-15 there).
 * @throws TypeError / RangeError unless k is a non-negative integer.
 */
export function logFactorial(k: number): number {
  assertInt('logFactorial', 'k', k, 0);
  return logFactorialOf(k);
}

// The unguarded body, for the sampler's inner loop (its k is a count it produced itself).
function logFactorialOf(k: number): number {
  if (k < 256) return LOG_FACTORIAL_TABLE[k] as number;
  const n = k + 1;
  const inv = 1 / n;
  const inv2 = inv * inv;
  return (n - 0.5) * Math.log(n) - n + 0.5 * Math.log(2 * Math.PI) + inv * (1 / 12 - inv2 * (1 / 360 - inv2 / 1260));
}

/**
 * Inversion by sequential search: one uniform per draw. Cheap and exact enough for small λ; the
 * guard restarts in the (probability < 1e-15) case that the float CDF never reaches u.
 */
function inversion(reader: RandomReader, lambda: number): number {
  const p0 = Math.exp(-lambda);
  const kMax = Math.ceil(lambda + 60);
  for (;;) {
    const u = reader.uniform();
    let p = p0;
    let cdf = p0;
    let k = 0;
    while (u > cdf && k < kMax) {
      k++;
      p *= lambda / k;
      cdf += p;
    }
    if (u <= cdf) return k;
  }
}

/** Constants of PTRS for one λ. */
interface Ptrs {
  readonly lambda: number;
  readonly logLambda: number;
  readonly a: number;
  readonly b: number;
  readonly logInvAlpha: number;
  readonly vr: number;
}

function ptrsConstants(lambda: number): Ptrs {
  const b = 0.931 + 2.53 * Math.sqrt(lambda);
  return {
    lambda,
    logLambda: Math.log(lambda),
    a: -0.059 + 0.02483 * b,
    b,
    logInvAlpha: Math.log(1.1239 + 1.1328 / (b - 3.4)),
    vr: 0.9277 - 3.6224 / (b - 2),
  };
}

/** Hörmann (1993) PTRS: transformed rejection with squeeze; about 1.1–1.3 uniform pairs per draw. */
function ptrs(reader: RandomReader, c: Ptrs): number {
  for (;;) {
    const u = reader.uniform() - 0.5;
    const v = reader.uniform();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * c.a) / us + c.b) * u + c.lambda + 0.43);
    if (us >= 0.07 && v <= c.vr) return k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    // us = 0 (u = −0.5) gives k = −∞ and was rejected above, so the logs below are finite or −∞ (v = 0).
    const lhs = Math.log(v) + c.logInvAlpha - Math.log(c.a / (us * us) + c.b);
    if (lhs <= -c.lambda + k * c.logLambda - logFactorialOf(k)) return k;
  }
}

/**
 * Returns a function drawing Poisson(λ) values from `reader`, with the constants precomputed.
 * For use by other samplers in privacy/dp (Skellam); callers outside use {@link fillPoisson}.
 */
export function poissonDrawer(reader: RandomReader, lambda: number): () => number {
  if (lambda === 0) return () => 0;
  if (lambda < PTRS_THRESHOLD) return () => inversion(reader, lambda);
  const c = ptrsConstants(lambda);
  return () => ptrs(reader, c);
}

/** Argument guard shared with the Skellam sampler. */
export function checkLambda(ctx: string, lambda: unknown, allowZero: boolean): asserts lambda is number {
  assertInRange(ctx, 'lambda', lambda, 0, MAX_POISSON_LAMBDA, { lo: !allowZero });
}

/**
 * Fills `out` with independent Poisson(λ) draws.
 * @param rng `cryptoRandom()` in production.
 * @param out Int32Array or Float64Array; every element is overwritten.
 * @param lambda the mean, in [0, 2^30] (0 gives zeros).
 * @throws TypeError for a wrong-typed argument; RangeError for λ < 0, NaN, ∞ or λ > 2^30.
 */
export function fillPoisson(rng: RandomSource, out: Int32Array | Float64Array, lambda: number): void {
  if (!(out instanceof Int32Array) && !(out instanceof Float64Array)) {
    throw new TypeError(`fillPoisson: "out" expected Int32Array | Float64Array, got ${describeValue(out)}`);
  }
  checkLambda('fillPoisson', lambda, true);
  const draw = poissonDrawer(readerFor(rng), lambda);
  for (let i = 0; i < out.length; i++) out[i] = draw();
}

/**
 * `count` independent Poisson(λ) draws as an Int32Array.
 * @throws TypeError for a wrong-typed argument; RangeError for a bad λ or count.
 */
export function samplePoisson(rng: RandomSource, lambda: number, count: number): Int32Array {
  assertInt('samplePoisson', 'count', count, 0, 2 ** 31 - 1);
  checkLambda('samplePoisson', lambda, true);
  const out = new Int32Array(count);
  fillPoisson(rng, out, lambda);
  return out;
}
