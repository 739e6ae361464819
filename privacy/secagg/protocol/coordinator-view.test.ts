/** The coordinator learns nothing individual: everything it receives in a round, used together, yields only the survivors' whole sum. */
import { describe, it, expect } from 'vitest';
import { interpolateAt } from '../gf256.js';
import { combineShares, decodeShare, type Share } from '../shamir.js';
import { deriveKey } from '../kdf.js';
import { agree } from '../keys.js';
import { expandMask } from '../prg.js';
import { pairSessionId, seedCommitment } from './binding.js';
import { decodeAdvertise, decodeMaskedInput, decodeUnmask } from './messages.js';
import type { ServerData } from './server-data.js';
import { decodeState } from './state-codec.js';
import { makeCohort, quantisedInput, resolvedFor, runRound } from './testing/harness.js';

const M = 2 ** 32;

describe('what the coordinator sees', () => {
  // n = 12, k = 7 (t = 5): a sparse graph; one bank drops after share keys, so dropped-key recovery is in the view too.
  const cohort = makeCohort(12, 512, { neighbours: 7 }, 'view');
  const run = runRound(cohort, { drop: { 'masked-input': new Set(['bank-004']) } });
  const result = run.result!;
  const config = resolvedFor(cohort, 12);
  const ctx = { jobId: cohort.jobId, round: cohort.round, attempt: cohort.attempt };
  const idOf = new Map(cohort.banks.map((b) => [b.member.memberId, BigInt(b.member.numericId)]));
  const ex = (stage: 'advertise' | 'masked-input' | 'unmask', memberId: string) => ({ ctx, stage, direction: 'up' as const, numericId: idOf.get(memberId)! });
  // Every byte the coordinator received, decoded the way it decodes them.
  const adverts = new Map(run.receipts.filter((r) => r.stage === 'advertise').map((r) => [r.memberId, decodeAdvertise(r.bytes, ex('advertise', r.memberId), r.memberId)]));
  const masked = new Map(run.receipts.filter((r) => r.stage === 'masked-input').map((r) => [r.memberId, decodeMaskedInput(r.bytes, ex('masked-input', r.memberId), r.memberId, 513, M).vector]));
  const revealed = run.receipts.filter((r) => r.stage === 'unmask').flatMap((r) => decodeUnmask(r.bytes, ex('unmask', r.memberId), r.memberId).map((s) => ({ ...s, holder: r.memberId })));
  const survivors = result.survivors;
  const inputs = new Map(survivors.map((id) => [id, quantisedInput(cohort, id, config)]));

  it('completes with the exact sum (sanity for the view below)', () => {
    expect(run.status).toBe('done');
    expect(survivors).toHaveLength(11);
  });

  it('never receives both a self-seed share and a mask-key share of the same bank', () => {
    const kinds = new Map<bigint, Set<string>>();
    for (const r of revealed) kinds.set(r.owner, (kinds.get(r.owner) ?? new Set()).add(r.kind));
    for (const set of kinds.values()) expect(set.size).toBe(1);
    expect(kinds.get(idOf.get('bank-004')!)).toEqual(new Set(['mask-key']));
  });

  it('sees each masked vector as uniform noise, uncorrelated with the bank’s quantised input', () => {
    for (const id of survivors) {
      const y = masked.get(id)!;
      const x = inputs.get(id)!;
      // χ² of the top 4 bits over 16 bins: 15 degrees of freedom, 99.99th percentile ≈ 44.
      const bins = new Array<number>(16).fill(0);
      for (const v of y) bins[v >>> 28]! += 1;
      const e = y.length / 16;
      expect(bins.reduce((s, o) => s + ((o - e) * (o - e)) / e, 0)).toBeLessThan(44);
      // Pearson correlation of y with x: |r| < 4/√d under independence.
      const mean = (a: Uint32Array) => a.reduce((s, v) => s + v, 0) / a.length;
      const [mx, my] = [mean(x), mean(y)];
      let sxy = 0;
      let sxx = 0;
      let syy = 0;
      for (let i = 0; i < y.length; i++) {
        sxy += (x[i]! - mx) * (y[i]! - my);
        sxx += (x[i]! - mx) ** 2;
        syy += (y[i]! - my) ** 2;
      }
      expect(Math.abs(sxy / Math.sqrt(sxx * syy))).toBeLessThan(4 / Math.sqrt(y.length));
    }
  });

  it('cannot compute any proper subset sum of inputs, even with every seed and key it reconstructed', () => {
    // The coordinator's full knowledge after unmask: y_u, every survivor's b_u, the dropped bank's s_sk.
    const shares = (owner: bigint, kind: string): Share[] => revealed.filter((r) => r.owner === owner && r.kind === kind).map((r) => decodeShare(r.share));
    const dropped = idOf.get('bank-004')!;
    const graph = new Map((decodeState(run.server.toState()) as ServerData).graph);
    const sk = combineShares(shares(dropped, 'mask-key'));
    const residual = new Map<string, Uint32Array>();
    for (const id of survivors) {
      const u = idOf.get(id)!;
      const b = combineShares(shares(u, 'self-seed'));
      expect(seedCommitment(ctx, u, b)).toEqual(adverts.get(id)!.bCommit);
      const self = expandMask(b, 513, M);
      const y = masked.get(id)!;
      const x = inputs.get(id)!;
      const r = new Uint32Array(513);
      for (let i = 0; i < 513; i++) r[i] = (y[i]! - self[i]! - x[i]!) >>> 0;
      // Remove the dropped bank's pairwise mask towards u too (the coordinator can compute it).
      const dAdv = adverts.get('bank-004')!;
      const uAdv = adverts.get(id)!;
      if (graph.get(dropped)!.includes(u)) {
        const key = deriveKey(agree(sk, uAdv.sPk), pairSessionId(ctx, dAdv, uAdv), 'mask', dropped, u);
        const p = expandMask(key, 513, M);
        for (let i = 0; i < 513; i++) r[i] = (dropped < u ? r[i]! - p[i]! : r[i]! + p[i]!) >>> 0;
      }
      residual.set(id, r);
    }
    // residual_u = the pairwise masks of u towards the other survivors (the graph is public to the coordinator).
    // Summing a subset A leaves exactly the masks on edges from A to the other survivors: zero only for A = all.
    let zeroCoordinates = 0;
    const n = survivors.length;
    for (let mask = 1; mask < 1 << n; mask++) {
      const acc = new Uint32Array(513);
      for (let j = 0; j < n; j++) if (mask & (1 << j)) for (let i = 0; i < 513; i++) acc[i] = (acc[i]! + residual.get(survivors[j]!)![i]!) >>> 0;
      const zeros = acc.reduce((s, v) => s + (v === 0 ? 1 : 0), 0);
      if (mask === (1 << n) - 1) expect(zeros).toBe(513); // the whole survivor set: the masks cancel
      else zeroCoordinates += zeros;
    }
    // 2^11 − 2 proper subsets × 513 coordinates, each zero with probability 2^−32 if masked.
    expect(zeroCoordinates).toBe(0);
  });

  it('cannot reconstruct a secret from t − 1 shares, while any t reconstruct it', () => {
    const u = idOf.get(survivors[0]!)!;
    const all = revealed.filter((r) => r.owner === u && r.kind === 'self-seed').map((r) => decodeShare(r.share));
    const t = config.threshold;
    expect(all.length).toBeGreaterThanOrEqual(t);
    const b = combineShares(all.slice(0, t));
    expect(combineShares(all.slice(all.length - t))).toEqual(b);
    const few = all.slice(0, t - 1);
    expect(() => combineShares(few)).toThrow(expect.objectContaining({ code: 'share-invalid' }));
    // Information-theoretically: for ANY candidate secret, some t-th share completes the t − 1 into a valid set.
    for (const candidate of [new Uint8Array(32), new Uint8Array(32).fill(0xff), b]) {
      const used = new Set(few.map((s) => s.x));
      const x = [...Array(255).keys()].map((i) => i + 1).find((v) => !used.has(v))!;
      const y = interpolateAt([0, ...few.map((s) => s.x)], [candidate, ...few.map((s) => s.y)], x);
      expect(combineShares([...few, { ...few[0]!, x, y }])).toEqual(candidate);
    }
  });
});
