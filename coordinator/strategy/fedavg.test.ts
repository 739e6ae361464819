import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../common/seeded-random.js';
import { fedAvg } from './fedavg.js';
import { fedProx } from './fedprox.js';
import { weightedMean } from './aggregate.js';
import { strategyContract } from './strategy.contract.js';

strategyContract('fedavg', () => fedAvg());
strategyContract('fedavg (target 2 of n)', () => fedAvg({ targetFitClients: 2 }));
strategyContract('fedprox', () => fedProx({ proximalMu: 0.1 }));

describe('fedAvg', () => {
  it('weights banks by numExamples', () => {
    const t = (v: number) => [{ name: 'w', shape: [1], values: Float32Array.of(v) }];
    const out = weightedMean([t(1), t(3)], [1, 3]);
    expect(out[0]!.values[0]).toBeCloseTo(2.5, 6);
  });

  it('selects every available bank, when no target is set', () => {
    const a = fedAvg({ fitConfig: { learningRate: 0.1 } }).configureFit(1, [], ['b', 'a', 'c'], seededRandom(1));
    expect(a.map((x) => x.memberId)).toEqual(['a', 'b', 'c']);
    expect(a[0]!.config).toEqual({ learningRate: 0.1 });
  });

  it('refuses to start a round, when fewer banks than the minimum are available', () => {
    expect(fedAvg({ minFitClients: 3 }).configureFit(1, [], ['a', 'b'], seededRandom(1))).toEqual([]);
  });

  it('rejects structurally different updates', () => {
    expect(() => weightedMean([[{ name: 'w', shape: [1], values: Float32Array.of(1) }], [{ name: 'v', shape: [1], values: Float32Array.of(1) }]], [1, 1])).toThrow(/differs in structure/);
  });
});

describe('fedProx', () => {
  it('adds the proximal coefficient to every fit config', () => {
    const a = fedProx({ proximalMu: 0.5, fitConfig: { learningRate: 0.1 } }).configureFit(1, [], ['a', 'b'], seededRandom(1));
    expect(a[0]!.config).toEqual({ learningRate: 0.1, proximalMu: 0.5 });
  });

  it('rejects a negative mu', () => {
    expect(() => fedProx({ proximalMu: -1 })).toThrow(/"proximalMu" expected non-negative/);
  });
});
