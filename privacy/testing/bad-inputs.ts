/** A shared table of wrong inputs for argument-guard tests: every exported pure function must reject them with TypeError/RangeError. */

/** One wrong input: what it is (for the test title), the value, and which error it should raise for a numeric parameter. */
export interface BadInput {
  readonly label: string;
  readonly value: unknown;
  /** The error a guard for a *finite number* parameter throws: TypeError for a non-number, RangeError for a bad number. */
  readonly error: typeof TypeError | typeof RangeError;
}

/**
 * Values no numeric parameter may accept (noble's `getTypeTests`): wrong types (→ TypeError) and
 * non-finite numbers (→ RangeError). Callers add the range cases of their own parameter (negative, > 1 …).
 * A fresh array each call, so a test may not corrupt another's table.
 *
 * @example for (const { label, value, error } of badInputs()) expect(() => f(value as number)).toThrow(error)
 */
export function badInputs(): BadInput[] {
  return [
    { label: 'undefined', value: undefined, error: TypeError },
    { label: 'null', value: null, error: TypeError },
    { label: 'a numeric string', value: '1', error: TypeError },
    { label: 'a boolean', value: true, error: TypeError },
    { label: 'a bigint', value: 1n, error: TypeError },
    { label: 'an object', value: {}, error: TypeError },
    { label: 'an array', value: [1], error: TypeError },
    { label: 'a Uint8Array', value: new Uint8Array(1), error: TypeError },
    { label: 'a boxed Number', value: new Number(1), error: TypeError },
    { label: 'NaN', value: NaN, error: RangeError },
    { label: 'Infinity', value: Infinity, error: RangeError },
    { label: '-Infinity', value: -Infinity, error: RangeError },
  ];
}

/** The subset of {@link badInputs} that are not numbers at all (for parameters where ±Infinity is legal). */
export function nonNumbers(): BadInput[] {
  return badInputs().filter((b) => typeof b.value !== 'number');
}
