/** Continuous Gaussian noise over a CSPRNG: Marsaglia polar on 53-bit uniforms, hardened against floating-point attacks by default. */
import { assertFinite, assertNonNegative, describeValue } from '../../common/assert.js';
import { RandomReader, type RandomSource } from '../../common/random.js';
import { assertRandomSource } from '../math/guard.js';

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
  assertRandomSource('readerFor', 'rng', rng);
  let reader = readers.get(rng);
  if (reader === undefined) {
    reader = new RandomReader(rng, 16384);
    readers.set(rng, reader);
  }
  return reader;
}

// Bulk randomness for the Gaussian loop: whole CSPRNG buffers read as 32-bit words inline, instead of a method call
// (and a DataView read) per word; that call overhead was most of the sampler's cost. Kept per source, like readers,
// so consecutive calls use up a buffer before the next fill. Words are read in platform byte order (little-endian
// on every host Node supports), which only matters for reproducing seeded streams across byte orders.
const MAX_BULK_WORDS = 1 << 16;
interface Bulk {
  readonly bytes: Uint8Array;
  readonly words: Uint32Array;
  pos: number;
  end: number;
}
const bulks = new WeakMap<RandomSource, Bulk>();

function bulkFor(rng: RandomSource): Bulk {
  readerFor(rng); // the same RandomSource check, and the message, as every sampler here
  let bulk = bulks.get(rng);
  if (bulk === undefined) {
    const bytes = new Uint8Array(MAX_BULK_WORDS * 4);
    bulk = { bytes, words: new Uint32Array(bytes.buffer), pos: 0, end: 0 };
    bulks.set(rng, bulk);
  }
  return bulk;
}

// Refills with about as many words as `values` more normals need (polar: 4 words per try, π/4 of tries accepted,
// 2 normals each → ≈ 2.55 words per normal), so a single draw does not cost a 256 KiB fill.
function refill(rng: RandomSource, bulk: Bulk, normals: number): void {
  const want = Math.min(MAX_BULK_WORDS, Math.max(256, Math.ceil(normals * 2.8) + 64)) & ~3;
  rng.fill(bulk.bytes.subarray(0, want * 4));
  bulk.pos = 0;
  bulk.end = want;
}

const TWO_POW_53 = 9007199254740992;

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
// Marsaglia polar method on full 53-bit uniforms (27 + 26 bits of two words, as RandomReader.uniform), so the tails
// are not truncated at the 2^-32 resolution of naive samplers; a pair of independent N(0, 1) per accepted point.
function draw(rng: RandomSource, out: Float32Array | Float64Array, std: number, mean: number, mode: GaussianMode, add: boolean): void {
  const bulk = bulkFor(rng);
  if (std === 0) {
    if (!add) out.fill(mean);
    return;
  }
  // Secure mode: (Z1 + Z2 + Z3 + Z4) / 2 ~ N(0, 1); the factor 1/2 is folded into the scale.
  const perValue = mode === 'secure' ? 4 : 1;
  const scale = mode === 'secure' ? std / 2 : std;
  const n = out.length;
  const words = bulk.words;
  let pos = bulk.pos;
  let end = bulk.end;
  let sum = 0;
  let k = 0;
  let i = 0;
  while (i < n) {
    if (pos + 4 > end) {
      refill(rng, bulk, (n - i) * perValue - k);
      pos = 0;
      end = bulk.end;
    }
    const u = (2 * ((words[pos]! >>> 5) * 67108864 + (words[pos + 1]! >>> 6))) / TWO_POW_53 - 1;
    const v = (2 * ((words[pos + 2]! >>> 5) * 67108864 + (words[pos + 3]! >>> 6))) / TWO_POW_53 - 1;
    pos += 4;
    const s = u * u + v * v;
    if (s >= 1 || s === 0) continue;
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    sum += u * f;
    if (++k === perValue) {
      const noise = mean + scale * sum;
      out[i] = add ? out[i]! + noise : noise;
      i++;
      sum = 0;
      k = 0;
      if (i === n) break;
    }
    sum += v * f;
    if (++k === perValue) {
      const noise = mean + scale * sum;
      out[i] = add ? out[i]! + noise : noise;
      i++;
      sum = 0;
      k = 0;
    }
  }
  bulk.pos = pos;
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
