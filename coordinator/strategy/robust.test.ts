import { describe, expect, it } from 'vitest';
import type { Weights } from '../../common/weights.js';
import { fedAvg } from './fedavg.js';
import { fedMedian } from './fedmedian.js';
import { krum } from './krum.js';
import type { FitReply, Strategy } from './strategy.js';
import { strategyContract } from './strategy.contract.js';
import { trimmedMeanStrategy } from './trimmed-mean.js';

strategyContract('fedmedian', () => fedMedian());
strategyContract('trimmed-mean', () => trimmedMeanStrategy());
strategyContract('trimmed-mean (beta 0.4)', () => trimmedMeanStrategy({ beta: 0.4 }));
strategyContract('krum', () => krum({ byzantine: 1 }));
strategyContract('multikrum', () => krum({ byzantine: 1, select: 3 }));

const model = (a: number, b: number): Weights => [
  { name: 'dense/kernel', shape: [2], values: Float32Array.of(a, b) },
  { name: 'dense/bias', shape: [1], values: Float32Array.of(a - b) },
];
const reply = (memberId: string, w: Weights, numExamples = 100): FitReply => ({ memberId, weights: w, numExamples, metrics: {} });

/** Five banks near (1, 2); bank-e sends 1e6 × an honest model and claims many examples. */
function poisoned(): FitReply[] {
  const honest = [
    [1.0, 2.0],
    [1.1, 1.9],
    [0.9, 2.1],
    [1.05, 2.05],
  ].map(([a, b], i) => reply(`bank-${'abcd'[i]}`, model(a!, b!)));
  return [...honest, reply('bank-e', model(1e6, 2e6), 1000)];
}
const maxError = (s: Strategy) => {
  const w = s.aggregateFit(1, model(0, 0), poisoned(), []).weights!;
  return Math.max(Math.abs(w[0]!.values[0]! - 1), Math.abs(w[0]!.values[1]! - 2));
};

describe('robust strategies against one adversarial bank', () => {
  it('FedAvg is dragged away by the 1e6× update (the baseline the others must beat)', () => {
    expect(maxError(fedAvg())).toBeGreaterThan(1e5);
  });

  it.each([
    ['fedmedian', () => fedMedian()],
    ['trimmed-mean', () => trimmedMeanStrategy({ beta: 0.2 })],
    ['krum', () => krum({ byzantine: 1 })],
    ['multikrum', () => krum({ byzantine: 1, select: 3 })],
  ] as const)('%s stays within the honest banks, when one bank sends 1e6× weights', (_name, make) => {
    expect(maxError(make())).toBeLessThanOrEqual(0.11);
  });

  it('trimmed mean with β·n < 1 trims nothing and says so, when only 4 banks reply', () => {
    const out = trimmedMeanStrategy({ beta: 0.2 }).aggregateFit(1, model(0, 0), poisoned().slice(1), []);
    expect(out.metrics['trimmedPerSide']).toBe(0);
  });
});

describe('krum guards', () => {
  it('keeps the previous model with a reason, when fewer than 2f + 3 banks replied', () => {
    const out = krum({ byzantine: 1, minFitClients: 2 }).aggregateFit(1, model(0, 0), poisoned().slice(0, 4), []);
    expect(out.weights).toBeUndefined();
    expect(out.metrics['krumNeeded']).toBe(5);
    expect(out.reason).toMatch(/4 replies, Krum with f = 1 needs 2f \+ 3 = 5/);
  });

  it('clamps Multi-Krum to n − f updates, when fewer banks replied than configured', () => {
    const out = krum({ byzantine: 1, select: 10 }).aggregateFit(1, model(0, 0), poisoned(), []);
    expect(out.metrics['krumSelected']).toBe(4);
    expect(out.weights![0]!.values[0]).toBeCloseTo(1.0125, 5);
  });

  it('is named multikrum, when it averages more than one update', () => {
    expect(krum({ select: 2 }).name).toBe('multikrum');
    expect(krum().name).toBe('krum');
  });
});
