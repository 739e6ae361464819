/** Tests for the fixed-clip Gaussian mechanism. */
import { describe, it, expect } from 'vitest';
import { seededRandom } from '../../common/seeded-random.js';
import type { Weights } from '../../common/weights.js';
import { gaussianMechanism } from './mechanism.js';
import { moments } from './testing/stats.js';

function update(values: number[][]): Weights {
  return values.map((v, i) => ({ name: `t${i}`, shape: [v.length], values: Float32Array.from(v) }));
}

describe('gaussianMechanism', () => {
  it('clips to C and adds N(0, (zC)²) noise, when the update is far outside the norm', () => {
    const n = 100_000;
    const big = update([Array.from({ length: n }, () => 0), [1000]]);
    const m = gaussianMechanism({ clippingNorm: 2, noiseMultiplier: 1.5, sampleRate: 0.01 });
    const { update: out, step } = m.privatize(big, seededRandom('mech'));
    expect(step).toEqual({ noiseMultiplier: 1.5, sampleRate: 0.01 });
    expect(m.name).toBe('gaussian-fixed-clip');
    const { mean, variance } = moments(out[0]!.values);
    expect(Math.abs(mean)).toBeLessThan(5 * 3 / Math.sqrt(n));
    expect(Math.abs(variance - 9)).toBeLessThan(5 * 9 * Math.sqrt(2 / n));
    // The big coordinate was clipped from 1000 to 2 before noise (std 3).
    expect(Math.abs(out[1]!.values[0]! - 2)).toBeLessThan(15);
    expect(big[1]!.values[0]).toBe(1000);
  });

  it('uses sqrt(Σ C_j²) as the sensitivity, when clipping per layer', () => {
    const n = 50_000;
    const m = gaussianMechanism({ clippingNorm: [3, 4], noiseMultiplier: 1 });
    const { update: out } = m.privatize(update([Array(n).fill(0), [0]]), seededRandom('layers'));
    expect(moments(out[0]!.values).variance).toBeGreaterThan(25 * (1 - 5 * Math.sqrt(2 / n)));
    expect(moments(out[0]!.values).variance).toBeLessThan(25 * (1 + 5 * Math.sqrt(2 / n)));
  });

  it('rejects bad options, when z or C is not positive, or q is outside (0, 1]', () => {
    expect(() => gaussianMechanism({ clippingNorm: 1, noiseMultiplier: 0 })).toThrow('gaussianMechanism: "noiseMultiplier" expected positive finite number, got 0');
    expect(() => gaussianMechanism({ clippingNorm: -1, noiseMultiplier: 1 })).toThrow(RangeError);
    expect(() => gaussianMechanism({ clippingNorm: [], noiseMultiplier: 1 })).toThrow(RangeError);
    expect(() => gaussianMechanism({ clippingNorm: 1, noiseMultiplier: 1, sampleRate: 0 })).toThrow(RangeError);
    expect(() => gaussianMechanism({ clippingNorm: 1, noiseMultiplier: 1, sampleRate: 1.5 })).toThrow(RangeError);
    expect(() => gaussianMechanism(undefined as never)).toThrow(TypeError);
  });
});
