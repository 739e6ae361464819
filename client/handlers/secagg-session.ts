/**
 * The bank's in-memory SecAgg state: one protocol client per (job, round, attempt), created at advertise,
 * wiped after unmask or when a newer attempt of the job starts. Never written to disk: a daemon that
 * restarts mid-round has lost its keys and simply drops out of that round (the others recover its masks).
 */
import { FedfinError } from '../../common/errors.js';
import { cryptoRandom, type RandomSource } from '../../common/random.js';
import type { IdentityKeyPair } from '../../security/identity-keys.js';
import { createSecAggClient, type SecAggClient } from '../../privacy/secagg/protocol/index.js';
import { secaggNumericId, type InstructionInfo } from '../../schema/fleet.js';
import type { JobSpec } from '../../schema/job-spec.js';
import { secAggJobConfigOf } from '../../schema/secure-aggregation-spec.js';

/** What a test may observe of a bank's own update (test-only hook; production never sets it). */
export interface SecAggUpdateProbe {
  readonly jobId: string;
  readonly round: number;
  readonly attempt: number;
  readonly memberId: string;
  /** The update (new − global weights, flattened) exactly as handed to the masking client. */
  readonly update: Float32Array;
  readonly numExamples: number;
}

/** Options of the bank's SecAgg support. */
export interface SecAggBankOptions {
  /** The bank's Ed25519 identity key (signs advertisements); its public half is announced at Join. */
  readonly identity: IdentityKeyPair;
  /**
   * Identity keys pinned independently of the coordinator (memberId → Ed25519 public key, e.g. from the
   * provisioned federation.json). Seam for mTLS / provisioned identities: when set, a coordinator cannot
   * substitute a member's key. When absent the keys the coordinator relays (from Join) are trusted.
   */
  readonly trustedIdentityKeys?: ReadonlyMap<string, Uint8Array>;
  /** @default cryptoRandom() — tests may inject a seeded source, production never does. */
  readonly rng?: RandomSource;
  /** TEST ONLY: sees each update before it is masked, so a test can compute the plain sum of survivors. */
  readonly probe?: (p: SecAggUpdateProbe) => void;
  /**
   * TEST ONLY: hold each unmask answer this long before returning it (the crash tests kill the coordinator
   * while answers are pending). The daemon reads it from FEDFIN_TEST_UNMASK_DELAY_MS; 0 in production.
   */
  readonly unmaskDelayMs?: number;
}

/** The attempt an instruction belongs to, from its deterministic id `<job>/r<round>/a<attempt>/<stage>/<member>`. */
export function attemptOf(instruction: InstructionInfo): number {
  const m = /\/a(\d+)\/[^/]+\/[^/]+$/.exec(instruction.instructionId);
  if (!m) throw new FedfinError('protocol-violation', `instruction ${instruction.instructionId}: no attempt number in its id`);
  return Number(m[1]);
}

const keyOf = (jobId: string, round: number, attempt: number): string => `${jobId}\u0000${round}\u0000${attempt}`;

/** The live SecAgg clients of this daemon. */
export class SecAggSessions {
  private readonly clients = new Map<string, { readonly jobId: string; readonly client: SecAggClient }>();
  /** Unmask answers already given (instruction id → bytes), so a re-offer gets the same one; bounded. */
  private readonly unmasked = new Map<string, Uint8Array>();
  readonly rng: RandomSource;

  constructor(readonly options: SecAggBankOptions) {
    this.rng = options.rng ?? cryptoRandom();
  }

  /** Starts a fresh client for the instruction's attempt, wiping every older one of the same job. */
  start(instruction: InstructionInfo, memberId: string, job: JobSpec): SecAggClient {
    const sa = job.secureAggregation;
    if (!sa?.enabled) throw new FedfinError('protocol-violation', `instruction ${instruction.instructionId}: a secure-aggregation stage for a job without secure aggregation`);
    const dimension = instruction.roundConfig['secaggDimension'];
    if (typeof dimension !== 'number' || !Number.isSafeInteger(dimension) || dimension < 1) throw new FedfinError('protocol-violation', `instruction ${instruction.instructionId}: round config secaggDimension must be a positive integer`);
    const attempt = attemptOf(instruction);
    const key = keyOf(instruction.jobId, instruction.round, attempt);
    const existing = this.clients.get(key);
    if (existing) return existing.client; // the same advertise re-offered: the client answers from its cache
    this.wipeJob(instruction.jobId);
    const client = createSecAggClient({
      jobId: instruction.jobId,
      round: instruction.round,
      attempt,
      memberId,
      numericId: secaggNumericId(memberId),
      signingKey: this.options.identity.secretKey,
      dimension,
      config: secAggJobConfigOf(sa),
      ...(this.options.trustedIdentityKeys ? { trustedIdentityKeys: this.options.trustedIdentityKeys } : {}),
      rng: this.rng,
    });
    this.clients.set(key, { jobId: instruction.jobId, client });
    return client;
  }

  /**
   * The client of the instruction's attempt.
   * @throws FedfinError('protocol-violation') when there is none (the daemon restarted mid-round, or the
   *   coordinator skipped advertise): the bank drops out of this round.
   */
  get(instruction: InstructionInfo): SecAggClient {
    const c = this.clients.get(keyOf(instruction.jobId, instruction.round, attemptOf(instruction)))?.client;
    if (!c) throw new FedfinError('protocol-violation', `no secure-aggregation state for round ${instruction.round} attempt ${attemptOf(instruction)} (the bank restarted or never advertised); it drops out of this round`);
    return c;
  }

  /** Wipes and forgets the instruction's client (after unmask). */
  finish(instruction: InstructionInfo): void {
    const key = keyOf(instruction.jobId, instruction.round, attemptOf(instruction));
    this.clients.get(key)?.client.wipe();
    this.clients.delete(key);
  }

  /** The answer given to an unmask instruction, if any. */
  unmaskAnswer(instructionId: string): Uint8Array | undefined {
    return this.unmasked.get(instructionId);
  }

  /** Keeps an unmask answer (public once sent; no secret) for re-offers of the same instruction. */
  rememberUnmask(instructionId: string, payload: Uint8Array): void {
    this.unmasked.set(instructionId, payload);
    if (this.unmasked.size > 64) this.unmasked.delete(this.unmasked.keys().next().value!);
  }

  /** Wipes every client of a job (a newer attempt or round started: the old keys are never used again). */
  wipeJob(jobId: string): void {
    for (const [k, v] of this.clients) {
      if (v.jobId !== jobId) continue;
      v.client.wipe();
      this.clients.delete(k);
    }
  }

  /** Wipes everything (daemon shutdown). */
  wipeAll(): void {
    for (const v of this.clients.values()) v.client.wipe();
    this.clients.clear();
  }

  /** Live clients (tests, logs). */
  get size(): number {
    return this.clients.size;
  }
}
