/** FederationTrust: which client certificates the coordinator accepts, and how it follows revocation, rotation and enrolment. */
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFederationCa } from './ca.js';
import { issueMemberCertificate } from './certificates.js';
import { FederationTrust, type TrustChange } from './federation-trust.js';
import { loadKit } from './kit.js';
import { revokeParticipant, rotateParticipant } from './lifecycle.js';
import { addMember, LAYOUT, provisionFederation } from './provision.js';

const der = (pem: string): Buffer => Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
const certOf = (root: string, id: string): Buffer => der(loadKit(join(root, LAYOUT.kit(id))).certPem);

describe('FederationTrust', () => {
  let root: string;
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'fedfin-trust-'));
    await provisionFederation({ federation: 'trust-fed', members: ['bank-a', 'bank-b', 'bank-c'], admins: [{ id: 'ops', role: 'operator' }], coordinatorHost: 'localhost', outDir: root, validityDays: 10 });
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('maps a member and an admin certificate to their roster identity', () => {
    const trust = new FederationTrust(join(root, LAYOUT.kit('coordinator')));
    expect(trust.authenticate(certOf(root, 'bank-a'))).toMatchObject({ ok: true, principal: { kind: 'member', id: 'bank-a', role: 'member' } });
    expect(trust.authenticate(certOf(root, 'ops'))).toMatchObject({ ok: true, principal: { kind: 'admin', id: 'ops', role: 'operator' } });
  });

  it('refuses no certificate, a foreign CA, the coordinator\'s own certificate and an expired one', async () => {
    const trust = new FederationTrust(join(root, LAYOUT.kit('coordinator')));
    expect(trust.authenticate(undefined)).toMatchObject({ ok: false, reason: 'no-certificate' });
    const foreign = await issueMemberCertificate(await createFederationCa({ federation: 'trust-fed' }), 'bank-a');
    expect(trust.authenticate(der(foreign.certPem))).toMatchObject({ ok: false, reason: 'foreign-ca' });
    expect(trust.authenticate(der(loadKit(join(root, LAYOUT.kit('coordinator'))).certPem))).toMatchObject({ ok: false, reason: 'role-mismatch' });
    // The kit itself is checked at load time: load now, then look at the peer 11 days later.
    let now = new Date();
    const later = new FederationTrust(join(root, LAYOUT.kit('coordinator')), { now: () => now });
    now = new Date(Date.now() + 11 * 86_400_000);
    expect(later.authenticate(certOf(root, 'bank-a'))).toMatchObject({ ok: false, reason: 'expired' });
  });

  it('follows revocation, rotation (with a grace period for the old certificate) and enrolment on refresh, and reports each change', async () => {
    const kitDir = join(root, LAYOUT.kit('coordinator'));
    const changes: TrustChange[] = [];
    const trust = new FederationTrust(kitDir, { recheckMs: 0, supersededGraceMs: 60_000 });
    const strict = new FederationTrust(kitDir, { recheckMs: 0, supersededGraceMs: 0 });
    trust.onChange((c) => changes.push(c));
    const oldB = certOf(root, 'bank-b');
    await revokeParticipant(root, 'bank-c');
    await rotateParticipant(root, 'bank-b');
    await addMember(root, 'bank-d');
    trust.refresh(true);
    strict.refresh(true);
    expect(trust.authenticate(certOf(root, 'bank-c'))).toMatchObject({ ok: false, reason: 'revoked' });
    expect(trust.authenticate(certOf(root, 'bank-b'))).toMatchObject({ ok: true });
    expect(trust.authenticate(oldB)).toMatchObject({ ok: true }); // superseded, within the grace period
    expect(strict.authenticate(oldB)).toMatchObject({ ok: false, reason: 'revoked' });
    expect(trust.authenticate(certOf(root, 'bank-d'))).toMatchObject({ ok: true, principal: { id: 'bank-d' } });
    const all = { enrolled: changes.flatMap((c) => c.enrolled.map((e) => e.id)), revoked: changes.flatMap((c) => c.revoked.map((r) => r.reason)), rotated: changes.flatMap((c) => c.rotated.map((r) => r.id)) };
    expect(all).toEqual({ enrolled: ['bank-d'], revoked: ['revoked', 'superseded'], rotated: ['bank-b'] });
  });

  it('keeps the newer revocation list when an older one is put back (rollback)', async () => {
    const kitDir = join(root, LAYOUT.kit('coordinator'));
    const trust = new FederationTrust(kitDir, { recheckMs: 0 });
    const before = trust.revocationVersion;
    const saved = join(root, 'revocations.saved.json');
    copyFileSync(join(kitDir, 'revocations.json'), saved);
    await revokeParticipant(root, 'bank-a');
    trust.refresh(true);
    expect(trust.revocationVersion).toBe(before + 1);
    copyFileSync(saved, join(kitDir, 'revocations.json'));
    expect(() => trust.refresh(true)).toThrow(/older than the last one seen/);
    expect(trust.revocationVersion).toBe(before + 1);
    expect(trust.authenticate(certOf(root, 'bank-a'))).toMatchObject({ ok: false, reason: 'revoked' });
    expect(readFileSync(saved, 'utf8')).toContain('"version"');
  });
});
