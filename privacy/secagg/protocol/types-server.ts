/** The SecAgg+ protocol's coordinator-side types: members, receive/close outcomes, the result and the server (part of the types.ts contract). */
import type { FedfinErrorCode } from '../../../common/errors.js';
import type { RandomSource } from '../../../common/random.js';
import type { RealisedNoise, SecAggJobConfig } from './types-config.js';
import type { SecAggRoundContext, SecAggStage } from './types.js';

/** A bank as the coordinator knows it from enrolment. */
export interface SecAggMember {
  /** The bank's string id (the transport-authenticated identity). */
  readonly memberId: string;
  /** Its SecAgg numeric id: an unsigned 64-bit integer, unique in the job (e.g. its enrolment index + 1). */
  readonly numericId: number | bigint;
  /** Its Ed25519 identity public key (32 bytes; federation.json `identityPublicKey`). */
  readonly identityPublicKey: Uint8Array;
}

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
