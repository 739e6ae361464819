/** Tests for moments, their pooling across banks, and stats. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CREDIT_V1 } from './builtin/credit-v1.js';
import { computeMoments, mergeMoments, momentsToStats, parseEncodingStats } from './encoding-stats.js';
import { ConfigError } from '../common/errors.js';

describe('computeMoments', () => {
  it('sums non-missing values clamped to the schema range, when records have gaps and outliers', () => {
    const m = computeMoments([{ age: 30 }, { age: 50 }, { age: null }, { age: 150 }], CREDIT_V1);
    expect(m['age']).toEqual({ count: 3, sum: 180, sumSq: 900 + 2500 + 10000 });
    expect(m).not.toHaveProperty('default');
    expect(m).not.toHaveProperty('full_name');
  });
});

describe('mergeMoments + momentsToStats', () => {
  it('pooled stats equal the stats of the concatenated data, when banks pool moments', () => {
    const values = fc.array(fc.integer({ min: 18, max: 100 }), { minLength: 1, maxLength: 50 });
    fc.assert(
      fc.property(values, values, (a, b) => {
        const ma = computeMoments(a.map((age) => ({ age })), CREDIT_V1);
        const mb = computeMoments(b.map((age) => ({ age })), CREDIT_V1);
        const pooled = momentsToStats({ age: mergeMoments(ma, mb)['age']! })['age']!;
        const all = [...a, ...b];
        const mean = all.reduce((s, x) => s + x, 0) / all.length;
        const std = Math.sqrt(all.reduce((s, x) => s + (x - mean) ** 2, 0) / all.length);
        expect(pooled.mean).toBeCloseTo(mean, 9);
        expect(pooled.std).toBeCloseTo(std > 0 ? std : 1, 6);
        expect(mergeMoments(mb, ma)).toEqual(mergeMoments(ma, mb));
      }),
    );
  });

  it('gives mean 0 and std 1, when no bank has a value for a field', () => {
    expect(momentsToStats({ income: { count: 0, sum: 0, sumSq: 0 } })).toEqual({ income: { mean: 0, std: 1 } });
  });

  it('throws RangeError naming the field, when moments are NaN or negative', () => {
    expect(() => momentsToStats({ income: { count: -1, sum: 0, sumSq: 0 } })).toThrow('momentsToStats: "income.count" expected non-negative finite number, got -1');
    expect(() => momentsToStats({ income: { count: 2, sum: Number.NaN, sumSq: 0 } })).toThrow(/"income.sum" expected finite number, got NaN/);
  });
});

describe('parseEncodingStats', () => {
  it('throws a ConfigError with the field path, when a stats file has a NaN-like or zero std', () => {
    expect(parseEncodingStats({ age: { mean: 40, std: 12 } })).toEqual({ age: { mean: 40, std: 12 } });
    let err: unknown;
    try {
      parseEncodingStats({ age: { mean: 40, std: 0 } }, 'stats.json');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).issues[0]?.path).toEqual(['age', 'std']);
  });
});
