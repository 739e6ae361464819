/** Byte writer and strict reader for the protocol's binary messages; the reader fails with 'protocol-violation' naming the sender. */
import { SecAggProtocolError } from './errors.js';

/** Appends big-endian integers and length-prefixed byte strings. */
export class ByteWriter {
  private buf = new Uint8Array(256);
  private view = new DataView(this.buf.buffer);
  private len = 0;

  private room(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  u8(v: number): this {
    this.room(1);
    this.view.setUint8(this.len, v);
    this.len += 1;
    return this;
  }

  u16(v: number): this {
    this.room(2);
    this.view.setUint16(this.len, v, false);
    this.len += 2;
    return this;
  }

  u32(v: number): this {
    this.room(4);
    this.view.setUint32(this.len, v, false);
    this.len += 4;
    return this;
  }

  u64(v: bigint): this {
    this.room(8);
    this.view.setBigUint64(this.len, v, false);
    this.len += 8;
    return this;
  }

  raw(bytes: Uint8Array): this {
    this.room(bytes.length);
    this.buf.set(bytes, this.len);
    this.len += bytes.length;
    return this;
  }

  /** u16 length ‖ bytes. */
  bytes16(bytes: Uint8Array): this {
    return this.u16(bytes.length).raw(bytes);
  }

  /** u16 length ‖ UTF-8. */
  str(s: string): this {
    return this.bytes16(new TextEncoder().encode(s));
  }

  /** Reserves `n` bytes and returns them for the caller to fill (a vector written in place). */
  reserve(n: number): Uint8Array {
    this.room(n);
    const out = this.buf.subarray(this.len, this.len + n);
    this.len += n;
    return out;
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

/** Reads what ByteWriter wrote; every read checks the remaining length first. */
export class ByteReader {
  private pos = 0;
  private readonly view: DataView;

  constructor(
    private readonly bytes: Uint8Array,
    /** Who sent the bytes (named in errors). */
    readonly offender: string,
    /** What the bytes are (named in errors), e.g. "share-keys message". */
    readonly what: string,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  fail(reason: string): never {
    throw new SecAggProtocolError(this.offender, `${this.what}: ${reason}`);
  }

  private need(n: number, field: string): void {
    if (this.pos + n > this.bytes.length) this.fail(`truncated at byte ${this.pos}: ${field} needs ${n} bytes, ${this.bytes.length - this.pos} left`);
  }

  u8(field: string): number {
    this.need(1, field);
    return this.view.getUint8(this.pos++);
  }

  u16(field: string): number {
    this.need(2, field);
    const v = this.view.getUint16(this.pos, false);
    this.pos += 2;
    return v;
  }

  u32(field: string): number {
    this.need(4, field);
    const v = this.view.getUint32(this.pos, false);
    this.pos += 4;
    return v;
  }

  u64(field: string): bigint {
    this.need(8, field);
    const v = this.view.getBigUint64(this.pos, false);
    this.pos += 8;
    return v;
  }

  raw(n: number, field: string): Uint8Array {
    this.need(n, field);
    const out = this.bytes.slice(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** A view (no copy) of the next n bytes. */
  view8(n: number, field: string): Uint8Array {
    this.need(n, field);
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  bytes16(field: string, exact?: number): Uint8Array {
    const n = this.u16(`${field} length`);
    if (exact !== undefined && n !== exact) this.fail(`${field} expected ${exact} bytes, got ${n}`);
    return this.raw(n, field);
  }

  str(field: string, maxBytes = 256): string {
    const b = this.bytes16(field);
    if (b.length > maxBytes) this.fail(`${field} expected at most ${maxBytes} bytes, got ${b.length}`);
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(b);
    } catch {
      return this.fail(`${field} is not valid UTF-8`);
    }
  }

  /** Fails unless every byte was consumed (trailing bytes are a violation, not ignored). */
  end(): void {
    if (this.pos !== this.bytes.length) this.fail(`${this.bytes.length - this.pos} unexpected trailing bytes`);
  }
}
