/**
 * Encodes a plain object by a message plan into exactly the bytes protobufjs's `fromObject` + `encode` give,
 * without their per-value work (a Long per uint64 count, a writer op per value): a score histogram's 2,000
 * counts cost one pass. Anything protobufjs would coerce (strings for numbers, Longs, fractions, message
 * instances, lone surrogates) makes it give up (`undefined`) so the caller uses protobufjs.
 */
import type { FieldPlan, MessagePlan, ScalarKind } from './fast-codec-plan.js';

/** Thrown inside the encoder when the input needs protobufjs's coercions; never escapes this module. */
class GiveUp extends Error {}
const giveUp = (): never => {
  throw new GiveUp();
};

// protobufjs writes short strings with its own UTF-8 routine, which encodes a lone surrogate unlike Buffer.
const SURROGATE = /[\uD800-\uDFFF]/;
const isPlain = (v: unknown): v is Record<string, unknown> => {
  if (typeof v !== 'object' || v === null) return false;
  const p = Object.getPrototypeOf(v) as unknown;
  return p === Object.prototype || p === null;
};

const varintSize = (v: number): number => {
  let n = 1;
  while (v >= 128) {
    v = Math.floor(v / 128);
    n++;
  }
  return n;
};

function writeVarint(buf: Buffer, pos: number, v: number): number {
  while (v >= 128) {
    buf[pos++] = (v % 128) | 128;
    v = Math.floor(v / 128);
  }
  buf[pos++] = v;
  return pos;
}

/** Bytes of one scalar value without its tag (`undefined` input never reaches here). */
function scalarSize(kind: ScalarKind, v: unknown): number {
  switch (kind) {
    case 'string': {
      if (typeof v !== 'string' || SURROGATE.test(v)) return giveUp();
      const n = Buffer.byteLength(v, 'utf8');
      return varintSize(n) + n;
    }
    case 'bytes':
      if (!(v instanceof Uint8Array)) return giveUp();
      return varintSize(v.length) + v.length;
    case 'double':
      return typeof v === 'number' ? 8 : giveUp();
    case 'uint32':
      return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 0xffffffff ? varintSize(v) : giveUp();
    case 'uint64':
      return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? varintSize(v) : giveUp();
    case 'bool':
      return typeof v === 'boolean' ? 1 : giveUp();
  }
}

function writeScalar(kind: ScalarKind, v: unknown, buf: Buffer, pos: number): number {
  switch (kind) {
    case 'string': {
      const s = v as string;
      const n = Buffer.byteLength(s, 'utf8');
      pos = writeVarint(buf, pos, n);
      return pos + buf.write(s, pos, n, 'utf8');
    }
    case 'bytes': {
      const b = v as Uint8Array;
      pos = writeVarint(buf, pos, b.length);
      buf.set(b, pos);
      return pos + b.length;
    }
    case 'double':
      return buf.writeDoubleLE(v as number, pos);
    case 'bool':
      buf[pos] = v ? 1 : 0;
      return pos + 1;
    default:
      return writeVarint(buf, pos, v as number);
  }
}

const WIRE: Readonly<Record<ScalarKind, number>> = { string: 2, bytes: 2, double: 1, uint32: 0, uint64: 0, bool: 0 };
const packable = (k: ScalarKind): boolean => k !== 'string' && k !== 'bytes';
const tagOf = (id: number, wire: number): number => id * 8 + wire;

/** Bytes of a packed run of scalars (a histogram's counts: one tight loop, no per-value dispatch). */
function packedSize(kind: ScalarKind, a: readonly unknown[]): number {
  let n = 0;
  if (kind === 'uint64' || kind === 'uint32') {
    const max = kind === 'uint64' ? Number.MAX_SAFE_INTEGER : 0xffffffff;
    for (const x of a) {
      if (typeof x !== 'number' || !Number.isInteger(x) || x < 0 || x > max) return giveUp();
      n += x < 128 ? 1 : varintSize(x);
    }
    return n;
  }
  for (const x of a) n += scalarSize(kind, x);
  return n;
}

/** Size of a map entry (key 1, value 2): protobufjs always writes both. */
function entrySize(f: FieldPlan, key: string, value: unknown): number {
  return 1 + scalarSize('string', key) + 1 + scalarSize(f.mapValue!, value);
}

/**
 * Size of `obj` by `plan`; pushes every nested message's and packed run's size (pre-order) onto `sizes`
 * for the write pass.
 * @throws GiveUp
 */
function measure(plan: MessagePlan, obj: Record<string, unknown>, sizes: number[]): number {
  const slot = sizes.length;
  sizes.push(0);
  let total = 0;
  for (const f of plan.fields) {
    const v = obj[f.name];
    if (f.kind === 'map') {
      if (!v) continue;
      if (!isPlain(v)) return giveUp();
      for (const k of Object.keys(v)) {
        if (k === '__proto__') return giveUp();
        const n = entrySize(f, k, v[k]);
        total += varintSize(tagOf(f.id, 2)) + varintSize(n) + n;
      }
    } else if (f.repeated) {
      if (!v) continue;
      if (!Array.isArray(v)) return giveUp();
      if (v.length === 0) continue;
      if (f.kind === 'message') {
        for (const m of v) {
          if (!isPlain(m)) return giveUp();
          const n = measure(f.message!, m, sizes);
          total += varintSize(tagOf(f.id, 2)) + varintSize(n) + n;
        }
      } else if (packable(f.kind)) {
        const n = packedSize(f.kind, v);
        sizes.push(n); // the write pass reads it back in the same order
        total += varintSize(tagOf(f.id, 2)) + varintSize(n) + n;
      } else {
        for (const x of v) total += varintSize(tagOf(f.id, 2)) + scalarSize(f.kind, x);
      }
    } else {
      if (v === undefined || v === null) continue;
      if (f.kind === 'message') {
        if (!isPlain(v)) return giveUp();
        const n = measure(f.message!, v, sizes);
        total += varintSize(tagOf(f.id, 2)) + varintSize(n) + n;
      } else {
        total += varintSize(tagOf(f.id, WIRE[f.kind])) + scalarSize(f.kind, v);
      }
    }
  }
  sizes[slot] = total;
  return total;
}

/** Writes what `measure` sized; `at.i` walks `sizes` in the same pre-order. */
function write(plan: MessagePlan, obj: Record<string, unknown>, buf: Buffer, pos: number, sizes: readonly number[], at: { i: number }): number {
  at.i++; // this message's own size (the caller wrote it)
  for (const f of plan.fields) {
    const v = obj[f.name];
    if (f.kind === 'map') {
      if (!v) continue;
      const m = v as Record<string, unknown>;
      for (const k of Object.keys(m)) {
        pos = writeVarint(buf, pos, tagOf(f.id, 2));
        pos = writeVarint(buf, pos, entrySize(f, k, m[k]));
        buf[pos++] = 10;
        pos = writeScalar('string', k, buf, pos);
        buf[pos++] = 16 | WIRE[f.mapValue!];
        pos = writeScalar(f.mapValue!, m[k], buf, pos);
      }
    } else if (f.repeated) {
      const a = v as unknown[] | undefined | null;
      if (!a || a.length === 0) continue;
      if (f.kind === 'message') {
        for (const m of a) pos = writeMessage(f, m as Record<string, unknown>, buf, pos, sizes, at);
      } else if (packable(f.kind)) {
        pos = writeVarint(buf, pos, tagOf(f.id, 2));
        pos = writeVarint(buf, pos, sizes[at.i++]!);
        if (f.kind === 'uint64' || f.kind === 'uint32') {
          for (const x of a as number[]) {
            if (x < 128) buf[pos++] = x;
            else pos = writeVarint(buf, pos, x);
          }
        } else for (const x of a) pos = writeScalar(f.kind, x, buf, pos);
      } else {
        for (const x of a) pos = writeScalar(f.kind, x, buf, writeVarint(buf, pos, tagOf(f.id, 2)));
      }
    } else {
      if (v === undefined || v === null) continue;
      if (f.kind === 'message') pos = writeMessage(f, v as Record<string, unknown>, buf, pos, sizes, at);
      else pos = writeScalar(f.kind as ScalarKind, v, buf, writeVarint(buf, pos, tagOf(f.id, WIRE[f.kind as ScalarKind])));
    }
  }
  return pos;
}

function writeMessage(f: FieldPlan, m: Record<string, unknown>, buf: Buffer, pos: number, sizes: readonly number[], at: { i: number }): number {
  pos = writeVarint(buf, pos, tagOf(f.id, 2));
  pos = writeVarint(buf, pos, sizes[at.i]!);
  return write(f.message!, m, buf, pos, sizes, at);
}

/**
 * The bytes of a one-field wrapper message `{ [field]: obj }` (field number `id`, a message by `plan`), or
 * undefined when protobufjs must encode it.
 */
export function encodeWrapped(plan: MessagePlan, id: number, obj: unknown): Buffer | undefined {
  if (!isPlain(obj)) return undefined;
  try {
    const sizes: number[] = [];
    const n = measure(plan, obj, sizes);
    const buf = Buffer.allocUnsafe(varintSize(tagOf(id, 2)) + varintSize(n) + n);
    let pos = writeVarint(buf, 0, tagOf(id, 2));
    pos = writeVarint(buf, pos, n);
    pos = write(plan, obj, buf, pos, sizes, { i: 0 });
    if (pos !== buf.length) throw new Error(`fast result codec: wrote ${pos} of ${buf.length} bytes`);
    return buf;
  } catch (err) {
    if (err instanceof GiveUp) return undefined;
    throw err;
  }
}
