/** Tests for `fedfin provision` and its add-member / revoke / rotate subcommands, run through the commander program. */
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadKit } from '../security/kit.js';
import { runCli } from '../test/helpers/run-cli.js';

const run = (args: string[]) => runCli(args);

describe('cli provision', () => {
  let root: string;
  let dir: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'fedfin-cli-provision-'));
    dir = join(root, 'kit');
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('creates a federation and prints JSON with every participant, when given members, admins and a host', async () => {
    const r = await run(['provision', '--federation', 'demo', '--members', 'bank-a,bank-b,bank-c', '--admins', 'ops-1:admin,viewer-1:viewer', '--coordinator-host', '10.1.2.3', '--out', dir, '--validity-days', '20', '--key-type', 'ed25519', '--json']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const s = JSON.parse(r.out);
    expect(s.participants.map((p: { id: string; role: string }) => `${p.id}:${p.role}`)).toEqual(['coordinator:coordinator', 'bank-a:member', 'bank-b:member', 'bank-c:member', 'ops-1:admin', 'viewer-1:viewer']);
    const coord = loadKit(join(dir, 'kits', 'coordinator'));
    expect(new X509Certificate(coord.certPem).checkIP('10.1.2.3')).toBe('10.1.2.3');
    expect(coord.coordinatorAddress).toBe('10.1.2.3:7070');
    const days = (new Date(new X509Certificate(coord.certPem).validTo).getTime() - Date.now()) / 86_400_000;
    expect(Math.round(days)).toBe(20);
    expect(statSync(join(dir, 'kits', 'bank-a', 'identity.key')).mode & 0o777).toBe(0o600);
  });

  it('adds, rotates and revokes members with --json after the subcommand, when the federation exists', async () => {
    const added = await run(['provision', 'add-member', 'bank-d', '--dir', dir, '--json']);
    expect(added.code).toBe(0);
    expect(JSON.parse(added.out).participants[0].id).toBe('bank-d');
    const rotated = await run(['provision', 'rotate', 'bank-d', '--dir', dir, '--json']);
    expect(rotated.code).toBe(0);
    expect(JSON.parse(rotated.out).previousSerial).toBe(JSON.parse(added.out).participants[0].serial);
    const revoked = await run(['provision', 'revoke', 'bank-d', '--dir', dir]);
    expect(revoked.code).toBe(0);
    expect(revoked.out).toMatch(/^revoked bank-d in demo \(revocation list version 2\)/);
    const list = JSON.parse(readFileSync(join(dir, 'kits', 'coordinator', 'revocations.json'), 'utf8'));
    expect(list.list.revoked.map((e: { reason: string }) => e.reason)).toEqual(['superseded', 'revoked']);
  });

  it('exits 2 with the reason, when flags are missing or invalid or an id is unknown', async () => {
    const missing = await run(['provision', '--federation', 'x', '--out', join(root, 'other')]);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('required: --members');
    const badRole = await run(['provision', '--federation', 'x', '--members', 'a', '--admins', 'ops:root', '--coordinator-host', 'h', '--out', join(root, 'other')]);
    expect(badRole.code).toBe(2);
    expect(badRole.err).toContain('role must be one of admin, operator, viewer');
    const unknown = await run(['provision', 'revoke', 'nobody', '--dir', dir]);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('no participant "nobody"');
    const again = await run(['provision', '--federation', 'demo', '--members', 'a', '--coordinator-host', 'h', '--out', dir]);
    expect(again.code).toBe(2);
    expect(again.err).toContain('already provisioned');
  });

  it('refuses with exit 1 and the fix, when the CA key file is world-readable', async () => {
    const { chmodSync } = await import('node:fs');
    chmodSync(join(dir, 'ca', 'ca.key'), 0o644);
    try {
      const r = await run(['provision', 'add-member', 'bank-e', '--dir', dir]);
      expect(r.code).toBe(1);
      expect(r.err).toContain('mode 0644');
      expect(r.err).toContain(`chmod 600 ${join(dir, 'ca', 'ca.key')}`);
    } finally {
      chmodSync(join(dir, 'ca', 'ca.key'), 0o600);
    }
  });
});
