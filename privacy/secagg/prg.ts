/** The mask PRG: AES-256-CTR keystream (zero IV, full 256-bit key) mapped exactly uniformly onto Z_M. */
import { createCipheriv, type Cipher } from 'node:crypto';
import { assertBytes } from '../../common/assert.js';
import { addKernel, KERNEL_CHUNK_BYTES } from './add-kernel.js';

/** Largest modulus: masks live in Uint32Array. */
export const MAX_MODULUS = 2 ** 32;

// 64 KiB of keystream per cipher.update: large enough to amortise the call, small enough to stay in L2.
const CHUNK_BYTES = KERNEL_CHUNK_BYTES;
const ZERO_CHUNK = Buffer.alloc(CHUNK_BYTES);
const ZERO_IV = Buffer.alloc(16);
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * Checks a mask modulus: an integer in [2, 2^32].
 * @param ctx calling function, for the message.
 * @param modulus the candidate.
 * @throws TypeError / RangeError otherwise.
 */
export function checkModulus(ctx: string, modulus: unknown): asserts modulus is number {
  if (typeof modulus !== 'number') throw new TypeError(`${ctx}: "modulus" expected integer in [2, 2^32], got ${typeof modulus}`);
  if (!Number.isInteger(modulus) || modulus < 2 || modulus > MAX_MODULUS) throw new RangeError(`${ctx}: "modulus" expected integer in [2, 2^32], got ${modulus}`);
}

/** True when `modulus` is 2^b (b ≥ 1): those moduli take b bits per word, all others use rejection sampling. */
export function isPowerOfTwo(modulus: number): boolean {
  return Number.isInteger(modulus) && modulus >= 1 && modulus <= MAX_MODULUS && (modulus === MAX_MODULUS || (modulus & (modulus - 1)) === 0);
}

function keystream(key: Uint8Array): Cipher {
  return createCipheriv('aes-256-ctr', key, ZERO_IV);
}

// The next `words` keystream words as a Uint32Array over the cipher's own output buffer (no copy when aligned).
function nextWords(cipher: Cipher, words: number): Uint32Array {
  const ks = cipher.update(words * 4 === CHUNK_BYTES ? ZERO_CHUNK : ZERO_CHUNK.subarray(0, words * 4));
  const view = ks.byteOffset % 4 === 0 ? new Uint32Array(ks.buffer, ks.byteOffset, words) : new Uint32Array(new Uint8Array(ks).buffer);
  if (!LITTLE_ENDIAN) {
    for (let i = 0; i < words; i++) {
      const v = view[i]!;
      view[i] = ((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24);
    }
  }
  return view;
}

function checkArgs(ctx: string, target: unknown, key: unknown, modulus: unknown): void {
  if (!(target instanceof Uint32Array)) throw new TypeError(`${ctx}: "target" expected Uint32Array, got ${target === null ? 'null' : typeof target}`);
  assertBytes(ctx, 'key', key, 32);
  checkModulus(ctx, modulus);
}

/**
 * acc ← acc + sign · PRG(key) (mod M), in place: the masking hot loop, one pass per chunk of keystream.
 * For M = 2^b element j is the low b bits of little-endian keystream word j; for other M, words ≥
 * 2^32 − (2^32 mod M) are rejected and the rest reduced mod M, so every mask value is exactly uniform
 * (Flower's randint(0, M − 1) never yields M − 1; fcp and we do not copy that).
 * @param acc the vector to update, entries already in [0, M).
 * @param key a 32-byte AES-256 key (a derived pairwise key or a 32-byte self-mask seed).
 * @param sign +1 to add the mask, −1 to subtract it.
 * @param modulus M in [2, 2^32].
 * @throws TypeError / RangeError for bad arguments.
 * @example addMask(new Uint32Array(2), Buffer.alloc(32, 0x31), 1, 2 ** 32) // [0x9ecf8eb0, 0x0d5febc7]
 */
export function addMask(acc: Uint32Array, key: Uint8Array, sign: 1 | -1, modulus: number): void {
  checkArgs('addMask', acc, key, modulus);
  if (sign !== 1 && sign !== -1) throw new RangeError(`addMask: "sign" expected 1 or -1, got ${String(sign)}`);
  const cipher = keystream(key);
  if (isPowerOfTwo(modulus)) {
    accumulatePow2(acc, [cipher], [sign], modulus);
    return;
  }
  const limit = MAX_MODULUS - (MAX_MODULUS % modulus);
  let ks = nextWords(cipher, CHUNK_BYTES / 4);
  let pos = 0;
  for (let i = 0; i < acc.length; i++) {
    let w: number;
    do {
      if (pos === ks.length) {
        ks = nextWords(cipher, CHUNK_BYTES / 4);
        pos = 0;
      }
      w = ks[pos++]!;
    } while (w >= limit);
    // Floor division instead of %: both operands may exceed 2^31, where % falls back to a slow fmod.
    const v = w - modulus * Math.floor(w / modulus);
    const a = acc[i]!;
    if (sign === 1) {
      const s = a + v;
      acc[i] = s >= modulus ? s - modulus : s;
    } else {
      const s = a - v;
      acc[i] = s < 0 ? s + modulus : s;
    }
  }
}

/** One mask to add (+1) or subtract (−1). */
export interface SignedKey {
  readonly key: Uint8Array;
  readonly sign: 1 | -1;
}

/**
 * acc ← acc + Σ sign_j · PRG(key_j) (mod M), in place; the same values as calling addMask per key.
 * For M = 2^b it walks `acc` once in 64 KiB chunks and applies every keystream to a chunk while it is in cache,
 * instead of streaming the whole vector through memory once per key.
 * @param acc the vector to update, entries already in [0, M).
 * @param masks keys with their signs.
 * @param modulus M in [2, 2^32].
 * @throws TypeError / RangeError for bad arguments.
 */
export function addMasks(acc: Uint32Array, masks: readonly SignedKey[], modulus: number): void {
  checkArgs('addMasks', acc, new Uint8Array(32), modulus);
  if (!Array.isArray(masks as unknown)) throw new TypeError(`addMasks: "masks" expected array of {key, sign}, got ${typeof masks}`);
  masks.forEach((m, i) => {
    if (typeof m !== 'object' || m === null) throw new TypeError(`addMasks: "masks[${i}]" expected {key, sign}, got ${m === null ? 'null' : typeof m}`);
    assertBytes('addMasks', `masks[${i}].key`, m.key, 32);
    if (m.sign !== 1 && m.sign !== -1) throw new RangeError(`addMasks: "masks[${i}].sign" expected 1 or -1, got ${String(m.sign)}`);
  });
  if (!isPowerOfTwo(modulus)) {
    for (const m of masks) addMask(acc, m.key, m.sign, modulus);
    return;
  }
  accumulatePow2(
    acc,
    masks.map((m) => keystream(m.key)),
    masks.map((m) => m.sign),
    modulus,
  );
}

// acc ← acc + Σ sign_j·keystream_j (mod M = 2^b), walking acc once in 64 KiB chunks: each chunk is loaded into the
// add kernel, every keystream chunk is added while hot, and the sum is reduced mod 2^b once on the way out
// (2^b divides 2^32, so wrapping mod 2^32 on every add and reducing once at the end gives the same residue).
function accumulatePow2(acc: Uint32Array, ciphers: readonly Cipher[], signs: readonly (1 | -1)[], modulus: number): void {
  const kernel = addKernel();
  const a32 = new Int32Array(acc.buffer, acc.byteOffset, acc.length);
  const mask = modulus === MAX_MODULUS ? -1 : modulus - 1;
  const n = acc.length;
  for (let off = 0; off < n; off += CHUNK_BYTES / 4) {
    const words = Math.min(CHUNK_BYTES / 4, n - off);
    const chunk = a32.subarray(off, off + words);
    kernel.load(chunk);
    for (let j = 0; j < ciphers.length; j++) {
      const w = nextWords(ciphers[j]!, words);
      kernel.apply(new Int32Array(w.buffer, w.byteOffset, words), signs[j]!);
    }
    kernel.store(chunk);
    if (mask !== -1) for (let i = 0; i < words; i++) chunk[i] = chunk[i]! & mask;
  }
}

/**
 * out ← PRG(key) mod M: the mask itself (same stream and mapping as addMask).
 * @param out the vector to overwrite; its length is the mask length.
 * @param key a 32-byte AES-256 key.
 * @param modulus M in [2, 2^32].
 * @throws TypeError / RangeError for bad arguments.
 */
export function fillMask(out: Uint32Array, key: Uint8Array, modulus: number): void {
  checkArgs('fillMask', out, key, modulus);
  if (!isPowerOfTwo(modulus)) {
    out.fill(0);
    addMask(out, key, 1, modulus);
    return;
  }
  const cipher = keystream(key);
  const mask = modulus === MAX_MODULUS ? -1 : modulus - 1;
  const o32 = new Int32Array(out.buffer, out.byteOffset, out.length);
  for (let off = 0; off < out.length; off += CHUNK_BYTES / 4) {
    const words = Math.min(CHUNK_BYTES / 4, out.length - off);
    const w = nextWords(cipher, words);
    if (mask === -1) out.set(w, off);
    else {
      const k32 = new Int32Array(w.buffer, w.byteOffset, words);
      for (let i = 0; i < words; i++) o32[off + i] = k32[i]! & mask;
    }
  }
}

/**
 * A fresh mask vector PRG(key) mod M of the given length.
 * @param key a 32-byte AES-256 key.
 * @param length number of entries.
 * @param modulus M in [2, 2^32].
 * @returns the mask.
 */
export function expandMask(key: Uint8Array, length: number, modulus: number): Uint32Array {
  if (typeof length !== 'number') throw new TypeError(`expandMask: "length" expected non-negative integer, got ${typeof length}`);
  if (!Number.isSafeInteger(length) || length < 0) throw new RangeError(`expandMask: "length" expected non-negative integer, got ${length}`);
  const out = new Uint32Array(length);
  fillMask(out, key, modulus);
  return out;
}
