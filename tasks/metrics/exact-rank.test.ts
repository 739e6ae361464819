/**
 * Exactness of the pooled-histogram rare-event metrics: on small data, PR-AUC, recall at FPR and
 * precision at k from (merged) histograms equal a direct computation on the scores — exactly when no
 * two distinct scores share a bin, and equal to the direct computation on the BINNED scores always.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findBin, logitEdges } from './binning.js';
import { exactAveragePrecision, exactPrecisionAtK, exactRecallAtFpr } from './exact-rank.js';
import { averagePrecision, precisionAtK, recallAtFpr } from './rare-event.js';
import { buildHistogram, mergeHistograms } from './score-histogram.js';

describe('exact rank metrics', () => {
  it('match hand-computed values (scikit-learn conventions)', () => {
    // Ranked: 0.9(+) 0.8(−) 0.7(+) 0.4(−) 0.3(−) 0.1(+) → AP = (1/3)(1 + 2/3 + 3/6).
    const s = [0.9, 0.8, 0.7, 0.4, 0.3, 0.1];
    const y = [1, 0, 1, 0, 0, 1];
    expect(exactAveragePrecision(s, y)).toBeCloseTo((1 + 2 / 3 + 0.5) / 3, 12);
    expect(exactRecallAtFpr(s, y, 1 / 3)).toBeCloseTo(2 / 3, 12); // one of three negatives admitted, and the positive just below it
    expect(exactRecallAtFpr(s, y, 1 / 6)).toBeCloseTo(1 / 3, 12); // half of the 0.8 negative: 0.7's positive not reached
    expect(exactRecallAtFpr([0.9, 0.5, 0.5, 0.1], [1, 1, 0, 0], 0.25)).toBeCloseTo(0.75, 12); // half of a mixed tie group
    expect(exactPrecisionAtK(s, y, 3)).toBeCloseTo(2 / 3, 12);
  });

  it('split a tie group pro rata', () => {
    expect(exactPrecisionAtK([0.5, 0.5, 0.5, 0.5], [1, 0, 0, 0], 2)).toBeCloseTo(0.25, 12);
    expect(exactAveragePrecision([0.5, 0.5], [1, 0])).toBeCloseTo(0.5, 12);
  });
});

describe('histogram metrics against the direct computation', () => {
  const arb = fc.array(fc.tuple(fc.integer({ min: 0, max: 999 }), fc.boolean()), { minLength: 2, maxLength: 120 });

  it('are exact when every score sits in its own bin (scores at bin centres), pooled over banks', () => {
    fc.assert(
      fc.property(arb, fc.integer({ min: 1, max: 4 }), fc.double({ min: 0.001, max: 0.5, noNaN: true }), (rows, banks, fpr) => {
        const scores = rows.map(([b]) => (b + 0.5) / 1000);
        const labels = rows.map(([, y]) => (y ? 1 : 0));
        if (!labels.includes(1) || !labels.includes(0)) return;
        const parts = Array.from({ length: banks }, (_, p) => buildHistogram(scores.filter((_, i) => i % banks === p), labels.filter((_, i) => i % banks === p), 1000));
        const h = mergeHistograms(parts);
        expect(averagePrecision(h)).toBeCloseTo(exactAveragePrecision(scores, labels), 10);
        expect(recallAtFpr(h, fpr).recall).toBeCloseTo(exactRecallAtFpr(scores, labels, fpr), 10);
        const k = Math.max(1, Math.round(scores.length / 7));
        expect(precisionAtK(h, k)).toBeCloseTo(exactPrecisionAtK(scores, labels, k), 10);
      }),
      { numRuns: 200 },
    );
  });

  it('equal the direct computation on the binned scores for any scores, with logit-spaced edges too', () => {
    const edges = logitEdges(200);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.boolean()), { minLength: 2, maxLength: 150 }), (rows) => {
        const scores = rows.map(([s]) => s);
        const labels = rows.map(([, y]) => (y ? 1 : 0));
        if (!labels.includes(1) || !labels.includes(0)) return;
        const h = buildHistogram(scores, labels, { edges });
        const binned = scores.map((s) => findBin(s, 200, edges));
        expect(averagePrecision(h)).toBeCloseTo(exactAveragePrecision(binned, labels), 10);
        expect(recallAtFpr(h, 0.01).recall).toBeCloseTo(exactRecallAtFpr(binned, labels, 0.01), 10);
      }),
      { numRuns: 150 },
    );
  });
});
