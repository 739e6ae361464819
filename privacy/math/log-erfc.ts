/** The complementary error function in linear and log space, and the standard normal CDF Φ with its log (log_ndtr). */
import { assertNumber } from './guard.js';

const LN2 = Math.LN2;
const ONE_OVER_SQRT_PI = 5.6418958354775628695e-1;

// W. J. Cody, "Rational Chebyshev approximations for the error function", Math. Comp. 23 (1969) 631–638,
// coefficients as in netlib specfun CALERF (also SciPy's and SLATEC's erfc). A/B: erf on [0, 0.46875];
// C/D: e^{x²}·erfc on (0.46875, 4]; P/Q: the asymptotic form of e^{x²}·erfc on (4, ∞).
const A = [3.1611237438705656, 1.13864154151050156e2, 3.77485237685302021e2, 3.20937758913846947e3, 1.85777706184603153e-1];
const B = [2.36012909523441209e1, 2.44024637934444173e2, 1.28261652607737228e3, 2.84423683343917062e3];
const C = [
  5.64188496988670089e-1, 8.88314979438837594, 6.61191906371416295e1, 2.98635138197400131e2, 8.8195222124176909e2,
  1.71204761263407058e3, 2.05107837782607147e3, 1.23033935479799725e3, 2.15311535474403846e-8,
];
const D = [
  1.57449261107098347e1, 1.17693950891312499e2, 5.37181101862009858e2, 1.62138957456669019e3, 3.29079923573345963e3,
  4.36261909014324716e3, 3.43936767414372164e3, 1.23033935480374942e3,
];
const P = [3.05326634961232344e-1, 3.60344899949804439e-1, 1.25781726111229246e-1, 1.60837851487422766e-2, 6.58749161529837803e-4, 1.63153871373020978e-2];
const Q = [2.56852019228982242, 1.87295284992346047, 5.27905102951428412e-1, 6.05183413124413191e-2, 2.33520497626869185e-3];
const [A0, A1, A2, A3, A4] = A as [number, number, number, number, number];
const [B0, B1, B2, B3] = B as [number, number, number, number];
const [C0, C1, C2, C3, C4, C5, C6, C7, C8] = C as [number, number, number, number, number, number, number, number, number];
const [D0, D1, D2, D3, D4, D5, D6, D7] = D as [number, number, number, number, number, number, number, number];
const [P0, P1, P2, P3, P4, P5] = P as [number, number, number, number, number, number];
const [Q0, Q1, Q2, Q3, Q4] = Q as [number, number, number, number, number];

/** Where the erf series hands over to the erfc rational functions (Cody's THRESH). */
const THRESH = 0.46875;

/** erf(y) for 0 ≤ y ≤ THRESH (no cancellation in this range). */
function erfSmall(y: number): number {
  const t = y * y;
  const num = (((A4 * t + A0) * t + A1) * t + A2) * t + A3;
  const den = (((t + B0) * t + B1) * t + B2) * t + B3;
  return (y * num) / den;
}

/** R(y) = e^{y²}·erfc(y) for y > THRESH (finite for every y, so the log form never underflows). */
function scaledErfc(y: number): number {
  if (y <= 4) {
    const num = (((((((C8 * y + C0) * y + C1) * y + C2) * y + C3) * y + C4) * y + C5) * y + C6) * y + C7;
    const den = (((((((y + D0) * y + D1) * y + D2) * y + D3) * y + D4) * y + D5) * y + D6) * y + D7;
    return num / den;
  }
  const z = 1 / (y * y);
  const num = ((((P5 * z + P0) * z + P1) * z + P2) * z + P3) * z + P4;
  const den = ((((z + Q0) * z + Q1) * z + Q2) * z + Q3) * z + Q4;
  return (ONE_OVER_SQRT_PI - (z * num) / den) / y;
}

/**
 * −y² split as −s² − (y−s)(y+s) with s = y rounded down to 1/16, so that s² is exact and e^{−y²} keeps full
 * relative precision (the rounding error of y² alone would be amplified by y²; Cody's own trick).
 */
function expMinusSquare(y: number): number {
  const s = Math.trunc(16 * y) / 16;
  return Math.exp(-s * s) * Math.exp(-(y - s) * (y + s));
}

/** erfc(y) for y ≥ 0. */
function erfcNonNegative(y: number): number {
  if (y <= THRESH) return 1 - erfSmall(y);
  if (y >= 27) return 0;
  return expMinusSquare(y) * scaledErfc(y);
}

/**
 * The complementary error function erfc(x) = 1 − erf(x), with full relative precision in the tail.
 * Cody's rational Chebyshev approximations (about 1e-16 relative), a handful of flops per call.
 *
 * @param x - any real number.
 * @returns erfc(x) in [0, 2]; underflows to 0 past x ≈ 26.5 (use {@link logErfc} there).
 * @example erfc(1) // ≈ 0.15729920705028513
 */
export function erfc(x: number): number {
  assertNumber('erfc', 'x', x);
  if (Number.isNaN(x)) return NaN;
  return x < 0 ? 2 - erfcNonNegative(-x) : erfcNonNegative(x);
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
  if (x < 0) return Math.log(2 - erfcNonNegative(-x));
  // log1p keeps the relative precision of log erfc(x) ≈ −2x/√π near 0.
  if (x <= THRESH) return x === 0 ? 0 : Math.log1p(-erfSmall(x));
  // y² as s² + (y−s)(y+s), as in expMinusSquare, so the sum carries no rounding of y² itself.
  const s = Math.trunc(16 * x) / 16;
  return -s * s - (x - s) * (x + s) + Math.log(scaledErfc(x));
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
