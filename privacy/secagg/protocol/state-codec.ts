/** Versioned bytes for the coordinator's protocol state: tagged JSON (bigint, bytes) plus raw Uint32 vectors, SHA-256 checked. */
import { createHash } from 'node:crypto';
import { SecAggProtocolError } from './errors.js';

const MAGIC = 'FSS1';
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * Encodes a tree of plain objects, arrays, strings, numbers, booleans, bigints, Uint8Arrays and
 * Uint32Arrays. Layout: "FSS1" ‖ u32 json length ‖ JSON ‖ u32 vector count ‖ (u32 entries ‖ LE words)* ‖ SHA-256 of all before.
 */
export function encodeState(value: unknown): Uint8Array {
  const vectors: Uint32Array[] = [];
  const json = JSON.stringify(value, (_k, v: unknown) => {
    if (typeof v === 'bigint') return { $n: v.toString() };
    if (v instanceof Uint32Array) return { $v: vectors.push(v) - 1 };
    if (v instanceof Uint8Array) return { $b: Buffer.from(v).toString('base64') };
    return v;
  });
  const jsonBytes = Buffer.from(json, 'utf8');
  const parts: Buffer[] = [Buffer.from(MAGIC), u32(jsonBytes.length), jsonBytes, u32(vectors.length)];
  for (const v of vectors) {
    parts.push(u32(v.length));
    const b = Buffer.from(v.buffer, v.byteOffset, v.byteLength);
    parts.push(LITTLE_ENDIAN ? Buffer.from(b) : swap(b));
  }
  const body = Buffer.concat(parts);
  return new Uint8Array(Buffer.concat([body, createHash('sha256').update(body).digest()]));
}

/**
 * Decodes bytes made by encodeState.
 * @throws SecAggProtocolError ('protocol-violation', offender 'coordinator-state') for bad magic, a checksum mismatch or truncation.
 */
export function decodeState(bytes: Uint8Array): unknown {
  const fail = (why: string): never => {
    throw new SecAggProtocolError('coordinator-state', `saved SecAgg state: ${why}`);
  };
  if (!(bytes instanceof Uint8Array) || bytes.length < 4 + 4 + 4 + 32) fail('expected bytes of at least 44 bytes');
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.subarray(0, 4).toString('latin1') !== MAGIC) fail(`bad magic, expected ${MAGIC}`);
  const body = buf.subarray(0, buf.length - 32);
  if (!createHash('sha256').update(body).digest().equals(buf.subarray(buf.length - 32))) fail('checksum mismatch (corrupted or truncated)');
  let pos = 4;
  const need = (n: number): void => {
    if (pos + n > body.length) fail(`truncated at byte ${pos}`);
  };
  need(4);
  const jsonLen = body.readUInt32BE(pos);
  pos += 4;
  need(jsonLen);
  const json = body.subarray(pos, pos + jsonLen).toString('utf8');
  pos += jsonLen;
  need(4);
  const count = body.readUInt32BE(pos);
  pos += 4;
  const vectors: Uint32Array[] = [];
  for (let i = 0; i < count; i++) {
    need(4);
    const n = body.readUInt32BE(pos);
    pos += 4;
    need(n * 4);
    const raw = Buffer.from(body.subarray(pos, pos + n * 4));
    const words = LITTLE_ENDIAN ? raw : swap(raw);
    vectors.push(new Uint32Array(words.buffer, words.byteOffset, n).slice());
    pos += n * 4;
  }
  if (pos !== body.length) fail(`${body.length - pos} trailing bytes`);
  try {
    return JSON.parse(json, (_k, v: unknown) => {
      if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
        const o = v as Record<string, unknown>;
        if (typeof o.$n === 'string') return BigInt(o.$n);
        if (typeof o.$b === 'string') return new Uint8Array(Buffer.from(o.$b, 'base64'));
        if (typeof o.$v === 'number') return vectors[o.$v] ?? fail(`vector ${o.$v} missing`);
      }
      return v;
    });
  } catch (err) {
    if (err instanceof SecAggProtocolError) throw err;
    return fail(`metadata is not valid JSON (${(err as Error).message})`);
  }
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

function swap(b: Buffer): Buffer {
  const out = Buffer.from(b);
  out.swap32();
  return out;
}
