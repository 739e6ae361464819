/** Provisioning a federation on disk: CA, certificates, identity keys, kits, roster and revocation list. */
import { existsSync, readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { FedfinError, UsageError } from '../common/errors.js';
import { writeFileAtomic } from '../common/atomic-file.js';
import { cryptoRandom } from '../common/random.js';
import { parseNodeConfig, type NodeConfigInput } from '../schema/node-config.js';
import { createFederationCa, loadFederationCa, type FederationCa } from './ca.js';
import { issueAdminCertificate, issueMemberCertificate, issueServerCertificate, PARTICIPANT_ID, type AdminRole, type IssuedCertificate } from './certificates.js';
import { readManifest, usedIds, writeManifest, type FederationManifest } from './federation-manifest.js';
import { generateIdentityKey, identityKeyToPem, identityPublicKeyToPem, wipeIdentityKey } from './identity-keys.js';
import { certFileNames, writeKit, type KitManifest } from './kit.js';
import { readKeyFile, writeKeyFile } from './key-files.js';
import { emptyRevocationList, signRevocationList } from './revocation.js';
import { fingerprint, type KeyType } from './x509-support.js';

/** Paths inside a provisioned folder. `ca/ca.key` is the one secret that must stay with the operator. */
export const LAYOUT = {
  manifest: 'federation.json',
  revocations: 'revocations.json',
  caCert: join('ca', 'ca.crt'),
  caKey: join('ca', 'ca.key'),
  kit: (id: string): string => join('kits', id),
} as const;

/** Options of {@link provisionFederation}. */
export interface ProvisionOptions {
  readonly federation: string;
  readonly members: readonly string[];
  readonly admins: readonly { readonly id: string; readonly role: AdminRole }[];
  /** Host the coordinator is reached at (first SAN after the defaults, and the kits' dial address). */
  readonly coordinatorHost: string;
  /** @default 7070 */
  readonly coordinatorPort?: number;
  readonly outDir: string;
  /** Leaf certificate validity. @default 365 */
  readonly validityDays?: number;
  /** @default 'ecdsa-p256' */
  readonly keyType?: KeyType;
  /** @default new Date() */
  readonly now?: Date;
}

function checkNewId(id: string, taken: Set<string>): void {
  if (!PARTICIPANT_ID.test(id)) throw new UsageError(`participant id ${JSON.stringify(id)}: expected 1–64 letters, digits, ".", "_" or "-"`);
  if (taken.has(id)) throw new UsageError(`participant id ${JSON.stringify(id)} is already used in this federation (ids are never reused, even after revocation)`);
  taken.add(id);
}

const dialAddress = (host: string, port: number): string => `${isIP(host) === 6 ? `[${host}]` : host}:${port}`;

/** A bank daemon config with this kit's identity; the bank fills in its data paths and policy before starting. */
function bankConfig(memberId: string, coordinatorAddress: string): string {
  const config: NodeConfigInput = {
    memberId,
    coordinator: coordinatorAddress,
    dataDir: './state',
    data: { file: './data/extract.csv', schema: 'credit.v1', policy: './data/policy.json', keyFile: './pseudonym.key' },
    sitePolicy: { acceptedTasks: ['credit-scoring'], maxEpsilon: 10, delta: 1e-5, minBanksPerRound: 2, requireDp: true },
    kit: '.',
  };
  parseNodeConfig(config, `bank.json of ${memberId}`);
  return `${JSON.stringify(config, null, 2)}\n`;
}

/** Writes a member's kit with a new certificate (and, for a new member, a new identity key and pseudonym key). */
async function memberKit(root: string, ca: FederationCa, manifest: FederationManifest, id: string, validityDays: number, now: Date): Promise<FederationManifest['members'][number]> {
  const issued = await issueMemberCertificate(ca, id, { validityDays, now });
  const identity = generateIdentityKey();
  const pseudonymKey = new Uint8Array(32);
  cryptoRandom().fill(pseudonymKey);
  const publicPem = identityPublicKeyToPem(identity.publicKey);
  writeKit(join(root, LAYOUT.kit(id)), kitManifest(manifest, id, 'member', 'member', issued, { identityKey: 'identity.key', identityPublicKey: 'identity.pub', config: 'bank.json' }), issued, ca.certPem, [
    { name: 'identity.key', content: identityKeyToPem(identity.secretKey), secret: true },
    { name: 'identity.pub', content: publicPem, secret: false },
    { name: 'pseudonym.key', content: pseudonymKey, secret: true },
    { name: 'bank.json', content: bankConfig(id, manifest.coordinator.address), secret: false },
  ]);
  wipeIdentityKey(identity);
  pseudonymKey.fill(0);
  return { id, serial: issued.serial, fingerprint: issued.fingerprint, notAfter: issued.notAfter.toISOString(), previousSerials: [], identityPublicKey: publicPem, status: 'active' };
}

/** kit.json for a participant and certificate. */
export function kitManifest(manifest: Pick<FederationManifest, 'federation' | 'coordinator'>, id: string, kind: KitManifest['kind'], role: KitManifest['role'], issued: IssuedCertificate, files: Partial<KitManifest['files']>): KitManifest {
  return {
    format: 'fedfin-kit/v1',
    federation: manifest.federation,
    id,
    kind,
    role,
    coordinatorAddress: manifest.coordinator.address,
    serial: issued.serial,
    notAfter: issued.notAfter.toISOString(),
    files: { ca: 'ca.crt', ...certFileNames(issued.serial), ...files },
  };
}

/** Copies the roster and the signed revocation list into the coordinator's kit (it reloads them on change). */
export function publishToCoordinator(root: string): void {
  const kit = join(root, LAYOUT.kit('coordinator'));
  writeFileAtomic(join(kit, 'federation.json'), readFileSync(join(root, LAYOUT.manifest)));
  writeFileAtomic(join(kit, 'revocations.json'), readFileSync(join(root, LAYOUT.revocations)));
}

/** The result every operation reports (printed by the CLI, `--json` as is). */
export interface ProvisionSummary {
  readonly federation: string;
  readonly dir: string;
  readonly participants: readonly { readonly id: string; readonly kind: string; readonly role: string; readonly serial: string; readonly notAfter: string; readonly kit: string }[];
}

/**
 * Provisions a new federation into an empty (or missing) `outDir`.
 * @returns what was issued.
 * @throws UsageError for duplicate or invalid ids, no members, or an existing federation in `outDir`.
 */
export async function provisionFederation(options: ProvisionOptions): Promise<ProvisionSummary> {
  const root = options.outDir;
  if (existsSync(join(root, LAYOUT.manifest))) throw new UsageError(`${join(root, LAYOUT.manifest)} exists: a federation is already provisioned there (use add-member, revoke or rotate)`);
  if (options.members.length === 0) throw new UsageError('--members: at least one member bank is required');
  const taken = new Set(['coordinator']);
  for (const id of [...options.members, ...options.admins.map((a) => a.id)]) checkNewId(id, taken);
  const validityDays = options.validityDays ?? 365;
  const now = options.now ?? new Date();
  const ca = await createFederationCa({ federation: options.federation, keyType: options.keyType ?? 'ecdsa-p256', validityDays: Math.max(3650, validityDays + 1), now });
  writeFileAtomic(join(root, LAYOUT.caCert), ca.certPem);
  writeKeyFile(join(root, LAYOUT.caKey), ca.keyPem);

  const hosts = [options.coordinatorHost];
  const server = await issueServerCertificate(ca, hosts, { validityDays, now });
  const audit = generateIdentityKey();
  const auditPub = identityPublicKeyToPem(audit.publicKey);
  let manifest: FederationManifest = {
    format: 'fedfin-federation/v1',
    federation: options.federation,
    keyType: ca.keyType,
    validityDays,
    caFingerprint: await fingerprint(ca.cert),
    coordinator: { address: dialAddress(options.coordinatorHost.replace(/^\[(.*)\]$/, '$1'), options.coordinatorPort ?? 7070), hosts, serial: server.serial, fingerprint: server.fingerprint, notAfter: server.notAfter.toISOString(), previousSerials: [], auditPublicKey: auditPub },
    members: [],
    admins: [],
  };
  writeKit(join(root, LAYOUT.kit('coordinator')), kitManifest(manifest, 'coordinator', 'coordinator', 'coordinator', server, { auditSigningKey: 'audit-signing.key', auditSigningPublicKey: 'audit-signing.pub', federation: 'federation.json', revocations: 'revocations.json' }), server, ca.certPem, [
    { name: 'audit-signing.key', content: identityKeyToPem(audit.secretKey), secret: true },
    { name: 'audit-signing.pub', content: auditPub, secret: false },
  ]);
  wipeIdentityKey(audit);
  for (const id of options.members) manifest = { ...manifest, members: [...manifest.members, await memberKit(root, ca, manifest, id, validityDays, now)] };
  for (const a of options.admins) {
    const issued = await issueAdminCertificate(ca, a.id, a.role, { validityDays, now });
    // Admins get the coordinator's audit public key, so `fedfin admin audit verify` checks signatures by default.
    writeKit(join(root, LAYOUT.kit(a.id)), kitManifest(manifest, a.id, 'admin', a.role, issued, { auditSigningPublicKey: 'audit-signing.pub' }), issued, ca.certPem, [{ name: 'audit-signing.pub', content: auditPub, secret: false }]);
    manifest = { ...manifest, admins: [...manifest.admins, { id: a.id, role: a.role, serial: issued.serial, fingerprint: issued.fingerprint, notAfter: issued.notAfter.toISOString(), previousSerials: [], status: 'active' }] };
  }
  writeFileAtomic(join(root, LAYOUT.revocations), `${JSON.stringify(signRevocationList(emptyRevocationList(options.federation, now), ca.keyPem), null, 2)}\n`);
  writeManifest(join(root, LAYOUT.manifest), manifest);
  publishToCoordinator(root);
  return summarize(root, manifest);
}

/** Loads the CA of a provisioned folder; the CA key file must pass the hygiene check. */
export async function openCa(root: string): Promise<FederationCa> {
  const keyBuf = readKeyFile(join(root, LAYOUT.caKey));
  try {
    const ca = await loadFederationCa(readFileSync(join(root, LAYOUT.caCert), 'utf8'), keyBuf.toString('utf8'));
    return ca;
  } finally {
    keyBuf.fill(0);
  }
}

/**
 * Adds a member bank to a provisioned federation: certificate, identity key, kit, roster entry.
 * @throws UsageError for an invalid or already used id (revoked ids included).
 */
export async function addMember(root: string, memberId: string, options: { validityDays?: number; now?: Date } = {}): Promise<ProvisionSummary> {
  const manifest = readManifest(join(root, LAYOUT.manifest));
  checkNewId(memberId, usedIds(manifest));
  const ca = await openCa(root);
  if (ca.federation !== manifest.federation) throw new FedfinError('key-invalid', `${join(root, LAYOUT.caCert)}: CA of federation ${ca.federation}, but the manifest is for ${manifest.federation}`);
  const entry = await memberKit(root, ca, manifest, memberId, options.validityDays ?? manifest.validityDays, options.now ?? new Date());
  const next = { ...manifest, members: [...manifest.members, entry] };
  writeManifest(join(root, LAYOUT.manifest), next);
  publishToCoordinator(root);
  return summarize(root, next, [memberId]);
}

/** A summary of the participants (all, or those in `only`). */
export function summarize(root: string, m: FederationManifest, only?: readonly string[]): ProvisionSummary {
  const all = [
    { id: 'coordinator', kind: 'coordinator', role: 'coordinator', serial: m.coordinator.serial, notAfter: m.coordinator.notAfter },
    ...m.members.map((e) => ({ id: e.id, kind: 'member', role: e.status === 'revoked' ? 'member (revoked)' : 'member', serial: e.serial, notAfter: e.notAfter })),
    ...m.admins.map((e) => ({ id: e.id, kind: 'admin', role: e.status === 'revoked' ? `${e.role} (revoked)` : e.role, serial: e.serial, notAfter: e.notAfter })),
  ];
  return { federation: m.federation, dir: root, participants: all.filter((p) => !only || only.includes(p.id)).map((p) => ({ ...p, kit: join(root, LAYOUT.kit(p.id)) })) };
}
