/** The federation's revocation list: revoked member ids and certificate serials, versioned and signed by the CA key. */
import { X509Certificate, createPrivateKey, sign, verify, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { ConfigError, FedfinError } from '../common/errors.js';
import { canonicalJson } from './audit-hash.js';
import { keyTypeOf, normalizeSerial } from './x509-support.js';

const RevokedEntrySchema = z
  .object({
    memberId: z.string().min(1).optional().describe('a participant id: every certificate with this CN is refused'),
    serial: z.string().regex(/^[0-9a-f]+$/).optional().describe('one certificate, by serial (lower-case hex)'),
    revokedAt: z.iso.datetime(),
    reason: z.enum(['revoked', 'superseded', 'key-compromise']),
  })
  .strict()
  .refine((e) => e.memberId !== undefined || e.serial !== undefined, { message: 'an entry names a memberId or a serial' });

/** The signed body. `version` grows by one with every change so a peer can refuse an older list (rollback). */
export const RevocationListSchema = z
  .object({
    federation: z.string().min(1),
    version: z.number().int().min(0),
    issuedAt: z.iso.datetime(),
    revoked: z.array(RevokedEntrySchema),
  })
  .strict();

export type RevocationList = z.infer<typeof RevocationListSchema>;
export type RevokedEntry = RevocationList['revoked'][number];

/** The file `revocations.json`: the body plus a base64 signature by the CA key over its canonical JSON. */
export const SignedRevocationListSchema = z.object({ list: RevocationListSchema, signature: z.base64() }).strict();
export type SignedRevocationList = z.infer<typeof SignedRevocationListSchema>;

const DOMAIN = 'fedfin/revocation-list/v1\n';

// ECDSA signs a SHA-256 digest; Ed25519 takes the message itself (algorithm null).
const digestFor = (key: KeyObject): string | null => (keyTypeOf(key) === 'ecdsa-p256' ? 'sha256' : null);

/**
 * Signs a revocation list with the CA private key.
 * @param list the body (validated).
 * @param caKeyPem the CA private key (PKCS#8 PEM).
 * @returns the signed list, ready to write as JSON.
 */
export function signRevocationList(list: RevocationList, caKeyPem: string): SignedRevocationList {
  const body = RevocationListSchema.parse(list);
  const key = createPrivateKey(caKeyPem);
  const signature = sign(digestFor(key), Buffer.from(DOMAIN + canonicalJson(body)), key).toString('base64');
  return { list: body, signature };
}

/**
 * Validates and verifies a revocation list file's content against the CA certificate.
 * @param raw parsed JSON of `revocations.json`.
 * @param caPem the federation CA certificate.
 * @param minVersion refuse lists older than this (the last version seen). @default 0
 * @returns the verified list.
 * @throws ConfigError for a malformed file; FedfinError 'signature-invalid' for a bad signature, a foreign
 *   federation or a version older than `minVersion`.
 */
export function verifyRevocationList(raw: unknown, caPem: string, minVersion = 0, source = 'revocations.json'): RevocationList {
  const parsed = SignedRevocationListSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(source, parsed.error.issues);
  const { list, signature } = parsed.data;
  const publicKey = new X509Certificate(caPem).publicKey;
  const ok = verify(digestFor(publicKey), Buffer.from(DOMAIN + canonicalJson(list)), publicKey, Buffer.from(signature, 'base64'));
  if (!ok) throw new FedfinError('signature-invalid', `${source}: signature does not verify against the federation CA`);
  if (list.version < minVersion) throw new FedfinError('signature-invalid', `${source}: version ${list.version} is older than the last one seen (${minVersion}); refusing a rollback`);
  return list;
}

/** An empty list, version 0. */
export function emptyRevocationList(federation: string, now: Date = new Date()): RevocationList {
  return { federation, version: 0, issuedAt: now.toISOString(), revoked: [] };
}

/**
 * A new list with `entries` added and the version bumped (the input is not modified).
 * @param now time of the change.
 */
export function addRevocations(list: RevocationList, entries: readonly Omit<RevokedEntry, 'revokedAt'>[], now: Date = new Date()): RevocationList {
  const at = now.toISOString();
  const added = entries.map((e) => ({ ...e, ...(e.serial !== undefined ? { serial: normalizeSerial(e.serial) } : {}), revokedAt: at }));
  return { ...list, version: list.version + 1, issuedAt: at, revoked: [...list.revoked, ...added] };
}

/**
 * Whether a peer is revoked: its id is on the list, or the serial of the certificate it presented is.
 * @returns the matching entry, or undefined.
 */
export function findRevocation(list: RevocationList, peer: { readonly id: string; readonly serial: string }): RevokedEntry | undefined {
  const serial = normalizeSerial(peer.serial);
  return list.revoked.find((e) => e.memberId === peer.id || (e.serial !== undefined && normalizeSerial(e.serial) === serial));
}
