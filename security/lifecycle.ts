/** Changes to a provisioned federation after the fact: revoking a participant and rotating a certificate. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../common/errors.js';
import { writeFileAtomic } from '../common/atomic-file.js';
import { issueAdminCertificate, issueMemberCertificate, issueServerCertificate, type IssuedCertificate } from './certificates.js';
import { readManifest, writeManifest, type FederationManifest } from './federation-manifest.js';
import { readKitManifest, writeKit } from './kit.js';
import { kitManifest, LAYOUT, openCa, publishToCoordinator, summarize, type ProvisionSummary } from './provision.js';
import { addRevocations, signRevocationList, verifyRevocationList, type RevokedEntry } from './revocation.js';

type Found =
  | { readonly kind: 'coordinator' }
  | { readonly kind: 'member'; readonly index: number; readonly serial: string; readonly status: 'active' | 'revoked' }
  | { readonly kind: 'admin'; readonly index: number; readonly serial: string; readonly status: 'active' | 'revoked' };

function find(m: FederationManifest, id: string): Found {
  if (id === 'coordinator') return { kind: 'coordinator' };
  const mi = m.members.findIndex((e) => e.id === id);
  if (mi >= 0) return { kind: 'member', index: mi, serial: m.members[mi]!.serial, status: m.members[mi]!.status };
  const ai = m.admins.findIndex((e) => e.id === id);
  if (ai >= 0) return { kind: 'admin', index: ai, serial: m.admins[ai]!.serial, status: m.admins[ai]!.status };
  throw new UsageError(`no participant ${JSON.stringify(id)} in federation ${m.federation} (members: ${m.members.map((e) => e.id).join(', ') || 'none'}; admins: ${m.admins.map((e) => e.id).join(', ') || 'none'})`);
}

/** Appends entries to the signed revocation list (version + 1), re-signed with the CA key. */
async function revokeEntries(root: string, entries: readonly Omit<RevokedEntry, 'revokedAt'>[], now: Date): Promise<number> {
  const ca = await openCa(root);
  const path = join(root, LAYOUT.revocations);
  const current = verifyRevocationList(JSON.parse(readFileSync(path, 'utf8')) as unknown, ca.certPem, 0, path);
  const next = addRevocations(current, entries, now);
  writeFileAtomic(path, `${JSON.stringify(signRevocationList(next, ca.keyPem), null, 2)}\n`);
  return next.version;
}

/**
 * Revokes a member or admin: its id and current serial go on the signed revocation list (version bumped), its roster
 * entry is marked revoked, and both are published to the coordinator kit. The id is never issued again.
 * @returns the summary and the new revocation list version.
 * @throws UsageError for an unknown id, the coordinator itself, or an id already revoked.
 */
export async function revokeParticipant(root: string, id: string, now: Date = new Date()): Promise<ProvisionSummary & { revocationVersion: number }> {
  const m = readManifest(join(root, LAYOUT.manifest));
  const found = find(m, id);
  if (found.kind === 'coordinator') throw new UsageError('the coordinator cannot be revoked; rotate its certificate, or provision a new federation');
  if (found.status === 'revoked') throw new UsageError(`${id} is already revoked`);
  const version = await revokeEntries(root, [{ memberId: id, serial: found.serial, reason: 'revoked' }], now);
  const next: FederationManifest =
    found.kind === 'member'
      ? { ...m, members: m.members.map((e, i) => (i === found.index ? { ...e, status: 'revoked' as const } : e)) }
      : { ...m, admins: m.admins.map((e, i) => (i === found.index ? { ...e, status: 'revoked' as const } : e)) };
  writeManifest(join(root, LAYOUT.manifest), next);
  publishToCoordinator(root);
  return { ...summarize(root, next, [id]), revocationVersion: version };
}

/**
 * Rotates a participant's TLS certificate: a new key pair and certificate with a new serial, written into its kit
 * under new file names before kit.json is swapped (a running process reloading kit.json always sees a matching
 * pair). The old serial is put on the revocation list as `superseded`. Identity keys are kept.
 * @returns the summary (with the new serial) and the new revocation list version.
 * @throws UsageError for an unknown or revoked id.
 */
export async function rotateParticipant(root: string, id: string, options: { validityDays?: number; now?: Date } = {}): Promise<ProvisionSummary & { revocationVersion: number; previousSerial: string }> {
  const m = readManifest(join(root, LAYOUT.manifest));
  const found = find(m, id);
  if (found.kind !== 'coordinator' && found.status === 'revoked') throw new UsageError(`${id} is revoked; a revoked participant cannot be rotated back in`);
  const ca = await openCa(root);
  const now = options.now ?? new Date();
  const validityDays = options.validityDays ?? m.validityDays;
  const kitDir = join(root, LAYOUT.kit(id));
  const old = readKitManifest(kitDir);
  let issued: IssuedCertificate;
  if (found.kind === 'coordinator') issued = await issueServerCertificate(ca, m.coordinator.hosts, { validityDays, now });
  else if (found.kind === 'member') issued = await issueMemberCertificate(ca, id, { validityDays, now });
  else issued = await issueAdminCertificate(ca, id, m.admins[found.index]!.role, { validityDays, now });
  const { ca: _ca, cert: _cert, key: _key, ...otherFiles } = old.files;
  writeKit(kitDir, kitManifest(m, id, old.kind, old.role, issued, otherFiles), issued, ca.certPem, [], old);
  const previousSerial = found.kind === 'coordinator' ? m.coordinator.serial : found.serial;
  const update = <T extends { serial: string; fingerprint: string; notAfter: string; previousSerials: string[] }>(e: T): T => ({
    ...e,
    serial: issued.serial,
    fingerprint: issued.fingerprint,
    notAfter: issued.notAfter.toISOString(),
    previousSerials: [...e.previousSerials, e.serial],
  });
  const next: FederationManifest =
    found.kind === 'coordinator'
      ? { ...m, coordinator: update(m.coordinator) }
      : found.kind === 'member'
        ? { ...m, members: m.members.map((e, i) => (i === found.index ? update(e) : e)) }
        : { ...m, admins: m.admins.map((e, i) => (i === found.index ? update(e) : e)) };
  const version = await revokeEntries(root, [{ serial: previousSerial, reason: 'superseded' }], now);
  writeManifest(join(root, LAYOUT.manifest), next);
  publishToCoordinator(root);
  return { ...summarize(root, next, [id]), revocationVersion: version, previousSerial };
}
