/** The bank's checks on what the coordinator sends: roster signatures and shape, inbox boxes, unmask requests (never both secrets). */
import { FedfinError } from '../../../common/errors.js';
import { encodeShare, shareTag, type Share } from '../shamir.js';
import { openShare } from '../share-box.js';
import { decodeBundle, secretId, verifyAdvertisement, type Advertisement } from './binding.js';
import { SecAggProtocolError } from './errors.js';
import type { BoxEntry, RevealedShare, Roster, RosterEntry, UnmaskRequest } from './messages.js';
import type { ResolvedSecAggConfig, SecAggRoundContext } from './types.js';

/** A neighbour after share-keys: its advertisement, the pair's session id and share-box key. */
export interface Neighbour {
  readonly entry: RosterEntry;
  readonly sid: Uint8Array;
  readonly encKey: Uint8Array;
}

/** The two shares a bank holds of one owner's secrets. */
export interface HeldShares {
  readonly maskKey: Share;
  readonly selfSeed: Share;
}

const same = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Checks a roster: exactly k + 1 distinct entries, this bank's own entry unaltered, and every other entry
 * signed by the identity key the bank trusts (its own list when given, else the roster's).
 * @returns the neighbours' entries.
 * @throws SecAggProtocolError ('coordinator') or SignatureInvalidError naming the member.
 */
export function checkRosterEntries(ctx: SecAggRoundContext, roster: Roster, mine: Advertisement, k: number, trusted?: ReadonlyMap<string, Uint8Array>): RosterEntry[] {
  if (roster.entries.length !== k + 1) throw new SecAggProtocolError('coordinator', `roster lists ${roster.entries.length} banks, expected k + 1 = ${k + 1}`);
  const ids = new Set<bigint>();
  const names = new Set<string>();
  let selfSeen = false;
  const peers: RosterEntry[] = [];
  for (const e of roster.entries) {
    if (ids.has(e.numericId) || names.has(e.memberId)) throw new SecAggProtocolError('coordinator', `roster lists ${e.memberId} (#${e.numericId}) twice`);
    ids.add(e.numericId);
    names.add(e.memberId);
    if (e.numericId === mine.numericId || e.memberId === mine.memberId) {
      const intact = e.numericId === mine.numericId && e.memberId === mine.memberId && same(e.cPk, mine.cPk) && same(e.sPk, mine.sPk) && same(e.bCommit, mine.bCommit) && same(e.signature, mine.signature);
      if (!intact) throw new SecAggProtocolError('coordinator', `roster alters this bank's own advertisement`);
      selfSeen = true;
      continue;
    }
    let key = e.identityPublicKey;
    if (trusted !== undefined) {
      const t = trusted.get(e.memberId);
      if (t === undefined) throw new SecAggProtocolError('coordinator', `roster lists ${e.memberId}, which is not among the federation's trusted identity keys`);
      key = t;
    }
    verifyAdvertisement(ctx, e, key);
    peers.push(e);
  }
  if (!selfSeen) throw new SecAggProtocolError('coordinator', 'roster does not list this bank');
  return peers;
}

/**
 * Opens the share boxes addressed to this bank. A box that fails authentication, or holds shares with the
 * wrong tag, threshold or length, becomes a complaint against its sender (the bank still masks with it).
 * @throws SecAggProtocolError ('coordinator') when a sender is not a neighbour or fewer than t − 1 neighbours shared.
 */
export function openInbox(ctx: SecAggRoundContext, me: bigint, inbox: readonly BoxEntry[], neighbours: ReadonlyMap<bigint, Neighbour>, config: ResolvedSecAggConfig): { complaints: bigint[]; shares: Map<bigint, HeldShares> } {
  const t = config.threshold;
  for (const b of inbox) if (!neighbours.has(b.peer)) throw new SecAggProtocolError('coordinator', `inbox holds a box from #${b.peer}, which is not a neighbour`);
  if (inbox.length + 1 < t) throw new SecAggProtocolError('coordinator', `only ${inbox.length} neighbours shared keys; the threshold t = ${t} needs at least ${t - 1}`);
  const complaints: bigint[] = [];
  const shares = new Map<bigint, HeldShares>();
  for (const b of inbox) {
    const n = neighbours.get(b.peer)!;
    try {
      const bundle = openShare(n.encKey, { sid: n.sid, sender: b.peer, recipient: me }, b.box);
      const { maskKey, selfSeed } = decodeBundle(bundle);
      bundle.fill(0);
      for (const [s, kind] of [[maskKey, 'mask-key'], [selfSeed, 'self-seed']] as const) {
        if (s.threshold !== t || s.y.length !== 32 || !same(s.tag, shareTag(secretId(ctx, b.peer, kind)))) throw new FedfinError('share-invalid', `share of #${b.peer}'s ${kind} does not belong to this round`);
      }
      shares.set(b.peer, { maskKey, selfSeed });
    } catch (err) {
      if (!(err instanceof FedfinError)) throw err;
      complaints.push(b.peer);
    }
  }
  return { complaints, shares };
}

/**
 * The shares to reveal for an unmask request: the self-seed share of every listed survivor (its own
 * included), the mask-key share of every listed dropped bank. Refuses a request that lists a bank as
 * both, lists this bank as dropped or omits it, names a bank whose shares it does not hold, or leaves
 * fewer than t survivors in its neighbourhood.
 * @throws SecAggProtocolError ('coordinator').
 */
export function revealShares(me: bigint, req: UnmaskRequest, own: HeldShares, held: ReadonlyMap<bigint, HeldShares>, t: number): RevealedShare[] {
  const survivors = new Set(req.survivors);
  for (const d of req.dropped) if (survivors.has(d)) throw new SecAggProtocolError('coordinator', `unmask request lists #${d} as both survivor and dropped: a bank's self seed and mask key are never both revealed`);
  if (req.dropped.includes(me)) throw new SecAggProtocolError('coordinator', 'unmask request lists this bank as dropped although it sent its masked input');
  if (!survivors.has(me)) throw new SecAggProtocolError('coordinator', 'unmask request does not list this bank among the survivors');
  if (survivors.size < t) throw new SecAggProtocolError('coordinator', `unmask request lists ${survivors.size} survivors in this neighbourhood, fewer than t = ${t}`);
  for (const id of [...req.survivors, ...req.dropped]) {
    if (id !== me && !held.has(id)) throw new SecAggProtocolError('coordinator', `unmask request names #${id}, whose shares this bank does not hold`);
  }
  const out: RevealedShare[] = [];
  for (const id of req.survivors) out.push({ owner: id, kind: 'self-seed', share: encodeShare(id === me ? own.selfSeed : held.get(id)!.selfSeed) });
  for (const id of req.dropped) out.push({ owner: id, kind: 'mask-key', share: encodeShare(held.get(id)!.maskKey) });
  return out;
}
