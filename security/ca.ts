/** The federation CA: a self-signed root that signs every server, member and admin certificate of one federation. */
import { createPublicKey } from 'node:crypto';
import { assertInt, assertString } from '../common/assert.js';
import { cryptoRandom, type RandomSource } from '../common/random.js';
import { algorithmFor, generateKeys, importPrivateKeyPem, privateKeyToPem, publicKeyOf, randomSerial, validityWindow, x509, type CryptoKey, type KeyType } from './x509-support.js';

/** Federation names double as the CA's O= attribute and as folder names, so they stay plain. */
export const FEDERATION_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** A loaded CA: its certificate and the private key that signs with it. Never put `keyPem` into a kit. */
export interface FederationCa {
  readonly federation: string;
  readonly keyType: KeyType;
  readonly cert: x509.X509Certificate;
  readonly certPem: string;
  /** PKCS#8 PEM of the CA private key; stays with the operator (`DIR/ca/ca.key`, mode 0600). */
  readonly keyPem: string;
  readonly signingKey: CryptoKey;
}

/** Options of {@link createFederationCa}. */
export interface CaOptions {
  readonly federation: string;
  /** @default 'ecdsa-p256' */
  readonly keyType?: KeyType;
  /** Lifetime of the root. @default 3650 */
  readonly validityDays?: number;
  /** @default new Date() */
  readonly now?: Date;
  /** Source of the serial. @default cryptoRandom() */
  readonly rng?: RandomSource;
}

/**
 * Creates a new federation CA: a fresh key pair and a self-signed certificate `CN=<federation> CA, O=<federation>`
 * with basicConstraints CA:true, pathLen 0 (it signs leaves only) and keyUsage keyCertSign + cRLSign.
 * @param options federation name, key type and lifetime.
 * @returns the CA with its PEMs.
 * @throws TypeError / RangeError for a bad federation name or validity.
 */
export async function createFederationCa(options: CaOptions): Promise<FederationCa> {
  assertString('createFederationCa', 'federation', options.federation);
  if (!FEDERATION_NAME.test(options.federation)) throw new RangeError(`createFederationCa: "federation" expected 1–64 letters, digits, ".", "_" or "-", got ${JSON.stringify(options.federation)}`);
  const validityDays = options.validityDays ?? 3650;
  assertInt('createFederationCa', 'validityDays', validityDays, 1, 36_500);
  const keyType = options.keyType ?? 'ecdsa-p256';
  const keys = await generateKeys(keyType);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(options.rng ?? cryptoRandom()),
    name: `CN=${options.federation} CA, O=${options.federation}`,
    ...validityWindow(options.now ?? new Date(), validityDays),
    keys,
    signingAlgorithm: algorithmFor(keyType),
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { federation: options.federation, keyType, cert, certPem: cert.toString('pem'), keyPem: await privateKeyToPem(keys.privateKey), signingKey: keys.privateKey };
}

/**
 * Loads a CA from its PEMs (as written by provisioning) and checks that the key belongs to the certificate.
 * @param certPem the CA certificate.
 * @param keyPem the CA private key (PKCS#8).
 * @returns the CA, ready to issue certificates.
 * @throws RangeError when the certificate is not a self-signed CA or the key does not match it.
 */
export async function loadFederationCa(certPem: string, keyPem: string): Promise<FederationCa> {
  const cert = new x509.X509Certificate(certPem);
  const basic = cert.getExtension(x509.BasicConstraintsExtension);
  if (!basic?.ca) throw new RangeError('loadFederationCa: "certPem" expected a CA certificate (basicConstraints CA:true), got a leaf certificate');
  const { key, keyType, keyObject } = await importPrivateKeyPem(keyPem);
  const derived = createPublicKey(keyObject).export({ format: 'der', type: 'spki' });
  if (!Buffer.from(derived).equals(publicKeyOf(cert).export({ format: 'der', type: 'spki' }))) {
    throw new RangeError('loadFederationCa: "keyPem" expected the private key of the CA certificate, got a different key');
  }
  const federation = cert.subjectName.getField('O')[0] ?? '';
  return { federation, keyType, cert, certPem, keyPem, signingKey: key };
}
