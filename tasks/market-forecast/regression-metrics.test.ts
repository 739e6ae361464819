/** Regression metrics from sums: pooling banks' sums is exact (equals the metrics of all examples together). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergeRegression, pooledRegressionMetrics, regressionMetrics, regressionSums } from './regression-metrics.js';

// Returns on a 1e-6 grid (real returns; fast-check's denormal doubles make R²'s sums pure rounding).
const ret = fc.integer({ min: -200_000, max: 200_000 }).map((x) => x / 1e6);
const example = fc.record({ symbol: fc.integer({ min: 0, max: 3 }), day: fc.integer({ min: 1, max: 28 }), predicted: ret, realised: ret });

function ordered(list: readonly { symbol: number; day: number; predicted: number; realised: number }[]) {
  const seen = new Set<string>();
  return list
    .filter((e) => !seen.has(`${e.symbol}/${e.day}`) && seen.add(`${e.symbol}/${e.day}`))
    .sort((a, b) => a.symbol - b.symbol || a.day - b.day)
    .map((e) => ({ ...e, date: `2024-02-${String(e.day).padStart(2, '0')}` }));
}

describe('regression metrics', () => {
  it('computes RMSE, MAE, bias, R² and directional accuracy from sums, by hand', () => {
    const m = regressionMetrics(regressionSums([
      { symbol: 0, date: '2024-01-02', predicted: 0.01, realised: 0.02 },
      { symbol: 0, date: '2024-01-03', predicted: -0.01, realised: 0.01 },
      { symbol: 0, date: '2024-01-04', predicted: 0.02, realised: 0.03 },
    ]));
    // errors −0.01, −0.02, −0.01; targets 0.02, 0.01, 0.03 (mean 0.02, SST 2e-4)
    expect(m['rmse']).toBeCloseTo(Math.sqrt(6e-4 / 3), 12);
    expect(m['mae']).toBeCloseTo(0.04 / 3, 12);
    expect(m['bias']).toBeCloseTo(-0.04 / 3, 12);
    expect(m['r2']).toBeCloseTo(1 - 6e-4 / 2e-4, 9);
    expect(m['directionalAccuracy']).toBeCloseTo(2 / 3, 12);
    expect(m['upRate']).toBe(1);
  });

  it('pools exactly: merged sums of any split by symbol give the metrics of all examples', () => {
    fc.assert(
      fc.property(fc.array(example, { minLength: 2, maxLength: 60 }), fc.integer({ min: 1, max: 3 }), (raw, cutSymbol) => {
        const all = ordered(raw);
        const a = all.filter((e) => e.symbol < cutSymbol);
        const b = all.filter((e) => e.symbol >= cutSymbol);
        const whole = regressionMetrics(regressionSums(all, 3));
        const pooled = regressionMetrics(mergeRegression([a, b].filter((p) => p.length > 0).map((p) => regressionSums(p, 3))));
        for (const [k, v] of Object.entries(whole)) {
          if (Number.isNaN(v)) expect(pooled[k]).toBeNaN();
          // Relative: tiny targets (denormals) make R² huge, where an absolute tolerance means nothing.
          else expect(Math.abs(pooled[k]! - v), k).toBeLessThanOrEqual(1e-8 * Math.max(1, Math.abs(v)));
        }
      }),
      { numRuns: 100 },
    );
  });

  it('drops undefined metrics and counts the banks, when pooling replies', () => {
    const one = regressionSums([{ symbol: 0, date: '2024-01-02', predicted: 0.01, realised: 0.01 }]);
    const m = pooledRegressionMetrics([{ regression: one }, { regression: undefined }]);
    expect(m['evalBanks']).toBe(1);
    expect(m['sharpe']).toBeUndefined(); // one day: no standard deviation
    expect(m['directionalAccuracy']).toBe(1);
    expect(pooledRegressionMetrics([])).toEqual({});
  });
});
