import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { seededRandom } from '../../common/seeded-random.js';
import { logitEdges } from './binning.js';
import { averagePrecision, precisionAtK, recallAtFpr } from './rare-event.js';
import { buildHistogram, type ScoreHistogram } from './score-histogram.js';
import { rawAveragePrecision, rawRecallAtFpr, rawTopPositives, simulateScores } from './testing/brute-force.js';

const rowsArb = fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 1 })), { minLength: 4, maxLength: 300 });

function fromCounts(pos: number[], neg: number[]): ScoreHistogram {
  const n = pos.reduce((a, b) => a + b, 0) + neg.reduce((a, b) => a + b, 0);
  return { numBins: pos.length, countsPos: pos, countsNeg: neg, sumLogLoss: 0, sumBrier: 0, numCorrect: 0, numExamples: n };
}

describe('averagePrecision', () => {
  it('equals scikit-learn average precision of the binned scores, for random scores', () => {
    fc.assert(
      fc.property(rowsArb, (rows) => {
        const s = rows.map((r) => r[0]);
        const y = rows.map((r) => r[1]);
        if (!y.includes(1)) return;
        const h = buildHistogram(s, y, 30);
        const binIndex = s.map((v) => Math.min(29, Math.floor(v * 30)));
        expect(averagePrecision(h)).toBeCloseTo(rawAveragePrecision(binIndex, y), 12);
      }),
      { numRuns: 100 },
    );
  });

  it('equals the positive rate exactly, when every bin has the same positive rate', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 2, maxLength: 50 }), fc.integer({ min: 1, max: 9 }), (sizes, k) => {
        if (sizes.every((c) => c === 0)) return;
        // Each bin holds c·10 examples of which c·k are positive: rate k/10 everywhere.
        const h = fromCounts(sizes.map((c) => c * k), sizes.map((c) => c * (10 - k)));
        expect(averagePrecision(h)).toBeCloseTo(k / 10, 12);
      }),
    );
  });

  it('is close to the positive rate, when scores are independent of labels at a 1 % positive rate', () => {
    const { scores, labels } = simulateScores(seededRandom('ap-random'), 200_000, 0.01, { mean: 0, sd: 1 }, { mean: 0, sd: 1 });
    const rate = labels.reduce((a, b) => a + b, 0) / labels.length;
    expect(Math.abs(averagePrecision(buildHistogram(scores, labels, 1000)) - rate)).toBeLessThan(0.002);
  });

  it('is NaN, when there are no positives', () => {
    expect(averagePrecision(fromCounts([0, 0], [3, 4]))).toBeNaN();
  });
});

describe('recallAtFpr', () => {
  it('stays within one bin of positives of the raw ROC value, for random scores and targets', () => {
    fc.assert(
      fc.property(rowsArb, fc.double({ min: 0, max: 1, noNaN: true }), (rows, fpr) => {
        const s = rows.map((r) => r[0]);
        const y = rows.map((r) => r[1]);
        const P = y.filter((v) => v === 1).length;
        if (P === 0 || P === y.length) return;
        const h = buildHistogram(s, y, 40);
        const r = recallAtFpr(h, fpr);
        expect(Math.abs(r.recall - rawRecallAtFpr(s, y, fpr))).toBeLessThanOrEqual(Math.max(...h.countsPos) / P + 1e-9);
      }),
      { numRuns: 150 },
    );
  });

  it('interpolates linearly inside the bin where the target is reached', () => {
    // Top bin: 2 positives, 0 negatives; next bin: 4 positives, 10 negatives; last: 4 positives, 90 negatives.
    const r = recallAtFpr(fromCounts([4, 4, 2], [90, 10, 0]), 0.05);
    // 5 of 100 negatives flagged = half of the middle bin, so half of its 4 positives.
    expect(r.recall).toBeCloseTo((2 + 2) / 10, 12);
    expect(r.precision).toBeCloseTo(4 / 9, 12);
    expect(r.threshold).toBeCloseTo(0.5, 12);
  });

  it('rejects a target outside [0, 1]', () => {
    expect(() => recallAtFpr(fromCounts([1, 1], [1, 1]), 1.5)).toThrow(/recallAtFpr: "fpr" expected number in \[0, 1\], got 1.5/);
  });
});

describe('precisionAtK', () => {
  it('stays within one bin of the raw top-k precision, for random scores and k', () => {
    fc.assert(
      fc.property(rowsArb, fc.integer({ min: 1, max: 300 }), (rows, kRaw) => {
        const s = rows.map((r) => r[0]);
        const y = rows.map((r) => r[1]);
        const k = Math.min(kRaw, s.length);
        const h = buildHistogram(s, y, 40);
        const maxPos = Math.max(...h.countsPos);
        expect(Math.abs(precisionAtK(h, k) * k - rawTopPositives(s, y, k))).toBeLessThanOrEqual(maxPos + 1e-9);
      }),
      { numRuns: 150 },
    );
  });

  it('equals the positive rate at k = all examples, and is NaN beyond', () => {
    const h = fromCounts([1, 2, 3], [4, 5, 6]);
    expect(precisionAtK(h, 21)).toBeCloseTo(6 / 21, 12);
    expect(precisionAtK(h, 22)).toBeNaN();
    expect(() => precisionAtK(h, 0)).toThrow(/precisionAtK: "k" expected positive finite number, got 0/);
  });
});

describe('rare-event binning', () => {
  it('recovers recall at 1 % FPR and PR-AUC with logit bins where equal-width bins lose them, when scores are tiny', () => {
    // Prepare: fraud-like scores at a 0.5 % positive rate; 99 % of negatives and most positives below 0.001,
    // so 1,000 equal-width bins put the whole decision region in the first bin.
    const { scores, labels } = simulateScores(seededRandom('fraud-bins'), 100_000, 0.005, { mean: -10, sd: 1 }, { mean: -6, sd: 1.5 });
    const exact = rawRecallAtFpr(scores, labels, 0.01);
    // Execute
    const equal = recallAtFpr(buildHistogram(scores, labels, 1000), 0.01).recall;
    const logit = recallAtFpr(buildHistogram(scores, labels, { edges: logitEdges(1000) }), 0.01).recall;
    // Assert
    expect(Math.abs(logit - exact)).toBeLessThan(0.01);
    expect(Math.abs(equal - exact)).toBeGreaterThan(0.05);
    const apExact = rawAveragePrecision(scores, labels);
    expect(Math.abs(averagePrecision(buildHistogram(scores, labels, { edges: logitEdges(1000) })) - apExact)).toBeLessThan(0.005);
    expect(Math.abs(averagePrecision(buildHistogram(scores, labels, 1000)) - apExact)).toBeGreaterThan(0.05);
  });
});
