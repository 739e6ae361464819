/** The one guard the special functions share: a number (NaN and ±Infinity are legal inputs with defined results). */
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
