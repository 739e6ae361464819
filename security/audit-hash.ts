/** The audit chain's hash and signature formats, independent of any store, so an offline verifier can recompute them. */
import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { assertBytes, assertString } from '../common/assert.js';

/** The `prevHash` of entry 1. */
export const GENESIS_HASH = '0'.repeat(64);

/** The content an audit entry's hash covers (everything but `prevHash`, `hash` and `signature`). */
export interface AuditEntryContent {
  readonly seq: number;
  readonly at: string;
  readonly type: string;
  readonly jobId?: string | undefined;
  readonly memberId?: string | undefined;
  readonly actor?: string | undefined;
  readonly detail: unknown;
}

/**
 * Canonical JSON: object keys sorted, `undefined` members dropped, so a hash never depends on insertion order.
 * @example canonicalJson({ b: 1, a: [true, null] }) === '{"a":[true,null],"b":1}'
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/**
 * SHA-256 over `prevHash ‖ "\n" ‖ canonicalJson(content)`, hex. The same formula as coordinator/store/audit-chain.ts,
 * which writes the chain (a test in cli/audit.test.ts pins the two together on a real coordinator.db).
 * @param prevHash the previous entry's hash (GENESIS_HASH for seq 1).
 * @param entry the entry's content.
 */
export function auditEntryHash(prevHash: string, entry: AuditEntryContent): string {
  const body = canonicalJson({ seq: entry.seq, at: entry.at, type: entry.type, jobId: entry.jobId ?? null, memberId: entry.memberId ?? null, actor: entry.actor ?? null, detail: entry.detail });
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}

/**
 * The bank daemon's local audit log (client/ledger `audit` table) uses the same chain: its entry content is
 * `{ seq, at, type, detail: { instruction, detail } }` (the instruction id, or null, and the entry's detail).
 * @returns the same hex SHA-256 as {@link auditEntryHash} over that content.
 */
export function bankAuditEntryHash(prevHash: string, entry: { seq: number; at: string; type: string; instructionId: string | null; detail: unknown }): string {
  return auditEntryHash(prevHash, bankAuditContent(entry));
}

/** The chained content of a bank audit row (see {@link bankAuditEntryHash}). */
export function bankAuditContent(entry: { seq: number; at: string; type: string; instructionId: string | null; detail: unknown }): AuditEntryContent {
  return { seq: entry.seq, at: entry.at, type: entry.type, detail: { instruction: entry.instructionId, detail: entry.detail } };
}

// node:crypto's Ed25519 is many times faster than tweetnacl's, which matters when verifying a long log; the keys keep
// tweetnacl's layout (seed ‖ public key) and are wrapped as RFC 8410 DER here. Signatures are identical either way.
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

// A verifier checks thousands of entries against one key: import it once.
const publicKeys = new WeakMap<Uint8Array, KeyObject>();

/** Domain separation: an audit signature can never be replayed as a signature over anything else. */
export const AUDIT_SIGNATURE_DOMAIN = 'fedfin/audit-entry/v1\n';

function signedMessage(fn: string, hash: string): Uint8Array {
  assertString(fn, 'hash', hash);
  if (!/^[0-9a-f]{64}$/.test(hash)) throw new RangeError(`${fn}: "hash" expected 64 lower-case hex digits, got ${JSON.stringify(hash.slice(0, 70))}`);
  return new TextEncoder().encode(AUDIT_SIGNATURE_DOMAIN + hash);
}

/**
 * Signs an audit entry's hash with the coordinator's Ed25519 key. Because the hash chains over every earlier entry,
 * a valid signature on entry n vouches for entries 1..n.
 * @param hash the entry's `hash` (hex).
 * @param secretKey 64-byte tweetnacl secret key (the coordinator kit's `audit-signing.key`).
 * @returns the base64 signature, stored in `audit_events.signature`.
 * @example signAuditEntry(entry.hash, coordinatorKey.secretKey) // 'q0F…==' (88 chars)
 */
export function signAuditEntry(hash: string, secretKey: Uint8Array): string {
  const msg = signedMessage('signAuditEntry', hash);
  assertBytes('signAuditEntry', 'secretKey', secretKey, 64);
  const der = Buffer.concat([PKCS8_PREFIX, secretKey.subarray(0, 32)]);
  try {
    return sign(null, msg, createPrivateKey({ key: der, format: 'der', type: 'pkcs8' })).toString('base64');
  } finally {
    der.fill(0);
  }
}

/**
 * A signer that imports the key once, for the coordinator's append path (signAuditEntry imports it per call).
 * The caller may wipe `secretKey` afterwards; the signer keeps its own copy inside node:crypto.
 * @param secretKey 64-byte tweetnacl secret key.
 * @returns a function from entry hash (hex) to base64 signature, identical to signAuditEntry's.
 */
export function createAuditSigner(secretKey: Uint8Array): (hash: string) => string {
  assertBytes('createAuditSigner', 'secretKey', secretKey, 64);
  const der = Buffer.concat([PKCS8_PREFIX, secretKey.subarray(0, 32)]);
  const key = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  der.fill(0);
  return (hash) => sign(null, signedMessage('auditSigner', hash), key).toString('base64');
}

/**
 * Verifies a signature made by {@link signAuditEntry}.
 * @param hash the entry's hash (hex).
 * @param signature base64 signature as stored.
 * @param publicKey the coordinator's 32-byte Ed25519 public key.
 * @returns true when it verifies; false for a wrong or malformed signature.
 */
export function verifyAuditEntrySignature(hash: string, signature: string, publicKey: Uint8Array): boolean {
  const msg = signedMessage('verifyAuditEntrySignature', hash);
  assertBytes('verifyAuditEntrySignature', 'publicKey', publicKey, 32);
  const sig = Buffer.from(signature, 'base64');
  if (sig.length !== 64) return false;
  let key = publicKeys.get(publicKey);
  if (!key) {
    key = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, publicKey]), format: 'der', type: 'spki' });
    publicKeys.set(publicKey, key);
  }
  return verify(null, msg, key, sig);
}
