import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildHistogram, mergeHistograms, metricsFromHistogram } from './score-histogram.js';

/** Exact AUC by pairwise comparison (ties ½). */
function exactAuc(scores: number[], labels: number[]): number {
  let wins = 0;
  let pairs = 0;
  for (let i = 0; i < scores.length; i++) {
    if (labels[i] !== 1) continue;
    for (let j = 0; j < scores.length; j++) {
      if (labels[j] !== 0) continue;
      pairs++;
      wins += scores[i]! > scores[j]! ? 1 : scores[i] === scores[j] ? 0.5 : 0;
    }
  }
  return wins / pairs;
}

describe('score histogram metrics', () => {
  it('gives the exact AUC, when every score sits in its own bin', () => {
    const scores = [0.05, 0.15, 0.25, 0.35, 0.45, 0.55, 0.65, 0.75, 0.85, 0.95];
    const labels = [0, 0, 1, 0, 1, 0, 1, 1, 0, 1];
    const m = metricsFromHistogram(buildHistogram(scores, labels, 10));
    expect(m.auc).toBeCloseTo(exactAuc(scores, labels), 12);
    expect(m.accuracy).toBeCloseTo(0.6, 12);
    expect(m.numExamples).toBe(10);
  });

  it('pools banks exactly: merging histograms equals one histogram of all scores', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 1 })), { minLength: 2, maxLength: 200 }),
        fc.integer({ min: 1, max: 199 }),
        (rows, cut) => {
          const k = Math.min(cut, rows.length - 1);
          const s = rows.map((r) => r[0]);
          const y = rows.map((r) => r[1]);
          const whole = buildHistogram(s, y, 50);
          const merged = mergeHistograms([buildHistogram(s.slice(0, k), y.slice(0, k), 50), buildHistogram(s.slice(k), y.slice(k), 50)]);
          expect(merged.countsPos).toEqual(whole.countsPos);
          expect(merged.countsNeg).toEqual(whole.countsNeg);
          expect(merged.sumLogLoss).toBeCloseTo(whole.sumLogLoss, 8);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('stays within the binning error of the exact AUC, for random scores', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 1 })), { minLength: 4, maxLength: 300 }), (rows) => {
        const s = rows.map((r) => r[0]);
        const y = rows.map((r) => r[1]);
        if (!y.includes(0) || !y.includes(1)) return;
        const m = metricsFromHistogram(buildHistogram(s, y, 1000));
        // Only pairs sharing a bin can differ, each by at most ½.
        expect(Math.abs(m.auc - exactAuc(s, y))).toBeLessThanOrEqual(0.5 + 1e-12);
        expect(m.ks).toBeGreaterThanOrEqual(0);
        expect(m.ks).toBeLessThanOrEqual(1);
      }),
      { numRuns: 100 },
    );
  });

  it('computes KS as the largest CDF gap, when classes are perfectly separated', () => {
    const m = metricsFromHistogram(buildHistogram([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1], 10));
    expect(m.ks).toBe(1);
    expect(m.auc).toBe(1);
  });

  it('rejects scores outside [0, 1] and non-binary labels', () => {
    expect(() => buildHistogram([1.5], [1])).toThrow(/scores\[0\]" expected number in \[0, 1\], got 1.5/);
    expect(() => buildHistogram([0.5], [2])).toThrow(/labels\[0\]" expected 0 or 1/);
    expect(() => mergeHistograms([buildHistogram([0.5], [1], 10), buildHistogram([0.5], [1], 20)])).toThrow(/expected 10 bins/);
  });
});
