/** Tests for quantisation: grid mapping, weight factor, overflow refusal, round-trip bound and unbiased rounding. */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { seededRandom } from '../../common/seeded-random.js';
import { checkQuantizeParams, dequantizeSum, quantize, weightFactor, type QuantizeParams } from './quantize.js';

const base: QuantizeParams = { clippingRange: 8, targetRange: 2 ** 22, modulus: 2 ** 32, maxWeight: 1000, numClients: 100 };

describe('quantize', () => {
  it('maps −c, 0 and c onto 0, T/2 and T, with the weight factor as element 0', () => {
    const q = quantize([-8, 0, 8, -100, 100], 1000, base, seededRandom(1));
    expect(Array.from(q)).toEqual([2 ** 22, 0, 2 ** 21, 2 ** 22, 0, 2 ** 22]);
  });

  it('caps the weight factor at T and never lets it reach 0', () => {
    expect(weightFactor(5000, base)).toBe(2 ** 22);
    expect(weightFactor(500, base)).toBe(2 ** 21);
    expect(weightFactor(0, base)).toBe(1);
  });

  it('refuses n·T ≥ M up front with config-invalid stating the numbers', () => {
    const p = { ...base, numClients: 1024 };
    expect(() => quantize([0], 1, p, seededRandom(1))).toThrow(
      expect.objectContaining({ code: 'config-invalid', message: expect.stringContaining('1024 · 4194304 = 4294967296 must be < modulus 4294967296; use targetRange ≤ 4194303') }),
    );
    expect(() => checkQuantizeParams({ ...base, numClients: 1023 })).not.toThrow();
  });

  it('refuses NaN and infinite coordinates, naming the index', () => {
    expect(() => quantize([0, NaN], 1, base, seededRandom(1))).toThrow(new RangeError('quantize: "values[1]" expected finite number, got NaN'));
    expect(() => quantize([Infinity], 1, base, seededRandom(1))).toThrow(/"values\[0\]" expected finite number, got Infinity/);
  });

  it('round-trips one full-weight member within one grid step 2c/T, for any update within the clip', () => {
    const p = { ...base, targetRange: 2 ** 12 };
    const rng = seededRandom('rt');
    fc.assert(
      fc.property(fc.array(fc.double({ min: -8, max: 8, noNaN: true }), { minLength: 1, maxLength: 50 }), (xs) => {
        const mean = dequantizeSum(quantize(xs, 1000, p, rng), 1, p);
        xs.forEach((x, i) => expect(Math.abs(mean[i]! - x)).toBeLessThan((2 * 8) / 2 ** 12 + 1e-12));
      }),
    );
  });

  it('gives the weighted mean of several members, within one grid step scaled by T/Q_tot', () => {
    const p = { ...base, numClients: 3 };
    const rng = seededRandom('wm');
    const members = [
      { x: [1, -2, 0.5], w: 100 },
      { x: [3, 2, -0.5], w: 300 },
      { x: [-1, 9, 7], w: 1000 },
    ];
    const sum = new Uint32Array(4);
    for (const m of members) quantize(m.x, m.w, p, rng).forEach((v, i) => (sum[i] = sum[i]! + v));
    const mean = dequantizeSum(sum, 3, p);
    const wTot = members.reduce((s, m) => s + weightFactor(m.w, p), 0);
    for (let j = 0; j < 3; j++) {
      const expected = members.reduce((s, m) => s + weightFactor(m.w, p) * Math.min(8, Math.max(-8, m.x[j]!)), 0) / wTot;
      expect(Math.abs(mean[j]! - expected)).toBeLessThan(((2 * 8) / p.targetRange) * 3 * (p.targetRange / wTot));
    }
  });

  it('is unbiased: the average of many roundings of an off-grid value converges to it', () => {
    const p = { ...base, clippingRange: 1, targetRange: 4, numClients: 1 };
    // 0.3 sits between grid points 0 and 0.5; nearest rounding would give 0.5, ours averages to 0.3.
    const draws = 100_000;
    const q = quantize(new Float64Array(draws).fill(0.3), 1000, p, seededRandom('unbiased'));
    let s = 0;
    for (let i = 1; i <= draws; i++) s += q[i]!;
    const meanValue = ((s / draws) * 2) / 4 - 1;
    // One draw has standard deviation 0.5·sqrt(0.6·0.4) ≈ 0.245; 6 standard errors of the mean ≈ 0.0046.
    expect(Math.abs(meanValue - 0.3)).toBeLessThan(0.0047);
  });

  it('refuses a sum whose weight entry is impossible for the number of members summed', () => {
    expect(() => dequantizeSum(Uint32Array.of(0, 5), 1, base)).toThrow(/expected total weight in \[1, 4194304\], got 0/);
    expect(() => dequantizeSum(Uint32Array.of(10, 5), 101, base)).toThrow(RangeError);
  });
});
