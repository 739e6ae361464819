/** Tests of the exact AUC and the expected (label-free) AUC used for truth.json. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aucExact, directionalHitRate, expectedAuc } from './truth.js';
import { Sampler } from './sampling.js';

describe('aucExact', () => {
  it('gives the Mann–Whitney value, when scores are distinct', () => {
    expect(aucExact([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBe(0.75);
  });

  it('counts ties as one half, when a positive and a negative share a score', () => {
    expect(aucExact([0.5, 0.5], [0, 1])).toBe(0.5);
    expect(aucExact([0.2, 0.5, 0.5, 0.9], [0, 0, 1, 1])).toBe(0.875);
  });

  it('returns null, when only one class is present', () => {
    expect(aucExact([0.1, 0.2], [1, 1])).toBeNull();
  });

  it('is symmetric: auc(s) + auc(−s) = 1, for any scores with both classes', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 20 }), fc.boolean()), { minLength: 2, maxLength: 60 }), (pairs) => {
        const s = pairs.map(([x]) => x);
        const y = pairs.map(([, b]) => (b ? 1 : 0));
        const a = aucExact(s, y);
        fc.pre(a !== null);
        expect(a! + aucExact(s.map((x) => -x), y)!).toBeCloseTo(1, 12);
      }),
      { numRuns: 200 },
    );
  });
});

describe('expectedAuc', () => {
  it('is one half, when every probability is the same', () => {
    expect(expectedAuc([0.3, 0.3, 0.3, 0.3])).toBeCloseTo(0.5, 12);
  });

  it('matches the mean of aucExact over label draws, when labels are drawn from p', () => {
    // Prepare
    const rng = new Sampler('expected-auc');
    const p = Array.from({ length: 300 }, () => rng.uniform() * 0.6);
    // Execute
    let sum = 0;
    const draws = 400;
    for (let k = 0; k < draws; k++) sum += aucExact(p, p.map((pi) => (rng.bernoulli(pi) ? 1 : 0)))!;
    // Assert: the mean of 400 draws has a standard error below 0.003.
    expect(Math.abs(sum / draws - expectedAuc(p)!)).toBeLessThan(0.01);
  });
});

describe('directionalHitRate', () => {
  it('counts a hit when both sides are up (> 0) or both are not', () => {
    expect(directionalHitRate([0.1, -0.2, 0.3, 0], [0.05, 0.01, 0.2, -0.1])).toBe(0.75);
  });

  it('returns null for no values', () => {
    expect(directionalHitRate([], [])).toBeNull();
  });
});
