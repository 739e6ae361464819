/** Double masking (Bonawitz et al. 2017): y = x + PRG(b_u) ± pairwise masks mod M, and removal of masks from the sum. */
import { assertBytes } from '../../common/assert.js';
import { FedfinError } from '../../common/errors.js';
import { toMemberId, type MemberIdInput } from './member-id.js';
import { addMasks, checkModulus, type SignedKey } from './prg.js';

/** A pairwise mask key shared with one peer: deriveKey(agree(s_sk, s_pk_peer), sid, 'mask', own, peer). */
export interface PairwiseKey {
  readonly peerId: MemberIdInput;
  readonly key: Uint8Array;
}

/** A surviving member's self-mask seed b_u, reconstructed by the coordinator from t shares. */
export interface SurvivorSeed {
  readonly id: MemberIdInput;
  readonly seed: Uint8Array;
}

/** A member that shared keys but sent no masked input, with its pairwise keys towards surviving neighbours. */
export interface DroppedMember {
  readonly id: MemberIdInput;
  /** Keys recomputed from its reconstructed s_sk and each surviving neighbour's s_pk. */
  readonly pairwise: readonly PairwiseKey[];
}

function checkVector(ctx: string, name: string, v: unknown): asserts v is Uint32Array {
  if (!(v instanceof Uint32Array)) throw new TypeError(`${ctx}: "${name}" expected Uint32Array, got ${v === null ? 'null' : typeof v}`);
}

// Sign rule of Bonawitz et al. / fcp: a member adds PRG(k_uv) for peers with a smaller id and subtracts it for
// peers with a larger id, so the two copies of every pair cancel in the sum.
function signedPairwise(ctx: string, ownId: bigint, pairwise: readonly PairwiseKey[]): SignedKey[] {
  if (!Array.isArray(pairwise as unknown)) throw new TypeError(`${ctx}: "pairwise" expected array of {peerId, key}, got ${typeof pairwise}`);
  const seen = new Set<bigint>();
  pairwise.forEach((p, i) => {
    if (typeof p !== 'object' || p === null) throw new TypeError(`${ctx}: "pairwise[${i}]" expected {peerId, key}, got ${p === null ? 'null' : typeof p}`);
    const peer = toMemberId(ctx, `pairwise[${i}].peerId`, p.peerId);
    assertBytes(ctx, `pairwise[${i}].key`, p.key, 32);
    if (peer === ownId) throw new RangeError(`${ctx}: "pairwise[${i}].peerId" expected a peer other than member ${ownId}, got ${peer}`);
    if (seen.has(peer)) throw new RangeError(`${ctx}: "pairwise[${i}].peerId" expected distinct peers, got ${peer} twice`);
    seen.add(peer);
  });
  return pairwise.map((p) => ({ key: p.key, sign: toMemberId(ctx, 'peerId', p.peerId) < ownId ? 1 : -1 }));
}

/**
 * Masks a quantised input: y = x + PRG(b_u) + Σ_{v<u} PRG(k_uv) − Σ_{v>u} PRG(k_uv) (mod M).
 * @param input x, entries in [0, M) (see quantize.ts); not modified.
 * @param selfSeed b_u: 32 fresh random bytes per round, also Shamir-shared.
 * @param pairwise one key per neighbour (all of U2's neighbours of this member).
 * @param ownId this member's id u.
 * @param modulus M in [2, 2^32].
 * @returns y, a new Uint32Array.
 * @throws TypeError / RangeError for bad arguments, a repeated peer or the member itself among its peers.
 */
export function maskInput(input: Uint32Array, selfSeed: Uint8Array, pairwise: readonly PairwiseKey[], ownId: MemberIdInput, modulus: number): Uint32Array {
  checkVector('maskInput', 'input', input);
  assertBytes('maskInput', 'selfSeed', selfSeed, 32);
  checkModulus('maskInput', modulus);
  const own = toMemberId('maskInput', 'ownId', ownId);
  const y = input.slice();
  addMasks(y, [{ key: selfSeed, sign: 1 }, ...signedPairwise('maskInput', own, pairwise)], modulus);
  return y;
}

/**
 * Adds masked vectors mod M (the coordinator's running sum).
 * @param vectors masked inputs of equal length.
 * @param modulus M in [2, 2^32].
 * @returns Σ y mod M.
 * @throws RangeError for an empty list or unequal lengths.
 */
export function sumVectors(vectors: readonly Uint32Array[], modulus: number): Uint32Array {
  checkModulus('sumVectors', modulus);
  if (!Array.isArray(vectors as unknown) || vectors.length === 0) throw new RangeError('sumVectors: "vectors" expected a non-empty array of Uint32Array, got none');
  vectors.forEach((v, i) => checkVector('sumVectors', `vectors[${i}]`, v));
  const out = vectors[0]!.slice();
  for (let k = 1; k < vectors.length; k++) {
    const v = vectors[k]!;
    if (v.length !== out.length) throw new RangeError(`sumVectors: "vectors[${k}]" expected length ${out.length}, got ${v.length}`);
    for (let i = 0; i < out.length; i++) out[i] = (out[i]! + v[i]!) % modulus;
  }
  return out;
}

/**
 * Removes the masks from the sum of the survivors' masked inputs (Bonawitz round 4):
 * z = Σ_{u∈U3} y_u − Σ_{u∈U3} PRG(b_u) + Σ_{v∈U2\U3} (v's pairwise masks towards U3) (mod M).
 * A member is either a survivor (its b_u revealed) or dropped (its s_sk revealed), never both.
 * @param maskedSum Σ y_u over the survivors, mod M.
 * @param survivors each survivor's reconstructed self-mask seed.
 * @param dropped each member of U2\U3 with its pairwise keys towards its surviving neighbours.
 * @param modulus M in [2, 2^32].
 * @returns Σ x_u over the survivors, mod M (a new array).
 * @throws FedfinError 'protocol-violation' when a member appears as both survivor and dropped, or twice.
 */
export function unmaskSum(maskedSum: Uint32Array, survivors: readonly SurvivorSeed[], dropped: readonly DroppedMember[], modulus: number): Uint32Array {
  checkVector('unmaskSum', 'maskedSum', maskedSum);
  checkModulus('unmaskSum', modulus);
  if (!Array.isArray(survivors as unknown)) throw new TypeError(`unmaskSum: "survivors" expected array of {id, seed}, got ${typeof survivors}`);
  if (!Array.isArray(dropped as unknown)) throw new TypeError(`unmaskSum: "dropped" expected array of {id, pairwise}, got ${typeof dropped}`);
  const roles = new Map<bigint, string>();
  const claim = (id: bigint, role: string): void => {
    const prior = roles.get(id);
    if (prior !== undefined) throw new FedfinError('protocol-violation', `unmaskSum: member ${id} listed as ${prior} and as ${role}; a member's self seed and mask key are never both revealed`);
    roles.set(id, role);
  };
  const z = maskedSum.slice();
  survivors.forEach((s, i) => {
    if (typeof s !== 'object' || s === null) throw new TypeError(`unmaskSum: "survivors[${i}]" expected {id, seed}, got ${s === null ? 'null' : typeof s}`);
    claim(toMemberId('unmaskSum', `survivors[${i}].id`, s.id), 'survivor');
    assertBytes('unmaskSum', `survivors[${i}].seed`, s.seed, 32);
  });
  dropped.forEach((d, i) => {
    if (typeof d !== 'object' || d === null) throw new TypeError(`unmaskSum: "dropped[${i}]" expected {id, pairwise}, got ${d === null ? 'null' : typeof d}`);
    claim(toMemberId('unmaskSum', `dropped[${i}].id`, d.id), 'dropped');
  });
  for (const d of dropped) {
    for (const p of d.pairwise) {
      const role = roles.get(toMemberId('unmaskSum', 'peerId', p.peerId));
      if (role !== 'survivor') throw new FedfinError('protocol-violation', `unmaskSum: dropped member ${String(d.id)} has a key towards ${String(p.peerId)}, which is not a survivor`);
    }
  }
  // Adding a dropped member's own pairwise masks cancels the opposite-signed copies its survivors added.
  const masks: SignedKey[] = survivors.map((s) => ({ key: s.seed, sign: -1 }));
  for (const d of dropped) masks.push(...signedPairwise('unmaskSum', toMemberId('unmaskSum', 'id', d.id), d.pairwise));
  addMasks(z, masks, modulus);
  return z;
}
