/** The coordinator's checks and stage closes for advertise, share-keys and masked-input (unmask is in server-unmask.ts). */
import { KeyInvalidError } from '../errors.js';
import { buildNeighbourhoods } from '../graph.js';
import { verifyAdvertisement } from './binding.js';
import { resolveSecAggConfig } from './config.js';
import { SecAggProtocolError } from './errors.js';
import { decodeAdvertise, decodeMaskedInput, decodeShareKeys, encodeInbox, encodeRoster, encodeUnmaskRequest } from './messages.js';
import { byNumber, present, type MemberRecord, type Round } from './server-data.js';
import { addVectors } from './sum.js';
import type { CloseOutcome } from './types.js';

// X25519 points of small order (libsodium's list, compared with the top bit ignored as X25519 ignores it):
// agreement with them yields a secret everyone knows. Checked without parsing keys (parsing costs ~0.1–1 ms).
const SMALL_ORDER = [
  '0000000000000000000000000000000000000000000000000000000000000000',
  '0100000000000000000000000000000000000000000000000000000000000000',
  'e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800',
  '5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157',
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
].map((h) => Buffer.from(h, 'hex'));

/** True for a public key of small order (the all-zero shared secret case of RFC 7748 §6.1). */
export function hasSmallOrder(pk: Uint8Array): boolean {
  const k = Buffer.from(pk);
  k[31] = k[31]! & 0x7f;
  return SMALL_ORDER.some((b) => b.equals(k));
}
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** Minimum members every stage must keep: 2, and minSurvivors with distributed DP. */
export function minimumMembers(round: Round): number {
  return Math.max(2, round.data.jobConfig.distributedDp?.minSurvivors ?? 2);
}

export function receiveAdvertise(round: Round, m: MemberRecord, bytes: Uint8Array): void {
  const { ctx } = round.data;
  const adv = decodeAdvertise(bytes, { ctx, stage: 'advertise', direction: 'up', numericId: m.numericId }, m.memberId);
  if (adv.memberId !== m.memberId) throw new SecAggProtocolError(m.memberId, `advertisement names member '${adv.memberId}' (a member acting as another)`);
  verifyAdvertisement(ctx, adv, m.identityPublicKey);
  if (hasSmallOrder(adv.cPk) || hasSmallOrder(adv.sPk)) throw new KeyInvalidError(`secagg: ${m.memberId} advertised a low-order public key`);
  if (hex(adv.cPk) === hex(adv.sPk)) throw new SecAggProtocolError(m.memberId, 'advertises the same key for encryption and masking');
  const mine = new Set([hex(adv.cPk), hex(adv.sPk)]);
  for (const other of round.data.members) {
    if (other === m || other.adv === undefined || other.out !== undefined) continue;
    if (mine.has(hex(other.adv.cPk)) || mine.has(hex(other.adv.sPk))) throw new SecAggProtocolError(m.memberId, `advertises a public key already advertised by ${other.memberId}`);
  }
  m.adv = adv;
}

export function closeAdvertise(round: Round): CloseOutcome {
  const { data } = round;
  const u1 = data.members.filter((m) => m.out === undefined).map((m) => m.numericId);
  if (u1.length < minimumMembers(round)) return { status: 'aborted', reason: `only ${u1.length} banks advertised keys; the round needs at least ${minimumMembers(round)}` };
  const resolved = resolveSecAggConfig(data.jobConfig, u1.length, data.dimension);
  if (!resolved.ok) return { status: 'aborted', reason: `settings refused for the ${u1.length} banks that advertised: ${resolved.reasons.join('; ')}` };
  const config = resolved.config;
  data.config = config;
  round.graph = buildNeighbourhoods(u1, config.neighbours, round.rng);
  data.graph = [...round.graph.entries()];
  const payloads = new Map<string, Uint8Array>();
  for (const id of u1) {
    const entries = [id, ...round.graph.get(id)!].sort(byNumber).map((v) => {
      const r = round.byId.get(v)!;
      return { ...r.adv!, identityPublicKey: r.identityPublicKey };
    });
    payloads.set(round.byId.get(id)!.memberId, encodeRoster(data.ctx, id, { neighbours: config.neighbours, threshold: config.threshold, numAdvertised: u1.length, entries }));
  }
  return { status: 'next', stage: 'share-keys', payloads };
}

export function receiveShareKeys(round: Round, m: MemberRecord, bytes: Uint8Array): void {
  const boxes = decodeShareKeys(bytes, { ctx: round.data.ctx, stage: 'share-keys', direction: 'up', numericId: m.numericId }, m.memberId);
  const expected = round.graph.get(m.numericId)!;
  const got = new Set(boxes.map((b) => b.peer));
  const missing = expected.filter((v) => !got.has(v));
  const extra = [...got].filter((v) => !expected.includes(v));
  if (missing.length > 0 || extra.length > 0) {
    throw new SecAggProtocolError(m.memberId, `share boxes must go to exactly its ${expected.length} neighbours; missing [${missing.join(', ')}], unexpected [${extra.join(', ')}]`);
  }
  m.boxes = boxes;
}

/** Holders of `owner`'s shares that can answer unmask: owner and its neighbours among `alive`, minus `exclude`. */
function holders(round: Round, owner: bigint, alive: ReadonlySet<bigint>, exclude: ReadonlySet<bigint> = new Set()): number {
  return [owner, ...round.graph.get(owner)!].filter((h) => alive.has(h) && !exclude.has(h)).length;
}

export function closeShareKeys(round: Round): CloseOutcome {
  const { data } = round;
  const u2 = data.graph.map(([id]) => id).filter((id) => round.byId.get(id)!.out === undefined);
  data.u2 = u2;
  if (u2.length < minimumMembers(round)) return { status: 'aborted', reason: `only ${u2.length} banks shared keys; the round needs at least ${minimumMembers(round)}` };
  const alive = new Set(u2);
  const t = data.config!.threshold;
  for (const w of u2) {
    const h = holders(round, w, alive);
    if (h < t) return { status: 'aborted', reason: `the neighbourhood of ${round.byId.get(w)!.memberId} keeps ${h} share holders, fewer than t = ${t}` };
  }
  const payloads = new Map<string, Uint8Array>();
  for (const u of u2) {
    const boxes = present(round, round.graph.get(u)!).map((v) => ({ peer: v, box: round.byId.get(v)!.boxes!.find((b) => b.peer === u)!.box }));
    payloads.set(round.byId.get(u)!.memberId, encodeInbox(data.ctx, u, boxes));
  }
  return { status: 'next', stage: 'masked-input', payloads };
}

export function receiveMaskedInput(round: Round, m: MemberRecord, bytes: Uint8Array): void {
  const { data } = round;
  const config = data.config!;
  const msg = decodeMaskedInput(bytes, { ctx: data.ctx, stage: 'masked-input', direction: 'up', numericId: m.numericId }, m.memberId, data.dimension + 1, config.modulus);
  const senders = new Set(round.graph.get(m.numericId)!.filter((v) => data.u2.includes(v)));
  for (const c of msg.complaints) if (!senders.has(c)) throw new SecAggProtocolError(m.memberId, `complains about #${c}, which sent it no share box`);
  m.masked = msg.vector;
  m.complaints = [...msg.complaints];
}

export function closeMaskedInput(round: Round): CloseOutcome {
  const { data } = round;
  const t = data.config!.threshold;
  // A complaint excludes the accused: its input is dropped and its pairwise masks are recovered instead.
  const complainedBy = new Map<bigint, Set<bigint>>();
  for (const u of present(round, data.u2)) {
    const m = round.byId.get(u)!;
    for (const v of m.complaints ?? []) {
      complainedBy.set(v, (complainedBy.get(v) ?? new Set()).add(u));
      const accused = round.byId.get(v)!;
      data.offences.push({ memberId: accused.memberId, stage: 'share-keys', code: 'decryption-failed', reason: `its share box for ${m.memberId} did not open or held invalid shares (complaint by ${m.memberId})` });
      if (accused.out === undefined) {
        accused.out = { stage: 'masked-input', why: 'offence' };
        data.dropped.push({ memberId: accused.memberId, stage: 'masked-input' });
      }
    }
  }
  const u3 = present(round, data.u2);
  data.u3 = u3;
  if (u3.length < minimumMembers(round)) return { status: 'aborted', reason: `only ${u3.length} banks sent masked inputs; the round needs at least ${minimumMembers(round)}` };
  const alive = new Set(u3);
  for (const w of data.u2) {
    const h = holders(round, w, alive, complainedBy.get(w));
    if (h < t) return { status: 'aborted', reason: `the secrets of ${round.byId.get(w)!.memberId} have ${h} holders among the survivors, fewer than t = ${t}` };
  }
  const vectors = u3.map((u) => round.byId.get(u)!.masked!);
  data.maskedSum = addVectors(vectors, data.config!.modulus);
  for (const m of data.members) delete m.masked;
  const droppedAfterShare = new Set(data.u2.filter((v) => !alive.has(v)));
  const payloads = new Map<string, Uint8Array>();
  data.requests = [];
  for (const u of u3) {
    const mine = new Set(round.byId.get(u)!.complaints ?? []);
    const hood = [u, ...round.graph.get(u)!].filter((v) => !mine.has(v)).sort(byNumber);
    const req = { survivors: hood.filter((v) => alive.has(v)), dropped: hood.filter((v) => droppedAfterShare.has(v)) };
    data.requests.push([u, req]);
    payloads.set(round.byId.get(u)!.memberId, encodeUnmaskRequest(data.ctx, u, req));
  }
  return { status: 'next', stage: 'unmask', payloads };
}
