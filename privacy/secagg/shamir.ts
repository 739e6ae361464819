/** Shamir t-of-n secret sharing over GF(2^8), byte-wise, with share-set tags so shares of different secrets never mix. */
import { createHash } from 'node:crypto';
import { assertBytes, assertInt } from '../../common/assert.js';
import type { RandomSource } from '../../common/random.js';
import { ShareInvalidError } from './errors.js';
import { gfInternal, interpolateAt } from './gf256.js';
import { assertRandomSource } from '../math/guard.js';

/** Bytes of the share-set tag. */
export const SHARE_TAG_BYTES = 8;
/** Encoded share header: x(1) ‖ threshold(1) ‖ tag(8) ‖ length(2, BE). */
export const SHARE_HEADER_BYTES = 12;

/** One share of a secret. */
export interface Share {
  /** x-coordinate, 1..255 (the holder's position in the share list). */
  readonly x: number;
  /** Shares needed to reconstruct. */
  readonly threshold: number;
  /** First 8 bytes of SHA-256("fedfin/secagg/share-set" ‖ secretId): equal for all shares of one secret. */
  readonly tag: Uint8Array;
  /** f(x), one byte per secret byte; its length is the secret length. */
  readonly y: Uint8Array;
}

/** How to split. */
export interface SplitOptions {
  /** t: any t shares reconstruct, t − 1 reveal nothing. 1 ≤ t ≤ shares. */
  readonly threshold: number;
  /** n: number of shares, x = 1..n, n ≤ 255. */
  readonly shares: number;
  /** Names the secret (e.g. sid ‖ owner id ‖ "s_sk"); its hash tags every share. */
  readonly secretId: Uint8Array;
}

/**
 * The share-set tag of a secret id.
 * @param secretId any bytes naming the secret.
 * @returns 8 bytes.
 */
export function shareTag(secretId: Uint8Array): Uint8Array {
  assertBytes('shareTag', 'secretId', secretId);
  return new Uint8Array(createHash('sha256').update('fedfin/secagg/share-set').update(secretId).digest().subarray(0, SHARE_TAG_BYTES));
}

/**
 * Splits a secret into n shares with threshold t (Shamir 1979), one random polynomial of degree t − 1 per byte.
 * Coefficients come from `rng`, in order: all bytes' x^1 coefficients, then all x^2 coefficients, and so on.
 * @param secret the secret bytes (1..65535), e.g. a 32-byte X25519 secret key or self-mask seed.
 * @param options threshold, number of shares, secret id.
 * @param rng coefficient source (cryptoRandom() in production).
 * @returns n shares with x = 1..n.
 * @throws TypeError / RangeError for bad arguments.
 * @example splitSecret(Uint8Array.of(0x2a), { threshold: 3, shares: 5, secretId }, rngGiving(0x53, 0xca)).map((s) => s.y[0])
 *   // [0xb3, 0x89, 0x10, 0x69, 0xf0]
 */
export function splitSecret(secret: Uint8Array, options: SplitOptions, rng: RandomSource): Share[] {
  assertRandomSource('splitSecret', 'rng', rng);
  assertBytes('splitSecret', 'secret', secret);
  if (secret.length < 1 || secret.length > 0xffff) throw new RangeError(`splitSecret: "secret" expected 1..65535 bytes, got ${secret.length}`);
  if (typeof options !== 'object' || options === null) throw new TypeError(`splitSecret: "options" expected {threshold, shares, secretId}, got ${options === null ? 'null' : typeof options}`);
  assertInt('splitSecret', 'options.shares', options.shares, 1, 255);
  assertInt('splitSecret', 'options.threshold', options.threshold, 1, options.shares);
  const tag = shareTag(options.secretId);
  const len = secret.length;
  const t = options.threshold;
  const coeffs = new Uint8Array((t - 1) * len);
  rng.fill(coeffs);
  const shares: Share[] = [];
  for (let x = 1; x <= options.shares; x++) {
    const y = new Uint8Array(len);
    for (let k = 0; k < len; k++) {
      let acc = 0;
      for (let d = t - 1; d >= 1; d--) acc = gfInternal.mul(acc, x) ^ coeffs[(d - 1) * len + k]!;
      y[k] = gfInternal.mul(acc, x) ^ secret[k]!;
    }
    shares.push({ x, threshold: t, tag: tag.slice(), y });
  }
  coeffs.fill(0);
  return shares;
}

function checkShare(s: unknown, i: number): asserts s is Share {
  if (typeof s !== 'object' || s === null) throw new TypeError(`combineShares: "shares[${i}]" expected {x, threshold, tag, y}, got ${s === null ? 'null' : typeof s}`);
  const c = s as Partial<Share>;
  if (!Number.isInteger(c.x) || c.x! < 1 || c.x! > 255) throw new ShareInvalidError(`share ${i} has x = ${String(c.x)}, expected integer in [1, 255]`);
  if (!Number.isInteger(c.threshold) || c.threshold! < 1 || c.threshold! > 255) throw new ShareInvalidError(`share ${i} has threshold ${String(c.threshold)}, expected integer in [1, 255]`);
  if (!(c.tag instanceof Uint8Array) || c.tag.length !== SHARE_TAG_BYTES) throw new ShareInvalidError(`share ${i} expected an ${SHARE_TAG_BYTES}-byte tag`);
  if (!(c.y instanceof Uint8Array) || c.y.length < 1) throw new ShareInvalidError(`share ${i} expected a non-empty value`);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i]! ^ b[i]!;
  return d === 0;
}

/**
 * Reconstructs a secret from at least `threshold` shares of one secret. The first t shares are interpolated;
 * every further share must lie on the same polynomial, so a corrupted extra share is detected.
 * @param shares shares of one secret, any order.
 * @returns the secret.
 * @throws ShareInvalidError ('share-invalid') for malformed shares, shares of different secrets (tag, length
 *   or threshold differ), duplicate x-coordinates, fewer than t shares, or extra shares that disagree.
 * @example combineShares([s2, s4, s5]) // Uint8Array [0x2a] for the reference vector
 */
export function combineShares(shares: readonly Share[]): Uint8Array {
  if (!Array.isArray(shares as unknown)) throw new TypeError(`combineShares: "shares" expected array of shares, got ${typeof shares}`);
  if (shares.length === 0) throw new ShareInvalidError('no shares given');
  shares.forEach(checkShare);
  const first = shares[0]!;
  const seen = new Set<number>();
  shares.forEach((s, i) => {
    if (!sameBytes(s.tag, first.tag)) throw new ShareInvalidError(`share ${i} belongs to a different secret (share-set tag differs from share 0)`);
    if (s.y.length !== first.y.length) throw new ShareInvalidError(`share ${i} has ${s.y.length} bytes, share 0 has ${first.y.length}: different secrets`);
    if (s.threshold !== first.threshold) throw new ShareInvalidError(`share ${i} has threshold ${s.threshold}, share 0 has ${first.threshold}: different secrets`);
    if (seen.has(s.x)) throw new ShareInvalidError(`duplicate share for x = ${s.x}`);
    seen.add(s.x);
  });
  const t = first.threshold;
  if (shares.length < t) throw new ShareInvalidError(`expected at least ${t} shares, got ${shares.length}`);
  const base = shares.slice(0, t);
  const xs = base.map((s) => s.x);
  const ys = base.map((s) => s.y);
  for (let i = t; i < shares.length; i++) {
    const extra = shares[i]!;
    if (!sameBytes(interpolateAt(xs, ys, extra.x), extra.y)) throw new ShareInvalidError(`share for x = ${extra.x} is inconsistent with the others (corrupted)`);
  }
  return interpolateAt(xs, ys, 0);
}

/**
 * Serialises a share: x(1) ‖ threshold(1) ‖ tag(8) ‖ length(2, BE) ‖ y.
 * @param share a share from splitSecret.
 * @returns the bytes (to be sealed with share-box.ts before they travel).
 */
export function encodeShare(share: Share): Uint8Array {
  checkShare(share, 0);
  const out = new Uint8Array(SHARE_HEADER_BYTES + share.y.length);
  out[0] = share.x;
  out[1] = share.threshold;
  out.set(share.tag, 2);
  new DataView(out.buffer).setUint16(10, share.y.length, false);
  out.set(share.y, SHARE_HEADER_BYTES);
  return out;
}

/**
 * Parses bytes made by encodeShare.
 * @param bytes the encoded share.
 * @returns the share.
 * @throws ShareInvalidError when the header is truncated or the length field disagrees with the byte count.
 */
export function decodeShare(bytes: Uint8Array): Share {
  assertBytes('decodeShare', 'bytes', bytes);
  if (bytes.length < SHARE_HEADER_BYTES + 1) throw new ShareInvalidError(`encoded share expected at least ${SHARE_HEADER_BYTES + 1} bytes, got ${bytes.length}`);
  const len = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint16(10, false);
  if (bytes.length !== SHARE_HEADER_BYTES + len) throw new ShareInvalidError(`encoded share says ${len} value bytes, carries ${bytes.length - SHARE_HEADER_BYTES}`);
  const share: Share = { x: bytes[0]!, threshold: bytes[1]!, tag: bytes.slice(2, 10), y: bytes.slice(SHARE_HEADER_BYTES) };
  checkShare(share, 0);
  return share;
}
