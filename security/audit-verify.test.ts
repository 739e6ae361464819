/** Tests for the offline audit-chain verifier: edits, deletions, reorderings and bad signatures are named by seq. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../common/seeded-random.js';
import nacl from 'tweetnacl';
import { AUDIT_SIGNATURE_DOMAIN, auditEntryHash, canonicalJson, createAuditSigner, GENESIS_HASH, signAuditEntry, verifyAuditEntrySignature } from './audit-hash.js';
import { verifyAuditChain, type AuditRow } from './audit-verify.js';
import { generateIdentityKey } from './identity-keys.js';

/** A valid chain of `n` entries, optionally signed. */
function chain(n: number, secretKey?: Uint8Array): AuditRow[] {
  const rows: AuditRow[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const content = { seq, at: `2026-01-01T00:00:${String(seq % 60).padStart(2, '0')}.000Z`, type: seq % 2 ? 'join' : 'round-committed', memberId: seq % 3 ? `bank-${seq % 3}` : undefined, detail: { round: seq, eps: seq / 10 } };
    const hash = auditEntryHash(prev, content);
    rows.push({ ...content, prevHash: prev, hash, signature: secretKey ? signAuditEntry(hash, secretKey) : null });
    prev = hash;
  }
  return rows;
}

describe('audit-verify', () => {
  it('accepts an untouched chain and reports its head, when nothing was changed', () => {
    const rows = chain(20);
    expect(verifyAuditChain(rows)).toEqual({ ok: true, entries: 20, signed: 0, head: { seq: 20, hash: rows[19]!.hash } });
    expect(verifyAuditChain([])).toEqual({ ok: true, entries: 0, signed: 0, head: undefined });
  });

  it('names the edited entry, when any field of any entry is changed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 14 }), fc.constantFrom('type', 'at', 'detail', 'memberId', 'actor'), (i, field) => {
        const rows = chain(15);
        const edited = { ...rows[i]!, [field]: field === 'detail' ? { round: 999 } : 'forged' };
        rows[i] = edited;
        const v = verifyAuditChain(rows);
        expect(v).toMatchObject({ ok: false, entries: i, firstBad: { seq: i + 1, problem: 'hash-mismatch' } });
      }),
      { numRuns: 60 },
    );
  });

  it('names the first missing seq, when entries are deleted from the middle or the start', () => {
    const rows = chain(10);
    expect(verifyAuditChain([...rows.slice(0, 4), ...rows.slice(6)])).toMatchObject({ ok: false, firstBad: { seq: 5, problem: 'missing', message: expect.stringContaining('entries 5–6 are missing') } });
    expect(verifyAuditChain(rows.slice(1))).toMatchObject({ ok: false, firstBad: { seq: 1, problem: 'missing' } });
  });

  it('names the first moved entry, when two entries swap places with or without their seq', () => {
    const rows = chain(10);
    const swapped = [...rows];
    [swapped[3], swapped[6]] = [swapped[6]!, swapped[3]!];
    expect(verifyAuditChain(swapped)).toMatchObject({ ok: false, firstBad: { seq: 4, problem: 'missing', message: expect.stringContaining('deleted or moved') } });
    expect(verifyAuditChain([...rows.slice(0, 5), rows[2]!])).toMatchObject({ ok: false, firstBad: { seq: 3, problem: 'out-of-order' } });
    // Contents swapped but seq column kept (an UPDATE of every other column).
    const relabelled = rows.map((r) => ({ ...r }));
    relabelled[3] = { ...rows[6]!, seq: 4 };
    relabelled[6] = { ...rows[3]!, seq: 7 };
    expect(verifyAuditChain(relabelled)).toMatchObject({ ok: false, firstBad: { seq: 4, problem: 'prev-mismatch' } });
  });

  it('detects a deleted tail only against an expected head, when the last entries are removed', () => {
    const rows = chain(10);
    expect(verifyAuditChain(rows.slice(0, 8)).ok).toBe(true);
    expect(verifyAuditChain(rows.slice(0, 8), { expectedHead: { seq: 10, hash: rows[9]!.hash } })).toMatchObject({ ok: false, firstBad: { seq: 9, problem: 'truncated' } });
    expect(verifyAuditChain(rows, { expectedHead: { seq: 5, hash: 'f'.repeat(64) } })).toMatchObject({ ok: false, firstBad: { seq: 5 } });
  });

  it('checks signatures, when a coordinator key is given: rewritten chains, missing and foreign signatures fail', () => {
    const key = generateIdentityKey(seededRandom(1));
    const other = generateIdentityKey(seededRandom(2));
    const rows = chain(8, key.secretKey);
    expect(verifyAuditChain(rows, { publicKey: key.publicKey })).toMatchObject({ ok: true, signed: 8 });
    // An attacker who rewrites entry 3 and recomputes every later hash passes the chain check but not the signatures.
    const rewritten = chain(8, key.secretKey);
    let prev = rewritten[1]!.hash;
    for (let i = 2; i < 8; i++) {
      const r = { ...rewritten[i]!, prevHash: prev, detail: i === 2 ? { round: 0 } : rewritten[i]!.detail };
      rewritten[i] = { ...r, hash: auditEntryHash(prev, r) };
      prev = rewritten[i]!.hash;
    }
    expect(verifyAuditChain(rewritten).ok).toBe(true);
    expect(verifyAuditChain(rewritten, { publicKey: key.publicKey })).toMatchObject({ ok: false, firstBad: { seq: 3, problem: 'signature-invalid' } });
    expect(verifyAuditChain(rows, { publicKey: other.publicKey })).toMatchObject({ ok: false, firstBad: { seq: 1, problem: 'signature-invalid' } });
    const unsigned = rows.map((r, i) => (i === 4 ? { ...r, signature: null } : r));
    expect(verifyAuditChain(unsigned, { publicKey: key.publicKey })).toMatchObject({ ok: false, firstBad: { seq: 5, problem: 'signature-missing' } });
    const legacy = chain(8).map((r) => (r.seq >= 4 ? { ...r, signature: signAuditEntry(r.hash, key.secretKey) } : r));
    expect(verifyAuditChain(legacy, { publicKey: key.publicKey, signedFromSeq: 4 })).toMatchObject({ ok: true, signed: 5 });
  });
});

describe('audit-hash', () => {
  it('sorts keys and drops undefined, when canonicalising', () => {
    expect(canonicalJson({ b: 1, a: [true, null, { d: undefined, c: 'x' }] })).toBe('{"a":[true,null,{"c":"x"}],"b":1}');
  });

  it('verifies only the signed hash, when a signature is checked', () => {
    const key = generateIdentityKey(seededRandom(3));
    const h = 'a'.repeat(64);
    const sig = signAuditEntry(h, key.secretKey);
    expect(verifyAuditEntrySignature(h, sig, key.publicKey)).toBe(true);
    expect(verifyAuditEntrySignature('b'.repeat(64), sig, key.publicKey)).toBe(false);
    // Same bytes as tweetnacl would produce (Ed25519 is deterministic), so either library can sign or verify.
    expect(Buffer.from(nacl.sign.detached(new TextEncoder().encode(AUDIT_SIGNATURE_DOMAIN + h), key.secretKey)).toString('base64')).toBe(sig);
    expect(verifyAuditEntrySignature(h, 'AAAA', key.publicKey)).toBe(false);
    expect(createAuditSigner(key.secretKey)(h)).toBe(sig);
    expect(() => signAuditEntry('xyz', key.secretKey)).toThrow(/"hash" expected 64 lower-case hex digits/);
    expect(() => verifyAuditEntrySignature(h, sig, new Uint8Array(31))).toThrow(/"publicKey" expected Uint8Array\(32\)/);
  });
});
