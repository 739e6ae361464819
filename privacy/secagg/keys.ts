/** X25519 key agreement on node:crypto, with a tweetnacl (raw scalarMult) twin for interop and the all-zero secret check. */
import { createPrivateKey, createPublicKey, diffieHellman, type KeyObject } from 'node:crypto';
import nacl from 'tweetnacl';
import { assertBytes } from '../../common/assert.js';
import type { RandomSource } from '../../common/random.js';
import { KeyInvalidError } from './errors.js';
import { assertRandomSource } from '../math/guard.js';

/** Length of X25519 secret keys, public keys and shared secrets. */
export const X25519_KEY_BYTES = 32;

/** An X25519 key pair as raw 32-byte strings (RFC 7748 encoding, the same bytes tweetnacl uses). */
export interface X25519KeyPair {
  readonly publicKey: Uint8Array;
  readonly secretKey: Uint8Array;
}

// DER prefixes of PKCS#8 / SPKI for OID 1.3.101.110 (X25519): raw key bytes follow directly.
const PKCS8_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b656e032100', 'hex');

function checkKey(ctx: string, name: string, key: unknown): asserts key is Uint8Array {
  assertBytes(ctx, name, key);
  if (key.length !== X25519_KEY_BYTES) throw new KeyInvalidError(`${ctx}: "${name}" expected ${X25519_KEY_BYTES}-byte X25519 key, got ${key.length} bytes`);
}

function privateKeyObject(secretKey: Uint8Array): KeyObject {
  return createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, secretKey]), format: 'der', type: 'pkcs8' });
}

function publicKeyObject(publicKey: Uint8Array): KeyObject {
  return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, publicKey]), format: 'der', type: 'spki' });
}

/**
 * True when every byte is zero, in time independent of where a non-zero byte sits.
 * @param bytes any byte string.
 * @returns whether all bytes are 0.
 * @example isAllZero(new Uint8Array(32)) // true
 */
export function isAllZero(bytes: Uint8Array): boolean {
  assertBytes('isAllZero', 'bytes', bytes);
  let acc = 0;
  for (let i = 0; i < bytes.length; i++) acc |= bytes[i]!;
  return acc === 0;
}

/**
 * Creates an X25519 key pair whose secret comes from `rng` (so tests can pin keys; production passes cryptoRandom()).
 * Clamping is left to the scalar multiplication (RFC 7748 §5), as node:crypto and tweetnacl both do.
 * @param rng the randomness source for the 32 secret bytes.
 * @returns the raw key pair.
 */
export function generateKeyPair(rng: RandomSource): X25519KeyPair {
  assertRandomSource('generateKeyPair', 'rng', rng);
  const secretKey = new Uint8Array(X25519_KEY_BYTES);
  rng.fill(secretKey);
  return { secretKey, publicKey: publicKeyOf(secretKey) };
}

/**
 * The public key X25519(secretKey, 9) of a raw secret key.
 * @param secretKey 32 bytes.
 * @returns 32 bytes.
 * @throws KeyInvalidError ('key-invalid') for a wrong length; TypeError for a non-Uint8Array.
 * @example publicKeyOf(hex('77076d0a…2c2a')) // 8520f009…4e6a (RFC 7748 §6.1)
 */
export function publicKeyOf(secretKey: Uint8Array): Uint8Array {
  checkKey('publicKeyOf', 'secretKey', secretKey);
  const jwk = createPublicKey(privateKeyObject(secretKey)).export({ format: 'jwk' });
  return new Uint8Array(Buffer.from(jwk.x!, 'base64url'));
}

/**
 * X25519 key agreement with node:crypto (OpenSSL). Rejects low-order peer keys: their shared secret is all
 * zero (RFC 7748 §6.1), and a pairwise mask seeded by it would be known to everyone.
 * @param secretKey own 32-byte secret key.
 * @param peerPublicKey the peer's advertised 32-byte public key.
 * @returns the 32-byte raw shared secret (feed it to a KDF, never use it directly).
 * @throws KeyInvalidError ('key-invalid') for a wrong-length key or an all-zero shared secret.
 * @example agree(aliceSk, bobPk) // 4a5d9d5b…1742 (RFC 7748 §6.1)
 */
export function agree(secretKey: Uint8Array, peerPublicKey: Uint8Array): Uint8Array {
  checkKey('agree', 'secretKey', secretKey);
  return agreeMany(secretKey, [peerPublicKey])[0]!;
}

/**
 * Key agreement of one secret key with many peers; parses the private key once (the costly step in node:crypto).
 * @param secretKey own 32-byte secret key.
 * @param peerPublicKeys the peers' 32-byte public keys.
 * @returns one 32-byte shared secret per peer, in order.
 * @throws KeyInvalidError ('key-invalid') naming the index of the first unusable peer key.
 */
export function agreeMany(secretKey: Uint8Array, peerPublicKeys: readonly Uint8Array[]): Uint8Array[] {
  checkKey('agreeMany', 'secretKey', secretKey);
  if (!Array.isArray(peerPublicKeys as unknown)) throw new TypeError(`agreeMany: "peerPublicKeys" expected array of Uint8Array(32), got ${typeof peerPublicKeys}`);
  peerPublicKeys.forEach((pk, i) => checkKey('agreeMany', `peerPublicKeys[${i}]`, pk));
  const priv = privateKeyObject(secretKey);
  return peerPublicKeys.map((pk, i) => {
    let shared: Uint8Array;
    try {
      shared = new Uint8Array(diffieHellman({ privateKey: priv, publicKey: publicKeyObject(pk) }));
    } catch (cause) {
      // OpenSSL refuses to return an all-zero X25519 output; that is the low-order case.
      throw new KeyInvalidError(`x25519: peer public key ${i} has low order (all-zero shared secret)`, { cause });
    }
    if (isAllZero(shared)) throw new KeyInvalidError(`x25519: peer public key ${i} has low order (all-zero shared secret)`);
    return shared;
  });
}

/**
 * The same agreement through tweetnacl's raw `scalarMult` (not `box.before`, which hashes with HSalsa20 and
 * would not interoperate), for peers built on tweetnacl. Byte-identical to `agree`.
 * @param secretKey own 32-byte secret key.
 * @param peerPublicKey the peer's 32-byte public key.
 * @returns the 32-byte raw shared secret.
 * @throws KeyInvalidError ('key-invalid') for a wrong-length key or an all-zero shared secret.
 */
export function agreeNacl(secretKey: Uint8Array, peerPublicKey: Uint8Array): Uint8Array {
  checkKey('agreeNacl', 'secretKey', secretKey);
  checkKey('agreeNacl', 'peerPublicKey', peerPublicKey);
  const shared = nacl.scalarMult(secretKey, peerPublicKey);
  // tweetnacl does not perform the RFC 7748 §6.1 check itself.
  if (isAllZero(shared)) throw new KeyInvalidError('x25519: peer public key has low order (all-zero shared secret)');
  return shared;
}
