/** Tests for provisioning on disk: kits that load, 0600 keys, a valid bank config, add-member, revoke and rotate. */
import { X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseNodeConfig } from '../schema/node-config.js';
import { readManifest } from './federation-manifest.js';
import { loadKit, readKitManifest } from './kit.js';
import { revokeParticipant, rotateParticipant } from './lifecycle.js';
import { addMember, LAYOUT, provisionFederation } from './provision.js';
import { findRevocation, verifyRevocationList } from './revocation.js';

describe('provision', () => {
  let root: string;
  let dir: string;
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'fedfin-provision-'));
    dir = join(root, 'fed');
    await provisionFederation({ federation: 'acme', members: ['bank-a', 'bank-b'], admins: [{ id: 'ops-1', role: 'operator' }, { id: 'audit-1', role: 'viewer' }], coordinatorHost: 'coord.acme.test', outDir: dir, validityDays: 30 });
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('writes a kit per participant whose certificate chains to the CA and whose keys are 0600, when provisioned', () => {
    const caPem = readFileSync(join(dir, LAYOUT.caCert), 'utf8');
    const caKey = new X509Certificate(caPem).publicKey;
    expect(statSync(join(dir, LAYOUT.caKey)).mode & 0o777).toBe(0o600);
    for (const id of ['coordinator', 'bank-a', 'bank-b', 'ops-1', 'audit-1']) {
      const kit = loadKit(join(dir, LAYOUT.kit(id)));
      expect(kit.id).toBe(id);
      expect(new X509Certificate(kit.certPem).verify(caKey)).toBe(true);
      expect(kit.caPem).toBe(caPem);
      const files = readdirSync(join(dir, LAYOUT.kit(id)));
      expect(files).not.toContain('ca.key');
      for (const f of files.filter((n) => n.endsWith('.key'))) expect(statSync(join(dir, LAYOUT.kit(id), f)).mode & 0o777).toBe(0o600);
      expect(files.filter((n) => n.startsWith('.'))).toEqual([]); // no temp files left behind
    }
  });

  it('gives members an identity key and a valid bank config, admins their role, the coordinator its SANs and audit key', () => {
    const bank = loadKit(join(dir, LAYOUT.kit('bank-a')));
    expect(bank).toMatchObject({ kind: 'member', role: 'member', federation: 'acme', coordinatorAddress: 'coord.acme.test:7070' });
    expect(bank.identity?.secretKey).toHaveLength(64);
    const cfg = parseNodeConfig(JSON.parse(readFileSync(bank.configFile!, 'utf8')));
    expect(cfg.memberId).toBe('bank-a');
    expect(statSync(join(dir, LAYOUT.kit('bank-a'), 'pseudonym.key')).mode & 0o777).toBe(0o600);
    expect(loadKit(join(dir, LAYOUT.kit('audit-1')))).toMatchObject({ kind: 'admin', role: 'viewer', identity: undefined });
    const coord = loadKit(join(dir, LAYOUT.kit('coordinator')));
    expect(coord.auditSigningKey?.publicKey).toHaveLength(32);
    expect(new X509Certificate(coord.certPem).checkHost('coord.acme.test')).toBe('coord.acme.test');
    const manifest = readManifest(join(dir, LAYOUT.manifest));
    expect(manifest.members.map((m) => m.id)).toEqual(['bank-a', 'bank-b']);
    expect(JSON.stringify(manifest)).not.toContain('PRIVATE KEY');
  });

  it('refuses to load a kit, when its key file is world-readable', () => {
    const kitDir = join(dir, LAYOUT.kit('bank-b'));
    const keyFile = join(kitDir, readKitManifest(kitDir).files.key);
    chmodSync(keyFile, 0o644);
    try {
      expect(() => loadKit(kitDir)).toThrow(expect.objectContaining({ code: 'key-file-insecure', message: expect.stringContaining('mode 0644') }));
    } finally {
      chmodSync(keyFile, 0o600);
    }
  });

  it('adds a member to the roster and the coordinator kit, and refuses a duplicate id', async () => {
    await addMember(dir, 'bank-c');
    expect(loadKit(join(dir, LAYOUT.kit('bank-c'))).id).toBe('bank-c');
    expect(readManifest(join(dir, LAYOUT.kit('coordinator'), 'federation.json')).members.map((m) => m.id)).toContain('bank-c');
    await expect(addMember(dir, 'bank-a')).rejects.toThrow(/already used/);
    await expect(provisionFederation({ federation: 'acme', members: ['x'], admins: [], coordinatorHost: 'h', outDir: dir })).rejects.toThrow(/already provisioned/);
  });

  it('revokes a member in the signed list the coordinator kit holds, and never reissues its id', async () => {
    const caPem = readFileSync(join(dir, LAYOUT.caCert), 'utf8');
    const out = await revokeParticipant(dir, 'bank-c');
    const list = verifyRevocationList(JSON.parse(readFileSync(join(dir, LAYOUT.kit('coordinator'), 'revocations.json'), 'utf8')), caPem);
    expect(list.version).toBe(out.revocationVersion);
    expect(findRevocation(list, { id: 'bank-c', serial: '1' })?.reason).toBe('revoked');
    await expect(revokeParticipant(dir, 'bank-c')).rejects.toThrow(/already revoked/);
    await expect(addMember(dir, 'bank-c')).rejects.toThrow(/already used/);
    await expect(revokeParticipant(dir, 'nobody')).rejects.toThrow(/no participant "nobody"/);
  });

  it('rotates a certificate to a new serial, swaps the kit files and supersedes the old serial', async () => {
    const kitDir = join(dir, LAYOUT.kit('bank-a'));
    const before = loadKit(kitDir);
    const oldFiles = readKitManifest(kitDir).files;
    const out = await rotateParticipant(dir, 'bank-a');
    const after = loadKit(kitDir);
    expect(after.serial).not.toBe(before.serial);
    expect(out.previousSerial).toBe(before.serial);
    expect(Buffer.from(after.identity!.publicKey).equals(Buffer.from(before.identity!.publicKey))).toBe(true);
    expect(existsSync(join(kitDir, oldFiles.cert))).toBe(false);
    expect(existsSync(join(kitDir, oldFiles.key))).toBe(false);
    const caPem = readFileSync(join(dir, LAYOUT.caCert), 'utf8');
    const list = verifyRevocationList(JSON.parse(readFileSync(join(dir, LAYOUT.revocations), 'utf8')), caPem);
    expect(findRevocation(list, { id: 'bank-a', serial: before.serial })?.reason).toBe('superseded');
    expect(findRevocation(list, { id: 'bank-a', serial: after.serial })).toBeUndefined();
    const coord = await rotateParticipant(dir, 'coordinator');
    expect(loadKit(join(dir, LAYOUT.kit('coordinator'))).serial).toBe(coord.participants[0]!.serial);
  });
});
