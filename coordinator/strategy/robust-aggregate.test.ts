import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Weights } from '../../common/weights.js';
import { coordinateMedian, krumScores, multiKrum, pairwiseSquaredDistances, selectInPlace, trimmedMean } from './robust-aggregate.js';

const w = (...v: number[]): Weights => [{ name: 'w', shape: [v.length], values: Float32Array.from(v) }];
const col = (sets: Weights[]) => Array.from(sets[0]![0]!.values.keys()).map((j) => sets.map((s) => s[0]!.values[j]!));

describe('selectInPlace', () => {
  it('puts the k-th smallest value at k with smaller values before and larger after, for any input', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true, min: -1e6, max: 1e6 }), { minLength: 1, maxLength: 120 }), fc.nat(), (xs, kk) => {
        const a = Float64Array.from(xs);
        const k = kk % xs.length;
        const sorted = [...xs].sort((p, q) => p - q);
        expect(selectInPlace(a, k)).toBe(sorted[k]);
        for (let i = 0; i < k; i++) expect(a[i]! <= a[k]!).toBe(true);
        for (let i = k + 1; i < a.length; i++) expect(a[i]! >= a[k]!).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('rejects an index outside the range', () => {
    expect(() => selectInPlace(new Float64Array(3), 3)).toThrow(/"k" expected index in \[0, 2\]/);
  });
});

describe('coordinateMedian', () => {
  it('takes the middle value per coordinate, when the count is odd (by hand)', () => {
    const out = coordinateMedian([w(1, 9), w(2, -3), w(100, 4)]);
    expect(Array.from(out[0]!.values)).toEqual([2, 4]);
  });

  it('averages the two middle values, when the count is even (by hand)', () => {
    const out = coordinateMedian([w(1), w(2), w(4), w(1e6)]);
    expect(out[0]!.values[0]).toBe(3);
  });

  it('matches a sort-based median, for random inputs', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.array(fc.float({ noNaN: true, noDefaultInfinity: true, min: -1e3, max: 1e3 }), { minLength: 3, maxLength: 3 }), (n, seed) => {
        const sets = Array.from({ length: n }, (_, i) => w(Math.fround(seed[0]! * i - 7), Math.fround(Math.sin(i + seed[1]!) * 50), Math.fround(seed[2]! / (i + 1))));
        const out = coordinateMedian(sets)[0]!.values;
        col(sets).forEach((c, j) => {
          const s = c.sort((a, b) => a - b);
          const m = n % 2 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
          expect(out[j]).toBe(Math.fround(m));
        });
      }),
      { numRuns: 100 },
    );
  });
});

describe('trimmedMean', () => {
  it('drops ⌊βn⌋ values from each end and averages the rest (by hand)', () => {
    // n = 5, β = 0.2 → one from each end: mean(2, 3, 4) = 3.
    expect(trimmedMean([w(4), w(1000), w(2), w(-50), w(3)], 0.2)[0]!.values[0]).toBe(3);
  });

  it('is the plain mean, when β·n < 1', () => {
    expect(trimmedMean([w(1), w(2), w(6)], 0.2)[0]!.values[0]).toBe(3);
  });

  it('matches a sort-based trimmed mean, for random inputs and β', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.double({ min: 0, max: 0.49, noNaN: true }), fc.integer({ min: 1, max: 1000 }), (n, beta, seed) => {
        const sets = Array.from({ length: n }, (_, i) => w(Math.fround(((i * seed) % 97) - 40), Math.fround(Math.cos(i * seed))));
        const out = trimmedMean(sets, beta)[0]!.values;
        const cut = Math.floor(beta * n);
        col(sets).forEach((c, j) => {
          const kept = c.sort((a, b) => a - b).slice(cut, n - cut);
          expect(out[j]).toBeCloseTo(kept.reduce((a, b) => a + b, 0) / kept.length, 4);
        });
      }),
      { numRuns: 100 },
    );
  });

  it('rejects β outside [0, 0.5)', () => {
    expect(() => trimmedMean([w(1)], 0.5)).toThrow(/"beta" expected number in \[0, 0.5\)/);
  });
});

describe('krum', () => {
  // Four honest updates near 0 and one far away, by hand (one coordinate, squared distances).
  const sets = [w(0), w(1), w(2), w(3), w(100)];

  it('scores each update by the n − f − 2 nearest squared distances (by hand)', () => {
    // f = 1 → 2 nearest. 0: {1, 4} = 5; 1: {1, 1} = 2; 2: {1, 1} = 2; 3: {1, 4} = 5; 100: {97², 98²}.
    expect(Array.from(krumScores(sets, 1))).toEqual([5, 2, 2, 5, 97 ** 2 + 98 ** 2]);
    expect(pairwiseSquaredDistances(sets)[0]![4]).toBe(10_000);
  });

  it('picks the best-scored update (lowest index on ties), when m = 1', () => {
    const out = multiKrum(sets, 1, 1);
    expect(out.selected).toEqual([1]);
    expect(out.weights[0]!.values[0]).toBe(1);
  });

  it('averages the m best, when m > 1 (Multi-Krum)', () => {
    const out = multiKrum(sets, 1, 4);
    expect(out.selected).toEqual([0, 1, 2, 3]);
    expect(out.weights[0]!.values[0]).toBe(1.5);
  });

  it('refuses fewer than 2f + 3 updates', () => {
    expect(() => krumScores(sets.slice(0, 4), 1)).toThrow(/at least 2f \+ 3 = 5 updates/);
  });

  it('refuses m above n − f', () => {
    expect(() => multiKrum(sets, 1, 5)).toThrow(/"select" expected integer in \[1, 4\]/);
  });
});
