/** Tests for the federation CA and leaf certificates: node:crypto parses them, they chain to the CA, SANs and validity hold. */
import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createFederationCa, loadFederationCa } from './ca.js';
import { describeCertificate, issueAdminCertificate, issueMemberCertificate, issueServerCertificate, verifyCertificate } from './certificates.js';
import type { KeyType } from './x509-support.js';

const DAY = 86_400_000;

describe.each<KeyType>(['ecdsa-p256', 'ed25519'])('certificates (%s)', (keyType) => {
  it('issues a server certificate that chains to the CA with default and given SANs, when hosts are given', async () => {
    // Prepare
    const ca = await createFederationCa({ federation: 'fed-1', keyType });
    // Execute
    const server = await issueServerCertificate(ca, ['coord.example.net', '10.0.0.7', '[fd00::1]'], { validityDays: 30 });
    // Assert
    const cert = new X509Certificate(server.certPem);
    const caCert = new X509Certificate(ca.certPem);
    expect(cert.verify(caCert.publicKey)).toBe(true);
    expect(cert.checkIssued(caCert)).toBe(true);
    expect(caCert.ca).toBe(true);
    expect(cert.ca).toBe(false);
    const san = cert.subjectAltName ?? '';
    for (const s of ['DNS:localhost', 'IP Address:127.0.0.1', 'IP Address:0:0:0:0:0:0:0:1', 'DNS:coord.example.net', 'IP Address:10.0.0.7', 'IP Address:FD00:0:0:0:0:0:0:1']) {
      expect(san.toUpperCase()).toContain(s.toUpperCase());
    }
    expect(cert.checkHost('coord.example.net')).toBe('coord.example.net');
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(cert.keyUsage).toEqual(expect.arrayContaining(['1.3.6.1.5.5.7.3.1']));
  });

  it('sets validity to the configured days from now, when validityDays is given', async () => {
    const now = new Date('2026-01-10T12:00:00Z');
    const ca = await createFederationCa({ federation: 'fed-1', keyType, now });
    const member = await issueMemberCertificate(ca, 'bank-a', { validityDays: 90, now });
    const cert = new X509Certificate(member.certPem);
    expect(new Date(cert.validTo).getTime()).toBe(now.getTime() + 90 * DAY);
    expect(new Date(cert.validFrom).getTime()).toBeLessThanOrEqual(now.getTime());
    expect(verifyCertificate(member.certPem, ca.certPem, new Date(now.getTime() + 89 * DAY))).toBeNull();
    expect(verifyCertificate(member.certPem, ca.certPem, new Date(now.getTime() + 91 * DAY))).toBe('expired');
    expect(verifyCertificate(member.certPem, ca.certPem, new Date(now.getTime() - DAY))).toBe('not-yet-valid');
  });

  it('names the member in CN and the role in OU, when a member or admin certificate is issued', async () => {
    const ca = await createFederationCa({ federation: 'fed-1', keyType });
    const member = await issueMemberCertificate(ca, 'bank-a');
    const admin = await issueAdminCertificate(ca, 'ops-1', 'viewer');
    expect(new X509Certificate(member.certPem).subject).toContain('CN=bank-a');
    expect(describeCertificate(member.certPem)).toMatchObject({ id: 'bank-a', role: 'member', kind: 'member', federation: 'fed-1', serial: member.serial });
    expect(describeCertificate(admin.certPem)).toMatchObject({ id: 'ops-1', role: 'viewer', kind: 'admin' });
    expect(new X509Certificate(admin.certPem).keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']);
    expect(member.serial).not.toBe(admin.serial);
  });

  it('reports foreign-ca, when a certificate comes from another federation CA', async () => {
    const ours = await createFederationCa({ federation: 'fed-1', keyType });
    const theirs = await createFederationCa({ federation: 'fed-1', keyType });
    const intruder = await issueMemberCertificate(theirs, 'bank-a');
    expect(verifyCertificate(intruder.certPem, ours.certPem)).toBe('foreign-ca');
    expect(new X509Certificate(intruder.certPem).verify(new X509Certificate(ours.certPem).publicKey)).toBe(false);
  });

  it('reloads a CA from its PEMs and issues with it, when the key matches; refuses another key', async () => {
    const ca = await createFederationCa({ federation: 'fed-1', keyType });
    const other = await createFederationCa({ federation: 'fed-1', keyType });
    const loaded = await loadFederationCa(ca.certPem, ca.keyPem);
    expect(loaded.federation).toBe('fed-1');
    const leaf = await issueMemberCertificate(loaded, 'bank-b');
    expect(verifyCertificate(leaf.certPem, ca.certPem)).toBeNull();
    await expect(loadFederationCa(ca.certPem, other.keyPem)).rejects.toThrow(/different key/);
    await expect(loadFederationCa(leaf.certPem, leaf.keyPem)).rejects.toThrow(/CA certificate/);
  });
});

describe('certificates (argument guards)', () => {
  it('throws RangeError naming the argument, when ids, roles or validity are invalid', async () => {
    const ca = await createFederationCa({ federation: 'fed-1', validityDays: 10 });
    await expect(issueMemberCertificate(ca, 'bank a')).rejects.toThrow(/issueMemberCertificate: "id" expected/);
    await expect(issueAdminCertificate(ca, 'ops-1', 'root' as never)).rejects.toThrow(/"role" expected one of admin, operator, viewer/);
    await expect(issueMemberCertificate(ca, 'bank-a', { validityDays: 0 })).rejects.toThrow(RangeError);
    await expect(issueMemberCertificate(ca, 'bank-a', { validityDays: 30 })).rejects.toThrow(/ending before the CA/);
    await expect(createFederationCa({ federation: 'a/b' })).rejects.toThrow(/"federation" expected/);
  });
});
