/** Argument guards for pure functions: throw TypeError/RangeError saying what was expected and what arrived. */

/** Renders a received value briefly and without dumping large buffers. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (value instanceof Uint8Array) return `Uint8Array(${value.length})`;
  if (ArrayBuffer.isView(value)) return `${value.constructor.name}(${(value as unknown as { length: number }).length})`;
  if (Array.isArray(value)) return `array(${value.length})`;
  return typeof value;
}

function fail(ctx: string, name: string, expected: string, got: unknown, range = false): never {
  const msg = `${ctx}: "${name}" expected ${expected}, got ${describeValue(got)}`;
  throw range ? new RangeError(msg) : new TypeError(msg);
}

/** A finite number (not NaN, not ±∞). */
export function assertFinite(ctx: string, name: string, value: unknown): asserts value is number {
  if (typeof value !== 'number') fail(ctx, name, 'finite number', value);
  if (!Number.isFinite(value)) fail(ctx, name, 'finite number', value, true);
}

/** A finite number > 0. */
export function assertPositive(ctx: string, name: string, value: unknown): asserts value is number {
  assertFinite(ctx, name, value);
  if (value <= 0) fail(ctx, name, 'positive finite number', value, true);
}

/** A finite number ≥ 0. */
export function assertNonNegative(ctx: string, name: string, value: unknown): asserts value is number {
  assertFinite(ctx, name, value);
  if (value < 0) fail(ctx, name, 'non-negative finite number', value, true);
}

/** An integer in [min, max]. */
export function assertInt(ctx: string, name: string, value: unknown, min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER): asserts value is number {
  if (typeof value !== 'number') fail(ctx, name, `integer in [${min}, ${max}]`, value);
  if (!Number.isInteger(value) || value < min || value > max) fail(ctx, name, `integer in [${min}, ${max}]`, value, true);
}

/** A number in the interval; `open` marks which ends are excluded. */
export function assertInRange(
  ctx: string,
  name: string,
  value: unknown,
  lo: number,
  hi: number,
  open: { lo?: boolean; hi?: boolean } = {},
): asserts value is number {
  const text = `number in ${open.lo ? '(' : '['}${lo}, ${hi}${open.hi ? ')' : ']'}`;
  if (typeof value !== 'number') fail(ctx, name, text, value);
  const ok = Number.isFinite(value) && (open.lo ? value > lo : value >= lo) && (open.hi ? value < hi : value <= hi);
  if (!ok) fail(ctx, name, text, value, true);
}

/** A Uint8Array, optionally of an exact length. */
export function assertBytes(ctx: string, name: string, value: unknown, length?: number): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) fail(ctx, name, length === undefined ? 'Uint8Array' : `Uint8Array(${length})`, value);
  if (length !== undefined && value.length !== length) fail(ctx, name, `Uint8Array(${length})`, value, true);
}

/** Two arrays-like of equal length. */
export function assertSameLength(ctx: string, a: { length: number }, b: { length: number }): void {
  if (a.length !== b.length) throw new RangeError(`${ctx}: expected equal lengths, got ${a.length} and ${b.length}`);
}

/** A non-empty string. */
export function assertString(ctx: string, name: string, value: unknown): asserts value is string {
  if (typeof value !== 'string' || value.length === 0) fail(ctx, name, 'non-empty string', value);
}
