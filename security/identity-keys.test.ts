/** Tests for Ed25519 identity keys: PEM round trips that interoperate with node:crypto, and refusal of other key types. */
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import fc from 'fast-check';
import nacl from 'tweetnacl';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../common/seeded-random.js';
import { generateIdentityKey, identityKeyToPem, identityPublicKeyToPem, parseIdentityKeyPem, parseIdentityPublicKeyPem, wipeIdentityKey } from './identity-keys.js';

describe('identity-keys', () => {
  it('round-trips secret and public keys through PEM, for any seed', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (seed) => {
        const pair = nacl.sign.keyPair.fromSeed(seed);
        const back = parseIdentityKeyPem(identityKeyToPem(pair.secretKey));
        expect(Buffer.from(back.secretKey).equals(Buffer.from(pair.secretKey))).toBe(true);
        expect(Buffer.from(parseIdentityPublicKeyPem(identityPublicKeyToPem(pair.publicKey))).equals(Buffer.from(pair.publicKey))).toBe(true);
      }),
      { numRuns: 20 },
    );
  });

  it('writes standard PKCS#8/SPKI that node:crypto signs and verifies with, interoperating with tweetnacl', () => {
    const pair = generateIdentityKey(seededRandom(7));
    const msg = Buffer.from('fedfin advertisement');
    const key = createPrivateKey(identityKeyToPem(pair.secretKey));
    expect(key.asymmetricKeyType).toBe('ed25519');
    const sig = sign(null, msg, key);
    expect(nacl.sign.detached.verify(msg, sig, pair.publicKey)).toBe(true);
    expect(verify(null, msg, createPublicKey(identityPublicKeyToPem(pair.publicKey)), nacl.sign.detached(msg, pair.secretKey))).toBe(true);
  });

  it('refuses a PEM holding another key type, when an ECDSA key is given', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(() => parseIdentityKeyPem(privateKey.export({ format: 'pem', type: 'pkcs8' }) as string)).toThrow(/expected an Ed25519 PKCS#8 key/);
    expect(() => parseIdentityPublicKeyPem(publicKey.export({ format: 'pem', type: 'spki' }) as string)).toThrow(/expected an Ed25519 SPKI key/);
    expect(() => parseIdentityKeyPem('not a pem')).toThrow(TypeError);
  });

  it('zeroes the secret key, when wiped', () => {
    const pair = generateIdentityKey();
    wipeIdentityKey(pair);
    expect(pair.secretKey.every((b) => b === 0)).toBe(true);
    expect(() => identityKeyToPem(new Uint8Array(32))).toThrow(/"secretKey" expected Uint8Array\(64\)/);
  });
});
