/** Participant kits: one folder per coordinator, member or admin with its certificate, keys (0600), the CA and a config. */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ConfigError, FedfinError, FileError } from '../common/errors.js';
import { writeFileAtomic } from '../common/atomic-file.js';
import { ADMIN_ROLES, describeCertificate, verifyCertificate, type CertificateRole, type IssuedCertificate, type ParticipantKind } from './certificates.js';
import { parseIdentityKeyPem, type IdentityKeyPair } from './identity-keys.js';
import { readKeyFile, writeKeyFile } from './key-files.js';

const FileName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'a file name inside the kit folder');

/** `kit.json`: what the kit is and which file holds what. Written last, so it always names complete files. */
export const KitManifestSchema = z
  .object({
    format: z.literal('fedfin-kit/v1'),
    federation: z.string().min(1),
    id: z.string().min(1),
    kind: z.enum(['coordinator', 'member', 'admin']),
    role: z.enum(['coordinator', 'member', ...ADMIN_ROLES]),
    coordinatorAddress: z.string().min(1).describe('host:port of the coordinator'),
    serial: z.string().regex(/^[0-9a-f]+$/),
    notAfter: z.iso.datetime(),
    files: z
      .object({
        ca: FileName,
        cert: FileName,
        key: FileName.describe('TLS private key, mode 0600'),
        identityKey: FileName.optional().describe('members: Ed25519 identity key (signs SecAgg advertisements), 0600'),
        identityPublicKey: FileName.optional(),
        auditSigningKey: FileName.optional().describe('coordinator: Ed25519 key that signs audit entries, 0600'),
        auditSigningPublicKey: FileName.optional(),
        federation: FileName.optional().describe('coordinator: copy of federation.json (the roster)'),
        revocations: FileName.optional().describe('coordinator: copy of the signed revocation list'),
        config: FileName.optional().describe('members: bank daemon config (bank.json)'),
      })
      .strict(),
  })
  .strict();
export type KitManifest = z.infer<typeof KitManifestSchema>;

/** Everything the mTLS step needs from a kit, already checked. */
export interface LoadedKit {
  readonly dir: string;
  readonly federation: string;
  readonly id: string;
  readonly kind: ParticipantKind;
  readonly role: CertificateRole;
  readonly coordinatorAddress: string;
  readonly serial: string;
  readonly caPem: string;
  readonly certPem: string;
  /** TLS private key PEM: hand it to grpc credentials, then drop the reference. */
  readonly keyPem: string;
  /** Members: the Ed25519 identity key pair. */
  readonly identity: IdentityKeyPair | undefined;
  /** Coordinator: the audit signing key pair. */
  readonly auditSigningKey: IdentityKeyPair | undefined;
  /** Absolute paths of the optional files, when present. */
  readonly configFile: string | undefined;
  readonly federationFile: string | undefined;
  readonly revocationsFile: string | undefined;
  /** The coordinator's audit public key (coordinator and admin kits). */
  readonly auditPublicKeyFile: string | undefined;
}

/** The certificate file names for a serial: rotation writes new names, then swaps kit.json, then removes the old ones. */
export function certFileNames(serial: string): { cert: string; key: string } {
  return { cert: `tls-${serial.slice(0, 16)}.crt`, key: `tls-${serial.slice(0, 16)}.key` };
}

/**
 * Writes (or updates) a kit: the certificate pair under serial-specific names, `extra` files (keys with mode 0600),
 * then `kit.json` atomically, then deletes the files of `replaces` (a rotated-out certificate).
 * A process that reads kit.json always finds complete files it names.
 * @param dir the kit folder.
 * @param manifest kit.json content; `files.cert`/`files.key` must be the names for `issued.serial`.
 * @param issued the certificate and key to install.
 * @param extra additional files: `secret: true` marks key material (0600).
 * @param replaces kit.json of the previous version, whose cert/key files are removed afterwards.
 */
export function writeKit(dir: string, manifest: KitManifest, issued: IssuedCertificate, caPem: string, extra: readonly { name: string; content: string | Uint8Array; secret: boolean }[] = [], replaces?: KitManifest): void {
  const m = KitManifestSchema.parse(manifest);
  writeFileAtomic(join(dir, m.files.ca), caPem);
  writeKeyFile(join(dir, m.files.key), issued.keyPem);
  writeFileAtomic(join(dir, m.files.cert), issued.certPem);
  for (const f of extra) {
    if (f.secret) writeKeyFile(join(dir, f.name), f.content);
    else writeFileAtomic(join(dir, f.name), f.content);
  }
  writeFileAtomic(join(dir, 'kit.json'), `${JSON.stringify(m, null, 2)}\n`);
  if (replaces) {
    for (const old of [replaces.files.cert, replaces.files.key]) if (old !== m.files.cert && old !== m.files.key) rmSync(join(dir, old), { force: true });
  }
}

/** Reads and validates `DIR/kit.json`. @throws FileError / ConfigError. */
export function readKitManifest(dir: string): KitManifest {
  const path = join(dir, 'kit.json');
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    throw new FileError(path, missing ? 'no kit here (kit.json missing)' : `cannot read kit manifest (${(err as Error).message})`, missing ? 'file-not-found' : 'file-unreadable', { cause: err });
  }
  const parsed = KitManifestSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(path, parsed.error.issues);
  return parsed.data;
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new FileError(path, `cannot read kit file (${(err as Error).message})`, (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'file-not-found' : 'file-unreadable', { cause: err });
  }
}

function readIdentity(path: string): IdentityKeyPair {
  const buf = readKeyFile(path);
  try {
    return parseIdentityKeyPem(buf.toString('utf8'));
  } finally {
    buf.fill(0);
  }
}

/**
 * Loads a kit for use: every key file must pass the hygiene check (0600, owned by the running user), the
 * certificate must chain to the kit's CA and be within its validity, and its CN/OU must match kit.json.
 * @param dir the kit folder.
 * @param now the time to check validity at. @default new Date()
 * @returns the kit's material.
 * @throws FileError, ConfigError, KeyFileInsecureError ('key-file-insecure'), FedfinError ('key-invalid') when the
 *   certificate does not chain to the CA, has expired, or names another participant.
 */
export function loadKit(dir: string, now: Date = new Date()): LoadedKit {
  const m = readKitManifest(dir);
  const at = (name: string): string => join(dir, name);
  const keyBuf = readKeyFile(at(m.files.key));
  const keyPem = keyBuf.toString('utf8');
  keyBuf.fill(0);
  const caPem = readText(at(m.files.ca));
  const certPem = readText(at(m.files.cert));
  const problem = verifyCertificate(certPem, caPem, now);
  if (problem) throw new FedfinError('key-invalid', `${at(m.files.cert)}: certificate is ${problem === 'foreign-ca' ? 'not issued by the kit CA' : problem}`);
  const who = describeCertificate(certPem);
  if (who.id !== m.id || who.role !== m.role || who.federation !== m.federation) {
    throw new FedfinError('key-invalid', `${at(m.files.cert)}: certificate names ${who.id} (${who.role}, ${who.federation}), but kit.json names ${m.id} (${m.role}, ${m.federation})`);
  }
  const opt = (name: string | undefined): string | undefined => (name === undefined ? undefined : at(name));
  return {
    dir,
    federation: m.federation,
    id: m.id,
    kind: m.kind,
    role: m.role,
    coordinatorAddress: m.coordinatorAddress,
    serial: who.serial,
    caPem,
    certPem,
    keyPem,
    identity: m.files.identityKey ? readIdentity(at(m.files.identityKey)) : undefined,
    auditSigningKey: m.files.auditSigningKey ? readIdentity(at(m.files.auditSigningKey)) : undefined,
    configFile: opt(m.files.config),
    federationFile: opt(m.files.federation),
    revocationsFile: opt(m.files.revocations),
    auditPublicKeyFile: opt(m.files.auditSigningPublicKey),
  };
}
