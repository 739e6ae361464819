/** Argument guards of privacy/desensitize's exported functions: objects and arrays (numbers and strings use common/assert.ts). */
import { describeValue } from '../../common/assert.js';

/**
 * Throws unless `value` is a non-null, non-array object.
 * @throws TypeError `fn: "name" expected object, got …`
 */
export function assertObject(fn: string, name: string, value: unknown): asserts value is object {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || ArrayBuffer.isView(value)) {
    throw new TypeError(`${fn}: "${name}" expected ${name === 'schema' ? 'a dataset schema' : 'object'}, got ${describeValue(value)}`);
  }
}

/**
 * Throws unless `value` is an array.
 * @throws TypeError `fn: "name" expected array, got …`
 */
export function assertArray(fn: string, name: string, value: unknown): asserts value is readonly unknown[] {
  if (!Array.isArray(value)) throw new TypeError(`${fn}: "${name}" expected array, got ${describeValue(value)}`);
}

/**
 * Throws unless `value` is a dataset schema (an object with an `id` string and a `fields` array).
 * @throws TypeError `fn: "schema" expected a dataset schema, got …`
 */
export function assertSchema(fn: string, value: unknown): void {
  assertObject(fn, 'schema', value);
  const s = value as { id?: unknown; fields?: unknown };
  if (typeof s.id !== 'string' || !Array.isArray(s.fields)) throw new TypeError(`${fn}: "schema" expected a dataset schema ({ id, fields }), got ${describeValue(value)}`);
}
