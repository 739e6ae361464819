/** Tests for the AES-256-GCM share box and the Ed25519 advertisement signatures (RFC 8032 and a generated vector). */
import { describe, it, expect } from 'vitest';
import { createPrivateKey, sign as nodeSign } from 'node:crypto';
import fc from 'fast-check';
import nacl from 'tweetnacl';
import { FedfinError } from '../../common/errors.js';
import { seededRandom } from '../../common/seeded-random.js';
import edVectors from '../testdata/secagg-ed25519.json' with { type: 'json' };
import { openShare, sealShare } from './share-box.js';
import { advertisementMessage, generateSigningKeyPair, signAdvertisement, verifyAdvertisement } from './signatures.js';

const hex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'));
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe('share box', () => {
  const key = new Uint8Array(32).fill(9);
  const sid = new Uint8Array(32).fill(4);
  const ctx = { sid, sender: 3n, recipient: 8n };

  it('round-trips any plaintext, when key and context match', () => {
    const rng = seededRandom('box');
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (pt) => {
        const box = sealShare(key, ctx, pt, rng);
        expect(box.length).toBe(12 + pt.length + 16);
        expect(toHex(openShare(key, ctx, box))).toBe(toHex(pt));
      }),
      { numRuns: 100 },
    );
  });

  it('fails with decryption-failed naming both peers, when any byte of the box is flipped', () => {
    const pt = new Uint8Array(44).fill(0x5a);
    const box = sealShare(key, ctx, pt, seededRandom(2));
    for (let i = 0; i < box.length; i++) {
      const bad = box.slice();
      bad[i]! ^= 0x01;
      const err = thrown(() => openShare(key, ctx, bad));
      expect(err).toBeInstanceOf(FedfinError);
      expect((err as FedfinError).code).toBe('decryption-failed');
      expect((err as Error).message).toBe('share box from member 3 to member 8: authentication failed');
    }
  });

  it('fails, when the AAD differs: other session, swapped direction, other recipient, or a wrong key', () => {
    const box = sealShare(key, ctx, Uint8Array.of(1, 2, 3), seededRandom(3));
    const cases = [
      () => openShare(key, { ...ctx, sid: new Uint8Array(32).fill(5) }, box),
      () => openShare(key, { sid, sender: 8n, recipient: 3n }, box),
      () => openShare(key, { ...ctx, recipient: 9n }, box),
      () => openShare(new Uint8Array(32).fill(1), ctx, box),
      () => openShare(key, ctx, box.subarray(0, 20)),
    ];
    for (const c of cases) expect(c).toThrow(expect.objectContaining({ code: 'decryption-failed' }));
  });

  it('never puts key or plaintext bytes into the error', () => {
    const secret = Uint8Array.of(0xde, 0xad, 0xbe, 0xef);
    const box = sealShare(key, ctx, secret, seededRandom(4));
    box[box.length - 1]! ^= 1;
    const err = thrown(() => openShare(key, ctx, box)) as Error;
    expect(err.message).not.toMatch(/dead|beef|0909/i);
    expect(err.cause).toBeUndefined();
  });
});

describe('signatures', () => {
  it('reproduces RFC 8032 test 1 with tweetnacl', () => {
    const t = edVectors.rfc8032_test1;
    const kp = nacl.sign.keyPair.fromSeed(hex(t.secret));
    expect(toHex(kp.publicKey)).toBe(t.publicKey);
    expect(toHex(nacl.sign.detached(hex(t.message), kp.secretKey))).toBe(t.signature);
  });

  it('signs the advertisement exactly as the generated vector (and node:crypto agrees)', () => {
    const a = edVectors.advertisement;
    const kp = nacl.sign.keyPair.fromSeed(hex(a.secret));
    const adv = { round: a.round, memberId: BigInt(a.memberId), cPk: hex(a.cPk), sPk: hex(a.sPk) };
    expect(toHex(advertisementMessage(adv))).toBe(a.message);
    expect(toHex(signAdvertisement(kp.secretKey, adv))).toBe(a.signature);
    const nodeKey = createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), hex(a.secret)]), format: 'der', type: 'pkcs8' });
    expect(toHex(nodeSign(null, hex(a.message), nodeKey))).toBe(a.signature);
    expect(() => verifyAdvertisement(kp.publicKey, adv, hex(a.signature))).not.toThrow();
  });

  it('rejects with signature-invalid, when a key, the round, the id or the signature is altered', () => {
    const kp = generateSigningKeyPair(seededRandom('sig'));
    const adv = { round: 4, memberId: 11, cPk: new Uint8Array(32).fill(1), sPk: new Uint8Array(32).fill(2) };
    const sig = signAdvertisement(kp.secretKey, adv);
    const swapped = { ...adv, sPk: new Uint8Array(32).fill(3) };
    const cases = [
      () => verifyAdvertisement(kp.publicKey, swapped, sig),
      () => verifyAdvertisement(kp.publicKey, { ...adv, round: 5 }, sig),
      () => verifyAdvertisement(kp.publicKey, { ...adv, memberId: 12 }, sig),
      () => verifyAdvertisement(kp.publicKey, adv, sig.map((b, i) => (i === 0 ? b ^ 1 : b))),
      () => verifyAdvertisement(kp.publicKey, adv, sig.subarray(0, 63)),
      () => verifyAdvertisement(generateSigningKeyPair(seededRandom('other')).publicKey, adv, sig),
    ];
    for (const c of cases) expect(c).toThrow(expect.objectContaining({ code: 'signature-invalid' }));
    expect(thrown(cases[0]!)).toHaveProperty('message', 'key advertisement of member 11 in round 4: signature does not verify');
  });
});
