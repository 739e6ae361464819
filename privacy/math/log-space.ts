/** Arithmetic on numbers stored as natural logarithms: log(e^a + e^b), log(e^a − e^b), log Σ e^x. */
import { assertNumber } from './guard.js';

/**
 * `log(exp(a) + exp(b))` without overflow or underflow.
 * `-Infinity` stands for zero, so `logAdd(-Infinity, b) === b`.
 *
 * @param a - log of the first addend (any number, `-Infinity` for 0).
 * @param b - log of the second addend.
 * @returns log of the sum; NaN if either argument is NaN.
 * @example logAdd(Math.log(2), Math.log(3)) // ≈ Math.log(5) = 1.6094379124341003
 */
export function logAdd(a: number, b: number): number {
  assertNumber('logAdd', 'a', a);
  assertNumber('logAdd', 'b', b);
  const lo = Math.min(a, b);
  const hi = Math.max(a, b);
  if (lo === -Infinity) return hi;
  if (hi === Infinity) return Infinity;
  return Math.log1p(Math.exp(lo - hi)) + hi;
}

/**
 * `log(exp(a) − exp(b))` for `a ≥ b`.
 *
 * @param a - log of the minuend.
 * @param b - log of the subtrahend; `-Infinity` for 0.
 * @returns log of the difference; `-Infinity` when `a === b`.
 * @throws {RangeError} when `a < b` (the difference would be negative).
 * @example logSub(Math.log(5), Math.log(3)) // ≈ Math.log(2)
 */
export function logSub(a: number, b: number): number {
  assertNumber('logSub', 'a', a);
  assertNumber('logSub', 'b', b);
  if (Number.isNaN(a) || Number.isNaN(b)) return NaN;
  if (a < b) throw new RangeError(`logSub: "a" expected a number >= b (${b}), got ${a}`);
  if (b === -Infinity) return a;
  if (a === b) return -Infinity;
  if (a === Infinity) return Infinity;
  return a + Math.log1p(-Math.exp(b - a));
}

/**
 * `log(|exp(a) − exp(b)|)` together with the sign of `exp(a) − exp(b)` (`true` when ≥ 0).
 *
 * @example logSubSign(Math.log(3), Math.log(5)) // { positive: false, log: Math.log(2) }
 */
export function logSubSign(a: number, b: number): { readonly positive: boolean; readonly log: number } {
  assertNumber('logSubSign', 'a', a);
  assertNumber('logSubSign', 'b', b);
  if (a > b) return { positive: true, log: logSub(a, b) };
  if (a < b) return { positive: false, log: logSub(b, a) };
  return { positive: true, log: -Infinity };
}

/**
 * `log Σ exp(x_i)` of a list, stable for any magnitudes (max-shifted).
 *
 * @param xs - logs of the addends; an empty list sums to 0, so the result is `-Infinity`.
 * @example logSumExp([0, 0, 0]) // ≈ Math.log(3)
 */
export function logSumExp(xs: ArrayLike<number>): number {
  if (!Array.isArray(xs) && !ArrayBuffer.isView(xs)) throw new TypeError(`logSumExp: "xs" expected array of numbers, got ${typeof xs}`);
  let max = -Infinity;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i] as number;
    assertNumber('logSumExp', `xs[${i}]`, x);
    if (Number.isNaN(x)) return NaN;
    if (x > max) max = x;
  }
  if (max === -Infinity || max === Infinity) return max;
  let sum = 0;
  for (let i = 0; i < xs.length; i++) sum += Math.exp((xs[i] as number) - max);
  return max + Math.log(sum);
}
