/**
 * Decodes bytes by a message plan into exactly the object protobufjs's `decode` + `toObject` give with the
 * loader's options (keepCase, longs as Number, defaults, oneofs), without a Long per uint64 count. Anything
 * it does not reproduce exactly (unknown fields, unexpected wire types, unpacked repeated scalars, counts
 * above 2^53, truncation) makes it give up (`undefined`) so the caller uses protobufjs, errors included.
 */
import type { FieldPlan, MessagePlan, ScalarKind } from './fast-codec-plan.js';

class GiveUp extends Error {}
const giveUp = (): never => {
  throw new GiveUp();
};
const MAX_DEPTH = 32;

/** A cursor over `buf[pos, end)`. */
interface Cursor {
  readonly buf: Buffer;
  pos: number;
}

/** A varint of at most `maxBytes` bytes as a number (≤ 2^53 − 1), as protobufjs reads it for these types. */
function varint(c: Cursor, end: number, maxBytes: number): number {
  let v = 0;
  let mul = 1;
  for (let i = 0; i < maxBytes; i++) {
    if (c.pos >= end) return giveUp();
    const b = c.buf[c.pos++]!;
    v += (b & 127) * mul;
    if (b < 128) return v <= Number.MAX_SAFE_INTEGER ? v : giveUp();
    mul *= 128;
  }
  return giveUp();
}
const uint32 = (c: Cursor, end: number): number => {
  const v = varint(c, end, 5);
  return v <= 0xffffffff ? v : giveUp();
};

function defaultOf(kind: ScalarKind): unknown {
  switch (kind) {
    case 'string':
      return '';
    case 'bytes':
      return Buffer.alloc(0);
    case 'bool':
      return false;
    default:
      return 0;
  }
}

const WIRE: Readonly<Record<ScalarKind, number>> = { string: 2, bytes: 2, double: 1, uint32: 0, uint64: 0, bool: 0 };

function scalar(kind: ScalarKind, c: Cursor, end: number): unknown {
  switch (kind) {
    case 'string':
    case 'bytes': {
      const n = uint32(c, end);
      const start = c.pos;
      if (start + n > end) return giveUp();
      c.pos += n;
      return kind === 'string' ? c.buf.toString('utf8', start, start + n) : n === 0 ? Buffer.alloc(0) : c.buf.subarray(start, start + n);
    }
    case 'double': {
      if (c.pos + 8 > end) return giveUp();
      const v = c.buf.readDoubleLE(c.pos);
      c.pos += 8;
      return v;
    }
    case 'uint32':
      return uint32(c, end);
    case 'bool':
      return uint32(c, end) !== 0;
    case 'uint64':
      return varint(c, end, 8);
  }
}

/** The toObject skeleton: repeated fields, then maps, then the rest with their defaults (protobufjs's key order). */
function skeleton(plan: MessagePlan): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const f of plan.fields) if (f.repeated) o[f.name] = [];
  for (const f of plan.fields) if (f.kind === 'map') o[f.name] = {};
  for (const f of plan.fields) if (!f.repeated && f.kind !== 'map') o[f.name] = f.kind === 'message' ? null : defaultOf(f.kind);
  return o;
}

function mapEntry(f: FieldPlan, o: Record<string, unknown>, c: Cursor, end: number): void {
  const kind = f.mapValue!;
  let key = '';
  let value = defaultOf(kind);
  while (c.pos < end) {
    const t = uint32(c, end);
    if (t === 10) key = scalar('string', c, end) as string;
    else if (t === (16 | WIRE[kind])) value = scalar(kind, c, end);
    else return giveUp();
  }
  if (key === '__proto__') return giveUp();
  (o[f.name] as Record<string, unknown>)[key] = value;
}

function read(plan: MessagePlan, c: Cursor, end: number, depth: number): Record<string, unknown> {
  if (depth > MAX_DEPTH) return giveUp();
  const o = skeleton(plan);
  while (c.pos < end) {
    const tag = uint32(c, end);
    const f = plan.byId.get(Math.floor(tag / 8));
    const wire = tag % 8;
    if (!f) return giveUp();
    if (f.kind === 'message' || f.kind === 'map') {
      if (wire !== 2) return giveUp();
      const n = uint32(c, end);
      const stop = c.pos + n;
      if (stop > end) return giveUp();
      if (f.kind === 'map') mapEntry(f, o, c, stop);
      else if (f.repeated) (o[f.name] as unknown[]).push(read(f.message!, c, stop, depth + 1));
      else o[f.name] = read(f.message!, c, stop, depth + 1);
      if (c.pos !== stop) return giveUp();
    } else if (f.repeated && f.kind !== 'string' && f.kind !== 'bytes') {
      if (wire !== 2) return giveUp(); // unpacked: protobufjs reads it, we leave it to protobufjs
      const n = uint32(c, end);
      const stop = c.pos + n;
      if (stop > end) return giveUp();
      const a = o[f.name] as unknown[];
      if (f.kind === 'uint64') {
        // A histogram's counts: mostly one-byte varints, read inline.
        const buf = c.buf;
        while (c.pos < stop) {
          const b = buf[c.pos]!;
          if (b < 128) {
            c.pos++;
            a.push(b);
          } else a.push(varint(c, stop, 8));
        }
      } else while (c.pos < stop) a.push(scalar(f.kind, c, stop));
    } else {
      if (wire !== WIRE[f.kind]) return giveUp();
      const v = scalar(f.kind, c, end);
      if (f.repeated) (o[f.name] as unknown[]).push(v);
      else o[f.name] = v;
    }
  }
  return o;
}

/**
 * Decodes a wrapper message that holds exactly one field `id` (a message by `plan`) as
 * `{ [name]: obj, [oneof]: name }` — protobufjs's toObject of a oneof member with `oneofs: true` —
 * or undefined when protobufjs must decode it.
 */
export function decodeWrapped(plan: MessagePlan, id: number, name: string, oneof: string | undefined, buf: Buffer): Record<string, unknown> | undefined {
  const c: Cursor = { buf, pos: 0 };
  try {
    if (uint32(c, buf.length) !== id * 8 + 2) return undefined;
    const n = uint32(c, buf.length);
    if (c.pos + n !== buf.length) return undefined; // further fields: protobufjs's job
    const obj = read(plan, c, buf.length, 1);
    return oneof === undefined ? { [name]: obj } : { [name]: obj, [oneof]: name };
  } catch (err) {
    if (err instanceof GiveUp) return undefined;
    throw err;
  }
}
