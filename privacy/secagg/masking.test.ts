/** Tests for masking and unmasking with dropouts: generated vector, cancellation properties and a full SecAgg+ round. */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { RandomReader } from '../../common/random.js';
import { seededRandom } from '../../common/seeded-random.js';
import maskVectors from '../testdata/secagg-masking.json' with { type: 'json' };
import { buildNeighbourhoods, checkSecAggParams } from './graph.js';
import { agree, generateKeyPair, publicKeyOf } from './keys.js';
import { deriveKey } from './kdf.js';
import { maskInput, sumVectors, unmaskSum, type PairwiseKey } from './masking.js';
import { dequantizeSum, quantize } from './quantize.js';
import { sessionId } from './session.js';
import { combineShares, splitSecret } from './shamir.js';

const hex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'));
const pairKey = (a: number, b: number, salt: number): Uint8Array => {
  const k = new Uint8Array(32);
  seededRandom(`pair:${Math.min(a, b)}:${Math.max(a, b)}:${salt}`).fill(k);
  return k;
};

describe('maskInput', () => {
  it('reproduces the generated masked vectors', () => {
    const m = maskVectors.modulus;
    for (const mem of maskVectors.members) {
      const pairwise = mem.pairwise.map((p) => ({ peerId: p.peerId, key: hex(p.key) }));
      expect(Array.from(maskInput(Uint32Array.from(mem.input), hex(mem.selfSeed), pairwise, mem.id, m))).toEqual(mem.masked);
    }
  });

  it('leaves its input untouched and refuses itself or a repeated peer among its peers', () => {
    const x = Uint32Array.of(1, 2, 3);
    const seed = new Uint8Array(32);
    maskInput(x, seed, [], 1, 2 ** 32);
    expect(Array.from(x)).toEqual([1, 2, 3]);
    expect(() => maskInput(x, seed, [{ peerId: 1, key: seed }], 1, 2 ** 32)).toThrow(/expected a peer other than member 1/);
    expect(() => maskInput(x, seed, [{ peerId: 2, key: seed }, { peerId: 2n, key: seed }], 1, 2 ** 32)).toThrow(/expected distinct peers/);
  });
});

describe('unmaskSum', () => {
  it('recovers the survivors\' input sum exactly, for random n, d, modulus, neighbourhoods and dropout sets', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 12 }),
        fc.integer({ min: 1, max: 40 }),
        fc.constantFrom(2 ** 32, 2 ** 20, 1_000_003, 3 * 2 ** 30),
        fc.integer(),
        fc.boolean(),
        (n, d, m, seed, sparse) => {
          const reader = new RandomReader(seededRandom(seed));
          const ids = Array.from({ length: n }, (_, i) => i * 7 + 3);
          const k = sparse ? checkSecAggParams({ n }).k : n - 1;
          const graph = buildNeighbourhoods(ids, k, seededRandom(seed));
          const inputs = ids.map(() => Uint32Array.from({ length: d }, () => reader.int(m)));
          const seeds = ids.map((u) => pairKey(u, u, seed));
          const keysOf = (u: number): PairwiseKey[] => graph.get(BigInt(u))!.map((v) => ({ peerId: v, key: pairKey(u, Number(v), seed) }));
          // Drop a random subset but keep at least one survivor.
          const dropped = new Set(ids.filter(() => reader.int(3) === 0));
          if (dropped.size === n) dropped.delete(ids[0]!);
          const survivors = ids.filter((u) => !dropped.has(u));
          const masked = survivors.map((u) => maskInput(inputs[ids.indexOf(u)]!, seeds[ids.indexOf(u)]!, keysOf(u), u, m));
          const z = unmaskSum(
            sumVectors(masked, m),
            survivors.map((u) => ({ id: u, seed: seeds[ids.indexOf(u)]! })),
            [...dropped].map((v) => ({ id: v, pairwise: keysOf(v).filter((p) => !dropped.has(Number(p.peerId))) })),
            m,
          );
          const expected = new Array<number>(d).fill(0);
          for (const u of survivors) inputs[ids.indexOf(u)]!.forEach((x, i) => (expected[i] = (expected[i]! + x) % m));
          expect(Array.from(z)).toEqual(expected);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('cancels pairwise masks without any unmasking of dropped members, when nobody drops', () => {
    const ids = [10, 20, 30];
    const m = 2 ** 32;
    const masked = ids.map((u) =>
      maskInput(Uint32Array.of(u, 1), pairKey(u, u, 0), ids.filter((v) => v !== u).map((v) => ({ peerId: v, key: pairKey(u, v, 0) })), u, m),
    );
    const z = unmaskSum(sumVectors(masked, m), ids.map((u) => ({ id: u, seed: pairKey(u, u, 0) })), [], m);
    expect(Array.from(z)).toEqual([60, 3]);
  });

  it('refuses to unmask a member as both survivor and dropped, with protocol-violation', () => {
    const seed = new Uint8Array(32);
    expect(() => unmaskSum(new Uint32Array(2), [{ id: 1, seed }], [{ id: 1, pairwise: [] }], 2 ** 32)).toThrow(
      expect.objectContaining({ code: 'protocol-violation', message: expect.stringContaining('member 1 listed as survivor and as dropped') }),
    );
    expect(() => unmaskSum(new Uint32Array(2), [{ id: 1, seed }], [{ id: 2, pairwise: [{ peerId: 3, key: seed }] }], 2 ** 32)).toThrow(/not a survivor/);
  });
});

describe('secagg+ round', () => {
  it('aggregates the weighted mean of the survivors, when one member drops after sharing keys', () => {
    // Prepare: 6 members, SecAgg+ graph, real X25519 keys, session id, HKDF keys, Shamir shares of b_u and s_sk.
    const rng = seededRandom('round');
    const ids = [11, 12, 13, 14, 15, 16];
    const { k, t } = checkSecAggParams({ n: 6, k: 2, t: 2, targetRange: 2 ** 16, modulus: 2 ** 32 });
    const graph = buildNeighbourhoods(ids, k, rng);
    const keys = new Map(ids.map((u) => [u, { c: generateKeyPair(rng), s: generateKeyPair(rng), b: generateKeyPair(rng).secretKey }]));
    const sid = sessionId(3, ids.map((u) => ({ id: u, cPk: keys.get(u)!.c.publicKey, sPk: keys.get(u)!.s.publicKey })));
    const maskKeys = (u: number): PairwiseKey[] =>
      graph.get(BigInt(u))!.map((v) => ({ peerId: v, key: deriveKey(agree(keys.get(u)!.s.secretKey, keys.get(Number(v))!.s.publicKey), sid, 'mask', u, v) }));
    const holders = (u: number): number[] => [u, ...graph.get(BigInt(u))!.map(Number)].sort((a, b) => a - b);
    const shares = new Map(
      ids.map((u) => [u, { b: splitSecret(keys.get(u)!.b, { threshold: t, shares: k + 1, secretId: Uint8Array.of(u, 1) }, rng), s: splitSecret(keys.get(u)!.s.secretKey, { threshold: t, shares: k + 1, secretId: Uint8Array.of(u, 2) }, rng) }]),
    );
    const q = { clippingRange: 4, targetRange: 2 ** 16, modulus: 2 ** 32, maxWeight: 100, numClients: 6 };
    const updates = new Map(ids.map((u) => [u, [u / 10, -u / 20]]));
    // Execute: member 13 drops before sending its masked input.
    const survivors = ids.filter((u) => u !== 13);
    const masked = survivors.map((u) => maskInput(quantize(updates.get(u)!, 100, q, rng), keys.get(u)!.b, maskKeys(u), u, q.modulus));
    const share = (u: number, kind: 'b' | 's', holder: number) => shares.get(u)![kind][holders(u).indexOf(holder)]!;
    const bSeeds = survivors.map((u) => ({ id: u, seed: combineShares(holders(u).filter((h) => h !== 13).slice(0, t).map((h) => share(u, 'b', h))) }));
    const sSk13 = combineShares(holders(13).filter((h) => h !== 13).map((h) => share(13, 's', h)));
    expect(Buffer.from(publicKeyOf(sSk13)).equals(keys.get(13)!.s.publicKey)).toBe(true);
    const dropped = [{ id: 13, pairwise: graph.get(13n)!.map((v) => ({ peerId: v, key: deriveKey(agree(sSk13, keys.get(Number(v))!.s.publicKey), sid, 'mask', 13, v) })) }];
    const mean = dequantizeSum(unmaskSum(sumVectors(masked, q.modulus), bSeeds, dropped, q.modulus), survivors.length, q);
    // Assert: equal weights, so the plain mean of the survivors' updates, within one grid step.
    const exp = [0, 1].map((j) => survivors.reduce((s, u) => s + updates.get(u)![j]!, 0) / survivors.length);
    exp.forEach((e, j) => expect(Math.abs(mean[j]! - e)).toBeLessThan((2 * 4) / 2 ** 16));
  });
});
