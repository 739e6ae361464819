/** RDP order lists: dp_accounting's default (used everywhere unless a caller overrides it) and TF Privacy's, plus the order guard. */
import { describeValue } from '../../common/assert.js';

/**
 * dp_accounting `DEFAULT_RDP_ORDERS`: `1 + x/10` for x in 1..99, then 11..63, then 128, 256, 512, 1024
 * (156 orders). Built with the same floating-point operations as the Python list, so each order is
 * bit-identical to upstream (which matters: 2.0, 3.0, … take the integer-order path).
 */
export const DEFAULT_RDP_ORDERS: readonly number[] = Object.freeze([
  ...Array.from({ length: 99 }, (_, i) => 1 + (i + 1) / 10),
  ...Array.from({ length: 53 }, (_, i) => 11 + i),
  128,
  256,
  512,
  1024,
]);

/**
 * The orders TF Privacy's `compute_dp_sgd_privacy` uses:
 * `[1.25, 1.5, 1.75, 2, 2.25, 2.5, 3, 3.5, 4, 4.5] + 5..63 + [128, 256, 512]` (72 orders).
 * Kept to reproduce TF Privacy's published numbers; not a default.
 */
export const TF_PRIVACY_ORDERS: readonly number[] = Object.freeze([
  1.25, 1.5, 1.75, 2, 2.25, 2.5, 3, 3.5, 4, 4.5,
  ...Array.from({ length: 59 }, (_, i) => 5 + i),
  128,
  256,
  512,
]);

/**
 * Guards an order list: a non-empty array of numbers ≥ 1 (`Infinity` allowed only when `allowInfinite`).
 *
 * @param fn - the calling function's name, for the error message.
 * @param orders - the list to check.
 * @param allowInfinite - whether `Infinity` is an acceptable order (pure analysis: yes; persisted state: no).
 * @throws {TypeError} when `orders` is not an array of numbers.
 * @throws {RangeError} when it is empty or an order is NaN, below 1, or infinite when not allowed.
 */
export function assertOrders(fn: string, orders: unknown, allowInfinite = true): asserts orders is readonly number[] {
  if (!Array.isArray(orders)) throw new TypeError(`${fn}: "orders" expected non-empty array of numbers >= 1, got ${describeValue(orders)}`);
  if (orders.length === 0) throw new RangeError(`${fn}: "orders" expected non-empty array of numbers >= 1, got array(0)`);
  for (let i = 0; i < orders.length; i++) {
    const a: unknown = orders[i];
    if (typeof a !== 'number') throw new TypeError(`${fn}: "orders[${i}]" expected number >= 1, got ${describeValue(a)}`);
    const ok = a >= 1 && (allowInfinite ? !Number.isNaN(a) : Number.isFinite(a));
    if (!ok) throw new RangeError(`${fn}: "orders[${i}]" expected ${allowInfinite ? '' : 'finite '}number >= 1, got ${describeValue(a)}`);
  }
}
