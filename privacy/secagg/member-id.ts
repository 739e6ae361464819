/** Member ids: the coordinator-assigned unsigned 64-bit node ids, compared as integers and encoded big-endian. */

/** A SecAgg member id: an unsigned 64-bit integer. Accepts a safe non-negative integer or a bigint. */
export type MemberIdInput = number | bigint;

const U64_MAX = (1n << 64n) - 1n;

/**
 * Normalises a member id to a bigint in [0, 2^64 − 1].
 * @param ctx the calling function's name, for the error message.
 * @param name the argument's name.
 * @param value a non-negative safe integer or a bigint.
 * @returns the id as a bigint.
 * @throws TypeError when `value` is neither a number nor a bigint; RangeError when out of range.
 * @example toMemberId('f', 'id', 7) // 7n
 */
export function toMemberId(ctx: string, name: string, value: unknown): bigint {
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value) && value >= 0) return BigInt(value);
    throw new RangeError(`${ctx}: "${name}" expected unsigned 64-bit integer, got ${value}`);
  }
  if (typeof value === 'bigint') {
    if (value >= 0n && value <= U64_MAX) return value;
    throw new RangeError(`${ctx}: "${name}" expected unsigned 64-bit integer, got ${value}n`);
  }
  throw new TypeError(`${ctx}: "${name}" expected unsigned 64-bit integer (number or bigint), got ${value === null ? 'null' : typeof value}`);
}

/**
 * Encodes an id as 8 bytes, big-endian, so byte order equals numeric order.
 * @param id a normalised member id.
 * @returns 8 bytes.
 * @example encodeMemberId(1n) // 00 00 00 00 00 00 00 01
 */
export function encodeMemberId(id: bigint): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, id, false);
  return out;
}

/**
 * Encodes a round number as 8 bytes, big-endian.
 * @param ctx the calling function's name, for the error message.
 * @param round a non-negative safe integer.
 * @returns 8 bytes.
 * @throws TypeError / RangeError when `round` is not a non-negative safe integer.
 */
export function encodeRound(ctx: string, round: unknown): Uint8Array {
  if (typeof round !== 'number') throw new TypeError(`${ctx}: "round" expected non-negative integer, got ${typeof round}`);
  if (!Number.isSafeInteger(round) || round < 0) throw new RangeError(`${ctx}: "round" expected non-negative integer, got ${round}`);
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(round), false);
  return out;
}

/** Concatenates byte strings. */
export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  let len = 0;
  for (const p of parts) len += p.length;
  const out = new Uint8Array(len);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}
