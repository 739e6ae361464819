/** Leaf certificates signed by the federation CA: the coordinator's server certificate, member and admin client certificates. */
import { isIP } from 'node:net';
import { X509Certificate as NodeX509 } from 'node:crypto';
import { assertInt, assertString } from '../common/assert.js';
import { cryptoRandom, type RandomSource } from '../common/random.js';
import type { FederationCa } from './ca.js';
import { algorithmFor, fingerprint, generateKeys, normalizeSerial, privateKeyToPem, randomSerial, validityWindow, x509, type KeyType } from './x509-support.js';

/** Participant ids (member ids, admin names) as they appear in CN=; the same rule as NodeConfig.memberId. */
export const PARTICIPANT_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** Roles of admin certificates: `admin` (everything), `operator` (jobs, members list), `viewer` (read only). */
export const ADMIN_ROLES = ['admin', 'operator', 'viewer'] as const;
export type AdminRole = (typeof ADMIN_ROLES)[number];
/** What a certificate's OU says its holder is. */
export type CertificateRole = 'coordinator' | 'member' | AdminRole;
export type ParticipantKind = 'coordinator' | 'member' | 'admin';

/** The hosts every server certificate covers, so loopback deployments and tests work without flags. */
export const DEFAULT_SERVER_HOSTS = ['localhost', '127.0.0.1', '::1'] as const;

/** A certificate and its freshly generated private key. */
export interface IssuedCertificate {
  readonly id: string;
  readonly role: CertificateRole;
  /** Lower-case hex. */
  readonly serial: string;
  readonly certPem: string;
  /** PKCS#8 PEM; written to the kit with mode 0600. */
  readonly keyPem: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** SHA-256 of the DER certificate, hex. */
  readonly fingerprint: string;
}

/** Options shared by every issuer. */
export interface IssueOptions {
  /** @default 365 */
  readonly validityDays?: number;
  /** @default the CA's key type */
  readonly keyType?: KeyType;
  /** @default new Date() */
  readonly now?: Date;
  /** @default cryptoRandom() */
  readonly rng?: RandomSource;
}

/** The identity a certificate carries, read back by the coordinator when a peer connects. */
export interface CertificateIdentity {
  readonly id: string;
  readonly role: CertificateRole;
  readonly kind: ParticipantKind;
  readonly federation: string;
  readonly serial: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
}

export function kindOf(role: CertificateRole): ParticipantKind {
  return role === 'coordinator' || role === 'member' ? role : 'admin';
}

async function issue(ca: FederationCa, id: string, role: CertificateRole, eku: string[], san: x509.JsonGeneralNames | undefined, options: IssueOptions): Promise<IssuedCertificate> {
  const validityDays = options.validityDays ?? 365;
  assertInt('issueCertificate', 'validityDays', validityDays, 1, 36_500);
  const window = validityWindow(options.now ?? new Date(), validityDays);
  if (window.notAfter > ca.cert.notAfter) {
    throw new RangeError(`issueCertificate: "validityDays" expected a validity ending before the CA's (${ca.cert.notAfter.toISOString()}), got ${validityDays} days`);
  }
  const keys = await generateKeys(options.keyType ?? ca.keyType);
  const serial = randomSerial(options.rng ?? cryptoRandom());
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
    new x509.ExtendedKeyUsageExtension(eku, false),
    await x509.AuthorityKeyIdentifierExtension.create(ca.cert, false),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
  ];
  if (san) extensions.push(new x509.SubjectAlternativeNameExtension(san, false));
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial,
    subject: `CN=${id}, OU=${role}, O=${ca.federation}`,
    issuer: ca.cert.subject,
    ...window,
    publicKey: keys.publicKey,
    signingKey: ca.signingKey,
    signingAlgorithm: algorithmFor(ca.keyType),
    extensions,
  });
  return { id, role, serial, certPem: cert.toString('pem'), keyPem: await privateKeyToPem(keys.privateKey), ...window, fingerprint: await fingerprint(cert) };
}

function checkId(fn: string, id: unknown): asserts id is string {
  assertString(fn, 'id', id);
  if (!PARTICIPANT_ID.test(id)) throw new RangeError(`${fn}: "id" expected 1–64 letters, digits, ".", "_" or "-", got ${JSON.stringify(id)}`);
}

/**
 * The coordinator's server certificate: CN=coordinator, OU=coordinator, extendedKeyUsage serverAuth + clientAuth,
 * subjectAltName = localhost, 127.0.0.1, ::1 plus every host given (IP addresses as iPAddress, names as dNSName).
 * @param ca the federation CA.
 * @param hosts extra host names or addresses the coordinator is reached at.
 * @returns the certificate and its key.
 */
export async function issueServerCertificate(ca: FederationCa, hosts: readonly string[], options: IssueOptions = {}): Promise<IssuedCertificate> {
  const all = [...new Set([...DEFAULT_SERVER_HOSTS, ...hosts.map((h) => h.trim().replace(/^\[(.*)\]$/, '$1')).filter((h) => h.length > 0)])];
  const san = all.map((h) => (isIP(h) ? { type: 'ip' as const, value: h } : { type: 'dns' as const, value: h }));
  return issue(ca, 'coordinator', 'coordinator', [x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth], san, options);
}

/**
 * A member bank's client certificate: CN=<memberId>, OU=member, extendedKeyUsage clientAuth.
 * @throws RangeError for an id that is not a valid member id.
 */
export async function issueMemberCertificate(ca: FederationCa, memberId: string, options: IssueOptions = {}): Promise<IssuedCertificate> {
  checkId('issueMemberCertificate', memberId);
  return issue(ca, memberId, 'member', [x509.ExtendedKeyUsage.clientAuth], undefined, options);
}

/**
 * An admin's client certificate: CN=<adminId>, OU=<role>, extendedKeyUsage clientAuth.
 * @throws RangeError for a bad id or a role outside {@link ADMIN_ROLES}.
 */
export async function issueAdminCertificate(ca: FederationCa, adminId: string, role: AdminRole, options: IssueOptions = {}): Promise<IssuedCertificate> {
  checkId('issueAdminCertificate', adminId);
  if (!ADMIN_ROLES.includes(role)) throw new RangeError(`issueAdminCertificate: "role" expected one of ${ADMIN_ROLES.join(', ')}, got ${JSON.stringify(role)}`);
  return issue(ca, adminId, role, [x509.ExtendedKeyUsage.clientAuth], undefined, options);
}

/**
 * Reads the identity out of a certificate: CN → id, OU → role, O → federation.
 * It does not check the signature or dates; use {@link verifyCertificate} for that.
 * @throws RangeError when CN, OU or O is missing or OU is not a known role.
 */
export function describeCertificate(certPem: string): CertificateIdentity {
  const cert = new x509.X509Certificate(certPem);
  const field = (name: string): string => {
    const v = cert.subjectName.getField(name)[0];
    if (v === undefined) throw new RangeError(`describeCertificate: "certPem" expected a subject with ${name}=, got ${cert.subject}`);
    return v;
  };
  const role = field('OU');
  if (!['coordinator', 'member', ...ADMIN_ROLES].includes(role)) throw new RangeError(`describeCertificate: "certPem" expected OU=coordinator|member|admin|operator|viewer, got OU=${role}`);
  const r = role as CertificateRole;
  return { id: field('CN'), role: r, kind: kindOf(r), federation: field('O'), serial: normalizeSerial(cert.serialNumber), notBefore: cert.notBefore, notAfter: cert.notAfter };
}

/**
 * Checks a certificate against the federation CA with node:crypto: issued by it, signature valid, and within its
 * validity window at `now`.
 * @returns null when valid, else the reason (`'foreign-ca'`, `'expired'`, `'not-yet-valid'`).
 */
export function verifyCertificate(certPem: string, caPem: string, now: Date = new Date()): null | 'foreign-ca' | 'expired' | 'not-yet-valid' {
  const cert = new NodeX509(certPem);
  const ca = new NodeX509(caPem);
  if (!cert.checkIssued(ca) || !cert.verify(ca.publicKey)) return 'foreign-ca';
  if (now.getTime() > new Date(cert.validTo).getTime()) return 'expired';
  if (now.getTime() < new Date(cert.validFrom).getTime()) return 'not-yet-valid';
  return null;
}
