/** Statistical tests of the Poisson (inversion and PTRS) and Skellam samplers. */
import { describe, it, expect } from 'vitest';
import { seededRandom } from '../../common/seeded-random.js';
import { fillPoisson, logFactorial, samplePoisson } from './poisson.js';
import { fillSkellam, sampleSkellam, skellamLambdaForStd, skellamPmf } from './skellam.js';
import { chiSquareInt, moments } from './testing/stats.js';

const N = 100_000;

function poissonPmf(lambda: number, k: number): number {
  return k < 0 ? 0 : Math.exp(k * Math.log(lambda) - lambda - logFactorial(k));
}

describe('samplePoisson', () => {
  it.each([0.7, 3, 9.99, 10, 37.5, 1000, 350_000])('matches mean, variance and the pmf (chi-square), when λ = %s', (lambda) => {
    const xs = samplePoisson(seededRandom(`poisson-${lambda}`), lambda, N);
    const { mean, variance } = moments(xs);
    expect(Math.abs(mean - lambda)).toBeLessThan(5 * Math.sqrt(lambda / N));
    // Var of the sample variance ≈ (μ4 − σ⁴)/N = (λ + 2λ²)/N for Poisson.
    expect(Math.abs(variance - lambda)).toBeLessThan(5 * Math.sqrt((lambda + 2 * lambda * lambda) / N));
    const span = Math.ceil(10 * Math.sqrt(lambda) + 10);
    const chi = chiSquareInt(xs, (k) => poissonPmf(lambda, k), Math.max(0, Math.floor(lambda) - span), Math.ceil(lambda) + span);
    expect(chi.statistic).toBeLessThan(chi.critical);
  });

  it('is rejected by the chi-square test, when compared against λ 2% too large', () => {
    const xs = samplePoisson(seededRandom('poisson-wrong'), 100, N);
    const chi = chiSquareInt(xs, (k) => poissonPmf(102, k), 40, 170);
    expect(chi.statistic).toBeGreaterThan(chi.critical);
  });

  it('agrees with a direct sum of logs, when computing ln k! above the table', () => {
    let direct = 0;
    for (let k = 1; k <= 5000; k++) direct += Math.log(k);
    expect(logFactorial(5000)).toBeCloseTo(direct, 7);
    expect(logFactorial(255)).toBeCloseTo(logFactorial(256) - Math.log(256), 9);
  });

  it('returns zeros, when λ = 0', () => {
    expect([...samplePoisson(seededRandom(1), 0, 3)]).toEqual([0, 0, 0]);
  });

  it('refuses negative, NaN, ∞ and oversize λ, when called', () => {
    for (const l of [-1, Number.NaN, Infinity, 2 ** 31]) expect(() => samplePoisson(seededRandom(1), l, 1)).toThrow(RangeError);
    expect(() => fillPoisson(seededRandom(1), [] as never, 1)).toThrow(TypeError);
  });
});

describe('sampleSkellam', () => {
  it.each([0.8, 12, 500])('has mean 0, variance 2λ and the Skellam pmf, when λ = %s', (lambda) => {
    const xs = sampleSkellam(seededRandom(`skellam-${lambda}`), lambda, N);
    const { mean, variance } = moments(xs);
    const v = 2 * lambda;
    expect(Math.abs(mean)).toBeLessThan(5 * Math.sqrt(v / N));
    // Kurtosis excess of Skellam is 1/(2λ): Var(s²) ≈ (2v² + v)/N.
    expect(Math.abs(variance - v)).toBeLessThan(5 * Math.sqrt((2 * v * v + v) / N));
    const span = Math.ceil(8 * Math.sqrt(v) + 8);
    const chi = chiSquareInt(xs, (k) => skellamPmf(lambda, k), -span, span);
    expect(chi.statistic).toBeLessThan(chi.critical);
  });

  it('is rejected against a discrete-Gaussian-shaped mistake, when λ is small', () => {
    // Skellam(0.8) is far from a rounded Gaussian; a sampler that returned Poisson − its mean would fail too.
    const xs = sampleSkellam(seededRandom('skellam-wrong'), 0.8, N);
    const chi = chiSquareInt(xs, (k) => skellamPmf(0.9, k), -10, 10);
    expect(chi.statistic).toBeGreaterThan(chi.critical);
  });

  it('maps a standard deviation to λ = std²/2, when calibrating noise', () => {
    expect(skellamLambdaForStd(10)).toBe(50);
    expect(() => skellamLambdaForStd(0)).toThrow(RangeError);
  });

  it('refuses λ = 0 and wrong output types, when called', () => {
    expect(() => sampleSkellam(seededRandom(1), 0, 1)).toThrow(RangeError);
    expect(() => fillSkellam(seededRandom(1), new Uint8Array(1) as never, 1)).toThrow(TypeError);
  });
});
