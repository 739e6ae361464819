/** Special functions pinned to 60-digit mpmath values (privacy/testdata/rdp.json) plus identities and guards. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import vectors from '../testdata/rdp.json' with { type: 'json' };
import { nonNumbers } from '../testing/bad-inputs.js';
import { gammaln, logComb, sinPi } from './gammaln.js';
import { erfc, logErfc, logNdtr, ndtr } from './log-erfc.js';
import { logAdd, logSub, logSubSign, logSumExp } from './log-space.js';

const rel = (a: number, b: number): number => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

describe('logErfc and logNdtr', () => {
  it('match mpmath to 1e-14 relative, when x spans the series, fraction and far-tail ranges', () => {
    for (const [x, want] of vectors.specialFunctions.logErfc as [number, number][]) {
      if (want === 0) expect(logErfc(x)).toBe(0);
      else expect(rel(logErfc(x), want), `x=${x}`).toBeLessThan(1e-14);
    }
    for (const [x, want] of vectors.specialFunctions.logNdtr as [number, number][]) {
      expect(rel(logNdtr(x), want), `x=${x}`).toBeLessThan(1e-14);
    }
  });

  it('agrees with erfc and ndtr where those do not underflow, when x is moderate', () => {
    fc.assert(
      fc.property(fc.double({ min: -6, max: 6, noNaN: true }), (x) => {
        expect(Math.abs(logErfc(x) - Math.log(erfc(x)))).toBeLessThan(1e-13);
        expect(Math.abs(logNdtr(x) - Math.log(ndtr(x)))).toBeLessThan(1e-13);
        expect(Math.abs(erfc(x) + erfc(-x) - 2)).toBeLessThan(1e-15);
      }),
    );
  });

  it('handles the edges, when x is ±Infinity or NaN', () => {
    expect(logErfc(Infinity)).toBe(-Infinity);
    expect(erfc(-Infinity)).toBe(2);
    expect(logNdtr(-Infinity)).toBe(-Infinity);
    expect(logNdtr(Infinity) === 0).toBe(true); // -0 from log1p(-0) is fine
    expect(Number.isNaN(logErfc(NaN))).toBe(true);
    expect(erfc(0)).toBe(1);
  });
});

describe('gammaln', () => {
  it('matches mpmath log|Γ| to 1e-13 absolute or relative, when x is negative, tiny, near 1 and 2, or huge', () => {
    for (const [x, want] of vectors.specialFunctions.gammaln as [number, number][]) {
      const got = gammaln(x);
      expect(Math.min(Math.abs(got - want), rel(got, want)), `x=${x}`).toBeLessThan(1e-13);
    }
  });

  it('satisfies Γ(x+1) = xΓ(x), when x is any positive or negative non-integer', () => {
    fc.assert(
      fc.property(fc.double({ min: -50, max: 200, noNaN: true }), (x) => {
        fc.pre(Math.abs(x - Math.round(x)) > 1e-3);
        expect(Math.abs(gammaln(x + 1) - gammaln(x) - Math.log(Math.abs(x)))).toBeLessThan(1e-11 * Math.max(1, Math.abs(gammaln(x))));
      }),
    );
  });

  it('returns +Infinity at the poles and exact zeros of sinPi, when x is a non-positive integer', () => {
    expect(gammaln(0)).toBe(Infinity);
    expect(gammaln(-3)).toBe(Infinity);
    expect(sinPi(1e6)).toBe(0);
    expect(sinPi(0.5)).toBe(1);
    expect(Math.exp(logComb(5, 2))).toBeCloseTo(10, 12);
    expect(Math.exp(logComb(1.5, 3))).toBeCloseTo(0.0625, 14);
  });
});

describe('log-space arithmetic', () => {
  it('adds and subtracts like linear space, when values are moderate', () => {
    fc.assert(
      fc.property(fc.double({ min: -30, max: 30, noNaN: true }), fc.double({ min: -30, max: 30, noNaN: true }), (a, b) => {
        expect(rel(Math.exp(logAdd(a, b)), Math.exp(a) + Math.exp(b))).toBeLessThan(1e-13);
        const hi = Math.max(a, b);
        const lo = Math.min(a, b);
        fc.pre(hi - lo > 1e-6);
        expect(rel(Math.exp(logSub(hi, lo)), Math.exp(hi) - Math.exp(lo))).toBeLessThan(1e-8);
        expect(logSubSign(lo, hi).positive).toBe(false);
      }),
    );
  });

  it('treats -Infinity as zero and rejects a negative difference, when given edge values', () => {
    expect(logAdd(-Infinity, 2)).toBe(2);
    expect(logAdd(-Infinity, -Infinity)).toBe(-Infinity);
    expect(logSub(3, -Infinity)).toBe(3);
    expect(logSub(3, 3)).toBe(-Infinity);
    expect(() => logSub(1, 2)).toThrow(RangeError);
    expect(logSumExp([])).toBe(-Infinity);
    expect(logSumExp([0, 0, 0])).toBeCloseTo(Math.log(3), 15);
    expect(logSumExp([1000, 1000])).toBeCloseTo(1000 + Math.LN2, 12);
  });
});

describe('special functions guards', () => {
  const fns: [string, (v: unknown) => unknown][] = [
    ['gammaln', (v) => gammaln(v as number)],
    ['logComb(n)', (v) => logComb(v as number, 1)],
    ['logComb(k)', (v) => logComb(3, v as number)],
    ['sinPi', (v) => sinPi(v as number)],
    ['erfc', (v) => erfc(v as number)],
    ['logErfc', (v) => logErfc(v as number)],
    ['ndtr', (v) => ndtr(v as number)],
    ['logNdtr', (v) => logNdtr(v as number)],
    ['logAdd', (v) => logAdd(v as number, 0)],
    ['logSub', (v) => logSub(0, v as number)],
    ['logSubSign', (v) => logSubSign(v as number, 0)],
    ['logSumExp', (v) => logSumExp([0, v as number])],
  ];
  for (const [name, call] of fns) {
    it(`${name} throws a TypeError naming the parameter, when given a non-number`, () => {
      for (const bad of nonNumbers()) expect(() => call(bad.value), bad.label).toThrow(/expected number/);
    });
  }
});
