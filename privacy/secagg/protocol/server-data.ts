/** The coordinator's protocol state as plain, serialisable data (no secrets), and the indexes rebuilt over it. */
import type { RandomSource } from '../../../common/random.js';
import type { Advertisement } from './binding.js';
import type { BoxEntry, RevealedShare, UnmaskRequest } from './messages.js';
import type { DroppedMember, Offence, ResolvedSecAggConfig, SecAggJobConfig, SecAggRoundContext, SecAggStage } from './types.js';

/** Everything the coordinator knows about one member in this attempt. */
export interface MemberRecord {
  readonly memberId: string;
  readonly numericId: bigint;
  readonly identityPublicKey: Uint8Array;
  adv?: Advertisement;
  /** share-keys: one box per neighbour, by recipient. */
  boxes?: BoxEntry[];
  /** masked-input: kept until the stage closes, then only the survivors' sum remains. */
  masked?: Uint32Array;
  complaints?: bigint[];
  revealed?: RevealedShare[];
  /** SHA-256 of each stage's accepted message: the same bytes again are a retry, other bytes equivocation. */
  digests: Partial<Record<SecAggStage, string>>;
  /** Set when the member left the round: dropped (silent) or refused (offence). */
  out?: { readonly stage: SecAggStage; readonly why: 'dropped' | 'offence' };
}

/** The whole attempt; `encodeState(data)` is what the coordinator persists after each stage. */
export interface ServerData {
  readonly format: 1;
  readonly ctx: SecAggRoundContext;
  readonly dimension: number;
  readonly jobConfig: SecAggJobConfig;
  /** Sized for U1 at close('advertise'). */
  config?: ResolvedSecAggConfig;
  stage: SecAggStage | 'done' | 'aborted';
  abortReason?: string;
  readonly members: MemberRecord[];
  /** U1's neighbourhoods: [id, neighbour ids]. */
  graph: [bigint, bigint[]][];
  /** U2 (shared keys) and U3 (sent masked input and not excluded). */
  u2: bigint[];
  u3: bigint[];
  /** What each survivor was asked to reveal. */
  requests: [bigint, UnmaskRequest][];
  /** Σ of U3's masked vectors mod M (after close('masked-input')). */
  maskedSum?: Uint32Array;
  /** Σ of U3's inputs mod M (after close('unmask')). */
  unmaskedSum?: Uint32Array;
  /** Survivors that did not answer unmask. */
  silent: string[];
  readonly offences: Offence[];
  readonly dropped: DroppedMember[];
}

/** The data plus lookup indexes (rebuilt after a restore). */
export interface Round {
  readonly data: ServerData;
  readonly byName: Map<string, MemberRecord>;
  readonly byId: Map<bigint, MemberRecord>;
  graph: Map<bigint, bigint[]>;
  readonly rng: RandomSource;
  /** Share-set tags by `${owner}/${kind}` (a SHA-256 each; computed once per secret, not per share). */
  readonly tags: Map<string, Uint8Array>;
}

export function indexRound(data: ServerData, rng: RandomSource): Round {
  return {
    data,
    byName: new Map(data.members.map((m) => [m.memberId, m])),
    byId: new Map(data.members.map((m) => [m.numericId, m])),
    graph: new Map(data.graph),
    rng,
    tags: new Map(),
  };
}

/** Ascending bigint order. */
export const byNumber = (a: bigint, b: bigint): number => (a < b ? -1 : a > b ? 1 : 0);

/** Members of `ids` still in the round. */
export function present(round: Round, ids: readonly bigint[]): bigint[] {
  return ids.filter((id) => round.byId.get(id)?.out === undefined);
}
