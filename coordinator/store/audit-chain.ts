/**
 * The audit log's hash chain, as the coordinator store writes it: one formula, defined in
 * security/audit-hash.ts and shared with the offline verifier (`fedfin audit verify`).
 */
export { GENESIS_HASH, canonicalJson, auditEntryHash as auditHash } from '../../security/audit-hash.js';
