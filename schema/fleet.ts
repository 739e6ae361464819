/**
 * Domain shapes of what travels over the Fleet service, shared by the coordinator and the bank daemon.
 * The generated proto types stop at each side's `transport/` codec; everything else uses these.
 */
import { createHash } from 'node:crypto';
import type { TensorHeader } from '../common/weights-codec.js';

/**
 * Stages a bank can be asked to run. A secure-aggregation round replaces `fit` by the four SecAgg+ stages,
 * in order: advertise → share-keys → masked-input (the bank trains here) → unmask.
 */
export type FleetStage = 'stats' | 'fit' | 'evaluate' | SecAggStage;
export type SecAggStage = 'secagg-advertise' | 'secagg-share-keys' | 'secagg-masked-input' | 'secagg-unmask';
export const SECAGG_STAGES: readonly SecAggStage[] = ['secagg-advertise', 'secagg-share-keys', 'secagg-masked-input', 'secagg-unmask'];
export const FLEET_STAGES: readonly FleetStage[] = ['stats', 'fit', 'evaluate', ...SECAGG_STAGES];
export const isSecAggStage = (s: string): s is SecAggStage => (SECAGG_STAGES as readonly string[]).includes(s);

/** The tensor name under which a masked vector travels (one tensor of `[length]` little-endian uint32 words). */
export const MASKED_TENSOR = 'secagg/masked';


/** Scalars for one round (learning rate, epochs, DP settings …). */
export type RoundConfigValues = Readonly<Record<string, number | string | boolean>>;

/** An instruction as the daemon sees it (the model is downloaded separately, in chunks). */
export interface InstructionInfo {
  readonly instructionId: string;
  readonly jobId: string;
  readonly round: number;
  readonly stage: FleetStage;
  readonly jobSpecJson: string;
  readonly roundConfig: RoundConfigValues;
  /** Bytes of float32 weights DownloadModel will stream (0 for stats). */
  readonly modelBytes: number;
  /** Banks selected for this stage (a site policy may require a minimum). */
  readonly numBanks: number;
  readonly deadlineUnixMs: number;
  /** `{field: {mean, std}}` for fit/evaluate; empty for stats. */
  readonly encodingStatsJson: string;
  /** Secure-aggregation stages: the coordinator's stage message for this member (privacy/secagg/protocol codec). */
  readonly secaggPayload?: Uint8Array;
}

/** A score histogram by label (same shape as tasks/metrics ScoreHistogram). */
export interface HistogramData {
  readonly numBins: number;
  /** Explicit bin edges (numBins + 1, 0 … 1) when the task fixes them (fraud: logit-spaced); absent = equal-width. */
  readonly edges?: readonly number[];
  readonly countsPos: readonly number[];
  readonly countsNeg: readonly number[];
  readonly sumLogLoss: number;
  readonly sumBrier: number;
  readonly numCorrect: number;
  readonly numExamples: number;
}

/**
 * One day of a bank's long/flat backtest on its holdout, summed over the bank's instruments that
 * earn a return that day: enough for the coordinator to build the federation's equal-weight
 * portfolio day by day. Reveals the bank's own equal-weight portfolio return per day (see
 * docs/metrics.md), never a price or a symbol.
 */
export interface BacktestDayData {
  /** The day the return is earned, YYYY-MM-DD. */
  readonly date: string;
  /** Instruments held or watched that day. */
  readonly instruments: number;
  /** Σ over instruments of position × simple return − cost × |position change|. */
  readonly strategyReturnSum: number;
  /** Σ over instruments of the simple return (buy-and-hold, fully invested). */
  readonly buyHoldReturnSum: number;
  /** Σ over instruments of |position change| (entering counts 1). */
  readonly turnoverSum: number;
}

/**
 * A regression evaluation by sums (market-forecast): every pooled metric (RMSE, MAE, R², directional
 * accuracy) is exact from the banks' sums. Errors are in return units (log return), not scaled.
 */
export interface RegressionData {
  readonly numExamples: number;
  /** Σ (ŷ − y), Σ (ŷ − y)², Σ |ŷ − y|. */
  readonly sumError: number;
  readonly sumSqError: number;
  readonly sumAbsError: number;
  /** Σ y and Σ y² (for R² against the pooled mean). */
  readonly sumTarget: number;
  readonly sumSqTarget: number;
  /** Examples whose predicted direction (ŷ > 0) equals the realised one (y > 0). */
  readonly directionCorrect: number;
  readonly predictedUp: number;
  readonly actualUp: number;
  /** Holdout days in date order. */
  readonly days: readonly BacktestDayData[];
}

/** What a result cost in privacy, as recorded in the bank's ledger before it was sent. */
export interface PrivacySpendInfo {
  readonly accountant: string;
  readonly epsilonRound: number;
  readonly epsilonTotal: number;
  readonly delta: number;
  readonly noiseMultiplier: number;
  readonly sampleRate: number;
  readonly steps: number;
  readonly unit: string;
}

/** The header of a pushed result; fit results are followed by the update's tensor bytes. */
export interface ResultInfo {
  readonly instructionId: string;
  readonly status: 'ok' | 'refused' | 'failed';
  /** Why a bank refused or failed. Never contains data values. */
  readonly reason: string;
  readonly numExamples: number;
  readonly metrics: Readonly<Record<string, number>>;
  /** Fit results: the update's tensors (values travel as chunks). */
  readonly headers: readonly TensorHeader[];
  readonly histogram: HistogramData | undefined;
  readonly privacy: PrivacySpendInfo | undefined;
  readonly encodingHash: string;
  readonly numFeatures: number;
  /** Stats results: `{field: {count, sum, sumSq}}`. */
  readonly momentsJson: string;
  /** Evaluate results of regression tasks (instead of `histogram`). */
  readonly regression?: RegressionData | undefined;
  /** Secure-aggregation stages: the bank's stage message (privacy/secagg/protocol codec); never an update in the clear. */
  readonly secaggPayload?: Uint8Array;
}

/**
 * A histogram's label counts as stored (bank ledger, coordinator store): `{ z: [...] }`, where a negative
 * entry −k stands for k zeros and any other entry for itself. A bank's holdout fills a few hundred of an
 * evaluation histogram's 1,000 bins, so this is a fraction of the plain array's JSON, written and read
 * once per bank per evaluate stage. Plain arrays (rows written before) read back as they are.
 */
export interface PackedCounts {
  readonly z: readonly number[];
}

/** Run-length form of `counts`, or the array itself when an entry is not a non-negative safe integer. */
export function packCounts(counts: readonly number[]): PackedCounts | readonly number[] {
  const z: number[] = [];
  let zeros = 0;
  for (const c of counts) {
    if (c === 0) {
      zeros++;
      continue;
    }
    if (!Number.isSafeInteger(c) || c < 0) return counts;
    if (zeros > 0) z.push(-zeros);
    zeros = 0;
    z.push(c);
  }
  if (zeros > 0) z.push(-zeros);
  return { z };
}

/** The counts array back from its stored form (a plain array as it is). */
export function unpackCounts(stored: PackedCounts | readonly number[]): number[] {
  if (Array.isArray(stored)) return stored as number[];
  const out: number[] = [];
  for (const x of (stored as PackedCounts).z) {
    if (x < 0) for (let i = 0; i < -x; i++) out.push(0);
    else out.push(x);
  }
  return out;
}

/** A result (or header: any object with an optional `histogram`) as stored JSON, counts run-length encoded. */
export function storedResultJson<T extends { readonly histogram?: HistogramData | undefined }>(r: T): string {
  const h = r.histogram;
  return JSON.stringify(h ? { ...r, histogram: { ...h, countsPos: packCounts(h.countsPos), countsNeg: packCounts(h.countsNeg) } } : r);
}

/** The object `storedResultJson` (or a plain JSON.stringify, rows written before) stored, key order included. */
export function parseStoredResult<T = ResultInfo>(json: string): T {
  const r = JSON.parse(json) as { histogram?: { countsPos: PackedCounts | number[]; countsNeg: PackedCounts | number[] } | null };
  const h = r.histogram;
  if (!h || (Array.isArray(h.countsPos) && Array.isArray(h.countsNeg))) return r as T;
  return { ...r, histogram: { ...h, countsPos: unpackCounts(h.countsPos), countsNeg: unpackCounts(h.countsNeg) } } as T;
}

/** Largest chunk of tensor bytes per message: far below gRPC's 4 MiB default cap. */
export const CHUNK_BYTES = 1 << 20;

/** The deterministic id of an instruction: re-issuing a stage after a crash reuses it, so banks answer from cache. */
export function instructionIdFor(jobId: string, round: number, attempt: number, stage: FleetStage, memberId: string): string {
  return `${jobId}/r${round}/a${attempt}/${stage}/${memberId}`;
}

/**
 * A member's SecAgg numeric id (unsigned 64-bit): the first 8 bytes, big-endian, of
 * SHA-256("fedfin/secagg/member-id" ‖ 0x00 ‖ memberId). Both sides derive it from the string id, so the
 * coordinator cannot relabel a bank; the coordinator refuses a cohort with a (2^-64-unlikely) collision.
 */
export function secaggNumericId(memberId: string): bigint {
  const h = createHash('sha256').update('fedfin/secagg/member-id\0').update(memberId, 'utf8').digest();
  return h.readBigUInt64BE(0);
}
