/**
 * The coordinator's persistent state: members, jobs, committed rounds with checkpoints, the privacy
 * ledger, in-flight round plans and received results, and the hash-chained audit log.
 * Every method is async so a PostgreSQL implementation fits the same contract (store.contract.ts).
 */
import type { Metrics, Weights } from '../../common/weights.js';
import type { FleetStage } from '../../schema/fleet.js';

export type JobStatus = 'running' | 'completed' | 'failed' | 'aborted';

export interface JobRecord {
  readonly jobId: string;
  readonly name: string;
  readonly task: string;
  readonly specJson: string;
  readonly status: JobStatus;
  readonly roundsTotal: number;
  readonly roundsDone: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly reason: string;
  /** Federation-wide encoding statistics, fixed once per job (see docs/encoding.md). */
  readonly encodingStatsJson: string | undefined;
  /** Hash of the desensitised feature schema every bank of the job must encode with. */
  readonly featureHash: string | undefined;
  /** Banks whose feature schema matched in the stats stage: the only ones asked to fit and evaluate (undefined: not recorded). */
  readonly members: readonly string[] | undefined;
}

export interface MemberRecord {
  readonly memberId: string;
  readonly firstSeen: string;
  readonly lastSeen: string;
  readonly tfBackend: string;
  readonly acceptedTasks: readonly string[];
}

/** One bank's privacy spend for one round, as the bank reported it (recorded before it sent). */
export interface LedgerEntry {
  readonly jobId: string;
  readonly memberId: string;
  readonly round: number;
  readonly epsilonRound: number;
  readonly epsilonTotal: number;
  readonly delta: number;
  readonly noiseMultiplier: number;
  readonly sampleRate: number;
  readonly steps: number;
  readonly accountant: string;
  readonly unit: string;
}

/** Everything a committed round leaves behind; written in one transaction. */
export interface RoundCommit {
  readonly jobId: string;
  readonly round: number;
  readonly attempt: number;
  readonly weights: Weights;
  readonly strategyStateJson: string | undefined;
  readonly participants: readonly string[];
  /** `stage`: with secure aggregation, the SecAgg stage the bank dropped at (advertise, share-keys, masked-input, unmask). */
  readonly dropped: readonly { readonly memberId: string; readonly kind: string; readonly reason: string; readonly stage?: string }[];
  readonly metrics: Metrics;
  readonly ledger: readonly LedgerEntry[];
  readonly epsilon: number | undefined;
  readonly delta: number | undefined;
  readonly trainMs: number;
  readonly evaluateMs: number;
  readonly completedAt: string;
}

export type RoundRecord = Omit<RoundCommit, 'weights' | 'ledger' | 'strategyStateJson'>;

/** The plan of an in-flight stage, persisted when the stage starts so a restart re-issues the same instructions. */
export interface StagePlan {
  readonly jobId: string;
  readonly round: number;
  readonly attempt: number;
  readonly stage: FleetStage;
  /**
   * memberId → the instruction it was sent and its round config; with secure aggregation also the
   * member's stage message (`payload`, base64: roster, inbox or unmask request).
   */
  readonly instructions: Readonly<Record<string, { readonly instructionId: string; readonly config: Readonly<Record<string, number | string | boolean>>; readonly payload?: string }>>;
  readonly startedAt: string;
  readonly deadlineMs: number;
  /** Weights the instructions refer to (for fit: the global model; for evaluate: the new one). */
  readonly weights: Weights | undefined;
  /**
   * Secure aggregation: the SecAgg server's state with this stage open (privacy/secagg/protocol
   * `toState()`; public keys, ciphertexts, masked sums — no secret, no individual update). Saved in the
   * same row, hence the same transaction, as the plan.
   */
  readonly secaggState?: Uint8Array;
}

/** A result received for an in-flight stage: its row persisted on arrival, a fit update's bytes by the stage's `listResults`. */
export interface StoredResult {
  readonly instructionId: string;
  readonly jobId: string;
  readonly round: number;
  readonly stage: string;
  readonly memberId: string;
  readonly headerJson: string;
  readonly weights: Weights | undefined;
  /** Secure aggregation: the bank's stage message (for masked-input: the masked vector); never an update in the clear. */
  readonly payload?: Uint8Array;
  readonly receivedAt: string;
}

/** One audit event; the store adds the sequence number and hash chain. */
export interface AuditInput {
  readonly type: string;
  readonly jobId?: string;
  readonly memberId?: string;
  readonly actor?: string;
  readonly detail: Readonly<Record<string, unknown>>;
}

export interface AuditEvent extends AuditInput {
  readonly seq: number;
  readonly at: string;
  readonly prevHash: string;
  readonly hash: string;
  /** base64 Ed25519 signature of `hash` by the coordinator's audit key (security/audit-hash.ts); absent when unsigned. */
  readonly signature?: string;
}

export interface Store {
  upsertMember(member: Omit<MemberRecord, 'firstSeen'>): Promise<void>;
  listMembers(): Promise<readonly MemberRecord[]>;

  /** Creates a running job with no model yet (the model's width is known after the stats stage). */
  createJob(job: Omit<JobRecord, 'roundsDone' | 'updatedAt' | 'reason' | 'status' | 'encodingStatsJson' | 'featureHash' | 'members'>): Promise<void>;
  /**
   * Fixes the job's encoding statistics, feature-schema hash and admitted banks (`members`: those whose schema
   * matched) and stores the initial model as checkpoint 0, atomically.
   */
  initializeJob(jobId: string, encodingStatsJson: string, featureHash: string, initial: Weights, members?: readonly string[]): Promise<void>;
  getJob(jobId: string): Promise<JobRecord | undefined>;
  listJobs(): Promise<readonly JobRecord[]>;
  setJobStatus(jobId: string, status: JobStatus, reason?: string): Promise<void>;

  /** Commits a round atomically: round row, checkpoint, ledger rows, roundsDone, and clears its plans/results. */
  commitRound(commit: RoundCommit): Promise<void>;
  listRounds(jobId: string): Promise<readonly RoundRecord[]>;
  /** The newest checkpoint: round 0 is the initial model. */
  latestCheckpoint(jobId: string): Promise<{ round: number; weights: Weights; strategyStateJson: string | undefined } | undefined>;
  /** The checkpoint of one committed round (0 = the initial model), or undefined. */
  checkpoint(jobId: string, round: number): Promise<{ round: number; weights: Weights; strategyStateJson: string | undefined } | undefined>;
  /** Privacy-ledger entries, ordered by job, then member, then round (the budget pre-check relies on it). */
  ledger(filter?: { jobId?: string; memberId?: string }): Promise<readonly LedgerEntry[]>;

  saveStagePlan(plan: StagePlan): Promise<void>;
  getStagePlan(jobId: string, round: number, stage: StagePlan['stage']): Promise<StagePlan | undefined>;
  /** Drops plans and results of a round that is being retried (or aborted). */
  clearRound(jobId: string, round: number): Promise<void>;
  /**
   * Stores a result; returns false when one for this instruction is already stored (duplicate). The row
   * survives a process crash once this resolves; a fit update's bytes may be held in memory until
   * `listResults` of its stage. A store that restarts without them forgets the whole result, so the
   * stage re-offers the instruction under the same id and the bank answers from its result cache.
   */
  saveResult(result: StoredResult): Promise<boolean>;
  /** The stage's results; every update it returns is durable (power-safe) when this resolves. */
  listResults(jobId: string, round: number, stage: string): Promise<readonly StoredResult[]>;

  appendAudit(event: AuditInput): Promise<AuditEvent>;
  /** Signs every audit entry appended from now on (the coordinator's kit key). Stores without signatures omit it. */
  setAuditSigner?(sign: (hash: string) => string): void;
  listAudit(options?: { afterSeq?: number; limit?: number }): Promise<readonly AuditEvent[]>;
  /** The sequence number of the newest audit event (0 when the log is empty). */
  latestAuditSeq(): Promise<number>;

  close(): Promise<void>;
}
