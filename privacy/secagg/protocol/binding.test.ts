/** Ed25519 advertisement signatures made with node:crypto are byte-identical to tweetnacl's and bound to job, round, attempt and member. */
import { describe, it, expect } from 'vitest';
import nacl from 'tweetnacl';
import { seededRandom } from '../../../common/seeded-random.js';
import { generateSigningKeyPair } from '../signatures.js';
import { signAdvertisement, verifyAdvertisement } from './binding.js';

describe('advertisement signatures', () => {
  const keys = generateSigningKeyPair(seededRandom('sig'));
  const ctx = { jobId: 'job-1', round: 4, attempt: 1 };
  const adv = { numericId: 9n, memberId: 'bank-9', cPk: new Uint8Array(32).fill(1), sPk: new Uint8Array(32).fill(2), bCommit: new Uint8Array(32).fill(3) };

  it('equal tweetnacl’s detached signature and verify under both libraries', async () => {
    const sig = signAdvertisement(ctx, adv, keys.secretKey);
    const { advertisementMessage } = await import('./binding.js');
    expect(Buffer.from(sig).toString('hex')).toBe(Buffer.from(nacl.sign.detached(advertisementMessage(ctx, adv), keys.secretKey)).toString('hex'));
    expect(() => verifyAdvertisement(ctx, { ...adv, signature: sig }, keys.publicKey)).not.toThrow();
  });

  it('fail with signature-invalid in another job, round, attempt, for another member, or under another key', () => {
    const signature = signAdvertisement(ctx, adv, keys.secretKey);
    const other = generateSigningKeyPair(seededRandom('other'));
    const cases: [typeof ctx, typeof adv & { signature: Uint8Array }, Uint8Array][] = [
      [{ ...ctx, jobId: 'job-2' }, { ...adv, signature }, keys.publicKey],
      [{ ...ctx, round: 5 }, { ...adv, signature }, keys.publicKey],
      [{ ...ctx, attempt: 2 }, { ...adv, signature }, keys.publicKey],
      [ctx, { ...adv, memberId: 'bank-8', signature }, keys.publicKey],
      [ctx, { ...adv, numericId: 8n, signature }, keys.publicKey],
      [ctx, { ...adv, sPk: new Uint8Array(32).fill(7), signature }, keys.publicKey],
      [ctx, { ...adv, signature }, other.publicKey],
      [ctx, { ...adv, signature: signature.subarray(0, 63) }, keys.publicKey],
    ];
    for (const [c, a, pk] of cases) expect(() => verifyAdvertisement(c, a, pk)).toThrow(expect.objectContaining({ code: 'signature-invalid' }));
  });
});
