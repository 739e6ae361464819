/** X.509 plumbing shared by the CA and certificate issuers: the WebCrypto provider, key types, PEM and serial helpers. */
// tsyringe (a dependency of @peculiar/x509) needs the Reflect metadata polyfill before the library loads.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { createPrivateKey, createPublicKey, webcrypto, type KeyObject } from 'node:crypto';
import { cryptoRandom, type RandomSource } from '../common/random.js';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

export { x509 };

/** WebCrypto key types (the project compiles without the DOM lib). */
export type CryptoKey = webcrypto.CryptoKey;
export type CryptoKeyPair = webcrypto.CryptoKeyPair;

/** Key algorithms a federation may use for its certificates. */
export const KEY_TYPES = ['ecdsa-p256', 'ed25519'] as const;
export type KeyType = (typeof KEY_TYPES)[number];

type Algorithm = { name: 'ECDSA'; namedCurve: 'P-256'; hash: 'SHA-256' } | { name: 'Ed25519' };

/** The WebCrypto algorithm (key generation and signing) for a key type. */
export function algorithmFor(keyType: KeyType): Algorithm {
  return keyType === 'ecdsa-p256' ? { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } : { name: 'Ed25519' };
}

/** A freshly generated certificate key pair, extractable so the private half can be written to a kit. */
export async function generateKeys(keyType: KeyType): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(algorithmFor(keyType), true, ['sign', 'verify'])) as CryptoKeyPair;
}

/** A private key as PKCS#8 PEM. */
export async function privateKeyToPem(key: CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key));
  return toPem(der, 'PRIVATE KEY');
}

/** Wraps DER bytes as PEM with 64-column base64 lines. */
export function toPem(der: Uint8Array, label: string): string {
  const b64 = Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n').replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

/**
 * Imports a PKCS#8 PEM private key (ECDSA P-256 or Ed25519) for signing with @peculiar/x509.
 * @returns the WebCrypto key and the key type it turned out to be.
 * @throws Error from node:crypto when the PEM is not a supported private key.
 */
export async function importPrivateKeyPem(pem: string): Promise<{ key: CryptoKey; keyType: KeyType; keyObject: KeyObject }> {
  const keyObject = createPrivateKey(pem);
  const keyType = keyTypeOf(keyObject);
  const der = keyObject.export({ format: 'der', type: 'pkcs8' });
  const key = (await webcrypto.subtle.importKey('pkcs8', der, algorithmFor(keyType), false, ['sign'])) as CryptoKey;
  return { key, keyType, keyObject };
}

/** The key type of a node:crypto key, or a TypeError for anything else (RSA, other curves). */
export function keyTypeOf(key: KeyObject): KeyType {
  if (key.asymmetricKeyType === 'ed25519') return 'ed25519';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'ecdsa-p256';
  throw new TypeError(`keyTypeOf: "key" expected an ECDSA P-256 or Ed25519 key, got ${key.asymmetricKeyType ?? 'unknown'}`);
}

/** The public key of a certificate as a node:crypto KeyObject. */
export function publicKeyOf(cert: x509.X509Certificate): KeyObject {
  return createPublicKey({ key: Buffer.from(cert.publicKey.rawData), format: 'der', type: 'spki' });
}

/**
 * A random certificate serial: 16 bytes from `rng` with the top bit cleared, so the DER INTEGER is
 * positive (RFC 5280 §4.1.2.2) and still has at least 120 bits of entropy.
 * @returns lower-case hex, 32 digits.
 */
export function randomSerial(rng: RandomSource = cryptoRandom()): string {
  const bytes = new Uint8Array(16);
  rng.fill(bytes);
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x01;
  return Buffer.from(bytes).toString('hex');
}

/** Lower-case hex without leading zeros stripped by some encoders; used to compare serials from any source. */
export function normalizeSerial(serial: string): string {
  return serial.toLowerCase().replace(/^(00)+/, '');
}

/** The SHA-256 fingerprint of a certificate, as lower-case hex. */
export async function fingerprint(cert: x509.X509Certificate): Promise<string> {
  return Buffer.from(await cert.getThumbprint('SHA-256')).toString('hex');
}

/** A validity window: from one minute ago (clock skew between hosts) to `days` days from `now`. */
export function validityWindow(now: Date, days: number): { notBefore: Date; notAfter: Date } {
  return { notBefore: new Date(now.getTime() - 60_000), notAfter: new Date(now.getTime() + days * 86_400_000) };
}
