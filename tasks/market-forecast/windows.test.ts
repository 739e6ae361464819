/** Properties of the market windows: no look-ahead, the target is the next day's return, and the holdout is the last part of each symbol's period. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SymbolSeries } from './series.js';
import { FEATURES_PER_STEP, buildWindows, exampleCount, holdoutCount, trainMoments } from './windows.js';

const STATS = { logReturn: { mean: 0.001, std: 0.02 }, logVolumeChange: { mean: 0, std: 0.3 }, logRange: { mean: 0.02, std: 0.01 }, logBody: { mean: 0, std: 0.01 } };

function makeSeries(symbol: string, closes: readonly number[], volumes: readonly number[]): SymbolSeries {
  const n = closes.length;
  const dates = Array.from({ length: n }, (_, i) => new Date(Date.UTC(2024, 0, 1) + i * 86_400_000).toISOString().slice(0, 10));
  const close = Float64Array.from(closes);
  return { symbol, dates, open: close.map((c) => c * 0.99), high: close.map((c) => c * 1.02), low: close.map((c) => c * 0.97), close, volume: Float64Array.from(volumes) };
}

const price = fc.double({ min: 1, max: 500, noNaN: true });
const volume = fc.integer({ min: 0, max: 1e6 });
const seriesArb = fc.integer({ min: 8, max: 40 }).chain((n) => fc.tuple(fc.array(price, { minLength: n, maxLength: n }), fc.array(volume, { minLength: n, maxLength: n })));

describe('market windows', () => {
  it('never reads a day after the window: changing later bars leaves earlier examples unchanged', () => {
    fc.assert(
      fc.property(seriesArb, fc.integer({ min: 2, max: 6 }), fc.nat(), fc.array(price, { minLength: 40, maxLength: 40 }), ([closes, volumes], W, cutSeed, replacement) => {
        const n = closes.length;
        if (exampleCount(n, W) < 1) return;
        const cut = W + 1 + (cutSeed % (n - W - 1)); // last day kept unchanged
        const altered = closes.map((c, i) => (i > cut ? replacement[i]! : c));
        const a = buildWindows([makeSeries('S', closes, volumes)], W, 0, STATS).train;
        const b = buildWindows([makeSeries('S', altered, volumes)], W, 0, STATS).train;
        const width = W * FEATURES_PER_STEP;
        for (let k = 0; k + W <= cut && k < a.numExamples; k++) {
          expect(b.features.subarray(k * width, (k + 1) * width)).toEqual(a.features.subarray(k * width, (k + 1) * width));
        }
      }),
      { numRuns: 60 },
    );
  });

  it('targets the log return of the day after the window, dated that day, scaled by the return std', () => {
    fc.assert(
      fc.property(seriesArb, fc.integer({ min: 2, max: 6 }), ([closes, volumes], W) => {
        const s = makeSeries('S', closes, volumes);
        const { train } = buildWindows([s], W, 0, STATS);
        expect(train.numExamples).toBe(exampleCount(closes.length, W));
        for (let k = 0; k < train.numExamples; k++) {
          const day = k + W + 1;
          expect(train.targetDates[k]).toBe(s.dates[day]);
          expect(train.targetReturns[k]).toBeCloseTo(Math.log(closes[day]! / closes[day - 1]!), 12);
          expect(train.labels[k]).toBeCloseTo(Math.log(closes[day]! / closes[day - 1]!) / 0.02, 3);
          // the window's last step is the day before the target: its standardised return
          const last = train.features[k * W * FEATURES_PER_STEP + (W - 1) * FEATURES_PER_STEP]!;
          expect(last).toBeCloseTo((Math.log(closes[day - 1]! / closes[day - 2]!) - 0.001) / 0.02, 2);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('holds out the last examples of each symbol: every holdout target is later than every train target', () => {
    fc.assert(
      fc.property(fc.array(seriesArb, { minLength: 1, maxLength: 4 }), fc.double({ min: 0.05, max: 0.6, noNaN: true }), (list, fraction) => {
        const series = list.map(([c, v], i) => makeSeries(`S${i}`, c, v));
        const { train, holdout } = buildWindows(series, 3, fraction, STATS);
        series.forEach((s, si) => {
          const tr = train.targetDates.filter((_, i) => train.symbolIndex[i] === si);
          const ho = holdout.targetDates.filter((_, i) => holdout.symbolIndex[i] === si);
          expect(ho.length).toBe(holdoutCount(exampleCount(s.dates.length, 3), fraction));
          if (tr.length > 0 && ho.length > 0) expect(ho[0]! > tr[tr.length - 1]!).toBe(true);
          expect([...ho].sort()).toEqual(ho);
        });
      }),
      { numRuns: 60 },
    );
  });

  it('computes train moments over the days train examples read or predict, each day once', () => {
    const closes = [10, 11, 12.1, 13.31, 14.641, 16.1051, 17.71561, 19.487171];
    const s = makeSeries('S', closes, closes.map(() => 100));
    // 8 days, W = 2 → 5 examples; holdout 0.4 → 2; the last train target is day 2 + 3 = 5.
    const m = trainMoments([s], 2, 0.4);
    expect(m['logReturn']!.count).toBe(5);
    expect(m['logReturn']!.sum).toBeCloseTo(5 * Math.log(1.1), 10);
    expect(m['logVolumeChange']!.sumSq).toBe(0);
  });
});
