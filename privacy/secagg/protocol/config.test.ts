/** Config resolution and refusals, distributed-DP sizing (σ_local = z·Δ₂/√m) and the realised mechanism. */
import { describe, it, expect } from 'vitest';
import { seededRandom } from '../../../common/seeded-random.js';
import { checkSecAggConfig, resolveSecAggConfig } from './config.js';
import { addDistributedNoise, realisedNoise } from './dp-noise.js';
import { createSecAggClient } from './client.js';

const reasons = (...args: Parameters<typeof resolveSecAggConfig>): string => {
  const r = resolveSecAggConfig(...args);
  return r.ok ? '' : r.reasons.join(' | ');
};

describe('resolveSecAggConfig', () => {
  it('fills defaults: k = 4·⌈log2 n⌉, t = ⌊2k/3⌋ + 1, 16 bits, M = 2^32', () => {
    expect(checkSecAggConfig({}, 100, 1000)).toMatchObject({ neighbours: 28, threshold: 19, bits: 16, targetRange: 65535, modulus: 2 ** 32, clippingRange: 8, maxWeight: 1000 });
    expect(checkSecAggConfig({}, 8)).toMatchObject({ neighbours: 7, threshold: 5 }); // complete graph
    expect(checkSecAggConfig({}, 201)).toMatchObject({ neighbours: 32, threshold: 22 });
    expect(checkSecAggConfig({}, 31)).toMatchObject({ neighbours: 20, threshold: 14 });
    expect(checkSecAggConfig({ neighbours: 50 }, 10)).toMatchObject({ neighbours: 9 });
    expect(checkSecAggConfig({ neighbours: 4 }, 9)).toMatchObject({ neighbours: 4 });
    expect(checkSecAggConfig({ neighbours: 5 }, 9)).toMatchObject({ neighbours: 6 }); // n·k must be even
  });

  it('refuses insecure or impossible settings with the reason and the numbers', () => {
    expect(reasons({ neighbours: 6, threshold: 3 }, 20)).toMatch(/t = 3 ≤ \(k \+ 1\)\/2/);
    expect(reasons({ neighbours: 6, threshold: 9 }, 20)).toMatch(/t = 9 > k \+ 1 = 7/);
    expect(reasons({ bits: 31 }, 4)).toMatch(/n·T = 4 · 2147483647 .* ≥ M = 4294967296/);
    expect(reasons({ bits: 16, modulus: 2 ** 20 }, 20)).toMatch(/≥ M = 1048576/);
    expect(reasons({ modulus: 1000 }, 4)).toMatch(/power of two/);
    expect(reasons({ bits: 0, clippingRange: -1, maxWeight: Number.NaN }, 4)).toMatch(/bits = 0.*clippingRange = -1.*maxWeight = NaN/);
    expect(reasons({}, 1)).toMatch(/at least 2 banks/);
    expect(reasons({ distributedDp: { mechanism: 'skellam', noiseMultiplier: 1, minSurvivors: 30 } }, 20)).toMatch(/minSurvivors = 30 > n = 20/);
    expect(reasons({ distributedDp: { mechanism: 'laplace' as 'skellam', noiseMultiplier: 0, minSurvivors: 1 } }, 20)).toMatch(/mechanism.*noiseMultiplier.*minSurvivors/);
    expect(reasons({ bits: 14, modulus: 2 ** 20, distributedDp: { mechanism: 'skellam', noiseMultiplier: 2, minSurvivors: 2 } }, 20)).toMatch(/noisy sum could wrap/);
    expect(reasons({ bits: 24, distributedDp: { mechanism: 'skellam', noiseMultiplier: 2, minSurvivors: 2 } }, 4)).toMatch(/exceeds the sampler/);
    expect(() => checkSecAggConfig({ neighbours: 6, threshold: 3 }, 20)).toThrow(expect.objectContaining({ code: 'config-invalid' }));
  });
});

describe('distributed DP sizing', () => {
  const dp = { mechanism: 'discrete-gaussian' as const, noiseMultiplier: 1, minSurvivors: 4 };
  const config = checkSecAggConfig({ bits: 10, clippingRange: 1, distributedDp: dp }, 16, 100);

  it('sizes each bank’s σ so the sum carries z·Δ₂ at minSurvivors: σ_local = ⌈z·(T/2 + √d)/√m⌉', () => {
    expect(config.distributedDp).toMatchObject({ sensitivity: 511.5 + 10, localStd: Math.ceil(521.5 / 2) });
    const atMin = realisedNoise(config, 4)!;
    expect(atMin.noiseMultiplier).toBeGreaterThanOrEqual(1);
    expect(atMin.noiseMultiplier).toBeCloseTo(261 * 2 / 521.5, 6);
    expect(realisedNoise(config, 16)!.noiseMultiplier).toBeCloseTo(2 * atMin.noiseMultiplier, 6);
    expect(realisedNoise(config, 16)).toMatchObject({ mechanism: 'discrete-gaussian', numSurvivors: 16, sampleRate: 1 });
    const sk = checkSecAggConfig({ bits: 10, clippingRange: 1, distributedDp: { ...dp, mechanism: 'skellam' } }, 16, 100);
    expect(sk.distributedDp!.skellamLambda).toBeCloseTo((521.5 / 2) ** 2 / 2, 6);
    expect(realisedNoise(sk, 4)!.noiseMultiplier).toBeCloseTo(1, 9);
    expect(realisedNoise(checkSecAggConfig({}, 4), 4)).toBeUndefined();
  });

  it('the bank’s planned noise is the realised noise at minSurvivors (the worst case it records before sending)', () => {
    const client = createSecAggClient({ jobId: 'j', round: 0, attempt: 0, memberId: 'b', numericId: 1, signingKey: new Uint8Array(64), dimension: 100, config: { bits: 10, clippingRange: 1, distributedDp: dp }, rng: seededRandom('c') });
    expect(client.plannedNoise()).toEqual(realisedNoise(config, 4));
  });

  it('adds zero-mean integer noise of std σ_local to every coordinate but the weight, mod M', () => {
    for (const mechanism of ['skellam', 'discrete-gaussian'] as const) {
      const c = checkSecAggConfig({ bits: 10, clippingRange: 1, distributedDp: { ...dp, mechanism } }, 16, 100);
      const v = new Uint32Array(40001).fill(1000);
      addDistributedNoise(v, c.distributedDp!, c.modulus, seededRandom(mechanism));
      expect(v[0]).toBe(1000);
      const noise = Array.from(v.subarray(1), (x) => (x > 2 ** 31 ? x - 2 ** 32 : x) - 1000);
      const mean = noise.reduce((a, b) => a + b, 0) / noise.length;
      const std = Math.sqrt(noise.reduce((a, b) => a + (b - mean) ** 2, 0) / noise.length);
      expect(Math.abs(mean)).toBeLessThan((5 * c.distributedDp!.localStd) / Math.sqrt(noise.length));
      expect(std / c.distributedDp!.localStd).toBeGreaterThan(0.98);
      expect(std / c.distributedDp!.localStd).toBeLessThan(1.02);
    }
  });
});
