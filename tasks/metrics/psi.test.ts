import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { seededRandom } from '../../common/seeded-random.js';
import { psi, psiByBank, psiLevel } from './psi.js';
import { buildHistogram, mergeHistograms, type ScoreHistogram } from './score-histogram.js';
import { rawGroups, simulateScores } from './testing/brute-force.js';

function fromCounts(pos: number[], neg: number[]): ScoreHistogram {
  const n = pos.reduce((a, b) => a + b, 0) + neg.reduce((a, b) => a + b, 0);
  return { numBins: pos.length, countsPos: pos, countsNeg: neg, sumLogLoss: 0, sumBrier: 0, numCorrect: 0, numExamples: n };
}

/** Pairs of 40-bin histograms with at least one example each. */
const pairArb = fc
  .tuple(fc.array(fc.nat(30), { minLength: 40, maxLength: 40 }), fc.array(fc.nat(30), { minLength: 40, maxLength: 40 }))
  .filter(([a, b]) => a.some((v) => v > 0) && b.some((v) => v > 0))
  .map(([a, b]) => [fromCounts(a, a.map(() => 0)), fromCounts(b.map(() => 0), b)] as const);

describe('psi', () => {
  it('is 0 for a histogram against itself and never negative, for any pair', () => {
    fc.assert(
      fc.property(pairArb, fc.constantFrom('quantile' as const, 'uniform' as const), ([a, b], strategy) => {
        expect(psi(a, a, { strategy }).psi).toBe(0);
        expect(psi(a, b, { strategy }).psi).toBeGreaterThanOrEqual(0);
      }),
    );
  });

  it('is symmetric, and at least 4·TV² (Pinsker), when groups are uniform and none is empty', () => {
    fc.assert(
      fc.property(pairArb, ([a, b]) => {
        const ab = psi(a, b, { strategy: 'uniform', groups: 8 });
        const ba = psi(b, a, { strategy: 'uniform', groups: 8 });
        expect(ab.psi).toBeCloseTo(ba.psi, 12);
        if ([...ab.expectedShares, ...ab.actualShares].some((s) => s <= 1e-4)) return;
        const tv = 0.5 * ab.expectedShares.reduce((t, e, g) => t + Math.abs(e - ab.actualShares[g]!), 0);
        expect(ab.psi).toBeGreaterThanOrEqual(4 * tv * tv - 1e-12);
      }),
    );
  });

  it('equals the PSI of the raw scores, when uniform groups align with bins', () => {
    const rng = seededRandom('psi-raw');
    const a = simulateScores(rng, 5000, 0.1, { mean: -2, sd: 1 }, { mean: 0, sd: 1 });
    const b = simulateScores(rng, 5000, 0.1, { mean: -1.5, sd: 1 }, { mean: 0, sd: 1 });
    const cuts = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];
    const ra = rawGroups(a.scores, a.labels, cuts).map((g) => Math.max(1e-4, g.count / 5000));
    const rb = rawGroups(b.scores, b.labels, cuts).map((g) => Math.max(1e-4, g.count / 5000));
    const raw = ra.reduce((t, e, g) => t + (rb[g]! - e) * Math.log(rb[g]! / e), 0);
    const r = psi(buildHistogram(a.scores, a.labels, 1000), buildHistogram(b.scores, b.labels, 1000), { strategy: 'uniform' });
    expect(r.psi).toBeCloseTo(raw, 10);
  });

  it('reads 0.1 and 0.25 as the boundaries of moderate and significant shift', () => {
    expect([0, 0.0999, 0.1, 0.2499, 0.25, 3].map(psiLevel)).toEqual(['stable', 'stable', 'moderate-shift', 'moderate-shift', 'significant-shift', 'significant-shift']);
  });

  it('uses the reference deciles as groups, so an unchanged population gets ten equal shares', () => {
    const s = Array.from({ length: 1000 }, (_, i) => (i + 0.5) / 1000);
    const h = buildHistogram(s, s.map(() => 0), 1000);
    const r = psi(h, h);
    expect(r.cuts).toHaveLength(9);
    for (const share of r.expectedShares) expect(share).toBeCloseTo(0.1, 12);
  });

  it('rejects histograms of different binning, an empty one, and ε outside (0, 0.1]', () => {
    const a = fromCounts([1, 2], [0, 0]);
    expect(() => psi(a, fromCounts([1, 2, 3], [0, 0, 0]))).toThrow(/psi: expected histograms with the same binning/);
    expect(() => psi(a, fromCounts([0, 0], [0, 0]))).toThrow(/psi: "actual" expected a histogram with examples/);
    expect(() => psi(a, a, { epsilon: 0 })).toThrow(/psi: "epsilon" expected number in \(0, 0.1\], got 0/);
  });
});

describe('psiByBank', () => {
  it('gives each bank exactly psi(pool, bank) (the pool\'s cuts are computed once, not per bank)', () => {
    fc.assert(
      fc.property(fc.array(pairArb, { minLength: 1, maxLength: 4 }), fc.constantFrom('quantile' as const, 'uniform' as const), (pairs, strategy) => {
        const banks = pairs.flatMap(([a, b], i) => [{ bank: `a${i}`, histogram: a }, { bank: `b${i}`, histogram: b }]);
        const pool = mergeHistograms(banks.map((b) => b.histogram));
        expect(psiByBank(banks, { strategy }).map((r) => r.psi)).toEqual(banks.map((b) => psi(pool, b.histogram, { strategy }).psi));
        // The caller's pool (pooledFinanceMetrics merges once) gives the same answer, with or without an empty bank.
        expect(psiByBank(banks, { strategy }, pool)).toEqual(psiByBank(banks, { strategy }));
        const withEmpty = [...banks, { bank: 'empty', histogram: buildHistogram([], [], banks[0]!.histogram.numBins) }];
        expect(psiByBank(withEmpty, { strategy }, mergeHistograms(withEmpty.map((b) => b.histogram)))).toEqual(psiByBank(banks, { strategy }));
      }),
      { numRuns: 50 },
    );
  });

  it('flags the bank whose scores shifted, against the pool of all banks', () => {
    // Prepare: two large banks alike, one small bank whose whole score distribution moved up.
    const rng = seededRandom('psi-banks');
    const mk = (mean: number, n = 20_000) => {
      const d = simulateScores(rng, n, 0.05, { mean, sd: 1 }, { mean: mean + 2, sd: 1 });
      return buildHistogram(d.scores, d.labels, 1000);
    };
    // Execute
    const out = psiByBank([
      { bank: 'a', histogram: mk(-2) },
      { bank: 'b', histogram: mk(-2) },
      { bank: 'c', histogram: mk(-0.5, 4000) },
      { bank: 'empty', histogram: buildHistogram([], [], 1000) },
    ]);
    // Assert
    expect(out.map((s) => s.bank)).toEqual(['a', 'b', 'c']);
    expect(out[0]!.level).toBe('stable');
    expect(out[1]!.level).toBe('stable');
    expect(out[2]!.level).toBe('significant-shift');
    expect(out[2]!.numExamples).toBe(4000);
  });
});
