/** Statistical and guard tests for the continuous Gaussian samplers. */
import { describe, it, expect } from 'vitest';
import { seededRandom } from '../../common/seeded-random.js';
import { cryptoRandom } from '../../common/random.js';
import { addGaussianNoise, fillGaussian, sampleGaussian, type GaussianMode } from './gaussian.js';
import { ksCritical, ksStatistic, moments, normalCdf, tailFraction } from './testing/stats.js';

const N = 200_000;
// P(|Z| > 3) for a standard normal.
const TAIL3 = 0.0026997960632601866;

describe.each<GaussianMode>(['secure', 'fast'])('fillGaussian (%s mode)', (mode) => {
  it('matches N(mean, std²) in mean, variance, 3σ tail and KS, when drawing 2·10^5 values with a fixed seed', () => {
    const xs = new Float64Array(N);
    fillGaussian(seededRandom(`gauss-${mode}`), xs, 2.5, 1, { mode });
    const { mean, variance } = moments(xs);
    // Standard errors: mean 2.5/√N ≈ 0.0056, variance 6.25·√(2/N) ≈ 0.0198; allow ~5 SE.
    expect(Math.abs(mean - 1)).toBeLessThan(0.028);
    expect(Math.abs(variance - 6.25)).toBeLessThan(0.1);
    // Tail count SE ≈ √(p/N) ≈ 1.16e-4; 5 SE.
    expect(Math.abs(tailFraction(xs, 7.5, 1) - TAIL3)).toBeLessThan(6e-4);
    expect(ksStatistic(xs, (x) => normalCdf((x - 1) / 2.5))).toBeLessThan(ksCritical(N));
  });

  it('fails the KS test for a wrong variance, when std is off by 2%', () => {
    const xs = new Float64Array(N);
    fillGaussian(seededRandom(`gauss-wrong-${mode}`), xs, 1.02, 0, { mode });
    expect(ksStatistic(xs, normalCdf)).toBeGreaterThan(ksCritical(N));
  });

  it('is reproducible, when given the same seed', () => {
    const a = new Float32Array(1000);
    const b = new Float32Array(1000);
    fillGaussian(seededRandom(7), a, 1, 0, { mode });
    fillGaussian(seededRandom(7), b, 1, 0, { mode });
    expect(b).toEqual(a);
  });
});

describe('fillGaussian', () => {
  it('fills with the mean, when std is 0', () => {
    const out = new Float32Array(5);
    fillGaussian(seededRandom(1), out, 0, 3);
    expect([...out]).toEqual([3, 3, 3, 3, 3]);
  });

  it('draws 10^6 secure values from the CSPRNG with a finite, centred result, when using cryptoRandom', () => {
    const out = new Float32Array(1_000_000);
    fillGaussian(cryptoRandom(), out, 1);
    const { mean, variance } = moments(out);
    expect(Math.abs(mean)).toBeLessThan(0.006);
    expect(Math.abs(variance - 1)).toBeLessThan(0.01);
  });

  it('rejects bad arguments with the house wording, when std or mean is invalid', () => {
    const out = new Float64Array(2);
    expect(() => fillGaussian(seededRandom(1), out, -1)).toThrow(new RangeError('fillGaussian: "std" expected non-negative finite number, got -1'));
    expect(() => fillGaussian(seededRandom(1), out, Number.NaN)).toThrow(RangeError);
    expect(() => fillGaussian(seededRandom(1), out, 1, Infinity)).toThrow(RangeError);
    expect(() => fillGaussian(seededRandom(1), [0, 0] as unknown as Float64Array, 1)).toThrow(TypeError);
    expect(() => fillGaussian({} as never, out, 1)).toThrow(TypeError);
    expect(() => fillGaussian(seededRandom(1), out, 1, 0, { mode: 'naive' as never })).toThrow(TypeError);
  });
});

describe('addGaussianNoise', () => {
  it('adds zero-mean noise to existing values, when given a vector', () => {
    const xs = new Float64Array(N).fill(10);
    addGaussianNoise(seededRandom('add'), xs, 0.5);
    const { mean, variance } = moments(xs);
    expect(Math.abs(mean - 10)).toBeLessThan(0.006);
    expect(Math.abs(variance - 0.25)).toBeLessThan(0.008);
  });
});

describe('sampleGaussian', () => {
  it('returns draws with unit variance, when called one at a time', () => {
    const rng = seededRandom('single');
    const xs = Array.from({ length: 100_000 }, () => sampleGaussian(rng, 1));
    const { mean, variance } = moments(xs);
    expect(Math.abs(mean)).toBeLessThan(0.016);
    expect(Math.abs(variance - 1)).toBeLessThan(0.03);
  });

  it('rejects a negative std, when asked for one draw', () => {
    expect(() => sampleGaussian(seededRandom(1), -0.1)).toThrow(RangeError);
  });
});
