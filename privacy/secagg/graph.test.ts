/** Tests for SecAgg+ neighbourhoods (k-regular Harary graphs with random relabelling) and the parameter checks. */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { seededRandom } from '../../common/seeded-random.js';
import { buildNeighbourhoods, checkSecAggParams, defaultDegree, defaultThreshold, secAggParamIssues } from './graph.js';

describe('buildNeighbourhoods', () => {
  it('builds a symmetric k-regular graph without self-loops, for every feasible (n, k)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 40 }), fc.integer({ min: 1, max: 39 }), fc.integer(), (n, kRaw, seed) => {
        const k = Math.min(kRaw, n - 1) - ((n * Math.min(kRaw, n - 1)) % 2);
        fc.pre(k >= 1);
        const ids = Array.from({ length: n }, (_, i) => BigInt(1000 + i * 3));
        const g = buildNeighbourhoods(ids, k, seededRandom(seed));
        const faults: string[] = [];
        for (const [u, nb] of g) {
          if (nb.length !== k || new Set(nb).size !== k) faults.push(`${u}: degree ${nb.length}`);
          if (nb.includes(u)) faults.push(`${u}: self-loop`);
          for (const v of nb) if (!g.get(v)?.includes(u)) faults.push(`${u}-${v}: not symmetric`);
        }
        expect(g.size).toBe(n);
        expect(faults).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('gives the complete graph, when k = n − 1', () => {
    const g = buildNeighbourhoods([1, 2, 3, 4, 5], 4, seededRandom(1));
    expect(g.get(3n)).toEqual([1n, 2n, 4n, 5n]);
  });

  it('relabels at random: different sources give different neighbourhoods over the same members', () => {
    const ids = Array.from({ length: 30 }, (_, i) => i + 1);
    const a = buildNeighbourhoods(ids, 4, seededRandom('a')).get(1n);
    const b = buildNeighbourhoods(ids, 4, seededRandom('b')).get(1n);
    expect(a).not.toEqual(b);
    expect(buildNeighbourhoods(ids, 4, seededRandom('a')).get(1n)).toEqual(a);
  });

  it('refuses odd n·k and repeated ids', () => {
    expect(() => buildNeighbourhoods([1, 2, 3], 1, seededRandom(1))).toThrow(/needs n·k even/);
    expect(() => buildNeighbourhoods([1, 2, 2], 2, seededRandom(1))).toThrow(RangeError);
  });
});

describe('checkSecAggParams', () => {
  it('defaults to logarithmic degree and threshold ⌊2k/3⌋ + 1', () => {
    expect([2, 3, 8, 9, 100, 101, 1000].map(defaultDegree)).toEqual([1, 2, 7, 8, 15, 16, 21]);
    expect(defaultThreshold(15)).toBe(11);
    expect(checkSecAggParams({ n: 100 })).toEqual({ n: 100, k: 15, t: 11 });
    expect(checkSecAggParams({ n: 2 })).toEqual({ n: 2, k: 1, t: 2 });
  });

  it('accepts every default sizing', () => {
    for (let n = 2; n <= 600; n++) expect(secAggParamIssues({ n }), `n = ${n}`).toEqual([]);
  });

  it('refuses insecure and impossible sizings with the reason and the numbers', () => {
    const cases: [Parameters<typeof checkSecAggParams>[0], RegExp][] = [
      [{ n: 20, k: 6, t: 3 }, /t = 3 ≤ \(k \+ 1\)\/2 = 3.5: two disjoint groups/],
      [{ n: 20, k: 6, t: 8 }, /t = 8 > k \+ 1 = 7: only k \+ 1 shares exist/],
      [{ n: 20, k: 20 }, /k = 20: the degree is expected to be an integer in \[1, n − 1\] = \[1, 19\]/],
      [{ n: 1 }, /n = 1: secure aggregation needs/],
      [{ n: 2000, targetRange: 2 ** 22, modulus: 2 ** 32 }, /n·T = 2000 · 4194304 = 8388608000 ≥ M = 4294967296/],
      [{ n: 9, k: 3 }, /needs n·k even; use k = 4/],
    ];
    for (const [sizing, msg] of cases) expect(() => checkSecAggParams(sizing)).toThrow(expect.objectContaining({ code: 'config-invalid', message: expect.stringMatching(msg) }));
  });
});
