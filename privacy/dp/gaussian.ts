/** Continuous Gaussian noise over a CSPRNG: Marsaglia polar on 53-bit uniforms, hardened against floating-point attacks by default. */
import { assertFinite, assertNonNegative, describeValue } from '../../common/assert.js';
import { RandomReader, type RandomSource } from '../../common/random.js';

/**
 * How Gaussian noise is drawn.
 * - `'secure'` (default, use for all DP noise): each value is the sum of 2n = 4 independent normals
 *   scaled by 1/2, exactly as Opacus `_generate_noise(secure_mode=True)` does after Holohan & Braghin
 *   2021 (arXiv 2107.10138, §5.1). Costs 4× the draws.
 * - `'fast'`: one normal per value. For simulations and non-private uses only.
 */
export type GaussianMode = 'secure' | 'fast';

/** Options shared by the Gaussian samplers. */
export interface GaussianOptions {
  /** Sampling mode; `'secure'` unless stated. */
  readonly mode?: GaussianMode;
}

// One RandomReader per source: samplers are called many times per round, and a fresh reader per call
// would waste a 4 KiB CSPRNG fill each time. Weak keys let sources be collected as usual.
const readers = new WeakMap<RandomSource, RandomReader>();

/**
 * The buffered reader shared by all samplers in privacy/dp for `rng`.
 * Drawing through it keeps seeded runs reproducible (same calls in the same order, same values).
 * @throws TypeError when `rng` has no `fill` method.
 */
export function readerFor(rng: RandomSource): RandomReader {
  if (typeof rng !== 'object' || rng === null || typeof (rng as { fill?: unknown }).fill !== 'function') {
    throw new TypeError(`readerFor: "rng" expected RandomSource, got ${describeValue(rng)}`);
  }
  let reader = readers.get(rng);
  if (reader === undefined) {
    reader = new RandomReader(rng, 16384);
    readers.set(rng, reader);
  }
  return reader;
}

/**
 * Marsaglia polar method: a pair of independent N(0, 1) draws per accepted point.
 * Uses full 53-bit uniforms so the tails are not truncated at the 2^-32 resolution of naive samplers.
 */
class PolarNormal {
  private spare = 0;
  private hasSpare = false;

  constructor(private readonly reader: RandomReader) {}

  next(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    for (;;) {
      const u = 2 * this.reader.uniform() - 1;
      const v = 2 * this.reader.uniform() - 1;
      const s = u * u + v * v;
      if (s >= 1 || s === 0) continue;
      const f = Math.sqrt((-2 * Math.log(s)) / s);
      this.spare = v * f;
      this.hasSpare = true;
      return u * f;
    }
  }
}

function checkStd(ctx: string, std: unknown): asserts std is number {
  assertNonNegative(ctx, 'std', std);
}

function checkMode(ctx: string, mode: unknown): GaussianMode {
  if (mode === undefined || mode === 'secure') return 'secure';
  if (mode === 'fast') return 'fast';
  throw new TypeError(`${ctx}: "mode" expected 'secure' | 'fast', got ${describeValue(mode)}`);
}

function checkOut(ctx: string, out: unknown): asserts out is Float32Array | Float64Array {
  if (!(out instanceof Float32Array) && !(out instanceof Float64Array)) {
    throw new TypeError(`${ctx}: "out" expected Float32Array | Float64Array, got ${describeValue(out)}`);
  }
}

// The core loop: writes mean + std·Z (or adds it to out when `add`), Z from the chosen mode.
function draw(rng: RandomSource, out: Float32Array | Float64Array, std: number, mean: number, mode: GaussianMode, add: boolean): void {
  const normal = new PolarNormal(readerFor(rng));
  if (std === 0) {
    if (!add) out.fill(mean);
    return;
  }
  const secure = mode === 'secure';
  // Secure mode: (Z1 + Z2 + Z3 + Z4) / 2 ~ N(0, 1); the factor 1/2 is folded into the scale.
  const scale = secure ? std / 2 : std;
  for (let i = 0; i < out.length; i++) {
    const z = secure ? normal.next() + normal.next() + normal.next() + normal.next() : normal.next();
    const noise = mean + scale * z;
    out[i] = add ? (out[i] as number) + noise : noise;
  }
}

/**
 * Overwrites `out` with independent N(mean, std²) draws from `rng`.
 * Values are computed in float64 and rounded once when stored in a Float32Array.
 * @param rng the randomness source: `cryptoRandom()` in production.
 * @param out the array to fill (its whole length).
 * @param std standard deviation, finite and ≥ 0 (0 fills with `mean`).
 * @param mean the mean, finite; default 0.
 * @param options `{ mode }`: `'secure'` (default) or `'fast'`, see {@link GaussianMode}.
 * @throws TypeError for a wrong-typed argument; RangeError for NaN/∞ or a negative `std`.
 */
export function fillGaussian(
  rng: RandomSource,
  out: Float32Array | Float64Array,
  std: number,
  mean = 0,
  options: GaussianOptions = {},
): void {
  checkOut('fillGaussian', out);
  checkStd('fillGaussian', std);
  assertFinite('fillGaussian', 'mean', mean);
  draw(rng, out, std, mean, checkMode('fillGaussian', options.mode), false);
}

/**
 * Adds independent N(0, std²) noise to every element of `values`, in place.
 * The usual way to noise a clipped sum: `addGaussianNoise(rng, sum, z * C)`.
 * @throws TypeError for a wrong-typed argument; RangeError for NaN/∞ or a negative `std`.
 */
export function addGaussianNoise(
  rng: RandomSource,
  values: Float32Array | Float64Array,
  std: number,
  options: GaussianOptions = {},
): void {
  checkOut('addGaussianNoise', values);
  checkStd('addGaussianNoise', std);
  draw(rng, values, std, 0, checkMode('addGaussianNoise', options.mode), true);
}

/**
 * One N(0, std²) draw. For bulk noise use {@link fillGaussian}: this allocates per call.
 * @throws TypeError for a wrong-typed argument; RangeError for NaN/∞ or a negative `std`.
 */
export function sampleGaussian(rng: RandomSource, std: number, options: GaussianOptions = {}): number {
  checkStd('sampleGaussian', std);
  const out = new Float64Array(1);
  draw(rng, out, std, 0, checkMode('sampleGaussian', options.mode), false);
  return out[0] as number;
}
