import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decileTable, gini, ksCurve } from './finance-metrics.js';
import { buildHistogram, metricsFromHistogram, type ScoreHistogram } from './score-histogram.js';
import { rawKs, rawTopPositives } from './testing/brute-force.js';

const rowsArb = fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 1 })), { minLength: 4, maxLength: 300 });

/** A histogram straight from per-bin counts. */
function fromCounts(pos: number[], neg: number[]): ScoreHistogram {
  const n = pos.reduce((a, b) => a + b, 0) + neg.reduce((a, b) => a + b, 0);
  return { numBins: pos.length, countsPos: pos, countsNeg: neg, sumLogLoss: 0, sumBrier: 0, numCorrect: 0, numExamples: n };
}

const countsArb = fc.array(fc.tuple(fc.nat(50), fc.nat(50)), { minLength: 2, maxLength: 60 });

describe('ksCurve', () => {
  it('matches the KS of the raw scores exactly, when every score has a bin of its own', () => {
    const scores = [0.05, 0.15, 0.25, 0.35, 0.45, 0.55, 0.65, 0.75, 0.85, 0.95];
    const labels = [0, 0, 1, 0, 0, 1, 0, 1, 1, 1];
    const r = ksCurve(buildHistogram(scores, labels, 10));
    expect(r.ks).toBeCloseTo(rawKs(scores, labels), 12);
    expect(r.threshold).toBe(0.5);
    expect(r.curve).toHaveLength(11);
    expect(r.curve[10]).toEqual({ threshold: 0, tpr: 1, fpr: 1 });
  });

  it('falls short of the raw KS by at most one bin of either class, for random scores', () => {
    fc.assert(
      fc.property(rowsArb, (rows) => {
        const s = rows.map((r) => r[0]);
        const y = rows.map((r) => r[1]);
        const P = y.filter((v) => v === 1).length;
        const N = y.length - P;
        if (P === 0 || N === 0) return;
        const h = buildHistogram(s, y, 20);
        const maxShare = Math.max(...h.countsPos.map((p) => p / P), ...h.countsNeg.map((n) => n / N));
        const diff = rawKs(s, y) - ksCurve(h).ks;
        expect(diff).toBeGreaterThanOrEqual(-1e-12);
        expect(diff).toBeLessThanOrEqual(maxShare + 1e-12);
        expect(ksCurve(h).ks).toBeCloseTo(metricsFromHistogram(h).ks, 12);
      }),
      { numRuns: 100 },
    );
  });
});

describe('gini', () => {
  it('stays in [−1, 1] and equals 2·AUC − 1, for any histogram with both classes', () => {
    fc.assert(
      fc.property(countsArb, (bins) => {
        const h = fromCounts(bins.map((b) => b[0]), bins.map((b) => b[1]));
        const g = gini(h);
        if (Number.isNaN(g)) return;
        expect(g).toBeGreaterThanOrEqual(-1);
        expect(g).toBeLessThanOrEqual(1);
        expect(g).toBeCloseTo(2 * metricsFromHistogram(h).auc - 1, 12);
      }),
    );
  });
});

describe('decileTable', () => {
  it('equals the deciles of the raw scores exactly, when every score has a bin of its own', () => {
    // Prepare: 25 distinct scores, one per bin, so decile boundaries (every 2.5 ranks) split single examples.
    const scores = Array.from({ length: 25 }, (_, i) => (i + 0.5) / 25);
    const labels = scores.map((s, i) => (s > 0.6 || i % 7 === 0 ? 1 : 0));
    // Execute
    const rows = decileTable(buildHistogram(scores, labels, 25));
    // Assert
    const P = labels.reduce((a: number, b) => a + b, 0);
    rows.forEach((r, d) => {
      expect(r.count).toBeCloseTo(2.5, 12);
      expect(r.cumulativeGain).toBeCloseTo(rawTopPositives(scores, labels, 2.5 * (d + 1)) / P, 12);
    });
    expect(rows[0]!.scoreHi).toBe(1);
    expect(rows[9]!.scoreLo).toBe(0);
    expect(rows[9]!.cumulativeGain).toBeCloseTo(1, 12);
    expect(rows[9]!.cumulativeLift).toBeCloseTo(1, 12);
  });

  it('stays within one bin of positives of the raw gain, for random scores', () => {
    fc.assert(
      fc.property(rowsArb, (rows) => {
        const s = rows.map((r) => r[0]);
        const y = rows.map((r) => r[1]);
        const P = y.filter((v) => v === 1).length;
        if (P === 0) return;
        const h = buildHistogram(s, y, 50);
        const maxPos = Math.max(...h.countsPos);
        decileTable(h).forEach((r, d) => {
          const raw = rawTopPositives(s, y, (s.length * (d + 1)) / 10);
          expect(Math.abs(r.cumulativeGain * P - raw)).toBeLessThanOrEqual(maxPos + 1e-9);
          expect(r.count).toBeCloseTo(s.length / 10, 9);
        });
      }),
      { numRuns: 100 },
    );
  });

  it('gives a top-decile lift ≥ 1, when the positive rate never falls as the score rises', () => {
    fc.assert(
      fc.property(countsArb, (bins) => {
        // Order bins by positive rate so that rate is non-decreasing in score.
        const sorted = bins.filter((b) => b[0] + b[1] > 0).sort((a, b) => a[0] / (a[0] + a[1]) - b[0] / (b[0] + b[1]));
        if (sorted.length < 2) return;
        const h = fromCounts(sorted.map((b) => b[0]), sorted.map((b) => b[1]));
        if (!(metricsFromHistogram(h).auc > 0.5)) return;
        expect(decileTable(h)[0]!.lift).toBeGreaterThanOrEqual(1 - 1e-12);
      }),
    );
  });

  it('can give a top-decile lift below 1 although AUC > 0.5, when the riskiest decile is all negatives', () => {
    // 10 negatives at the very top, 20 positives in the middle, 70 negatives at the bottom.
    const h = fromCounts([0, 20, 0], [70, 0, 10]);
    expect(metricsFromHistogram(h).auc).toBeCloseTo(0.875, 12);
    expect(decileTable(h)[0]!.lift).toBe(0);
    expect(decileTable(h)[2]!.cumulativeLift).toBeCloseTo(2 / 3 / 0.2, 12);
  });

  it('rejects a group count outside [2, 1000], and returns no rows for an empty histogram', () => {
    expect(() => decileTable(fromCounts([1, 1], [1, 1]), 1)).toThrow(/decileTable: "groups" expected integer in \[2, 1000\], got 1/);
    expect(decileTable(fromCounts([0, 0], [0, 0]))).toEqual([]);
  });
});
