/** Statistical tests of the exact discrete Gaussian sampler against its exact pmf and variance. */
import { describe, it, expect } from 'vitest';
import { seededRandom } from '../../common/seeded-random.js';
import { discreteGaussianPmf, discreteGaussianVariance, fillDiscreteGaussian, sampleDiscreteGaussian } from './discrete-gaussian.js';
import { chiSquareInt, moments } from './testing/stats.js';

const N = 100_000;

describe('sampleDiscreteGaussian', () => {
  it.each([0.5, 3.7, 20])('matches the exact variance and pmf (chi-square), when σ = %s and 10^5 draws', (sigma) => {
    const xs = sampleDiscreteGaussian(seededRandom(`dg-${sigma}`), sigma, N);
    const exactVar = discreteGaussianVariance(sigma);
    const { mean, variance } = moments(xs);
    // SE of the mean √(var/N); SE of the variance ≈ var·√(2/N). Allow 5 SE.
    expect(Math.abs(mean)).toBeLessThan(5 * Math.sqrt(exactVar / N));
    expect(Math.abs(variance - exactVar)).toBeLessThan(5 * exactVar * Math.sqrt(2 / N));
    const span = Math.ceil(8 * sigma) + 2;
    const chi = chiSquareInt(xs, (k) => discreteGaussianPmf(sigma, k), -span, span);
    expect(chi.statistic).toBeLessThan(chi.critical);
  });

  it('is rejected by the chi-square test, when compared against a 3% wider σ', () => {
    const xs = sampleDiscreteGaussian(seededRandom('dg-wrong'), 20, N);
    const chi = chiSquareInt(xs, (k) => discreteGaussianPmf(20.6, k), -170, 170);
    expect(chi.statistic).toBeGreaterThan(chi.critical);
  });

  it('has variance σ² below exactly the continuous value for small σ, when σ = 0.5', () => {
    // Σ k² e^{−2k²} / Σ e^{−2k²} ≈ 0.2150, not 0.25: the test above would fail a sampler using σ² naively.
    expect(discreteGaussianVariance(0.5)).toBeCloseTo(0.21501, 4);
    expect(discreteGaussianVariance(5)).toBeCloseTo(25, 9);
  });

  it('fills a Float64Array with integers, when given one', () => {
    const out = new Float64Array(1000);
    fillDiscreteGaussian(seededRandom(3), out, 2.5);
    expect(out.every((v) => Number.isInteger(v))).toBe(true);
    expect(new Set(out).size).toBeGreaterThan(5);
  });

  it('is reproducible, when given the same seed', () => {
    expect(sampleDiscreteGaussian(seededRandom(9), 4, 50)).toEqual(sampleDiscreteGaussian(seededRandom(9), 4, 50));
  });

  it('refuses σ = 0, negative, NaN, ∞ and oversize σ, when called', () => {
    for (const s of [0, -1, Number.NaN, Infinity, 2 ** 27]) expect(() => sampleDiscreteGaussian(seededRandom(1), s, 1)).toThrow(RangeError);
    expect(() => sampleDiscreteGaussian(seededRandom(1), 1, -1)).toThrow(RangeError);
    expect(() => fillDiscreteGaussian(seededRandom(1), new Float32Array(1) as never, 1)).toThrow(TypeError);
  });
});
