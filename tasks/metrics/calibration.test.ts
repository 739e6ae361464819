import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { RandomReader } from '../../common/random.js';
import { seededRandom } from '../../common/seeded-random.js';
import { calibration } from './calibration.js';
import { buildHistogram } from './score-histogram.js';
import { rawGroups, simulateScores } from './testing/brute-force.js';

const rowsArb = fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 1 })), { minLength: 1, maxLength: 300 });

describe('calibration', () => {
  it('counts exactly and means within half a bin of the raw scores, when groups align with bins', () => {
    fc.assert(
      fc.property(rowsArb, (rows) => {
        const s = rows.map((r) => r[0]);
        const y = rows.map((r) => r[1]);
        const res = calibration(buildHistogram(s, y, 100), { groups: 10 });
        const raw = rawGroups(s, y, [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]);
        res.bins.forEach((b, g) => {
          expect(b.count).toBeCloseTo(raw[g]!.count, 9);
          expect(b.positives).toBeCloseTo(raw[g]!.pos, 9);
          if (b.count > 0) expect(Math.abs(b.meanPredicted - raw[g]!.meanScore)).toBeLessThanOrEqual(0.005 + 1e-12);
          else expect(b.meanPredicted).toBeNaN();
        });
        expect(res.ece).toBeGreaterThanOrEqual(0);
        expect(res.mce).toBeGreaterThanOrEqual(res.ece - 1e-12);
      }),
      { numRuns: 100 },
    );
  });

  it('reports a small ECE for a calibrated model and a large one for an overconfident model', () => {
    // Prepare: labels drawn with probability equal to the score (calibrated), then the same scores pushed outward.
    const { scores } = simulateScores(seededRandom('cal'), 50_000, 0, { mean: -1, sd: 1.5 }, { mean: 0, sd: 1 });
    const r = new RandomReader(seededRandom('cal-labels'));
    const labels = scores.map((s) => (r.uniform() < s ? 1 : 0));
    const sharp = scores.map((s) => 1 / (1 + Math.exp(-3 * Math.log(s / (1 - s)))));
    // Execute
    const good = calibration(buildHistogram(scores, labels, 1000));
    const bad = calibration(buildHistogram(sharp, labels, 1000));
    // Assert
    expect(good.ece).toBeLessThan(0.02);
    expect(Math.abs(good.meanPredictedMinusObserved)).toBeLessThan(0.01);
    expect(bad.ece).toBeGreaterThan(0.08);
    expect(bad.hosmerLemeshow).toBeGreaterThan(good.hosmerLemeshow);
  });

  it('forms equal-count groups, when the strategy is quantile', () => {
    const s = Array.from({ length: 1000 }, (_, i) => (i + 0.5) / 1000);
    const res = calibration(buildHistogram(s, s.map((v) => (v > 0.7 ? 1 : 0)), 1000), { groups: 4, strategy: 'quantile' });
    expect(res.bins.map((b) => b.count)).toEqual([250, 250, 250, 250].map((c) => expect.closeTo(c, 9) as unknown as number));
    expect(res.bins[3]!.observedRate).toBeCloseTo(1, 12);
  });

  it('rejects a group count that is not an integer in [1, 1000]', () => {
    expect(() => calibration(buildHistogram([0.5], [1], 10), { groups: 0 })).toThrow(/calibration: "groups" expected integer in \[1, 1000\], got 0/);
  });
});
