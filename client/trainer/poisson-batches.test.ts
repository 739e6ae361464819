/** Tests of Poisson subsampling (geometric gaps), shuffled minibatches and the DP-SGD step plan. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RandomReader } from '../../common/random.js';
import { seededRandom } from '../../common/seeded-random.js';
import { planPoisson, poissonBatch, shuffledBatches } from './poisson-batches.js';

describe('poissonBatch', () => {
  it('includes every index with probability q and sizes batches Binomial(n, q), when drawn many times', () => {
    // Prepare
    const reader = new RandomReader(seededRandom(1));
    const n = 200;
    const q = 0.05;
    const draws = 4000;
    const hits = new Float64Array(n);
    const sizes: number[] = [];
    // Execute
    for (let t = 0; t < draws; t++) {
      const b = poissonBatch(reader, n, q);
      sizes.push(b.length);
      b.forEach((i) => hits[i]!++);
    }
    // Assert: mean and variance of the size, and per-index rates within 5 standard errors.
    const mean = sizes.reduce((a, b) => a + b, 0) / draws;
    const variance = sizes.reduce((a, b) => a + (b - mean) ** 2, 0) / (draws - 1);
    expect(Math.abs(mean - n * q)).toBeLessThan(5 * Math.sqrt((n * q * (1 - q)) / draws));
    expect(variance / (n * q * (1 - q))).toBeGreaterThan(0.9);
    expect(variance / (n * q * (1 - q))).toBeLessThan(1.1);
    const se = Math.sqrt((q * (1 - q)) / draws);
    hits.forEach((h) => expect(Math.abs(h / draws - q)).toBeLessThan(5 * se));
  });

  it('returns strictly increasing in-range indices, for any n and q', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 500 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.integer(), (n, q, seed) => {
        const b = poissonBatch(new RandomReader(seededRandom(seed)), n, q);
        for (let i = 0; i < b.length; i++) {
          expect(b[i]).toBeGreaterThanOrEqual(i === 0 ? 0 : b[i - 1]! + 1);
          expect(b[i]).toBeLessThan(n);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('returns all or nothing, when q is 1 or 0', () => {
    const reader = new RandomReader(seededRandom(2));
    expect(Array.from(poissonBatch(reader, 4, 1))).toEqual([0, 1, 2, 3]);
    expect(poissonBatch(reader, 4, 0).length).toBe(0);
  });

  it('throws a RangeError naming the argument, when q is outside [0, 1]', () => {
    expect(() => poissonBatch(new RandomReader(seededRandom(3)), 10, 1.5)).toThrow('poissonBatch: "sampleRate" expected number in [0, 1], got 1.5');
  });
});

describe('shuffledBatches', () => {
  it('covers every index exactly once in chunks of batchSize, when n is not a multiple', () => {
    const batches = shuffledBatches(new RandomReader(seededRandom(4)), 10, 4);
    expect(batches.map((b) => b.length)).toEqual([4, 4, 2]);
    expect(batches.flatMap((b) => Array.from(b)).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});

describe('planPoisson', () => {
  it('uses q = batchSize/n and round(epochs·n/batchSize) steps, when planning like Opacus', () => {
    expect(planPoisson(10_000, 64, 1)).toEqual({ sampleRate: 0.0064, steps: 156, expectedBatchSize: 64 });
    expect(planPoisson(50, 64, 2)).toEqual({ sampleRate: 1, steps: 2, expectedBatchSize: 50 });
  });
});
