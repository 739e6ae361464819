/** Offline verification of a hash-chained (optionally signed) audit log: finds the first edited, deleted or reordered entry. */
import { assertBytes, assertInt } from '../common/assert.js';
import { auditEntryHash, GENESIS_HASH, verifyAuditEntrySignature, type AuditEntryContent } from './audit-hash.js';

/** One stored audit entry as the verifier reads it (columns of `audit_events`, detail already parsed). */
export interface AuditRow extends AuditEntryContent {
  readonly prevHash: string;
  readonly hash: string;
  /** base64 Ed25519 signature over the hash (see signAuditEntry); null/undefined for unsigned entries. */
  readonly signature?: string | null | undefined;
}

/** Why an entry fails. */
export type AuditProblem = 'missing' | 'out-of-order' | 'prev-mismatch' | 'hash-mismatch' | 'signature-missing' | 'signature-invalid' | 'malformed' | 'truncated';

/** The first entry that fails, with a sentence for humans. */
export interface AuditFailure {
  readonly seq: number;
  readonly problem: AuditProblem;
  readonly message: string;
}

/** The verdict over a whole log. `entries` counts entries that verified before the first failure. */
export type AuditVerdict =
  | { readonly ok: true; readonly entries: number; readonly signed: number; readonly head: { readonly seq: number; readonly hash: string } | undefined }
  | { readonly ok: false; readonly entries: number; readonly signed: number; readonly firstBad: AuditFailure };

/** Options of the verifier. */
export interface AuditVerifyOptions {
  /** The coordinator's Ed25519 public key; when given, signatures are checked. */
  readonly publicKey?: Uint8Array;
  /**
   * With a key: entries from this seq on must be signed (earlier ones may be unsigned, e.g. written before the
   * coordinator had a key, but a signature that is present must still verify). @default 1
   */
  readonly signedFromSeq?: number;
  /** A head obtained elsewhere (a signed checkpoint, an earlier run): the log must reach it, else it was truncated. */
  readonly expectedHead?: { readonly seq: number; readonly hash: string };
}

/**
 * Verifies entries one at a time in seq order, so a log of millions of rows is checked in constant memory.
 * Stops at the first failure: later entries cannot be trusted once the chain is broken.
 */
export class AuditChainVerifier {
  private prevSeq = 0;
  private prevHash = GENESIS_HASH;
  private count = 0;
  private signed = 0;
  private failure: AuditFailure | undefined;
  private readonly signedFrom: number;

  constructor(private readonly options: AuditVerifyOptions = {}) {
    if (options.publicKey !== undefined) assertBytes('AuditChainVerifier', 'publicKey', options.publicKey, 32);
    this.signedFrom = options.signedFromSeq ?? 1;
    assertInt('AuditChainVerifier', 'signedFromSeq', this.signedFrom, 1);
  }

  /** Checks the next entry. @returns false once a failure has been found (this entry or an earlier one). */
  push(row: AuditRow): boolean {
    if (this.failure) return false;
    const problem = this.check(row);
    if (problem) {
      this.failure = problem;
      return false;
    }
    this.prevSeq = row.seq;
    this.prevHash = row.hash;
    this.count += 1;
    return true;
  }

  /** Records a row that could not even be decoded (e.g. detail_json is not JSON). */
  fail(seq: number, problem: AuditProblem, message: string): void {
    this.failure ??= { seq, problem, message };
  }

  private check(row: AuditRow): AuditFailure | undefined {
    const expected = this.prevSeq + 1;
    if (!Number.isInteger(row.seq) || row.seq < expected) {
      return { seq: row.seq, problem: 'out-of-order', message: `entry ${row.seq} comes after entry ${this.prevSeq}: entries were reordered or duplicated` };
    }
    if (row.seq > expected) {
      const range = row.seq - 1 === expected ? `entry ${expected} is` : `entries ${expected}–${row.seq - 1} are`;
      return { seq: expected, problem: 'missing', message: `${range} missing (deleted or moved): entry ${row.seq} follows entry ${this.prevSeq}` };
    }
    if (row.prevHash !== this.prevHash) {
      return { seq: row.seq, problem: 'prev-mismatch', message: `entry ${row.seq} does not link to entry ${this.prevSeq}: its prev_hash differs from that entry's hash (an entry was removed, inserted or moved)` };
    }
    if (auditEntryHash(row.prevHash, row) !== row.hash) {
      return { seq: row.seq, problem: 'hash-mismatch', message: `entry ${row.seq} (${row.type}) was edited: its content does not match its hash` };
    }
    const want = this.options.expectedHead;
    if (want && row.seq === want.seq && row.hash !== want.hash) {
      return { seq: row.seq, problem: 'hash-mismatch', message: `entry ${row.seq} differs from the head recorded earlier: the chain was rewritten from here or before` };
    }
    const key = this.options.publicKey;
    if (key) {
      const sig = row.signature ?? undefined;
      if (sig === undefined || sig === '') {
        if (row.seq >= this.signedFrom) return { seq: row.seq, problem: 'signature-missing', message: `entry ${row.seq} carries no coordinator signature` };
      } else if (!verifyAuditEntrySignature(row.hash, sig, key)) {
        return { seq: row.seq, problem: 'signature-invalid', message: `entry ${row.seq}: the coordinator signature does not verify (entry or chain rewritten, or another key)` };
      } else {
        this.signed += 1;
      }
    }
    return undefined;
  }

  /** The verdict so far; call after the last push. */
  result(): AuditVerdict {
    if (this.failure) return { ok: false, entries: this.count, signed: this.signed, firstBad: this.failure };
    const head = this.count > 0 ? { seq: this.prevSeq, hash: this.prevHash } : undefined;
    const want = this.options.expectedHead;
    if (want && (head === undefined || head.seq < want.seq)) {
      const seq = (head?.seq ?? 0) + 1;
      return { ok: false, entries: this.count, signed: this.signed, firstBad: { seq, problem: 'truncated', message: `the log ends at entry ${head?.seq ?? 0} but entry ${want.seq} was recorded earlier: entries from ${seq} on were deleted` } };
    }
    return { ok: true, entries: this.count, signed: this.signed, head };
  }
}

/**
 * Verifies a whole log: recomputes every hash, checks every prev link and seq, and (with a key) every signature.
 * @param rows entries in ascending seq order, as stored.
 * @param options key, signed-from seq and an optional expected head.
 * @returns ok with the head, or the first bad entry by seq and why.
 * @example verifyAuditChain(rows).ok === true // for an untouched log
 */
export function verifyAuditChain(rows: Iterable<AuditRow>, options: AuditVerifyOptions = {}): AuditVerdict {
  const verifier = new AuditChainVerifier(options);
  for (const row of rows) if (!verifier.push(row)) break;
  return verifier.result();
}
