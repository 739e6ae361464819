/** The coordinator's unmask stage: checks revealed shares, reconstructs survivors' seeds and dropped banks' mask keys, removes the masks. */
import { FedfinError } from '../../../common/errors.js';
import { agreeMany, publicKeyOf } from '../keys.js';
import { deriveKey } from '../kdf.js';
import { unmaskSum } from '../masking.js';
import { combineShares, decodeShare, shareTag, type Share } from '../shamir.js';
import { pairSessionId, secretId, seedCommitment, type SecretKind } from './binding.js';
import { SecAggProtocolError } from './errors.js';
import { decodeUnmask } from './messages.js';
import type { MemberRecord, Round } from './server-data.js';
import type { CloseOutcome } from './types.js';

const same = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

export function receiveUnmask(round: Round, m: MemberRecord, bytes: Uint8Array): void {
  const { data } = round;
  const revealed = decodeUnmask(bytes, { ctx: data.ctx, stage: 'unmask', direction: 'up', numericId: m.numericId }, m.memberId);
  const req = data.requests.find(([id]) => id === m.numericId)![1];
  const want = new Map<bigint, SecretKind>([...req.survivors.map((v) => [v, 'self-seed'] as const), ...req.dropped.map((v) => [v, 'mask-key'] as const)]);
  if (revealed.length !== want.size) throw new SecAggProtocolError(m.memberId, `reveals ${revealed.length} shares, ${want.size} were asked for`);
  for (const r of revealed) {
    const kind = want.get(r.owner);
    if (kind === undefined) throw new SecAggProtocolError(m.memberId, `reveals a share of #${r.owner}, which was not asked for`);
    if (kind !== r.kind) throw new SecAggProtocolError(m.memberId, `reveals the ${r.kind} share of #${r.owner}; its ${kind} share was asked for`);
    const share = decodeShare(r.share);
    const key = `${r.owner}/${kind}`;
    let tag = round.tags.get(key);
    if (tag === undefined) round.tags.set(key, (tag = shareTag(secretId(data.ctx, r.owner, kind))));
    if (share.threshold !== data.config!.threshold || !same(share.tag, tag)) {
      throw new FedfinError('share-invalid', `secagg: ${m.memberId} revealed a share of #${r.owner}'s ${kind} that belongs to another secret or round`);
    }
  }
  m.revealed = revealed;
}

/** Reconstructs one secret from t shares, verified by `check`; on failure, finds a single bad holder by leaving each share out once. */
function reconstruct(shares: readonly { holder: string; share: Share }[], t: number, check: (s: Uint8Array) => boolean): { secret?: Uint8Array; bad?: string } {
  const attempt = (subset: readonly Share[]): Uint8Array | undefined => {
    try {
      const s = combineShares(subset);
      return check(s) ? s : undefined;
    } catch (err) {
      if (err instanceof FedfinError) return undefined;
      throw err;
    }
  };
  if (shares.length < t) return {};
  // Fast path: t shares and the commitment / public-key check (which catches a corrupted share among them).
  const first = attempt(shares.slice(0, t).map((s) => s.share));
  if (first) return { secret: first };
  const all = attempt(shares.map((s) => s.share));
  if (all) return { secret: all };
  if (shares.length === t) return {};
  for (let i = 0; i < shares.length; i++) {
    const s = attempt(shares.filter((_, j) => j !== i).map((x) => x.share));
    if (s) return { secret: s, bad: shares[i]!.holder };
  }
  return {};
}

export function closeUnmask(round: Round): CloseOutcome {
  const { data } = round;
  const config = data.config!;
  const t = config.threshold;
  const collected = new Map<bigint, { holder: string; share: Share }[]>();
  for (const [holder] of data.requests) {
    const m = round.byId.get(holder)!;
    if (m.revealed === undefined) {
      data.silent.push(m.memberId);
      continue;
    }
    for (const r of m.revealed) collected.set(r.owner, [...(collected.get(r.owner) ?? []), { holder: m.memberId, share: decodeShare(r.share) }]);
  }
  const alive = new Set(data.u3);
  const recover = (owner: bigint, kind: SecretKind): Uint8Array | string => {
    const o = round.byId.get(owner)!;
    const check = kind === 'self-seed' ? (s: Uint8Array) => same(seedCommitment(data.ctx, owner, s), o.adv!.bCommit) : (s: Uint8Array) => same(publicKeyOf(s), o.adv!.sPk);
    const shares = collected.get(owner) ?? [];
    const { secret, bad } = reconstruct(shares, t, check);
    if (bad !== undefined) data.offences.push({ memberId: bad, stage: 'unmask', code: 'share-invalid', reason: `its share of ${o.memberId}'s ${kind} is inconsistent with the others` });
    return secret ?? `the ${kind} of ${o.memberId} could not be reconstructed from ${shares.length} shares (t = ${t})`;
  };
  const seeds = [];
  for (const u of data.u3) {
    const seed = recover(u, 'self-seed');
    if (typeof seed === 'string') return { status: 'aborted', reason: seed };
    seeds.push({ id: u, seed });
  }
  const dropped = [];
  for (const w of data.u2.filter((v) => !alive.has(v))) {
    const sk = recover(w, 'mask-key');
    if (typeof sk === 'string') return { status: 'aborted', reason: sk };
    const wAdv = round.byId.get(w)!.adv!;
    const peers = round.graph.get(w)!.filter((v) => alive.has(v));
    const advs = peers.map((v) => round.byId.get(v)!.adv!);
    const shared = agreeMany(sk, advs.map((a) => a.sPk)); // one private-key parse per dropped bank
    const pairwise = peers.map((v, i) => ({ peerId: v, key: deriveKey(shared[i]!, pairSessionId(data.ctx, wAdv, advs[i]!), 'mask', w, v) }));
    sk.fill(0);
    dropped.push({ id: w, pairwise });
  }
  data.unmaskedSum = unmaskSum(data.maskedSum!, seeds, dropped, config.modulus);
  delete data.maskedSum;
  for (const m of data.members) delete m.revealed;
  return { status: 'done' };
}
