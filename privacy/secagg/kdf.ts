/** HKDF-SHA256 key derivation bound to the session id, the purpose and the (ordered) pair of members. */
import { hkdfSync } from 'node:crypto';
import { assertBytes } from '../../common/assert.js';
import { encodeMemberId, toMemberId, type MemberIdInput } from './member-id.js';
import { SESSION_ID_BYTES } from './session.js';

/** What a derived key is for; each purpose has its own HKDF info string, so one secret never yields the same key twice. */
export type KeyPurpose = 'enc' | 'mask';

/** HKDF info prefixes per purpose. */
export const KDF_INFO: Readonly<Record<KeyPurpose, string>> = {
  enc: 'fedfin/secagg/enc',
  mask: 'fedfin/secagg/mask',
};

/** Length of every derived key: a full AES-256 key. */
export const DERIVED_KEY_BYTES = 32;

/**
 * Derives a pairwise key: HKDF-SHA256(ikm = shared secret, salt = sid,
 * info = KDF_INFO[purpose] ‖ min(u,v)(8B BE) ‖ max(u,v)(8B BE), L = 32).
 * Ordering the ids makes both members derive the same key; the sid salt binds it to this round and cohort.
 * @param sharedSecret the raw X25519 output (32 bytes; see keys.ts `agree`).
 * @param sid the session id (32 bytes; see session.ts).
 * @param purpose 'enc' (share encryption, c keys) or 'mask' (pairwise masks, s keys).
 * @param idA one member id.
 * @param idB the other member id (must differ from idA).
 * @returns a 32-byte key.
 * @throws TypeError / RangeError for wrong-type or wrong-length arguments, or idA = idB.
 * @example deriveKey(agree(cSkU, cPkV), sid, 'enc', 3n, 7n) // same bytes as deriveKey(agree(cSkV, cPkU), sid, 'enc', 7n, 3n)
 */
export function deriveKey(sharedSecret: Uint8Array, sid: Uint8Array, purpose: KeyPurpose, idA: MemberIdInput, idB: MemberIdInput): Uint8Array {
  assertBytes('deriveKey', 'sharedSecret', sharedSecret, 32);
  assertBytes('deriveKey', 'sid', sid, SESSION_ID_BYTES);
  if (purpose !== 'enc' && purpose !== 'mask') throw new TypeError(`deriveKey: "purpose" expected 'enc' or 'mask', got ${String(purpose)}`);
  const a = toMemberId('deriveKey', 'idA', idA);
  const b = toMemberId('deriveKey', 'idB', idB);
  if (a === b) throw new RangeError(`deriveKey: "idB" expected an id different from idA, got ${b}`);
  const [lo, hi] = a < b ? [a, b] : [b, a];
  const info = Buffer.concat([Buffer.from(KDF_INFO[purpose], 'utf8'), encodeMemberId(lo), encodeMemberId(hi)]);
  return hkdf(sharedSecret, sid, info, DERIVED_KEY_BYTES);
}

/**
 * Plain HKDF-SHA256 (RFC 5869) over node:crypto, exposed so it can be pinned to RFC 5869 test case 1.
 * @param ikm input keying material.
 * @param salt salt (may be empty).
 * @param info context string (may be empty).
 * @param length output length in bytes, 1..8160.
 * @returns `length` bytes.
 */
export function hkdf(ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): Uint8Array {
  assertBytes('hkdf', 'ikm', ikm);
  assertBytes('hkdf', 'salt', salt);
  assertBytes('hkdf', 'info', info);
  if (typeof length !== 'number') throw new TypeError(`hkdf: "length" expected integer in [1, 8160], got ${typeof length}`);
  if (!Number.isInteger(length) || length < 1 || length > 255 * 32) throw new RangeError(`hkdf: "length" expected integer in [1, 8160], got ${length}`);
  return new Uint8Array(hkdfSync('sha256', ikm, salt, info, length));
}
