/** The audit log's hash chain: each entry's SHA-256 covers the previous entry's hash and its own content. */
import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

/** Canonical JSON: object keys sorted, so the hash does not depend on insertion order. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** The hash of an entry given its predecessor's hash. */
export function auditHash(prevHash: string, entry: { seq: number; at: string; type: string; jobId?: string | undefined; memberId?: string | undefined; actor?: string | undefined; detail: unknown }): string {
  const body = canonicalJson({ seq: entry.seq, at: entry.at, type: entry.type, jobId: entry.jobId ?? null, memberId: entry.memberId ?? null, actor: entry.actor ?? null, detail: entry.detail });
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}
