/** Tests for the mask PRG: NIST SP 800-38A, the reference KAT, generated mask vectors, uniformity and in-place add/subtract. */
import { describe, it, expect } from 'vitest';
import { createCipheriv } from 'node:crypto';
import fc from 'fast-check';
import prgVectors from '../testdata/secagg-prg.json' with { type: 'json' };
import { addMask, expandMask, fillMask, isPowerOfTwo } from './prg.js';

const hex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'));

describe('mask prg', () => {
  it('uses the AES-256-CTR of NIST SP 800-38A F.5.5', () => {
    const v = prgVectors.nist_f_5_5;
    const c = createCipheriv('aes-256-ctr', hex(v.key), hex(v.counter));
    expect(c.update(hex(v.plaintext)).toString('hex')).toBe(v.ciphertext);
  });

  it('expands the reference KAT key (32 × 0x31) to its keystream as little-endian words, when M = 2^32', () => {
    const k = prgVectors.selfKat;
    const words = expandMask(hex(k.key), 8, 2 ** 32);
    expect(Buffer.from(words.buffer).toString('hex')).toBe(k.keystream32);
  });

  it('reproduces the generated masks for powers of two and for rejection-sampled moduli', () => {
    for (const m of prgVectors.masks) expect(Array.from(expandMask(hex(m.key), m.values.length, m.modulus)), `M = ${m.modulus}`).toEqual(m.values);
  });

  it('continues the same stream across chunk boundaries, whatever the length', () => {
    const key = new Uint8Array(32).fill(7);
    const long = expandMask(key, 40_000, 2 ** 32);
    expect(Array.from(expandMask(key, 16_385, 2 ** 32))).toEqual(Array.from(long.subarray(0, 16_385)));
    const longOdd = expandMask(key, 40_000, 1_000_003);
    expect(Array.from(expandMask(key, 20_000, 1_000_003))).toEqual(Array.from(longOdd.subarray(0, 20_000)));
  });

  it('adds and subtracts the same mask back to the input, for any modulus', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.integer({ min: 2, max: 2 ** 32 }), fc.integer({ min: 0, max: 300 }), (key, m, n) => {
        const x = Uint32Array.from({ length: n }, (_, i) => (i * 2654435761) % m);
        const acc = x.slice();
        addMask(acc, key, 1, m);
        for (const v of acc) expect(v).toBeLessThan(m);
        addMask(acc, key, -1, m);
        expect(Array.from(acc)).toEqual(Array.from(x));
      }),
      { numRuns: 200 },
    );
  });

  it('fills exactly the mask that addMask adds to zero', () => {
    const key = new Uint8Array(32).fill(1);
    for (const m of [2 ** 32, 2 ** 16, 12_289]) {
      const out = new Uint32Array(100);
      fillMask(out, key, m);
      const acc = new Uint32Array(100);
      addMask(acc, key, 1, m);
      expect(Array.from(out)).toEqual(Array.from(acc));
    }
  });

  it('produces every residue with equal frequency (chi-square), when M is not a power of two', () => {
    // M = 3·2^30 rejects a quarter of the words; a biased map (w mod M) would put 2× weight on [0, 2^30).
    const m = 3 * 2 ** 30;
    const v = expandMask(new Uint8Array(32).fill(2), 300_000, m);
    const bins = [0, 0, 0];
    for (const x of v) bins[Math.floor(x / 2 ** 30)]! += 1;
    const chi = bins.reduce((s, b) => s + (b - 100_000) ** 2 / 100_000, 0);
    expect(chi).toBeLessThan(13.8); // χ²(2 dof) 0.999 quantile
    const top = expandMask(new Uint8Array(32).fill(3), 20_000, 7);
    expect(new Set(top).size).toBe(7);
  });

  it('recognises powers of two up to 2^32', () => {
    expect([2, 4, 2 ** 20, 2 ** 31, 2 ** 32].every(isPowerOfTwo)).toBe(true);
    expect([3, 1000, 2 ** 32 - 1, 2 ** 31 + 11].some(isPowerOfTwo)).toBe(false);
  });
});
