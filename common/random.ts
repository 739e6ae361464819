/** Injected randomness: the RandomSource interface, the production CSPRNG source, and exact uniform helpers. */
import { randomFillSync } from 'node:crypto';

/**
 * All randomness in fedfin is injected through this interface, so that privacy code can be tested
 * with a seeded stream while production always draws from the operating system's CSPRNG.
 */
export interface RandomSource {
  /** Fills `out` with uniformly random bytes. */
  fill(out: Uint8Array): void;
}

/** The production source: `crypto.randomFillSync` (the OS CSPRNG). The only source production code may construct. */
export function cryptoRandom(): RandomSource {
  return {
    fill(out: Uint8Array): void {
      // randomFillSync caps one call at 2^31-1 bytes; chunk for very large buffers.
      const CHUNK = 1 << 30;
      for (let off = 0; off < out.length; off += CHUNK) randomFillSync(out.subarray(off, Math.min(out.length, off + CHUNK)));
    },
  };
}

/**
 * A buffered reader over a RandomSource that hands out 32-bit words and 53-bit uniforms cheaply.
 * Buffering matters: samplers draw millions of values and a fill() per value would dominate.
 */
export class RandomReader {
  private readonly buf: Uint8Array;
  private readonly view: DataView;
  private pos: number;

  constructor(
    private readonly source: RandomSource,
    bufferBytes = 4096,
  ) {
    this.buf = new Uint8Array(bufferBytes);
    this.view = new DataView(this.buf.buffer);
    this.pos = bufferBytes;
  }

  /** A uniform unsigned 32-bit integer. */
  uint32(): number {
    if (this.pos + 4 > this.buf.length) {
      this.source.fill(this.buf);
      this.pos = 0;
    }
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }

  /** A uniform double in [0, 1) with all 53 mantissa bits random (never the 32-bit shortcut). */
  uniform(): number {
    const hi = this.uint32() >>> 5; // 27 bits
    const lo = this.uint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** A uniform double in (0, 1]: safe under log(). */
  uniformPositive(): number {
    return 1 - this.uniform();
  }

  /** A uniform integer in [0, n) without modulo bias (rejection sampling), for n ≤ 2^32. */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > 4294967296) throw new RangeError(`RandomReader.int: "n" expected integer in [1, 2^32], got ${n}`);
    const limit = 4294967296 - (4294967296 % n);
    for (;;) {
      const v = this.uint32();
      if (v < limit) return v % n;
    }
  }

  /** Fisher–Yates shuffle in place. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = items[i] as T;
      items[i] = items[j] as T;
      items[j] = tmp;
    }
    return items;
  }
}
