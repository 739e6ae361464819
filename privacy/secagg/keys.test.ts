/** Tests for X25519 (node:crypto and tweetnacl), HKDF and the session id, pinned to RFC 7748 / RFC 5869 and self-made vectors. */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import nacl from 'tweetnacl';
import { hasCode } from '../../common/errors.js';
import { seededRandom } from '../../common/seeded-random.js';
import x25519Vectors from '../testdata/secagg-x25519.json' with { type: 'json' };
import kdfVectors from '../testdata/secagg-kdf.json' with { type: 'json' };
import { agree, agreeMany, agreeNacl, generateKeyPair, isAllZero, publicKeyOf } from './keys.js';
import { deriveKey, hkdf } from './kdf.js';
import { sessionId } from './session.js';

const hex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'));
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('x25519', () => {
  const v = x25519Vectors.rfc7748_6_1;

  it('derives the RFC 7748 §6.1 public keys and shared secret, when given the RFC secret keys', () => {
    expect(toHex(publicKeyOf(hex(v.aliceSk)))).toBe(v.alicePk);
    expect(toHex(publicKeyOf(hex(v.bobSk)))).toBe(v.bobPk);
    expect(toHex(agree(hex(v.aliceSk), hex(v.bobPk)))).toBe(v.shared);
    expect(toHex(agree(hex(v.bobSk), hex(v.alicePk)))).toBe(v.shared);
    expect(toHex(agreeNacl(hex(v.aliceSk), hex(v.bobPk)))).toBe(v.shared);
  });

  it('matches the RFC 7748 §5.2 scalar-multiplication vectors, with node:crypto and tweetnacl alike', () => {
    for (const s of x25519Vectors.rfc7748_5_2) {
      expect(toHex(agree(hex(s.scalar), hex(s.u)))).toBe(s.out);
      expect(toHex(agreeNacl(hex(s.scalar), hex(s.u)))).toBe(s.out);
    }
  });

  it('agrees with tweetnacl on both sides, when one peer uses node:crypto and the other nacl.box keys', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ minLength: 32, maxLength: 32 }), (a, bSeed) => {
        const b = nacl.box.keyPair.fromSecretKey(bSeed);
        const pa = publicKeyOf(a);
        expect(toHex(pa)).toBe(toHex(nacl.scalarMult.base(a)));
        expect(toHex(agree(a, b.publicKey))).toBe(toHex(agreeNacl(b.secretKey, pa)));
      }),
      { numRuns: 50 },
    );
  });

  it('refuses every low-order public key with key-invalid, on both implementations', () => {
    const sk = hex(v.aliceSk);
    for (const p of x25519Vectors.lowOrderPoints) {
      for (const f of [agree, agreeNacl]) {
        let err: unknown;
        try {
          f(sk, hex(p));
        } catch (e) {
          err = e;
        }
        expect(hasCode(err, 'key-invalid'), `${f.name} ${p}`).toBe(true);
        expect(String(err)).toMatch(/low order/);
      }
    }
  });

  it('refuses wrong-length keys with key-invalid saying 32 bytes were expected', () => {
    expect(() => agree(new Uint8Array(31), hex(v.bobPk))).toThrow(/expected 32-byte X25519 key, got 31 bytes/);
    expect(() => agree(hex(v.aliceSk), new Uint8Array(33))).toThrow(/expected 32-byte X25519 key, got 33 bytes/);
    expect(() => agreeMany(hex(v.aliceSk), [hex(v.bobPk), new Uint8Array(5)])).toThrow(/peerPublicKeys\[1\]/);
    expect(() => publicKeyOf(new Uint8Array(16))).toThrow(expect.objectContaining({ code: 'key-invalid' }));
  });

  it('draws the secret key from the injected source, when generating a pair', () => {
    const a = generateKeyPair(seededRandom(1));
    const b = generateKeyPair(seededRandom(1));
    expect(toHex(a.secretKey)).toBe(toHex(b.secretKey));
    expect(toHex(a.publicKey)).toBe(toHex(publicKeyOf(a.secretKey)));
  });

  it('reports all-zero only for all-zero bytes', () => {
    expect(isAllZero(new Uint8Array(32))).toBe(true);
    const b = new Uint8Array(32);
    b[31] = 1;
    expect(isAllZero(b)).toBe(false);
  });
});

describe('hkdf', () => {
  it('reproduces RFC 5869 test case 1', () => {
    const t = kdfVectors.rfc5869_tc1;
    expect(toHex(hkdf(hex(t.ikm), hex(t.salt), hex(t.info), t.length))).toBe(t.okm);
  });

  it('derives the generated enc and mask keys from both sides, when ids are given in either order', () => {
    const s = kdfVectors.session;
    const [m0, m1] = s.members;
    const sid = hex(s.sid);
    expect(toHex(deriveKey(agree(hex(m0!.cSk), hex(m1!.cPk)), sid, 'enc', BigInt(m0!.id), BigInt(m1!.id)))).toBe(s.pair.encKey);
    expect(toHex(deriveKey(agree(hex(m1!.cSk), hex(m0!.cPk)), sid, 'enc', BigInt(m1!.id), BigInt(m0!.id)))).toBe(s.pair.encKey);
    expect(toHex(deriveKey(agree(hex(m1!.sSk), hex(m0!.sPk)), sid, 'mask', Number(m1!.id), Number(m0!.id)))).toBe(s.pair.maskKey);
  });

  it('gives different keys per purpose and per session, when the shared secret is the same', () => {
    const secret = new Uint8Array(32).fill(7);
    const sid1 = new Uint8Array(32).fill(1);
    const sid2 = new Uint8Array(32).fill(2);
    const k = (sid: Uint8Array, p: 'enc' | 'mask'): string => toHex(deriveKey(secret, sid, p, 1, 2));
    expect(new Set([k(sid1, 'enc'), k(sid1, 'mask'), k(sid2, 'enc'), k(sid2, 'mask')]).size).toBe(4);
  });

  it('refuses identical member ids', () => {
    expect(() => deriveKey(new Uint8Array(32), new Uint8Array(32), 'enc', 3, 3n)).toThrow(RangeError);
  });
});

describe('sessionId', () => {
  const s = kdfVectors.session;
  const members = s.members.map((m) => ({ id: BigInt(m.id), cPk: hex(m.cPk), sPk: hex(m.sPk) }));

  it('matches the generated vector, whatever the order of the members', () => {
    expect(toHex(sessionId(s.round, members))).toBe(s.sid);
    expect(toHex(sessionId(s.round, members.slice().reverse()))).toBe(s.sid);
  });

  it('changes with the round', () => {
    expect(toHex(sessionId(s.round + 1, members))).not.toBe(s.sid);
  });

  it('refuses a repeated id or a reused key with protocol-violation', () => {
    expect(() => sessionId(1, [members[0]!, { ...members[1]!, id: members[0]!.id }])).toThrow(expect.objectContaining({ code: 'protocol-violation' }));
    expect(() => sessionId(1, [members[0]!, { ...members[1]!, sPk: members[0]!.cPk }])).toThrow(expect.objectContaining({ code: 'protocol-violation' }));
    expect(() => sessionId(1, [])).toThrow(expect.objectContaining({ code: 'protocol-violation' }));
  });
});
