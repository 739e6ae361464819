/** Tests for adaptive clipping: direction of the update, convergence to the target quantile, the noise split. */
import { describe, it, expect } from 'vitest';
import { seededRandom } from '../../common/seeded-random.js';
import { RandomReader } from '../../common/random.js';
import {
  adaptiveClipRound,
  initAdaptiveClip,
  noisyUnclippedFraction,
  splitNoiseMultiplier,
  updateClippingNorm,
  type AdaptiveClipState,
} from './adaptive-clipping.js';

function runRounds(state0: AdaptiveClipState, rounds: number, drawNorm: (r: RandomReader) => number, seed: string): number[] {
  const rng = seededRandom(seed);
  const reader = new RandomReader(seededRandom(`${seed}-norms`));
  const clips: number[] = [];
  let state = state0;
  for (let r = 0; r < rounds; r++) {
    const norms = Array.from({ length: state.expectedClients }, () => drawNorm(reader));
    state = adaptiveClipRound(state, norms, rng).next;
    clips.push(state.clippingNorm);
  }
  return clips;
}

describe('initAdaptiveClip', () => {
  it('uses the TF Privacy defaults, when only the expected clients are given', () => {
    expect(initAdaptiveClip({ expectedClients: 100 })).toEqual({
      clippingNorm: 0.1,
      targetQuantile: 0.5,
      learningRate: 0.2,
      expectedClients: 100,
      countNoiseStd: 5,
    });
  });

  it('rejects invalid settings, when γ, m, C₀ or σ_b are out of range', () => {
    expect(() => initAdaptiveClip({ expectedClients: 0 })).toThrow(RangeError);
    expect(() => initAdaptiveClip({ expectedClients: 10, targetQuantile: 1 })).toThrow(RangeError);
    expect(() => initAdaptiveClip({ expectedClients: 10, initialClippingNorm: 0 })).toThrow(RangeError);
    expect(() => initAdaptiveClip({ expectedClients: 10, countNoiseStd: 0 })).toThrow(RangeError);
    expect(() => initAdaptiveClip({ expectedClients: 10, learningRate: Number.NaN })).toThrow(RangeError);
    expect(() => initAdaptiveClip(null as never)).toThrow(TypeError);
  });
});

describe('updateClippingNorm', () => {
  const state = initAdaptiveClip({ expectedClients: 100, initialClippingNorm: 1 });

  it('grows the clip, when most updates were clipped (b̃ < γ)', () => {
    expect(updateClippingNorm(state, 0.1).clippingNorm).toBeCloseTo(Math.exp(0.2 * 0.4), 12);
  });

  it('shrinks the clip, when few updates were clipped (b̃ > γ)', () => {
    expect(updateClippingNorm(state, 0.9).clippingNorm).toBeCloseTo(Math.exp(-0.2 * 0.4), 12);
  });

  it('keeps the clip, when exactly γ were unclipped', () => {
    expect(updateClippingNorm(state, 0.5).clippingNorm).toBe(1);
  });
});

describe('adaptiveClipRound', () => {
  it('grows the clip, when every norm is above it', () => {
    const s = initAdaptiveClip({ expectedClients: 50, initialClippingNorm: 1 });
    const { unclippedFraction, next } = adaptiveClipRound(s, Array(50).fill(10), seededRandom('up'));
    expect(unclippedFraction).toBeLessThan(0.3);
    expect(next.clippingNorm).toBeGreaterThan(1);
  });

  it('shrinks the clip, when every norm is below it', () => {
    const s = initAdaptiveClip({ expectedClients: 50, initialClippingNorm: 1 });
    const { unclippedFraction, next } = adaptiveClipRound(s, Array(50).fill(0.01), seededRandom('down'));
    expect(unclippedFraction).toBeGreaterThan(0.7);
    expect(next.clippingNorm).toBeLessThan(1);
  });

  it('converges towards the median of uniform(0, 10) norms from C₀ = 0.1, over 300 seeded rounds', () => {
    const clips = runRounds(initAdaptiveClip({ expectedClients: 100 }), 300, (r) => 10 * r.uniform(), 'median');
    const tail = clips.slice(-100);
    const mean = tail.reduce((a, b) => a + b, 0) / tail.length;
    expect(mean).toBeGreaterThan(4.5);
    expect(mean).toBeLessThan(5.5);
  });

  it('converges towards the 0.9-quantile of exponential(1) norms, when γ = 0.9', () => {
    const state = initAdaptiveClip({ expectedClients: 200, targetQuantile: 0.9, initialClippingNorm: 0.1 });
    const clips = runRounds(state, 300, (r) => -Math.log(r.uniformPositive()), 'q90');
    const tail = clips.slice(-100);
    const mean = tail.reduce((a, b) => a + b, 0) / tail.length;
    // True quantile: ln 10 ≈ 2.303.
    expect(mean).toBeGreaterThan(2.0);
    expect(mean).toBeLessThan(2.65);
  });

  it('clamps the noisy fraction to [0, 1], when the count noise is huge', () => {
    const s = initAdaptiveClip({ expectedClients: 2, countNoiseStd: 1e6 });
    for (let i = 0; i < 20; i++) {
      const b = noisyUnclippedFraction(s, [1, 1], seededRandom(i));
      expect(b === 0 || b === 1).toBe(true);
    }
  });

  it('rejects negative or NaN norms, when given a bad norm list', () => {
    const s = initAdaptiveClip({ expectedClients: 2 });
    expect(() => noisyUnclippedFraction(s, [1, -1], seededRandom(1))).toThrow('noisyUnclippedFraction: "norms[1]" expected non-negative finite number, got -1');
    expect(() => noisyUnclippedFraction(s, [Number.NaN], seededRandom(1))).toThrow(RangeError);
    expect(() => noisyUnclippedFraction(s, 'x' as never, seededRandom(1))).toThrow(TypeError);
  });
});

describe('splitNoiseMultiplier', () => {
  it('recombines to the total multiplier, when z < 2σ_b', () => {
    const z = 1.1;
    const sb = 5;
    const zd = splitNoiseMultiplier(z, sb);
    expect(zd).toBeGreaterThan(z);
    expect((zd ** -2 + (2 * sb) ** -2) ** -0.5).toBeCloseTo(z, 12);
  });

  it('throws a RangeError, when z ≥ 2σ_b', () => {
    expect(() => splitNoiseMultiplier(2, 1)).toThrow('splitNoiseMultiplier: "noiseMultiplier" expected < 2·countNoiseStd = 2, got 2');
    expect(() => splitNoiseMultiplier(3, 1)).toThrow(RangeError);
  });
});
