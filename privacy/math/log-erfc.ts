/** The complementary error function in linear and log space, and the standard normal CDF Φ with its log (log_ndtr). */
import { assertNumber } from './guard.js';

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
const HALF_LOG_PI = 0.5 * Math.log(Math.PI);
const LN2 = Math.LN2;
/**
 * Below this, erfc = 1 − erf from the all-positive series (relative error ≤ 1/erfc(1.5)·ulp ≈ 7e-15);
 * above it the continued fraction converges in well under 100 terms.
 */
const SERIES_MAX = 1.5;
const MAX_TERMS = 5000;

/** erf(x) for 0 ≤ x < SERIES_MAX: (2/√π)·e^{−x²}·Σ 2ⁿx^{2n+1}/(2n+1)!!, every term positive (no cancellation). */
function erfSeries(x: number): number {
  const x2 = x * x;
  let term = x;
  let sum = x;
  for (let n = 1; n < MAX_TERMS; n++) {
    term *= (2 * x2) / (2 * n + 1);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
}

/**
 * The continued fraction K(x) with erfc(x) = e^{−x²}/√π · K(x) for x > 0:
 * K = 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))), evaluated by the modified Lentz method.
 */
function erfcFraction(x: number): number {
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let n = 1; n < MAX_TERMS; n++) {
    const a = n / 2;
    d = x + a * d;
    d = d === 0 ? 1 / tiny : 1 / d;
    c = x + a / c;
    if (c === 0) c = tiny;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return 1 / f;
}

/**
 * The complementary error function erfc(x) = 1 − erf(x), with full relative precision in the tail.
 *
 * @param x - any real number.
 * @returns erfc(x) in [0, 2]; underflows to 0 past x ≈ 26.5 (use {@link logErfc} there).
 * @example erfc(1) // ≈ 0.15729920705028513
 */
export function erfc(x: number): number {
  assertNumber('erfc', 'x', x);
  if (Number.isNaN(x)) return NaN;
  if (x < 0) return 2 - erfc(-x);
  if (x < SERIES_MAX) return 1 - erfSeries(x);
  if (x > 27) return 0;
  return Math.exp(-x * x) / Math.sqrt(Math.PI) * erfcFraction(x);
}

/**
 * log(erfc(x)), accurate for large positive x where erfc underflows (≈ −x² − log(x√π) for x → ∞).
 * dp_accounting computes the same value as `log(2) + scipy.special.log_ndtr(−√2·x)`.
 *
 * @param x - any real number.
 * @returns log erfc(x) in (−∞, log 2]; `-Infinity` for x = +∞.
 * @example logErfc(10) // ≈ −102.87988163670...  (erfc(10) = 2.088e−45)
 */
export function logErfc(x: number): number {
  assertNumber('logErfc', 'x', x);
  if (Number.isNaN(x)) return NaN;
  if (x === Infinity) return -Infinity;
  if (x < SERIES_MAX) return Math.log(erfc(x));
  return -x * x - HALF_LOG_PI + Math.log(erfcFraction(x));
}

/**
 * The standard normal CDF Φ(x) = ½·erfc(−x/√2).
 *
 * @example ndtr(-1.959963984540054) // ≈ 0.025
 */
export function ndtr(x: number): number {
  assertNumber('ndtr', 'x', x);
  return 0.5 * erfc(-x / Math.SQRT2);
}

/**
 * log Φ(x), as scipy's `special.log_ndtr`: accurate for very negative x (no underflow) and for large
 * positive x (log1p of a tiny tail, so the result keeps its relative precision near 0).
 *
 * @example logNdtr(-40) // ≈ −804.6084420137538
 * @example logNdtr(10) // ≈ −7.619853024160527e−24
 */
export function logNdtr(x: number): number {
  assertNumber('logNdtr', 'x', x);
  if (Number.isNaN(x)) return NaN;
  if (x > 0) return Math.log1p(-0.5 * erfc(x / Math.SQRT2));
  return logErfc(-x / Math.SQRT2) - LN2;
}
