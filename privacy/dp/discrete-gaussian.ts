/** Exact discrete Gaussian N_Z(0, σ²) (Canonne, Kamath, Steinke 2020) over a CSPRNG, for distributed DP with SecAgg. */
import { assertInRange, assertInt, describeValue } from '../../common/assert.js';
import type { RandomSource } from '../../common/random.js';
import { bernoulliExp, discreteLaplace } from './bernoulli.js';
import { readerFor } from './gaussian.js';

/** Largest σ accepted: keeps the discrete-Laplace scale within one 32-bit draw and samples inside int32. */
export const MAX_DISCRETE_SIGMA = 2 ** 26;

/** The exact value of a finite double as a fraction n/d of bigints (d a power of two). */
function toFraction(x: number): { readonly n: bigint; readonly d: bigint } {
  let v = x;
  let d = 1n;
  // Doubling a double is exact; at most 1074 steps for the smallest subnormal.
  while (!Number.isInteger(v)) {
    v *= 2;
    d *= 2n;
  }
  return { n: BigInt(v), d };
}

/**
 * A sampler bound to one σ: precomputes the integer constants of CKS Algorithm 3.
 * The distribution sampled is exactly P(Y = y) ∝ exp(−y²/(2σ²)) with σ² the double `sigma * sigma`
 * taken as an exact rational; every accept/reject decision uses integer arithmetic, so no
 * floating-point rounding can bias it (the attack surface of float samplers, see docs/privacy-dp.md).
 */
class DiscreteGaussianSampler {
  private readonly t: number;
  private readonly tn: bigint;
  private readonly n: bigint;
  private readonly dt: bigint;
  private readonly q: bigint;

  constructor(sigma: number) {
    const { n, d } = toFraction(sigma * sigma);
    // Proposal: discrete Laplace with t = ⌊σ⌋ + 1 as in the paper (TF Privacy uses t = σ for integer σ).
    this.t = Math.floor(sigma) + 1;
    this.tn = BigInt(this.t);
    this.n = n;
    this.dt = d * this.tn;
    // Acceptance γ = (|Y| − σ²/t)² / (2σ²) = (|Y|·d·t − n)² / (2·n·d·t²).
    this.q = 2n * n * d * this.tn * this.tn;
  }

  next(rng: ReturnType<typeof readerFor>): number {
    for (;;) {
      const y = discreteLaplace(rng, this.t);
      const a = BigInt(Math.abs(y)) * this.dt - this.n;
      if (bernoulliExp(rng, a * a, this.q)) return y;
    }
  }
}

function checkSigma(ctx: string, sigma: unknown): asserts sigma is number {
  assertInRange(ctx, 'sigma', sigma, 0, MAX_DISCRETE_SIGMA, { lo: true });
}

/**
 * Fills `out` with independent exact discrete Gaussian draws N_Z(0, σ²).
 * Variance is Σ k² e^{−k²/2σ²} / Σ e^{−k²/2σ²}, slightly below σ² for small σ (equal to within
 * 1e-9 relative for σ ≥ 2). Expected cost: about 1/0.6 proposals per draw; BigInt arithmetic is used
 * when σ² is not a small integer, which makes non-integer σ several times slower than integer σ.
 * @param rng `cryptoRandom()` in production.
 * @param out Int32Array or Float64Array; every element is overwritten.
 * @param sigma the scale σ, in (0, 2^26]; σ = 0 is refused (it would silently add no noise).
 * @throws TypeError for a wrong-typed argument; RangeError for σ ≤ 0, NaN, ∞ or σ > 2^26.
 */
export function fillDiscreteGaussian(rng: RandomSource, out: Int32Array | Float64Array, sigma: number): void {
  if (!(out instanceof Int32Array) && !(out instanceof Float64Array)) {
    throw new TypeError(`fillDiscreteGaussian: "out" expected Int32Array | Float64Array, got ${describeValue(out)}`);
  }
  checkSigma('fillDiscreteGaussian', sigma);
  const reader = readerFor(rng);
  const sampler = new DiscreteGaussianSampler(sigma);
  for (let i = 0; i < out.length; i++) out[i] = sampler.next(reader);
}

/**
 * `count` independent exact discrete Gaussian draws N_Z(0, σ²) as an Int32Array.
 * @throws TypeError for a wrong-typed argument; RangeError for a bad σ or a negative count.
 */
export function sampleDiscreteGaussian(rng: RandomSource, sigma: number, count: number): Int32Array {
  assertInt('sampleDiscreteGaussian', 'count', count, 0, 2 ** 31 - 1);
  checkSigma('sampleDiscreteGaussian', sigma);
  const out = new Int32Array(count);
  fillDiscreteGaussian(rng, out, sigma);
  return out;
}

/**
 * The exact variance of N_Z(0, σ²): Σ k² e^{−k²/2σ²} / Σ e^{−k²/2σ²}, summed until terms vanish.
 * @throws RangeError for a bad σ.
 */
export function discreteGaussianVariance(sigma: number): number {
  checkSigma('discreteGaussianVariance', sigma);
  // By Poisson summation the sums equal the continuous ones up to ~e^{−2π²σ²}: nothing left to add.
  if (sigma > 100) return sigma * sigma;
  let num = 0;
  let den = 1;
  const kMax = Math.ceil(40 * sigma) + 2;
  for (let k = 1; k <= kMax; k++) {
    const w = Math.exp(-(k * k) / (2 * sigma * sigma));
    num += 2 * k * k * w;
    den += 2 * w;
  }
  return num / den;
}

/**
 * P(Y = k) for Y ~ N_Z(0, σ²), normalised by the same finite sum as {@link discreteGaussianVariance}.
 * @throws RangeError for a bad σ; TypeError when k is not an integer.
 */
export function discreteGaussianPmf(sigma: number, k: number): number {
  checkSigma('discreteGaussianPmf', sigma);
  assertInt('discreteGaussianPmf', 'k', k);
  if (sigma > 100) return Math.exp(-(k * k) / (2 * sigma * sigma)) / (sigma * Math.sqrt(2 * Math.PI));
  let den = 1;
  const kMax = Math.ceil(40 * sigma) + 2;
  for (let j = 1; j <= kMax; j++) den += 2 * Math.exp(-(j * j) / (2 * sigma * sigma));
  return Math.exp(-(k * k) / (2 * sigma * sigma)) / den;
}
