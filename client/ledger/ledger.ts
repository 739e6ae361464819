/** The bank's own SQLite ledger: privacy accountants per dataset and per job, spends, the result cache and an audit trail. */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AccountantState } from '../../privacy/accounting/accountant.js';
import type { ResultInfo } from '../../schema/fleet.js';
import { bankAuditEntryHash, GENESIS_HASH } from '../../security/audit-hash.js';
import { migrateLedger } from './ledger-schema.js';
import { resultFromJson, resultToJson } from './result-json.js';
import { statementCache } from '../../common/statement-cache.js';

/** One recorded privacy spend: a fit whose update was allowed to leave. */
export interface SpendRecord {
  readonly instructionId: string;
  readonly jobId: string;
  readonly round: number;
  readonly datasetId: string;
  readonly accountant: 'rdp';
  readonly epsilonRound: number;
  /** The job's cumulative ε on this dataset, at the job's δ. */
  readonly epsilonJobTotal: number;
  /** The dataset's cumulative ε over all jobs, at the site policy's δ. */
  readonly epsilonDatasetTotal: number;
  readonly delta: number;
  readonly datasetDelta: number;
  readonly noiseMultiplier: number;
  readonly sampleRate: number;
  readonly steps: number;
}

/** A cached result: the header exactly as pushed, and the update's bytes for fit results. */
export interface CachedResult {
  readonly result: ResultInfo;
  readonly bytes: Uint8Array | undefined;
}

/** The σ a job was calibrated to on this dataset (computed once, remembered across restarts). */
export interface JobNoise {
  readonly noiseMultiplier: number;
  readonly sampleRate: number;
  readonly stepsPerRound: number;
}

/** A job this bank approved (site policy `requireApproval`): who (OS user) and when. */
export interface JobApproval {
  readonly jobId: string;
  readonly approvedBy: string;
  /** ISO 8601. */
  readonly approvedAt: string;
}

/** Accountant scopes: one per dataset (all jobs) and one per job on that dataset. */
export const datasetScope = (datasetId: string): string => `dataset:${datasetId}`;
export const jobScope = (jobId: string, datasetId: string): string => `job:${jobId}:${datasetId}`;

/**
 * The ledger. Every method is synchronous (better-sqlite3); `recordFit` is one transaction, so a
 * crash leaves either no trace of a fit or its spend AND its cached result — never a spend without
 * the result that would let a re-offered instruction be answered without spending again.
 */
export interface Ledger {
  cachedResult(instructionId: string): CachedResult | undefined;
  accountantState(scope: string): AccountantState | undefined;
  jobNoise(jobId: string, datasetId: string): JobNoise | undefined;
  rememberJobNoise(jobId: string, datasetId: string, noise: JobNoise): void;
  /**
   * Records a fit in one transaction: the spend row and both accountant states (when DP is on) and the
   * cached result. Call before the update leaves the bank.
   */
  recordFit(entry: {
    readonly spend: SpendRecord | undefined;
    readonly datasetState: AccountantState | undefined;
    readonly jobState: AccountantState | undefined;
    readonly result: ResultInfo;
    readonly jobId: string;
    readonly bytes: Uint8Array | undefined;
    /** Further spends of the same result (secure aggregation: distributed DP on top of DP-SGD), in the same transaction. */
    readonly extraSpends?: readonly SpendRecord[];
    /** Further accountant states to save with them (scope → state). */
    readonly extraStates?: readonly { readonly scope: string; readonly state: AccountantState }[];
  }): void;
  /** Caches a stats/evaluate result (no spend). */
  cacheResult(jobId: string, stage: string, result: ResultInfo): void;
  spends(jobId?: string): SpendRecord[];
  /** The bank's approval of a job, if given (read at every instruction: a running daemon sees a new approval at once). */
  approval(jobId: string): JobApproval | undefined;
  /** All approvals, oldest first. */
  approvals(): JobApproval[];
  /**
   * Approves a job: the approvals row and an `approval-granted` audit entry in one transaction.
   * @returns false (and writes nothing) when the job was already approved.
   */
  approve(jobId: string, by: string): boolean;
  /**
   * Withdraws an approval: deletes the row and writes an `approval-revoked` audit entry in one transaction.
   * @returns false (and writes nothing) when the job was not approved.
   */
  revokeApproval(jobId: string, by: string): boolean;
  audit(type: string, instructionId: string | undefined, detail: Readonly<Record<string, unknown>>): void;
  auditEvents(): { seq: number; type: string; instructionId: string | null; detail: Record<string, unknown> }[];
  close(): void;
}

type Row = Record<string, unknown>;

const now = (): string => new Date().toISOString();

function spendFromRow(r: Row): SpendRecord {
  return {
    instructionId: r['instruction_id'] as string,
    jobId: r['job_id'] as string,
    round: r['round'] as number,
    datasetId: r['dataset_id'] as string,
    accountant: 'rdp',
    epsilonRound: r['epsilon_round'] as number,
    epsilonJobTotal: r['epsilon_job_total'] as number,
    epsilonDatasetTotal: r['epsilon_dataset_total'] as number,
    delta: r['delta'] as number,
    datasetDelta: r['dataset_delta'] as number,
    noiseMultiplier: r['noise_multiplier'] as number,
    sampleRate: r['sample_rate'] as number,
    steps: r['steps'] as number,
  };
}

/**
 * Opens (creating if needed) the ledger file, e.g. `DIR/bank.db`, in WAL mode. Pass ':memory:' in tests.
 * `durable: false` (simulations only: the bank's state is a throwaway folder) commits without an fsync —
 * a commit still lands before the call returns and survives a crash of the process, not a power cut.
 */
export function openLedger(file: string, o: { readonly durable?: boolean } = {}): Ledger {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma(o.durable === false ? 'synchronous = NORMAL' : 'synchronous = FULL'); // a spend must survive a power cut once the update has left
  migrateLedger(db);
  // Every SQL text below is fixed: each is prepared once per database.
  const prepare = statementCache(db);
  const putState = prepare('INSERT INTO accountants (scope, state_json, updated_at) VALUES (?, ?, ?) ON CONFLICT(scope) DO UPDATE SET state_json = excluded.state_json, updated_at = excluded.updated_at');
  const putResult = prepare('INSERT INTO results (instruction_id, job_id, stage, header_json, weights, created_at) VALUES (?, ?, ?, ?, ?, ?)');
  const putSpend = prepare(`INSERT INTO spends (instruction_id, job_id, round, dataset_id, accountant, epsilon_round, epsilon_job_total,
    epsilon_dataset_total, delta, dataset_delta, noise_multiplier, sample_rate, steps, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  // Read or written at every instruction: prepared once.
  const getResult = prepare('SELECT header_json, weights FROM results WHERE instruction_id = ?');
  const getState = prepare('SELECT state_json FROM accountants WHERE scope = ?');
  const getApproval = prepare('SELECT job_id, approved_by, approved_at FROM approvals WHERE job_id = ?');
  const putCached = prepare('INSERT OR IGNORE INTO results (instruction_id, job_id, stage, header_json, weights, created_at) VALUES (?, ?, ?, ?, NULL, ?)');
  // Hash-chained like the coordinator's log: `fedfin audit verify --ledger bank.db` names the first bad entry.
  const appendAudit = db.transaction((type: string, instructionId: string | null, detail: Readonly<Record<string, unknown>>) => {
    const last = prepare('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
    const seq = (last?.seq ?? 0) + 1;
    const prev = last?.hash ?? GENESIS_HASH;
    const at = now();
    const stored = JSON.parse(JSON.stringify(detail)) as unknown;
    prepare('INSERT INTO audit (seq, at, type, instruction_id, detail_json, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)').run(seq, at, type, instructionId, JSON.stringify(detail), prev, bankAuditEntryHash(prev, { seq, at, type, instructionId, detail: stored }));
  });
  const recordFit = db.transaction((e: Parameters<Ledger['recordFit']>[0]) => {
    const at = now();
    if (e.spend) {
      const s = e.spend;
      putSpend.run(s.instructionId, s.jobId, s.round, s.datasetId, s.accountant, s.epsilonRound, s.epsilonJobTotal, s.epsilonDatasetTotal, s.delta, s.datasetDelta, s.noiseMultiplier, s.sampleRate, s.steps, at);
      if (e.datasetState) putState.run(datasetScope(s.datasetId), JSON.stringify(e.datasetState), at);
      if (e.jobState) putState.run(jobScope(s.jobId, s.datasetId), JSON.stringify(e.jobState), at);
    }
    for (const x of e.extraSpends ?? []) putSpend.run(x.instructionId, x.jobId, x.round, x.datasetId, x.accountant, x.epsilonRound, x.epsilonJobTotal, x.epsilonDatasetTotal, x.delta, x.datasetDelta, x.noiseMultiplier, x.sampleRate, x.steps, at);
    for (const x of e.extraStates ?? []) putState.run(x.scope, JSON.stringify(x.state), at);
    // Secure-aggregation payloads are bytes: JSON keeps them as base64 (cachedResult turns them back).
    putResult.run(e.result.instructionId, e.jobId, 'fit', resultToJson(e.result), e.bytes ? Buffer.from(e.bytes.buffer, e.bytes.byteOffset, e.bytes.byteLength) : null, at);
  });
  const approvalRow = (r: Row): JobApproval => ({ jobId: r['job_id'] as string, approvedBy: r['approved_by'] as string, approvedAt: r['approved_at'] as string });
  const approve = db.transaction((jobId: string, by: string): boolean => {
    const at = now();
    if (prepare('INSERT OR IGNORE INTO approvals (job_id, approved_by, approved_at) VALUES (?, ?, ?)').run(jobId, by, at).changes === 0) return false;
    appendAudit('approval-granted', null, { job: jobId, by, at });
    return true;
  });
  const revoke = db.transaction((jobId: string, by: string): boolean => {
    if (prepare('DELETE FROM approvals WHERE job_id = ?').run(jobId).changes === 0) return false;
    appendAudit('approval-revoked', null, { job: jobId, by, at: now() });
    return true;
  });
  return {
    cachedResult(instructionId) {
      const r = getResult.get(instructionId) as Row | undefined;
      if (!r) return undefined;
      const blob = r['weights'] as Buffer | null;
      return { result: resultFromJson(r['header_json'] as string), bytes: blob ? new Uint8Array(blob) : undefined };
    },
    accountantState(scope) {
      const r = getState.get(scope) as Row | undefined;
      return r ? (JSON.parse(r['state_json'] as string) as AccountantState) : undefined;
    },
    jobNoise(jobId, datasetId) {
      const r = prepare('SELECT noise_multiplier, sample_rate, steps_per_round FROM job_noise WHERE job_id = ? AND dataset_id = ?').get(jobId, datasetId) as Row | undefined;
      return r ? { noiseMultiplier: r['noise_multiplier'] as number, sampleRate: r['sample_rate'] as number, stepsPerRound: r['steps_per_round'] as number } : undefined;
    },
    rememberJobNoise(jobId, datasetId, n) {
      prepare('INSERT OR IGNORE INTO job_noise (job_id, dataset_id, noise_multiplier, sample_rate, steps_per_round, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(jobId, datasetId, n.noiseMultiplier, n.sampleRate, n.stepsPerRound, now());
    },
    recordFit: (e) => recordFit(e),
    cacheResult(jobId, stage, result) {
      putCached.run(result.instructionId, jobId, stage, resultToJson(result), now());
    },
    spends(jobId) {
      const rows = (jobId === undefined ? prepare('SELECT * FROM spends ORDER BY recorded_at, rowid').all() : prepare('SELECT * FROM spends WHERE job_id = ? ORDER BY recorded_at, rowid').all(jobId)) as Row[];
      return rows.map(spendFromRow);
    },
    approval(jobId) {
      const r = getApproval.get(jobId) as Row | undefined;
      return r ? approvalRow(r) : undefined;
    },
    approvals() {
      return (prepare('SELECT job_id, approved_by, approved_at FROM approvals ORDER BY approved_at, rowid').all() as Row[]).map(approvalRow);
    },
    approve: (jobId, by) => approve(jobId, by),
    revokeApproval: (jobId, by) => revoke(jobId, by),
    audit(type, instructionId, detail) {
      appendAudit(type, instructionId ?? null, detail);
    },
    auditEvents() {
      return (prepare('SELECT seq, type, instruction_id, detail_json FROM audit ORDER BY seq').all() as Row[]).map((r) => ({
        seq: r['seq'] as number,
        type: r['type'] as string,
        instructionId: r['instruction_id'] as string | null,
        detail: JSON.parse(r['detail_json'] as string) as Record<string, unknown>,
      }));
    },
    close() {
      if (db.open) db.close();
    },
  };
}
