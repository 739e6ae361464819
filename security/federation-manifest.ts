/** `federation.json`: the public roster of a provisioned federation (who holds which certificate and identity key). */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError, FileError } from '../common/errors.js';
import { writeFileAtomic } from '../common/atomic-file.js';
import { ADMIN_ROLES } from './certificates.js';
import { KEY_TYPES } from './x509-support.js';

const Serial = z.string().regex(/^[0-9a-f]+$/, 'lower-case hex serial');
const Status = z.enum(['active', 'revoked']).describe('revoked participants stay listed so their id is never reissued');

const CertRecord = {
  serial: Serial.describe('serial of the current certificate'),
  fingerprint: z.string().regex(/^[0-9a-f]{64}$/).describe('SHA-256 of the current certificate (DER)'),
  notAfter: z.iso.datetime(),
  previousSerials: z.array(Serial).default([]).describe('serials replaced by rotation (all on the revocation list)'),
};

const MemberSchema = z
  .object({ id: z.string().min(1), ...CertRecord, identityPublicKey: z.string().includes('BEGIN PUBLIC KEY').describe('Ed25519 SPKI PEM; verifies SecAgg key advertisements'), status: Status })
  .strict();
const AdminSchema = z.object({ id: z.string().min(1), role: z.enum(ADMIN_ROLES), ...CertRecord, status: Status }).strict();

/** The manifest. Public material only: no private key is ever written here. */
export const FederationManifestSchema = z
  .object({
    format: z.literal('fedfin-federation/v1'),
    federation: z.string().min(1),
    keyType: z.enum(KEY_TYPES),
    validityDays: z.number().int().min(1).describe('default validity of leaf certificates'),
    caFingerprint: z.string().regex(/^[0-9a-f]{64}$/),
    coordinator: z
      .object({
        address: z.string().min(1).describe('host:port the kits dial'),
        hosts: z.array(z.string().min(1)).describe('subjectAltNames of the server certificate'),
        ...CertRecord,
        auditPublicKey: z.string().includes('BEGIN PUBLIC KEY').describe('Ed25519 SPKI PEM that verifies audit entry signatures'),
      })
      .strict(),
    members: z.array(MemberSchema),
    admins: z.array(AdminSchema),
  })
  .strict();

export type FederationManifest = z.output<typeof FederationManifestSchema>;
export type MemberEntry = FederationManifest['members'][number];
export type AdminEntry = FederationManifest['admins'][number];

/**
 * Reads and validates a manifest.
 * @throws FileError when missing or unreadable; ConfigError when malformed.
 */
export function readManifest(path: string): FederationManifest {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    throw new FileError(path, missing ? 'no federation manifest here (run `fedfin provision` first)' : `cannot read (${(err as Error).message})`, missing ? 'file-not-found' : 'file-unreadable', { cause: err });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new FileError(path, `not valid JSON (${(err as Error).message})`, 'file-unreadable', { cause: err });
  }
  const parsed = FederationManifestSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(path, parsed.error.issues);
  return parsed.data;
}

/** Writes a manifest atomically (validated first, so a bug cannot persist a malformed roster). */
export function writeManifest(path: string, manifest: FederationManifest): void {
  writeFileAtomic(path, `${JSON.stringify(FederationManifestSchema.parse(manifest), null, 2)}\n`);
}

/** Every id in use (members, admins and the reserved `coordinator`), revoked ones included. */
export function usedIds(manifest: FederationManifest): Set<string> {
  return new Set(['coordinator', ...manifest.members.map((m) => m.id), ...manifest.admins.map((a) => a.id)]);
}
