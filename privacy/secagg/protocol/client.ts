/** The bank's side of one SecAgg+ round attempt: a four-stage state machine over bytes (see types.ts for the contract). */
import { createHash } from 'node:crypto';
import { assertBytes, assertInt } from '../../../common/assert.js';
import { KeyInvalidError, SecAggParamsError } from '../errors.js';
import { agree, agreeMany, generateKeyPair, type X25519KeyPair } from '../keys.js';
import { deriveKey } from '../kdf.js';
import { maskInput } from '../masking.js';
import { toMemberId } from '../member-id.js';
import { splitSecret } from '../shamir.js';
import { sealShare } from '../share-box.js';
import { encodeBundle, pairSessionId, secretId, seedCommitment, signAdvertisement, type Advertisement } from './binding.js';
import { checkRosterEntries, openInbox, revealShares, type HeldShares, type Neighbour } from './client-checks.js';
import { resolveSecAggConfig } from './config.js';
import { realisedNoise } from './dp-noise.js';
import { SecAggProtocolError } from './errors.js';
import { decodeInbox, decodeRoster, decodeUnmaskRequest, encodeAdvertise, encodeMaskedInput, encodeShareKeys, encodeUnmask, type BoxEntry } from './messages.js';
import { quantiseUpdate } from './quantise-update.js';
import { SECAGG_STAGES, type RealisedNoise, type ResolvedSecAggConfig, type SecAggClient, type SecAggClientOptions, type SecAggStage } from './types.js';

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/** Checks the round context shared by client and server options. */
export function checkContext(fn: string, o: { jobId: unknown; round: unknown; attempt: unknown }): void {
  if (typeof o.jobId !== 'string' || o.jobId.length === 0 || Buffer.byteLength(o.jobId) > 256) throw new TypeError(`${fn}: "jobId" expected a non-empty string of at most 256 bytes, got ${typeof o.jobId}`);
  assertInt(fn, 'round', o.round, 0, 2 ** 32 - 1);
  assertInt(fn, 'attempt', o.attempt, 0, 2 ** 32 - 1);
}

/**
 * Creates one bank's protocol state for one round attempt. Secrets live only in this object (never
 * persisted): a bank that restarts mid-round simply drops out of the attempt.
 * @param options see SecAggClientOptions.
 * @throws TypeError / RangeError for malformed options (a wiring bug).
 */
export function createSecAggClient(options: SecAggClientOptions): SecAggClient {
  checkContext('createSecAggClient', options);
  const { jobId, round, attempt, memberId, signingKey, dimension, config: jobConfig, rng, trustedIdentityKeys } = options;
  if (typeof memberId !== 'string' || memberId.length === 0) throw new TypeError('createSecAggClient: "memberId" expected a non-empty string');
  const me = toMemberId('createSecAggClient', 'numericId', options.numericId);
  assertBytes('createSecAggClient', 'signingKey', signingKey, 64);
  assertInt('createSecAggClient', 'dimension', dimension, 1, 2 ** 28);
  const ctx = { jobId, round, attempt };
  const expect = (stage: SecAggStage) => ({ ctx, stage, direction: 'down' as const, numericId: me });

  let stage: SecAggStage | 'new' | 'wiped' = 'new';
  const answers = new Map<SecAggStage, { input: string; output: Uint8Array }>();
  let cKeys: X25519KeyPair | undefined;
  let sKeys: X25519KeyPair | undefined;
  let seed: Uint8Array | undefined;
  let myAdv: Advertisement | undefined;
  let config: ResolvedSecAggConfig | undefined;
  let neighbours = new Map<bigint, Neighbour>();
  let own: HeldShares | undefined;
  let held = new Map<bigint, HeldShares>();

  // Stage order, and one answer per stage: the same input gets the same bytes back, another input is refused.
  function once(s: SecAggStage, input: Uint8Array, compute: () => Uint8Array): Uint8Array {
    if (stage === 'wiped' && !answers.has(s)) throw new SecAggProtocolError(memberId, `${s}: the client was wiped`);
    const prior = answers.get(s);
    const digest = sha256(input);
    if (prior) {
      if (prior.input !== digest) throw new SecAggProtocolError('coordinator', `${s}: a second, different payload for a stage already answered (equivocation); refusing to answer twice`);
      return prior.output.slice();
    }
    const idx = SECAGG_STAGES.indexOf(s);
    const expected = idx === 0 ? 'new' : SECAGG_STAGES[idx - 1];
    if (stage !== expected) throw new SecAggProtocolError('coordinator', `${s} asked while the last completed stage is ${stage}; expected ${expected}`);
    const output = compute();
    answers.set(s, { input: digest, output });
    stage = s;
    return output.slice();
  }

  function zeroAll(): void {
    for (const k of [cKeys?.secretKey, sKeys?.secretKey, seed]) k?.fill(0);
    for (const n of neighbours.values()) n.encKey.fill(0);
    for (const h of [own, ...held.values()]) {
      h?.maskKey.y.fill(0);
      h?.selfSeed.y.fill(0);
    }
    neighbours = new Map();
    held = new Map();
    own = undefined;
  }

  // One private-key parse for all neighbours; on failure, find and name the neighbour with the unusable key.
  function agreeAll(sk: Uint8Array, peers: readonly Advertisement[], pick: (p: Advertisement) => Uint8Array): Uint8Array[] {
    try {
      return agreeMany(sk, peers.map(pick));
    } catch (err) {
      const bad = peers.find((p) => {
        try {
          agree(sk, pick(p));
          return false;
        } catch {
          return true;
        }
      });
      throw new KeyInvalidError(`secagg: neighbour ${bad?.memberId ?? '?'} (#${bad?.numericId ?? '?'}) advertised an unusable key`, { cause: err });
    }
  }


  return {
    memberId,
    numericId: me,
    get stage() {
      return stage;
    },

    advertise() {
      return once('advertise', new Uint8Array(0), () => {
        cKeys = generateKeyPair(rng);
        sKeys = generateKeyPair(rng);
        seed = new Uint8Array(32);
        rng.fill(seed);
        const unsigned = { numericId: me, memberId, cPk: cKeys.publicKey, sPk: sKeys.publicKey, bCommit: seedCommitment(ctx, me, seed) };
        myAdv = { ...unsigned, signature: signAdvertisement(ctx, unsigned, signingKey) };
        return encodeAdvertise(ctx, myAdv);
      });
    },

    shareKeys(rosterBytes) {
      return once('share-keys', rosterBytes instanceof Uint8Array ? rosterBytes : new Uint8Array(0), () => {
        const roster = decodeRoster(rosterBytes, expect('share-keys'));
        const resolved = resolveSecAggConfig(jobConfig, roster.numAdvertised, dimension);
        if (!resolved.ok) throw new SecAggParamsError(resolved.reasons);
        config = resolved.config;
        const { neighbours: k, threshold: t } = config;
        if (roster.neighbours !== k || roster.threshold !== t) {
          throw new SecAggProtocolError('coordinator', `roster sets k = ${roster.neighbours}, t = ${roster.threshold}; the job's settings give k = ${k}, t = ${t} for n = ${roster.numAdvertised}`);
        }
        const peers = checkRosterEntries(ctx, roster, myAdv!, k, trustedIdentityKeys);
        const shared = agreeAll(cKeys!.secretKey, peers, (p) => p.cPk);
        neighbours = new Map(
          peers.map((e, i) => {
            const sid = pairSessionId(ctx, myAdv!, e);
            return [e.numericId, { entry: e, sid, encKey: deriveKey(shared[i]!, sid, 'enc', me, e.numericId) }];
          }),
        );
        const holders = [me, ...neighbours.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
        const split = (secret: Uint8Array, kind: 'mask-key' | 'self-seed') => splitSecret(secret, { threshold: t, shares: holders.length, secretId: secretId(ctx, me, kind) }, rng);
        const maskShares = split(sKeys!.secretKey, 'mask-key');
        const seedShares = split(seed!, 'self-seed');
        const boxes: BoxEntry[] = [];
        holders.forEach((h, i) => {
          if (h === me) {
            own = { maskKey: maskShares[i]!, selfSeed: seedShares[i]! };
            return;
          }
          const n = neighbours.get(h)!;
          const bundle = encodeBundle(maskShares[i]!, seedShares[i]!);
          boxes.push({ peer: h, box: sealShare(n.encKey, { sid: n.sid, sender: me, recipient: h }, bundle, rng) });
          bundle.fill(0);
        });
        for (const s of [...maskShares, ...seedShares]) if (s !== own?.maskKey && s !== own?.selfSeed) s.y.fill(0);
        return encodeShareKeys(ctx, me, boxes);
      });
    },

    maskedInput(inboxBytes, update, numExamples) {
      return once('masked-input', inboxBytes instanceof Uint8Array ? inboxBytes : new Uint8Array(0), () => {
        const inbox = decodeInbox(inboxBytes, expect('masked-input'));
        const { complaints, shares } = openInbox(ctx, me, inbox, neighbours, config!);
        held = shares;
        const senders = inbox.map((b) => neighbours.get(b.peer)!);
        const shared = agreeAll(sKeys!.secretKey, senders.map((n) => n.entry), (p) => p.sPk);
        const pairwise = senders.map((n, i) => ({ peerId: n.entry.numericId, key: deriveKey(shared[i]!, n.sid, 'mask', me, n.entry.numericId) }));
        const x = quantiseUpdate(update, numExamples, config!, options.inputRng ?? rng);
        const y = maskInput(x, seed!, pairwise, me, config!.modulus);
        x.fill(0);
        for (const p of pairwise) p.key.fill(0);
        return encodeMaskedInput(ctx, me, { complaints, vector: y }, config!.modulus);
      });
    },

    unmask(requestBytes) {
      return once('unmask', requestBytes instanceof Uint8Array ? requestBytes : new Uint8Array(0), () => {
        const req = decodeUnmaskRequest(requestBytes, expect('unmask'));
        const out = encodeUnmask(ctx, me, revealShares(me, req, own!, held, config!.threshold));
        zeroAll(); // nothing secret is needed any more; a retry is answered from the cached bytes
        return out;
      });
    },

    plannedNoise(): RealisedNoise | undefined {
      const dp = jobConfig.distributedDp;
      if (dp === undefined) return undefined;
      const c = config ?? resolveSecAggConfig(jobConfig, Math.max(2, dp.minSurvivors), dimension);
      if ('ok' in c && !c.ok) throw new SecAggParamsError(c.reasons);
      return realisedNoise('ok' in c ? c.config : c, dp.minSurvivors);
    },

    wipe() {
      zeroAll();
      stage = 'wiped';
    },
  };
}

