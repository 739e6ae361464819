/** Tests for GF(2^8) (FIPS-197, Vault) and Shamir sharing (reference KAT, generated 32-byte split, properties, bad shares). */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { RandomReader, type RandomSource } from '../../common/random.js';
import { seededRandom } from '../../common/seeded-random.js';
import gfVectors from '../testdata/secagg-gf256.json' with { type: 'json' };
import shamirVectors from '../testdata/secagg-shamir.json' with { type: 'json' };
import { gfAdd, gfDiv, gfInv, gfMul, interpolateAt } from './gf256.js';
import { combineShares, decodeShare, encodeShare, shareTag, splitSecret, type Share } from './shamir.js';

const hex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'));
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
/** A RandomSource that hands out fixed bytes, to pin polynomial coefficients. */
const fixedBytes = (bytes: Uint8Array): RandomSource => ({ fill: (out) => out.set(bytes.subarray(0, out.length)) });
const id = new TextEncoder().encode('test secret');

describe('gf256', () => {
  it('reproduces the FIPS-197 and Vault field vectors', () => {
    for (const [a, b, c] of gfVectors.mul) expect(gfMul(a!, b!)).toBe(c);
    for (const [a, b, c] of gfVectors.add) expect(gfAdd(a!, b!)).toBe(c);
    for (const [a, b] of gfVectors.inv) expect(gfInv(a!)).toBe(b);
    for (const [a, b, c] of gfVectors.div) expect(gfDiv(a!, b!)).toBe(c);
  });

  it('has a·a⁻¹ = 1 for every non-zero element and a commutative, distributive product', () => {
    for (let a = 1; a < 256; a++) expect(gfMul(a, gfInv(a))).toBe(1);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), (a, b, c) => {
        expect(gfMul(a, b)).toBe(gfMul(b, a));
        expect(gfMul(a, b ^ c)).toBe(gfMul(a, b) ^ gfMul(a, c));
      }),
    );
  });

  it('refuses to invert or divide by zero', () => {
    expect(() => gfInv(0)).toThrow(RangeError);
    expect(() => gfDiv(1, 0)).toThrow(/expected non-zero field element, got 0/);
  });
});

describe('shamir', () => {
  it('reproduces the reference byte KAT and reconstructs from {2, 4, 5}', () => {
    const k = shamirVectors.byteKat;
    const shares = splitSecret(hex(k.secret), { threshold: k.threshold, shares: 5, secretId: id }, fixedBytes(hex(k.coefficients)));
    expect(shares.map((s) => toHex(s.y))).toEqual(k.shares);
    const pick = shares.filter((s) => k.reconstructFrom.includes(s.x));
    expect(toHex(combineShares(pick))).toBe(k.secret);
  });

  it('reproduces the generated 32-byte 3-of-5 split, tag included', () => {
    const v = shamirVectors.split;
    const shares = splitSecret(hex(v.secret), { threshold: v.threshold, shares: v.shares, secretId: hex(v.secretId) }, fixedBytes(hex(v.coefficients)));
    expect(shares.map((s) => toHex(s.y))).toEqual(v.y);
    expect(toHex(shares[0]!.tag)).toBe(v.tag);
    expect(toHex(combineShares([shares[4]!, shares[0]!, shares[2]!]))).toBe(v.secret);
  });

  it('reconstructs from any t of n shares and not from t − 1, for random secrets and (t, n)', () => {
    const rng = seededRandom('shamir-prop');
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.integer({ min: 2, max: 12 }).chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 2, max: n }))),
        fc.integer(),
        (secret, [n, t], seed) => {
          const shares = splitSecret(secret, { threshold: t, shares: n, secretId: id }, rng);
          const order = new RandomReader(seededRandom(seed)).shuffle(shares.slice());
          expect(toHex(combineShares(order.slice(0, t)))).toBe(toHex(secret));
          const fewer = order.slice(0, t - 1);
          // 32 independent bytes each equal the secret byte with probability 1/256: a match is ~2^-256.
          expect(toHex(interpolateAt(fewer.map((s) => s.x), fewer.map((s) => s.y), 0))).not.toBe(toHex(secret));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('refuses too few shares, duplicates, shares of another secret and corrupted extras with share-invalid', () => {
    const rng = seededRandom('bad');
    const a = splitSecret(new Uint8Array(32).fill(1), { threshold: 3, shares: 5, secretId: id }, rng);
    const b = splitSecret(new Uint8Array(32).fill(2), { threshold: 3, shares: 5, secretId: new TextEncoder().encode('other') }, rng);
    const short = splitSecret(new Uint8Array(16).fill(2), { threshold: 3, shares: 5, secretId: id }, rng);
    const corrupted: Share = { ...a[3]!, y: a[3]!.y.map((v, i) => (i === 5 ? v ^ 1 : v)) };
    const cases: [Share[], RegExp][] = [
      [a.slice(0, 2), /expected at least 3 shares, got 2/],
      [[a[0]!, a[1]!, a[1]!], /duplicate share for x = 2/],
      [[a[0]!, a[1]!, b[2]!], /share 2 belongs to a different secret/],
      [[a[0]!, a[1]!, short[2]!], /share 2 has 16 bytes, share 0 has 32/],
      [[a[0]!, a[1]!, a[2]!, corrupted], /x = 4 is inconsistent/],
      [[], /no shares given/],
    ];
    for (const [set, msg] of cases) expect(() => combineShares(set)).toThrow(expect.objectContaining({ code: 'share-invalid', message: expect.stringMatching(msg) }));
  });

  it('encodes and decodes shares losslessly, and refuses truncated encodings', () => {
    const shares = splitSecret(new Uint8Array(32).fill(3), { threshold: 2, shares: 3, secretId: id }, seededRandom(5));
    const back = shares.map((s) => decodeShare(encodeShare(s)));
    expect(toHex(combineShares(back.slice(1)))).toBe(toHex(new Uint8Array(32).fill(3)));
    expect(toHex(back[0]!.tag)).toBe(toHex(shareTag(id)));
    const enc = encodeShare(shares[0]!);
    expect(() => decodeShare(enc.subarray(0, enc.length - 1))).toThrow(expect.objectContaining({ code: 'share-invalid' }));
    expect(() => decodeShare(enc.subarray(0, 5))).toThrow(expect.objectContaining({ code: 'share-invalid' }));
  });

  it('refuses impossible split parameters with RangeError', () => {
    const rng = seededRandom(6);
    expect(() => splitSecret(new Uint8Array(4), { threshold: 4, shares: 3, secretId: id }, rng)).toThrow(RangeError);
    expect(() => splitSecret(new Uint8Array(4), { threshold: 2, shares: 256, secretId: id }, rng)).toThrow(/expected integer in \[1, 255\], got 256/);
    expect(() => splitSecret(new Uint8Array(0), { threshold: 1, shares: 1, secretId: id }, rng)).toThrow(RangeError);
  });
});
