/**
 * The SecAgg+ protocol API (stage-based, byte-oriented): config, the bank-side client and the coordinator-side server.
 *
 * Stability: this file is the contract the gRPC wiring codes against. Changes are additive only and
 * listed here.
 *   v1 (initial).
 *   v1.1: SecAggClientOptions.inputRng (optional; defaults to rng).
 *   v1.2: split into types.ts (stages, client), types-config.ts and types-server.ts; every name is
 *         still exported from here and from index.ts, unchanged.
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
import type { RandomSource } from '../../../common/random.js';
import type { RealisedNoise, SecAggJobConfig } from './types-config.js';

export * from './types-config.js';
export * from './types-server.js';

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

/** The common header of every protocol message, as `decodeMessageHeader` returns it. */
export interface MessageHeader extends SecAggRoundContext {
  /** Stage the message belongs to. */
  readonly stage: SecAggStage;
  /** 'up' = bank → coordinator; 'down' = coordinator → bank. */
  readonly direction: 'up' | 'down';
  /** Sender (up) or recipient (down) numeric id. */
  readonly numericId: bigint;
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
