/**
 * The SecAgg+ protocol API (stage-based, byte-oriented): config, the bank-side client and the coordinator-side server.
 *
 * Stability: this file is the contract the gRPC wiring codes against. Changes are additive only and
 * listed here.
 *   v1 (initial).
 *   v1.1: SecAggClientOptions.inputRng (optional; defaults to rng).
 *
 * Round flow (one attempt of one round of one job; keys and shares are fresh per attempt and never reused):
 *
 *   coordinator                                   bank daemon (one SecAggClient per attempt)
 *   createSecAggServer(...)                        createSecAggClient(...)
 *   -- stage 'advertise' ------------------------------------------------------------------------
 *   (instruction "advertise", no payload)    -->   client.advertise()            --> bytes
 *   server.receive('advertise', id, bytes)   <--
 *   server.close('advertise')  => payload per member: its ROSTER (its neighbourhood's signed keys)
 *   -- stage 'share-keys' -----------------------------------------------------------------------
 *   roster bytes                              -->   client.shareKeys(roster)      --> bytes
 *   server.receive('share-keys', id, bytes)  <--
 *   server.close('share-keys') => payload per member: its INBOX (share boxes addressed to it)
 *   -- stage 'masked-input' ---------------------------------------------------------------------
 *   inbox bytes (+ the fit instruction)       -->   client.maskedInput(inbox, update, numExamples) --> bytes
 *   server.receive('masked-input', id, bytes) <--
 *   server.close('masked-input') => payload per member: its UNMASK REQUEST (survivors / dropped)
 *   -- stage 'unmask' ---------------------------------------------------------------------------
 *   request bytes                             -->   client.unmask(request)        --> bytes
 *   server.receive('unmask', id, bytes)      <--
 *   server.close('unmask')     => done; server.finish() gives the sum and the weighted mean
 *
 * Any `close` may instead return `aborted` (some neighbourhood kept fewer than t survivors, fewer than
 * minSurvivors banks are left, ...): the round attempt is abandoned, no budget is charged by the
 * coordinator, and it is retried with a new attempt number (fresh keys everywhere).
 *
 * Functions (exported from privacy/secagg/protocol/index.ts; signatures fixed here):
 *   resolveSecAggConfig(cfg: SecAggJobConfig, numMembers: number, dimension?: number): SecAggConfigResolution
 *       every refusal reason at job submission (t ≤ k/2, n·T ≥ M, DP noise headroom, ...); pass dimension
 *       when known (DP sizing depends on d; without it d = 1 is assumed for validation only).
 *   checkSecAggConfig(cfg, numMembers, dimension?): ResolvedSecAggConfig   (throws SecAggParamsError 'config-invalid')
 *   realisedNoise(config: ResolvedSecAggConfig, numSurvivors: number): RealisedNoise | undefined
 *   createSecAggClient(options: SecAggClientOptions): SecAggClient
 *   createSecAggServer(options: SecAggServerOptions): SecAggServer    (throws 'config-invalid' for a refused config)
 *   restoreSecAggServer(state: Uint8Array, rng: RandomSource): SecAggServer   (throws 'protocol-violation' for bad state)
 *   decodeMessageHeader(bytes): MessageHeader   (peek kind/job/round/attempt/numericId for routing and logs)
 *
 * Everything here is pure and in-process: no clock, no I/O; randomness is injected (`cryptoRandom()` in
 * production). Errors are FedfinError subclasses with stable codes; hostile bytes never throw anything else.
 */
import type { FedfinErrorCode } from '../../../common/errors.js';
import type { RandomSource } from '../../../common/random.js';

// ---------------------------------------------------------------------------------------------
// Configuration
// ---------------------------------------------------------------------------------------------

/** Distributed DP inside the secure sum: each bank adds integer noise before masking. */
export interface DistributedDpConfig {
  /** 'skellam' (Poisson(λ) − Poisson(λ)) or 'discrete-gaussian' (exact N_Z, Canonne–Kamath–Steinke). */
  readonly mechanism: 'skellam' | 'discrete-gaussian';
  /** z > 0: the noise in the sum has std ≥ z × the L2 sensitivity whenever ≥ minSurvivors banks are summed. */
  readonly noiseMultiplier: number;
  /**
   * m ≥ 2: the fewest banks whose noise is assumed to reach the sum. Each bank adds std σ/√m, so the sum
   * carries σ·√(s/m) ≥ σ for s ≥ m survivors. A round with fewer than m survivors is aborted, never released.
   */
  readonly minSurvivors: number;
}

/**
 * The job's secure-aggregation settings as a plain domain type (the job-spec zod schema lives with the
 * coordinator and maps onto this). Everything but `distributedDp` has a default.
 */
export interface SecAggJobConfig {
  /** k: neighbours per bank (self excluded). Default 4·⌈log2 n⌉ (config.ts `protocolDefaultDegree`); ≥ n − 1 means the complete graph. */
  readonly neighbours?: number;
  /** t: Shamir threshold among the k + 1 share holders. Default ⌊2k/3⌋ + 1. Refused when 2t ≤ k + 1. */
  readonly threshold?: number;
  /** b: each coordinate is quantised to 2^b levels, i.e. the grid [0, T] with T = 2^b − 1. Default 16. Integer in [1, 31]. */
  readonly bits?: number;
  /** M: masking modulus, a power of two in [2, 2^32]. Default 2^32. The masked vector travels at ⌈log2 M / 8⌉ bytes per entry. */
  readonly modulus?: number;
  /**
   * c > 0: every coordinate is clipped to [−c, c] before quantisation. Default 8 (Flower's clipping_range).
   * With `distributedDp` the whole update is first L2-clipped to norm c (which implies the coordinate
   * clip), because DP needs an L2 sensitivity.
   */
  readonly clippingRange?: number;
  /**
   * Number of examples that earns full weight (DP-FedAvg's ŵ cap; Flower's max_weight). A bank with w
   * examples carries weight factor q = max(1, round(min(w / maxWeight, 1)·T)). Default 1000.
   * Ignored with `distributedDp`: there every bank weighs the same (the example count is not released).
   */
  readonly maxWeight?: number;
  /** Distributed DP; absent = no noise (secure aggregation only). */
  readonly distributedDp?: DistributedDpConfig;
}

/** Defaults applied by `resolveSecAggConfig`. */
export const SECAGG_DEFAULTS = Object.freeze({ bits: 16, modulus: 2 ** 32, clippingRange: 8, maxWeight: 1000 });

/** A configuration with every default filled in and sized for a cohort of n banks and d parameters. */
export interface ResolvedSecAggConfig {
  /** n: banks in the cohort the sizing was made for. */
  readonly numMembers: number;
  /** d: model parameters (the masked vector has d + 1 entries: weight factor first). */
  readonly dimension: number;
  /** k actually used (the complete graph when the configured k ≥ n − 1). */
  readonly neighbours: number;
  /** t actually used. */
  readonly threshold: number;
  readonly bits: number;
  /** T = 2^b − 1: the top of the quantisation grid. */
  readonly targetRange: number;
  readonly modulus: number;
  readonly clippingRange: number;
  readonly maxWeight: number;
  readonly distributedDp?: ResolvedDistributedDp;
}

/** Distributed-DP sizing (all in quantised integer units). See dp-noise.ts and docs/secagg-protocol.md. */
export interface ResolvedDistributedDp extends DistributedDpConfig {
  /** Δ₂: L2 sensitivity of one bank's quantised vector, inflated for stochastic rounding: c·T/(2c) + √d = T/2 + √d. */
  readonly sensitivity: number;
  /** σ_local: each bank's noise std = z·Δ₂/√m (rounded up to an integer for the discrete Gaussian). */
  readonly localStd: number;
  /** Skellam only: λ = σ_local²/2 (each of the two Poisson draws). */
  readonly skellamLambda?: number;
}

/** `resolveSecAggConfig` outcome: the resolved config, or every reason it is refused (with numbers). */
export type SecAggConfigResolution = { readonly ok: true; readonly config: ResolvedSecAggConfig } | { readonly ok: false; readonly reasons: readonly string[] };

// ---------------------------------------------------------------------------------------------
// Stages and messages
// ---------------------------------------------------------------------------------------------

/** The four stages, in order. Fixed names: the wiring uses them as stage keys. */
export const SECAGG_STAGES = ['advertise', 'share-keys', 'masked-input', 'unmask'] as const;
/** One stage of a SecAgg+ round. */
export type SecAggStage = (typeof SECAGG_STAGES)[number];

/**
 * What binds every message: a message is accepted only in the (job, round, attempt, stage) it was made
 * for, from the member it names. Messages carry these in a versioned binary header (codec.ts):
 * magic "FS", version 1, kind (stage × direction), jobId, round, attempt, numeric id. The pairwise
 * session ids (HKDF salts and share-box AAD) also hash jobId, round and attempt.
 */
export interface SecAggRoundContext {
  /** The job's id (UTF-8, at most 256 bytes). */
  readonly jobId: string;
  /** Round number, non-negative integer < 2^32. */
  readonly round: number;
  /** Attempt number of this round (a retried round gets a new one), non-negative integer < 2^32. */
  readonly attempt: number;
}

/** A bank as the coordinator knows it from enrolment. */
export interface SecAggMember {
  /** The bank's string id (the transport-authenticated identity). */
  readonly memberId: string;
  /** Its SecAgg numeric id: an unsigned 64-bit integer, unique in the job (e.g. its enrolment index + 1). */
  readonly numericId: number | bigint;
  /** Its Ed25519 identity public key (32 bytes; federation.json `identityPublicKey`). */
  readonly identityPublicKey: Uint8Array;
}

// ---------------------------------------------------------------------------------------------
// Client (bank daemon)
// ---------------------------------------------------------------------------------------------

/** Options of `createSecAggClient`. */
export interface SecAggClientOptions extends SecAggRoundContext {
  /** This bank's string id. */
  readonly memberId: string;
  /** This bank's numeric id (as the coordinator's member list has it). */
  readonly numericId: number | bigint;
  /** This bank's Ed25519 identity secret key (tweetnacl layout, 64 bytes). Only used to sign the advertisement. */
  readonly signingKey: Uint8Array;
  /** d: number of model parameters in the update. */
  readonly dimension: number;
  /** The job's settings (the same object the coordinator has). */
  readonly config: SecAggJobConfig;
  /**
   * Identity public keys the bank trusts independently of the coordinator (memberId → 32-byte Ed25519
   * key, from the provisioned federation.json). When given, every roster entry must be signed by the key
   * listed here (and a member missing from it is refused): a coordinator cannot substitute keys.
   * When absent, the identity keys carried in the roster are used — this only protects against
   * tampering in transit, not against a malicious coordinator (documented in docs/secagg-protocol.md).
   */
  readonly trustedIdentityKeys?: ReadonlyMap<string, Uint8Array>;
  /** Randomness for keys, seeds, shares, IVs, rounding and noise: `cryptoRandom()` in production. */
  readonly rng: RandomSource;
  /**
   * Randomness for stochastic rounding and DP noise only; defaults to `rng`. Production leaves it unset;
   * tests pass a seeded source so they can recompute a bank's quantised vector bit for bit.
   */
  readonly inputRng?: RandomSource;
}

/** What the bank must record in its ledger for this round's distributed DP (one Gaussian-equivalent step). */
export interface RealisedNoise {
  readonly mechanism: DistributedDpConfig['mechanism'];
  /** Banks whose noise is in the sum. */
  readonly numSurvivors: number;
  /** Each bank's integer noise std σ_local. */
  readonly localStd: number;
  /** Std of the noise in the sum: σ_local·√numSurvivors (variances add). */
  readonly sumStd: number;
  /** Δ₂ (quantised units, inflated for rounding). */
  readonly sensitivity: number;
  /** sumStd / Δ₂: the noise multiplier an RDP accountant composes (Gaussian-equivalent; see docs). */
  readonly noiseMultiplier: number;
  /** Always 1: every enrolled bank is asked each round. */
  readonly sampleRate: number;
}

/**
 * One bank's side of one round attempt. Methods must be called in stage order, each at most once with
 * a given input: calling a stage again with identical bytes returns the identical cached answer (safe
 * gRPC retries); with different bytes it throws 'protocol-violation' (equivocating coordinator) — in
 * particular the noise and the unmask answer are produced exactly once.
 * All methods throw FedfinError subclasses only (codes: protocol-violation, signature-invalid,
 * decryption-failed, share-invalid, key-invalid, config-invalid); the message names the offending member.
 */
export interface SecAggClient {
  readonly memberId: string;
  readonly numericId: bigint;
  /** The last stage completed, or 'new'. */
  readonly stage: SecAggStage | 'new' | 'wiped';
  /**
   * Stage 'advertise': draws two fresh X25519 key pairs (c: share encryption, s: pairwise masks) and the
   * self-mask seed b, and signs (c_pk, s_pk, SHA-256 commitment to b) with the identity key, bound to
   * (jobId, round, attempt, numericId, memberId).
   */
  advertise(): Uint8Array;
  /**
   * Stage 'share-keys': verifies every roster entry's signature (see `trustedIdentityKeys`), checks the
   * roster's k and t against its own resolution of the config and that its own entry is unaltered,
   * Shamir-splits s_sk and b (threshold t among itself and its neighbours) and seals each neighbour's
   * pair of shares with AES-256-GCM under HKDF(X25519(c_sk, c_pk_v)).
   * @param roster the payload `server.close('advertise')` produced for this bank.
   */
  shareKeys(roster: Uint8Array): Uint8Array;
  /**
   * Stage 'masked-input': opens the share boxes (a box that fails authentication or carries malformed
   * shares is reported as a complaint naming its sender, who is then excluded by the coordinator),
   * clips and quantises the update (weight factor as entry 0), adds distributed-DP noise when
   * configured, and masks: y = x + PRG(b) + Σ_{v<u} PRG(k_uv) − Σ_{v>u} PRG(k_uv) mod M over the
   * neighbours in the inbox.
   * @param inbox the payload `server.close('share-keys')` produced for this bank.
   * @param update the model update (d finite numbers).
   * @param numExamples training examples behind the update (the weight; capped at maxWeight).
   */
  maskedInput(inbox: Uint8Array, update: ArrayLike<number>, numExamples: number): Uint8Array;
  /**
   * Stage 'unmask': for each listed neighbour reveals exactly one share — b's share for survivors, s_sk's
   * share for dropped members — never both for the same bank. Refuses ('protocol-violation') a request
   * listing a bank as both, listing this bank as dropped, naming a non-neighbour, leaving fewer than t
   * survivors in its neighbourhood, or a second, different request.
   * @param request the payload `server.close('masked-input')` produced for this bank.
   */
  unmask(request: Uint8Array): Uint8Array;
  /** The noise the bank must record before its masked input leaves: realised at minSurvivors (the worst case). Undefined without DP. */
  plannedNoise(): RealisedNoise | undefined;
  /** Zeroes every secret (key pairs, seed, shares held) and refuses further calls. Idempotent. */
  wipe(): void;
}

// ---------------------------------------------------------------------------------------------
// Server (coordinator)
// ---------------------------------------------------------------------------------------------

/** Options of `createSecAggServer`. */
export interface SecAggServerOptions extends SecAggRoundContext {
  /** The cohort asked to take part (n ≥ 2). */
  readonly members: readonly SecAggMember[];
  /** d: number of model parameters. */
  readonly dimension: number;
  readonly config: SecAggJobConfig;
  /** Randomness for the graph relabelling: `cryptoRandom()` in production. */
  readonly rng: RandomSource;
}

/** Outcome of `server.receive`. */
export type ReceiveOutcome =
  /** Stored. `duplicate` when the same bytes had already been accepted (an idempotent retry). */
  | { readonly status: 'accepted'; readonly duplicate: boolean }
  /** Refused and the member excluded from the rest of the round; `offender` names who is at fault. */
  | { readonly status: 'rejected'; readonly code: FedfinErrorCode; readonly reason: string; readonly offender: string }
  /** Not used and not held against anyone: a straggler after its stage closed, or a member already excluded. */
  | { readonly status: 'ignored'; readonly reason: string };

/** A member excluded from the sum, and the stage it failed to complete. */
export interface DroppedMember {
  readonly memberId: string;
  readonly stage: SecAggStage;
}

/** A member refused for misbehaving (bad signature, bad box, wrong length, replay, impersonation, ...). */
export interface Offence {
  readonly memberId: string;
  readonly stage: SecAggStage;
  readonly code: FedfinErrorCode;
  readonly reason: string;
}

/** Outcome of `server.close(stage)`. */
export type CloseOutcome =
  /** Payloads for the next stage, one per member still in the round (Map keyed by memberId). */
  | { readonly status: 'next'; readonly stage: Exclude<SecAggStage, 'advertise'>; readonly payloads: ReadonlyMap<string, Uint8Array> }
  /** close('unmask') succeeded: call finish(). */
  | { readonly status: 'done' }
  /** The attempt cannot complete securely; retry the round with a new attempt (fresh keys). */
  | { readonly status: 'aborted'; readonly reason: string };

/** The round's result: only the survivors' sum — no individual vector is ever computed. */
export interface SecAggResult {
  /** Σ of the survivors' quantised (+ noise) vectors mod M, entry 0 = Σ weight factors; length d + 1. */
  readonly sum: Uint32Array;
  readonly numSurvivors: number;
  /** Σ q_u of the survivors (integer weight units; each q_u ≤ T). */
  readonly totalWeight: number;
  /** The dequantised weighted mean of the survivors' (clipped) updates, length d. */
  readonly mean: Float32Array;
  /** memberIds whose input is in the sum. */
  readonly survivors: readonly string[];
  /** Members whose input is not in the sum, with the stage they failed. */
  readonly dropped: readonly DroppedMember[];
  /** Survivors that did not answer the unmask stage (their input is in the sum; others' shares sufficed). */
  readonly silentAtUnmask: readonly string[];
  /** Members refused for misbehaving (also listed in `dropped` when excluded from the sum). */
  readonly offences: readonly Offence[];
  /** Distributed DP actually realised (for the coordinator's ledger); undefined without DP. */
  readonly noise?: RealisedNoise;
}

/**
 * The coordinator's state machine for one round attempt. Holds no secret: public keys, signatures,
 * ciphertexts, masked vectors and — at unmask — shares revealed for reconstruction.
 */
export interface SecAggServer {
  /** The current open stage, or 'done' / 'aborted'. */
  readonly stage: SecAggStage | 'done' | 'aborted';
  /** Members expected to answer the open stage and not yet answered (for deadlines / progress). */
  pending(): string[];
  /** Offers a member's message for `stage`; see ReceiveOutcome. Never throws on hostile bytes. */
  receive(stage: SecAggStage, memberId: string, bytes: Uint8Array): ReceiveOutcome;
  /**
   * Closes `stage` (deadline passed or everyone answered): whoever did not answer is dropped at that
   * stage. Returns the next stage's payloads, 'done', or 'aborted'. Closing a stage that is not open
   * throws 'protocol-violation' (a wiring bug). Closing 'unmask' reconstructs secrets and sums.
   */
  close(stage: SecAggStage): CloseOutcome;
  /** The result after close('unmask') returned 'done'; throws 'protocol-violation' before. */
  finish(): SecAggResult;
  /** The complete state as versioned bytes (JSON metadata + raw vectors) for persistence after each stage. */
  toState(): Uint8Array;
}

/** The common header of every protocol message, as `decodeMessageHeader` returns it. */
export interface MessageHeader extends SecAggRoundContext {
  /** Stage the message belongs to. */
  readonly stage: SecAggStage;
  /** 'up' = bank → coordinator; 'down' = coordinator → bank. */
  readonly direction: 'up' | 'down';
  /** Sender (up) or recipient (down) numeric id. */
  readonly numericId: bigint;
}
