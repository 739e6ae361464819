/** Ed25519 identity keys (tweetnacl layout) for members and the coordinator, stored as standard PKCS#8 / SPKI PEM. */
import nacl from 'tweetnacl';
import { assertBytes } from '../common/assert.js';
import { cryptoRandom, type RandomSource } from '../common/random.js';
import { toPem } from './x509-support.js';

/** An Ed25519 key pair in tweetnacl's layout: `secretKey` is seed ‖ publicKey (64 bytes). */
export interface IdentityKeyPair {
  readonly publicKey: Uint8Array;
  readonly secretKey: Uint8Array;
}

// RFC 8410: an Ed25519 PKCS#8 / SPKI DER is a fixed prefix followed by the 32-byte seed / public key.
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/**
 * A new identity key pair from a 32-byte seed drawn from `rng`.
 * @param rng randomness; production passes nothing (cryptoRandom()).
 * @returns the key pair.
 */
export function generateIdentityKey(rng: RandomSource = cryptoRandom()): IdentityKeyPair {
  const seed = new Uint8Array(32);
  rng.fill(seed);
  const pair = nacl.sign.keyPair.fromSeed(seed);
  seed.fill(0);
  return pair;
}

/**
 * The secret key as PKCS#8 PEM (RFC 8410), readable by node:crypto and openssl.
 * @param secretKey 64-byte tweetnacl secret key.
 */
export function identityKeyToPem(secretKey: Uint8Array): string {
  assertBytes('identityKeyToPem', 'secretKey', secretKey, 64);
  const der = Buffer.concat([PKCS8_PREFIX, secretKey.subarray(0, 32)]);
  const pem = toPem(der, 'PRIVATE KEY');
  der.fill(0);
  return pem;
}

/**
 * The public key as SPKI PEM (RFC 8410).
 * @param publicKey 32-byte Ed25519 public key.
 */
export function identityPublicKeyToPem(publicKey: Uint8Array): string {
  assertBytes('identityPublicKeyToPem', 'publicKey', publicKey, 32);
  return toPem(Buffer.concat([SPKI_PREFIX, publicKey]), 'PUBLIC KEY');
}

function pemBody(fn: string, pem: string, label: string): Buffer {
  const m = new RegExp(`-----BEGIN ${label}-----([A-Za-z0-9+/=\\s]+)-----END ${label}-----`).exec(pem);
  if (!m?.[1]) throw new TypeError(`${fn}: "pem" expected a ${label} PEM block, got none`);
  return Buffer.from(m[1].replace(/\s+/g, ''), 'base64');
}

/**
 * Parses an Ed25519 PKCS#8 PEM back into a tweetnacl key pair.
 * @throws RangeError when the PEM holds another key type.
 */
export function parseIdentityKeyPem(pem: string): IdentityKeyPair {
  const der = pemBody('parseIdentityKeyPem', pem, 'PRIVATE KEY');
  if (der.length !== PKCS8_PREFIX.length + 32 || !der.subarray(0, PKCS8_PREFIX.length).equals(PKCS8_PREFIX)) {
    der.fill(0);
    throw new RangeError(`parseIdentityKeyPem: "pem" expected an Ed25519 PKCS#8 key (48 bytes), got ${der.length} bytes of another kind`);
  }
  const seed = new Uint8Array(der.subarray(PKCS8_PREFIX.length));
  der.fill(0);
  const pair = nacl.sign.keyPair.fromSeed(seed);
  seed.fill(0);
  return pair;
}

/**
 * Parses an Ed25519 SPKI PEM into the raw 32-byte public key.
 * @throws RangeError when the PEM holds another key type.
 */
export function parseIdentityPublicKeyPem(pem: string): Uint8Array {
  const der = pemBody('parseIdentityPublicKeyPem', pem, 'PUBLIC KEY');
  if (der.length !== SPKI_PREFIX.length + 32 || !der.subarray(0, SPKI_PREFIX.length).equals(SPKI_PREFIX)) {
    throw new RangeError(`parseIdentityPublicKeyPem: "pem" expected an Ed25519 SPKI key (44 bytes), got ${der.length} bytes of another kind`);
  }
  return new Uint8Array(der.subarray(SPKI_PREFIX.length));
}

/** Overwrites the secret half with zeros once a key is no longer needed (best effort: JS may hold copies). */
export function wipeIdentityKey(pair: IdentityKeyPair): void {
  pair.secretKey.fill(0);
}
