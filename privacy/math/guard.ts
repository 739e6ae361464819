/** Guards shared across privacy/: a number for the special functions (NaN and ±Infinity are legal there), and a RandomSource. */
import { describeValue } from '../../common/assert.js';

/**
 * Throws unless `value` is a primitive number. Special functions are total over the reals plus
 * ±Infinity and NaN (NaN in, NaN out), so only the type is checked; the check is one `typeof`, cheap
 * enough for the inner loops of the RDP series.
 *
 * @throws {TypeError} `fn: "name" expected number, got …`
 */
export function assertNumber(fn: string, name: string, value: unknown): asserts value is number {
  if (typeof value !== 'number') throw new TypeError(`${fn}: "${name}" expected number, got ${describeValue(value)}`);
}

/**
 * Throws unless `value` looks like a RandomSource: an object with a `fill` method that is not an array or a typed
 * array (those have a `fill` too, and would pass constants off as randomness).
 *
 * @throws {TypeError} `fn: "name" expected RandomSource, got …`
 */
export function assertRandomSource(fn: string, name: string, value: unknown): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || ArrayBuffer.isView(value) || typeof (value as { fill?: unknown }).fill !== 'function') {
    throw new TypeError(`${fn}: "${name}" expected RandomSource, got ${describeValue(value)}`);
  }
}
