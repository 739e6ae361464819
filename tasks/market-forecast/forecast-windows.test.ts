/** Properties of the scoring windows: the job's train and holdout windows exactly as buildWindows builds them, plus one forecast window per symbol ending on its last day. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scoringWindows } from './forecast-windows.js';
import type { SymbolSeries } from './series.js';
import { buildWindows, dayFeatures, FEATURES_PER_STEP } from './windows.js';

const STATS = { logReturn: { mean: 0.001, std: 0.02 }, logVolumeChange: { mean: 0, std: 0.3 }, logRange: { mean: 0.02, std: 0.01 }, logBody: { mean: 0, std: 0.01 } };

function makeSeries(symbol: string, closes: readonly number[]): SymbolSeries {
  const dates = closes.map((_, i) => new Date(Date.UTC(2024, 0, 1) + i * 86_400_000).toISOString().slice(0, 10));
  const close = Float64Array.from(closes);
  return { symbol, dates, open: close.map((c) => c * 0.99), high: close.map((c) => c * 1.02), low: close.map((c) => c * 0.97), close, volume: close.map((c, i) => 1000 + ((c * 7 + i) % 300)) };
}

const closesArb = (min: number) => fc.array(fc.double({ min: 1, max: 500, noNaN: true }), { minLength: min, maxLength: 40 });

describe('scoring windows', () => {
  it('contains buildWindows\' train and holdout windows in order, and one forecast window per symbol that reads its last W days', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 6 }), closesArb(3), closesArb(3), fc.double({ min: 0.05, max: 0.6, noNaN: true }), (W, a, b, h) => {
        const series = [makeSeries('A', a), makeSeries('B', b)];
        const s = scoringWindows(series, W, h, STATS);
        const built = buildWindows(series, W, h, STATS);
        const width = W * FEATURES_PER_STEP;
        for (const [split, set] of [['train', built.train], ['holdout', built.holdout]] as const) {
          const idx = s.split.flatMap((x, i) => (x === split ? [i] : []));
          expect(idx).toHaveLength(set.numExamples);
          idx.forEach((i, j) => {
            expect(s.features.subarray(i * width, (i + 1) * width)).toEqual(set.features.subarray(j * width, (j + 1) * width));
            expect(s.targetDates[i]).toBe(set.targetDates[j]);
            expect(s.realised[i]).toBe(set.targetReturns[j]);
            expect(s.symbolIndex[i]).toBe(set.symbolIndex[j]);
          });
        }
        series.forEach((ser, si) => {
          const f = s.split.findIndex((x, i) => x === 'forecast' && s.symbolIndex[i] === si);
          if (ser.dates.length < W + 1) return expect(f).toBe(-1);
          const n = ser.dates.length;
          expect(s.asOfDates[f]).toBe(ser.dates[n - 1]);
          expect(s.targetDates[f]).toBeNull();
          expect(Number.isNaN(s.realised[f]!)).toBe(true);
          const v = dayFeatures(ser);
          const lastStep = s.features[f * width + (W - 1) * FEATURES_PER_STEP]!;
          expect(lastStep).toBeCloseTo((v[(n - 1) * FEATURES_PER_STEP]! - STATS.logReturn.mean) / STATS.logReturn.std, 3);
        });
        expect(s.targetScale).toBe(built.targetScale);
      }),
      { numRuns: 60 },
    );
  });

  it('dates each known window by its last day and its target the next bar', () => {
    const s = scoringWindows([makeSeries('A', [10, 11, 12, 11, 13, 14])], 3, 0.34, STATS);
    expect(s.asOfDates).toEqual(['2024-01-04', '2024-01-05', '2024-01-06']);
    expect(s.targetDates).toEqual(['2024-01-05', '2024-01-06', null]);
    expect(s.split).toEqual(['train', 'holdout', 'forecast']);
    expect(s.realised[0]).toBeCloseTo(Math.log(13 / 11), 12);
  });
});
