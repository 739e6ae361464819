/** The coordinator's side of one SecAgg+ round attempt: a pure, serialisable state machine over bytes (see types.ts). */
import { createHash } from 'node:crypto';
import { assertBytes, assertInt } from '../../../common/assert.js';
import { FedfinError } from '../../../common/errors.js';
import type { RandomSource } from '../../../common/random.js';
import { toMemberId } from '../member-id.js';
import { checkContext } from './client.js';
import { checkSecAggConfig } from './config.js';
import { realisedNoise } from './dp-noise.js';
import { SecAggProtocolError } from './errors.js';
import { dequantiseSum } from './quantise-update.js';
import { indexRound, type MemberRecord, type Round, type ServerData } from './server-data.js';
import { closeAdvertise, closeMaskedInput, closeShareKeys, receiveAdvertise, receiveMaskedInput, receiveShareKeys } from './server-stages.js';
import { closeUnmask, receiveUnmask } from './server-unmask.js';
import { decodeMaskedInput } from './messages.js';
import { decodeState, encodeState } from './state-codec.js';
import { SECAGG_STAGES, type CloseOutcome, type ReceiveOutcome, type SecAggResult, type SecAggServer, type SecAggServerOptions, type SecAggStage } from './types.js';

const RECEIVERS: Record<SecAggStage, (round: Round, m: MemberRecord, bytes: Uint8Array) => void> = {
  advertise: receiveAdvertise,
  'share-keys': receiveShareKeys,
  'masked-input': receiveMaskedInput,
  unmask: receiveUnmask,
};
const CLOSERS: Record<SecAggStage, (round: Round) => CloseOutcome> = {
  advertise: closeAdvertise,
  'share-keys': closeShareKeys,
  'masked-input': closeMaskedInput,
  unmask: closeUnmask,
};

/** Who must answer `stage`: everyone for advertise, then U1, U2, U3. */
function participants(round: Round, stage: SecAggStage): MemberRecord[] {
  const { data } = round;
  const ids = stage === 'advertise' ? data.members.map((m) => m.numericId) : stage === 'share-keys' ? data.graph.map(([id]) => id) : stage === 'masked-input' ? data.u2 : data.u3;
  return ids.map((id) => round.byId.get(id)!);
}

// Length plus SHA-256 of the header, complaints and every 4096th byte: cheap, and only a first filter.
function sampleDigest(bytes: Uint8Array): string {
  const h = createHash('sha256').update(String(bytes.length)).update(bytes.subarray(0, 256));
  for (let i = 256; i < bytes.length; i += 4096) h.update(bytes.subarray(i, i + 1));
  return h.digest('hex');
}

// A masked-input retry must decode to exactly the stored vector and complaints.
function sameMaskedInput(round: Round, m: MemberRecord, bytes: Uint8Array): boolean {
  const { data } = round;
  const stored = m.masked;
  if (stored === undefined) return false;
  const again = decodeMaskedInput(bytes, { ctx: data.ctx, stage: 'masked-input', direction: 'up', numericId: m.numericId }, m.memberId, data.dimension + 1, data.config!.modulus);
  if (again.complaints.join() !== (m.complaints ?? []).join()) return false;
  const a = new Int32Array(again.vector.buffer);
  const b = new Int32Array(stored.buffer, stored.byteOffset, stored.length);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function wrap(round: Round): SecAggServer {
  const { data } = round;
  const stageIndex = (s: string): number => SECAGG_STAGES.indexOf(s as SecAggStage);

  function receive(stage: SecAggStage, memberId: string, bytes: Uint8Array): ReceiveOutcome {
    const m = round.byName.get(memberId);
    if (m === undefined) return { status: 'rejected', code: 'protocol-violation', reason: `'${String(memberId)}' is not a member of this round`, offender: String(memberId) };
    if (data.stage === 'done' || data.stage === 'aborted') return { status: 'ignored', reason: `the round attempt is ${data.stage}` };
    if (stageIndex(stage) < 0) return { status: 'rejected', code: 'protocol-violation', reason: `unknown stage '${String(stage)}'`, offender: memberId };
    if (stageIndex(stage) < stageIndex(data.stage)) return { status: 'ignored', reason: `straggler: stage ${stage} already closed` };
    if (stage !== data.stage) return { status: 'ignored', reason: `stage ${stage} is not open yet (open: ${data.stage})` };
    if (m.out !== undefined) return { status: 'ignored', reason: `${memberId} left the round at ${m.out.stage} (${m.out.why})` };
    if (!participants(round, stage).includes(m)) return { status: 'ignored', reason: `${memberId} is not part of stage ${stage}` };
    // Vectors are not hashed (≈ 1 ms per 400 KB): a masked-input retry is recognised by its length and sampled bytes, then compared in full.
    const digest = !(bytes instanceof Uint8Array) ? '' : stage === 'masked-input' ? sampleDigest(bytes) : createHash('sha256').update(bytes).digest('hex');
    const prior = m.digests[stage];
    try {
      if (prior !== undefined) {
        if (prior === digest && (stage !== 'masked-input' || sameMaskedInput(round, m, bytes))) return { status: 'accepted', duplicate: true };
        throw new SecAggProtocolError(memberId, `sent a second, different ${stage} message (equivocation)`);
      }
      RECEIVERS[stage](round, m, bytes);
      m.digests[stage] = digest;
      return { status: 'accepted', duplicate: false };
    } catch (err) {
      const e = err instanceof FedfinError ? err : new SecAggProtocolError(memberId, `${stage} message: ${err instanceof Error ? err.message : String(err)}`);
      m.out = { stage, why: 'offence' };
      delete m.masked;
      data.offences.push({ memberId, stage, code: e.code, reason: e.message });
      // An offender that had shared keys is dropped from the sum; its pairwise masks are recovered like a dropout's.
      if (stage !== 'unmask') data.dropped.push({ memberId, stage });
      return { status: 'rejected', code: e.code, reason: e.message, offender: memberId };
    }
  }

  function close(stage: SecAggStage): CloseOutcome {
    if (stage !== data.stage) throw new SecAggProtocolError('coordinator', `close('${String(stage)}') while the open stage is ${data.stage}`);
    if (stage !== 'unmask') {
      for (const m of participants(round, stage)) {
        if (m.out === undefined && m.digests[stage] === undefined) {
          m.out = { stage, why: 'dropped' };
          data.dropped.push({ memberId: m.memberId, stage });
        }
      }
    }
    const outcome = CLOSERS[stage](round);
    if (outcome.status === 'aborted') {
      data.stage = 'aborted';
      data.abortReason = outcome.reason;
      for (const m of data.members) delete m.masked;
    } else data.stage = outcome.status === 'done' ? 'done' : outcome.stage;
    return outcome;
  }

  return {
    get stage() {
      return data.stage;
    },
    pending() {
      if (data.stage === 'done' || data.stage === 'aborted') return [];
      const s = data.stage;
      return participants(round, s)
        .filter((m) => m.out === undefined && m.digests[s] === undefined)
        .map((m) => m.memberId);
    },
    receive,
    close,
    finish(): SecAggResult {
      if (data.stage !== 'done' || data.unmaskedSum === undefined) throw new SecAggProtocolError('coordinator', `finish() while the round attempt is ${data.stage}${data.abortReason ? ` (${data.abortReason})` : ''}`);
      const config = data.config!;
      const numSurvivors = data.u3.length;
      const { mean, totalWeight } = dequantiseSum(data.unmaskedSum, numSurvivors, config);
      const noise = realisedNoise(config, numSurvivors);
      return {
        sum: data.unmaskedSum.slice(),
        numSurvivors,
        totalWeight,
        mean,
        survivors: data.u3.map((id) => round.byId.get(id)!.memberId),
        dropped: [...data.dropped],
        silentAtUnmask: [...data.silent],
        offences: [...data.offences],
        ...(noise ? { noise } : {}),
      };
    },
    toState: () => encodeState(data),
  };
}

/**
 * Creates the coordinator's state machine for one round attempt; the stage 'advertise' is open.
 * @param options see SecAggServerOptions.
 * @throws SecAggParamsError ('config-invalid') for settings refused for this cohort; TypeError/RangeError for malformed options.
 */
export function createSecAggServer(options: SecAggServerOptions): SecAggServer {
  checkContext('createSecAggServer', options);
  const { jobId, round, attempt, members, dimension, config, rng } = options;
  assertInt('createSecAggServer', 'dimension', dimension, 1, 2 ** 28);
  if (!Array.isArray(members as unknown)) throw new TypeError('createSecAggServer: "members" expected an array');
  checkSecAggConfig(config, members.length, dimension);
  const names = new Set<string>();
  const ids = new Set<bigint>();
  const records: MemberRecord[] = members.map((m, i) => {
    if (typeof m.memberId !== 'string' || m.memberId.length === 0) throw new TypeError(`createSecAggServer: "members[${i}].memberId" expected a non-empty string`);
    const numericId = toMemberId('createSecAggServer', `members[${i}].numericId`, m.numericId);
    assertBytes('createSecAggServer', `members[${i}].identityPublicKey`, m.identityPublicKey, 32);
    if (names.has(m.memberId) || ids.has(numericId)) throw new RangeError(`createSecAggServer: "members[${i}]" repeats member ${m.memberId} / #${numericId}`);
    names.add(m.memberId);
    ids.add(numericId);
    return { memberId: m.memberId, numericId, identityPublicKey: m.identityPublicKey.slice(), digests: {} };
  });
  const data: ServerData = { format: 1, ctx: { jobId, round, attempt }, dimension, jobConfig: config, stage: 'advertise', members: records, graph: [], u2: [], u3: [], requests: [], silent: [], offences: [], dropped: [] };
  return wrap(indexRound(data, rng));
}

/**
 * Resumes a state machine from `toState()` bytes (after a coordinator restart).
 * @param state bytes from toState.
 * @param rng randomness for the rest of the attempt.
 * @throws SecAggProtocolError ('protocol-violation') for corrupted or foreign state.
 */
export function restoreSecAggServer(state: Uint8Array, rng: RandomSource): SecAggServer {
  const data = decodeState(state) as ServerData;
  if (typeof data !== 'object' || data === null || data.format !== 1 || !Array.isArray(data.members)) throw new SecAggProtocolError('coordinator-state', 'saved SecAgg state: not a format-1 server state');
  return wrap(indexRound(data, rng));
}
