/**
 * The versioned binary format of every protocol message. Header: "FS" ‖ version 1 ‖ kind (stage index + 1,
 * | 0x80 for coordinator → bank) ‖ jobId (u16 length ‖ UTF-8) ‖ round u32 ‖ attempt u32 ‖ numeric id u64
 * (sender, or recipient for downward payloads). Integers big-endian, vectors little-endian at ⌈log2 M / 8⌉ bytes.
 */
import { SecAggProtocolError } from './errors.js';
import { ByteReader, ByteWriter } from './wire.js';
import { SECAGG_STAGES, type MessageHeader, type SecAggRoundContext, type SecAggStage } from './types.js';

export const WIRE_VERSION = 1;
const MAGIC0 = 0x46; // 'F'
const MAGIC1 = 0x53; // 'S'
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Raw bytes of the context as hashed into signatures, session ids and share-set tags. */
export function contextBytes(ctx: SecAggRoundContext): Uint8Array {
  return new ByteWriter().str(ctx.jobId).u32(ctx.round).u32(ctx.attempt).finish();
}

/** Starts a message: the header. */
export function beginMessage(ctx: SecAggRoundContext, stage: SecAggStage, direction: 'up' | 'down', numericId: bigint): ByteWriter {
  const kind = (direction === 'down' ? 0x80 : 0) | (SECAGG_STAGES.indexOf(stage) + 1);
  return new ByteWriter().u8(MAGIC0).u8(MAGIC1).u8(WIRE_VERSION).u8(kind).str(ctx.jobId).u32(ctx.round).u32(ctx.attempt).u64(numericId);
}

function readHeader(r: ByteReader): MessageHeader {
  if (r.u8('magic') !== MAGIC0 || r.u8('magic') !== MAGIC1) r.fail('not a SecAgg message (bad magic)');
  const version = r.u8('version');
  if (version !== WIRE_VERSION) r.fail(`unsupported version ${version}, expected ${WIRE_VERSION}`);
  const kind = r.u8('kind');
  const stage = SECAGG_STAGES[(kind & 0x7f) - 1];
  if (stage === undefined || (kind & 0x7f) === 0) r.fail(`unknown message kind 0x${kind.toString(16)}`);
  const jobId = r.str('jobId');
  const round = r.u32('round');
  const attempt = r.u32('attempt');
  const numericId = r.u64('numericId');
  return { stage, direction: kind & 0x80 ? 'down' : 'up', jobId, round, attempt, numericId };
}

/**
 * Reads only the header (for routing and logs).
 * @throws SecAggProtocolError when the bytes are not a SecAgg message.
 */
export function decodeMessageHeader(bytes: Uint8Array): MessageHeader {
  if (!(bytes instanceof Uint8Array)) throw new SecAggProtocolError('unknown', 'message: expected bytes');
  return readHeader(new ByteReader(bytes, 'unknown', 'message header'));
}

/** What a message must be to be accepted here. */
export interface Expected {
  readonly ctx: SecAggRoundContext;
  readonly stage: SecAggStage;
  readonly direction: 'up' | 'down';
  readonly numericId: bigint;
}

/**
 * Opens a message and checks its header against what this stage expects: a message made for another
 * job, round, attempt, stage, direction or member is a replay or an impersonation and is refused.
 * @returns a reader positioned at the body.
 * @throws SecAggProtocolError naming `offender`.
 */
export function openMessage(bytes: unknown, expected: Expected, offender: string, what: string): ByteReader {
  if (!(bytes instanceof Uint8Array)) throw new SecAggProtocolError(offender, `${what}: expected bytes, got ${bytes === null ? 'null' : typeof bytes}`);
  const r = new ByteReader(bytes, offender, what);
  const h = readHeader(r);
  const { ctx } = expected;
  const got = `job '${h.jobId}' round ${h.round} attempt ${h.attempt} stage ${h.stage} (${h.direction})`;
  const want = `job '${ctx.jobId}' round ${ctx.round} attempt ${ctx.attempt} stage ${expected.stage} (${expected.direction})`;
  if (h.jobId !== ctx.jobId || h.round !== ctx.round || h.attempt !== ctx.attempt || h.stage !== expected.stage || h.direction !== expected.direction) {
    r.fail(`replayed or misrouted message: made for ${got}, expected ${want}`);
  }
  if (h.numericId !== expected.numericId) r.fail(`message names member #${h.numericId}, expected #${expected.numericId} (a member acting as another)`);
  return r;
}

/** Bytes per vector entry for modulus M = 2^b: ⌈b/8⌉. */
export function entryBytes(modulus: number): number {
  return Math.ceil(Math.log2(modulus) / 8);
}

/** Appends u8 width ‖ u32 length ‖ entries little-endian at the modulus width. */
export function writeVector(w: ByteWriter, v: Uint32Array, modulus: number): void {
  const width = entryBytes(modulus);
  w.u8(width).u32(v.length);
  const out = w.reserve(v.length * width);
  if (width === 4 && LITTLE_ENDIAN) {
    out.set(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
    return;
  }
  for (let i = 0, o = 0; i < v.length; i++) {
    const x = v[i]!;
    out[o++] = x & 0xff;
    if (width > 1) out[o++] = (x >>> 8) & 0xff;
    if (width > 2) out[o++] = (x >>> 16) & 0xff;
    if (width > 3) out[o++] = x >>> 24;
  }
}

/** Reads a vector of exactly `length` entries < M; a wrong width, length or out-of-range entry is a violation. */
export function readVector(r: ByteReader, length: number, modulus: number): Uint32Array {
  const width = entryBytes(modulus);
  const gotWidth = r.u8('vector entry width');
  if (gotWidth !== width) r.fail(`vector entries expected ${width} bytes wide for modulus ${modulus}, got ${gotWidth}`);
  const n = r.u32('vector length');
  if (n !== length) r.fail(`vector expected ${length} entries (d + 1), got ${n}`);
  const src = r.view8(n * width, 'vector');
  const out = new Uint32Array(n);
  if (width === 4 && LITTLE_ENDIAN) {
    new Uint8Array(out.buffer).set(src);
  } else if (width === 4) {
    for (let i = 0, o = 0; i < n; i++, o += 4) out[i] = (src[o]! | (src[o + 1]! << 8) | (src[o + 2]! << 16) | (src[o + 3]! << 24)) >>> 0;
  } else {
    for (let i = 0, o = 0; i < n; i++) {
      let x = 0;
      for (let b = 0; b < width; b++) x |= src[o++]! << (8 * b);
      out[i] = x;
    }
  }
  // Entries can exceed M only when log2 M is not a multiple of 8 (e.g. M = 2^20 in 3 bytes).
  if (modulus < 2 ** (8 * width)) {
    for (let i = 0; i < n; i++) if (out[i]! >= modulus) r.fail(`vector entry ${i} = ${out[i]} is not below the modulus ${modulus}`);
  }
  return out;
}

/** Appends u16 count ‖ ids. */
export function writeIds(w: ByteWriter, ids: readonly bigint[]): void {
  w.u16(ids.length);
  for (const id of ids) w.u64(id);
}

/** Reads u16 count ‖ distinct ids. */
export function readIds(r: ByteReader, field: string): bigint[] {
  const n = r.u16(`${field} count`);
  const ids: bigint[] = [];
  const seen = new Set<bigint>();
  for (let i = 0; i < n; i++) {
    const id = r.u64(field);
    if (seen.has(id)) r.fail(`${field} lists member #${id} twice`);
    seen.add(id);
    ids.push(id);
  }
  return ids;
}
