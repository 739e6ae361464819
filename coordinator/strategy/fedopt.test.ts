import { describe, expect, it } from 'vitest';
import type { Weights } from '../../common/weights.js';
import { fedAdagrad, fedAdam, fedYogi } from './adaptive.js';
import { fedAvg } from './fedavg.js';
import { fedAvgM } from './fedavgm.js';
import { pseudoGradient } from './fedopt.js';
import type { FitReply, Strategy } from './strategy.js';
import { strategyContract } from './strategy.contract.js';

strategyContract('fedavgm', () => fedAvgM(), { serverOptimizer: true });
strategyContract('fedavgm (beta 0, eta 0.5)', () => fedAvgM({ serverMomentum: 0, serverLearningRate: 0.5 }), { serverOptimizer: true });
strategyContract('fedadagrad', () => fedAdagrad(), { serverOptimizer: true });
strategyContract('fedadam', () => fedAdam(), { serverOptimizer: true });
strategyContract('fedyogi', () => fedYogi(), { serverOptimizer: true });

const w = (...v: number[]): Weights => [{ name: 'w', shape: [v.length], values: Float32Array.from(v) }];
const r = (memberId: string, n: number, ...v: number[]): FitReply => ({ memberId, weights: w(...v), numExamples: n, metrics: {} });
const run = (s: Strategy, x: Weights, rounds: readonly (readonly FitReply[])[]) => rounds.reduce((cur, rs, i) => s.aggregateFit(i + 1, cur, rs, []).weights!, x);
const f32 = (v: number) => Math.fround(v);

describe('pseudoGradient', () => {
  it('is the example-weighted mean minus the current model, when banks differ in size', () => {
    const d = pseudoGradient(w(1, 0), [r('a', 1, 2, 4), r('b', 3, 6, 0)]);
    expect(Array.from(d[0]!)).toEqual([(2 + 18) / 4 - 1, 4 / 4 - 0]);
  });
});

describe('fedAvgM', () => {
  it('equals FedAvg, when momentum is 0 and the server rate is 1', () => {
    const rs = [r('a', 2, 1, 5), r('b', 6, 3, -1)];
    const m = fedAvgM({ serverMomentum: 0 }).aggregateFit(1, w(0, 0), rs, []).weights!;
    const a = fedAvg().aggregateFit(1, w(0, 0), rs, []).weights!;
    expect(Array.from(m[0]!.values)).toEqual(Array.from(a[0]!.values));
  });

  it('adds beta times the previous step, when a second round moves the same way', () => {
    // Round 1: x = 0, mean 1 → g = −1, v = −1, x = 1. Round 2: mean 2 → g = −1, v = 0.9·(−1) − 1 = −1.9, x = 1 + 1.9.
    const out = run(fedAvgM({ serverMomentum: 0.9 }), w(0), [[r('a', 1, 1), r('b', 1, 1)], [r('a', 1, 2), r('b', 1, 2)]]);
    expect(out[0]!.values[0]).toBe(f32(2.9));
  });
});

describe('adaptive server optimisers (hand-computed first rounds)', () => {
  // One coordinate, x = 0, both banks send 0.5 → Δ = 0.5.
  const round1 = [[r('a', 1, 0.5), r('b', 1, 0.5)]];

  it('FedAdam takes η·m/(√v + τ) with m = 0.1Δ and v = 0.01Δ², when the defaults are used', () => {
    const out = run(fedAdam(), w(0), round1);
    expect(out[0]!.values[0]).toBe(f32((0.1 * 0.05) / (Math.sqrt(0.0025) + 1e-3)));
  });

  it('FedAdagrad takes η·Δ/(|Δ| + τ), when β1 = 0 and v starts at 0', () => {
    const out = run(fedAdagrad(), w(0), round1);
    expect(out[0]!.values[0]).toBe(f32((0.1 * 0.5) / (0.5 + 1e-3)));
  });

  it('FedYogi grows v by (1 − β2)·Δ² like Adam in round 1, then more slowly than Adam when Δ shrinks', () => {
    const s1 = run(fedYogi(), w(0), round1);
    expect(s1[0]!.values[0]).toBe(f32((0.01 * 0.05) / (0.05 + 1e-3)));
    // Round 2 by hand from x1 (float32), with Δ2 = 0.6 − x1.
    const x1 = s1[0]!.values[0]!;
    const d2 = (0.6 + 0.6) / 2 - x1;
    const m2 = 0.9 * 0.05 + 0.1 * d2;
    const v2 = 0.0025 - 0.01 * d2 * d2 * Math.sign(0.0025 - d2 * d2);
    const y = run(fedYogi(), w(0), [...round1, [r('a', 1, 0.6), r('b', 1, 0.6)]]);
    expect(y[0]!.values[0]).toBe(f32(x1 + (0.01 * m2) / (Math.sqrt(v2) + 1e-3)));
  });

  it('moves each coordinate by about η, when Δ is large compared with τ (Adam is scale-free)', () => {
    const out = run(fedAdam(), w(0, 0), [[r('a', 1, 1000, -0.001), r('b', 1, 1000, -0.001)]]);
    expect(out[0]!.values[0]).toBeCloseTo(0.1, 3);
    expect(out[0]!.values[1]).toBeLessThan(0);
  });

  it('rejects out-of-range parameters, when constructed', () => {
    expect(() => fedAdam({ betas: [1, 0.99] })).toThrow(/"betas\[0\]" expected number in \[0, 1\)/);
    expect(() => fedYogi({ tau: 0 })).toThrow(/"tau" expected positive/);
    expect(() => fedAvgM({ serverLearningRate: -1 })).toThrow(/"serverLearningRate" expected positive/);
  });

  it('refuses to aggregate, when the saved state belongs to a model of another shape', () => {
    const a = fedAdam();
    a.aggregateFit(1, w(0, 0), [r('a', 1, 1, 1), r('b', 1, 1, 1)], []);
    const b = fedAdam();
    b.loadState!(a.saveState!());
    expect(() => b.aggregateFit(2, w(0, 0, 0), [r('a', 1, 1, 1, 1), r('b', 1, 1, 1, 1)], [])).toThrow(/does not match/);
  });
});
