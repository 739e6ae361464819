import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { edgesOf, findBin, logitEdges } from './binning.js';
import { buildHistogram, mergeHistograms, metricsFromHistogram } from './score-histogram.js';

describe('logitEdges', () => {
  it('gives 0, logit-uniform inner edges and 1, when asked for 4 bins', () => {
    const e = logitEdges(4, 2);
    expect(e).toHaveLength(5);
    expect(e[0]).toBe(0);
    expect(e[1]).toBeCloseTo(1 / (1 + Math.exp(2)), 12);
    expect(e[2]).toBeCloseTo(0.5, 12);
    expect(e[4]).toBe(1);
  });

  it('resolves tiny scores: the default first bin ends at 1e-6', () => {
    expect(logitEdges(1000)[1]).toBeCloseTo(1e-6, 12);
    expect(() => logitEdges(2)).toThrow(/logitEdges: "numBins" expected integer in \[3, 1000000\], got 2/);
  });
});

describe('findBin', () => {
  it('puts every score in the bin whose [lo, hi) holds it, for logit edges', () => {
    const edges = logitEdges(50);
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), (s) => {
        const b = findBin(s, 50, edges);
        expect(edges[b]!).toBeLessThanOrEqual(s);
        if (b < 49) expect(s).toBeLessThan(edges[b + 1]!);
      }),
    );
  });

  it('keeps the equal-width rule, when a histogram carries no edges', () => {
    expect(findBin(1, 10)).toBe(9);
    expect(findBin(0.1, 10)).toBe(1);
    expect(edgesOf({ numBins: 4, countsPos: [], countsNeg: [] })).toEqual([0, 0.25, 0.5, 0.75, 1]);
  });

  it('builds equal-width edges once per bin count: the same frozen array, equal to i / numBins', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 3000 }), (n) => {
        const e = edgesOf({ numBins: n, countsPos: [], countsNeg: [] });
        expect(edgesOf({ numBins: n, countsPos: [1], countsNeg: [2] })).toBe(e);
        expect(Object.isFrozen(e)).toBe(true);
        expect(e).toEqual(Array.from({ length: n + 1 }, (_, i) => i / n));
      }),
      { numRuns: 40 },
    );
    const own = [0, 0.3, 1];
    expect(edgesOf({ numBins: 2, edges: own, countsPos: [], countsNeg: [] })).toBe(own);
  });
});

describe('histograms with edges', () => {
  it('merge exactly: the merge of two banks equals one histogram of all scores', () => {
    const edges = logitEdges(64);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 1 })), { minLength: 2, maxLength: 200 }), (rows) => {
        const k = rows.length >> 1;
        const s = rows.map((r) => r[0]);
        const y = rows.map((r) => r[1]);
        const whole = buildHistogram(s, y, { edges });
        const merged = mergeHistograms([buildHistogram(s.slice(0, k), y.slice(0, k), { edges }), buildHistogram(s.slice(k), y.slice(k), { edges })]);
        expect(merged.countsPos).toEqual(whole.countsPos);
        expect(merged.countsNeg).toEqual(whole.countsNeg);
        expect(merged.edges).toEqual(edges);
      }),
      { numRuns: 100 },
    );
  });

  it('refuse to merge with a histogram of other edges, even with the same number of bins', () => {
    const a = buildHistogram([0.5], [1], { edges: logitEdges(10) });
    const b = buildHistogram([0.5], [1], 10);
    expect(() => mergeHistograms([a, b])).toThrow(/mergeHistograms: expected the same bin edges/);
    expect(() => buildHistogram([0.5], [1], { edges: [0, 0.6, 0.5, 1] })).toThrow(/buildHistogram: "edges\[2\]" expected finite number > 0.6, got 0.5/);
  });

  it('keep AUC unchanged by the binning, when no two scores share a bin', () => {
    const s = [0.001, 0.002, 0.004, 0.3, 0.7, 0.9];
    const y = [0, 1, 0, 0, 1, 1];
    expect(metricsFromHistogram(buildHistogram(s, y, { edges: logitEdges(200) })).auc).toBeCloseTo(7 / 9, 12);
  });
});
