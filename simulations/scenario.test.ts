import { describe, expect, it } from 'vitest';
import { parseJobSpec } from '../schema/job-spec.js';
import { BUILTIN_SCENARIOS, configHash, expandScenario, loadScenario, ScenarioSchema } from './scenario.js';
import { estimateSweepSeconds, meanStd } from './sweep.js';

const base = { name: 't', data: { file: '/x.csv', schema: 'credit.v1' }, split: { banks: 3 }, job: { rounds: 5, strategy: { name: 'fedavg' } } };

describe('scenarios', () => {
  it('expands grid × seeds, setting dotted job keys and the simulation keys', () => {
    const s = ScenarioSchema.parse({ ...base, grid: { 'strategy.name': ['fedavg', 'fedprox'], 'strategy.proximalMu': [0.1], epsilon: [2, null], banks: [3, 7] }, seeds: [1, 2, 3] });
    const cells = expandScenario(s);
    expect(cells).toHaveLength(2 * 1 * 2 * 2 * 3);
    const c = cells.find((x) => x.variant === 'strategy.name=fedprox, strategy.proximalMu=0.1, epsilon=2, banks=7' && x.seed === 2)!;
    expect(c.job).toMatchObject({ rounds: 5, strategy: { name: 'fedprox', proximalMu: 0.1 }, privacy: { mode: 'dp-sgd', targetEpsilon: 2, maxEpsilon: 4 } });
    expect(c.banks).toBe(7);
    expect(cells.find((x) => x.variant.includes('epsilon=∞'))!.job['privacy']).toEqual({ mode: 'none' });
    expect(s.job).toEqual(base.job); // the scenario itself is not mutated
  });

  it('varies secure aggregation on/off (over the scenario job\'s own settings), the dropout rate and the number of banks', () => {
    const s = ScenarioSchema.parse({ ...base, job: { ...base.job, secureAggregation: { enabled: false, bits: 12 } }, grid: { secureAggregation: [true, false, { clippingRange: 0.5 }], dropoutRate: [0, 0.2], banks: [3, 5] }, seeds: [1] });
    const cells = expandScenario(s);
    expect(cells).toHaveLength(3 * 2 * 2);
    const on = cells.find((c) => c.variant === 'secureAggregation=true, dropoutRate=0.2, banks=5')!;
    expect(on.job['secureAggregation']).toEqual({ enabled: true, bits: 12 });
    expect([on.dropoutRate, on.banks]).toEqual([0.2, 5]);
    const off = cells.find((c) => c.variant === 'secureAggregation=false, dropoutRate=0, banks=3')!;
    expect(off.job).not.toHaveProperty('secureAggregation');
    expect([off.dropoutRate, off.banks]).toEqual([0, 3]);
    expect(cells.find((c) => c.params['secureAggregation'] !== true && c.params['secureAggregation'] !== false)!.job['secureAggregation']).toEqual({ enabled: true, bits: 12, clippingRange: 0.5 });
    for (const c of cells) expect(() => parseJobSpec({ name: 'x', model: { type: 'mlp' }, minBanks: 2, ...c.job, task: s.task, schema: 'credit.v1' })).not.toThrow();
    expect(s.job['secureAggregation']).toEqual({ enabled: false, bits: 12 }); // the scenario itself is not mutated
    expect(() => expandScenario(ScenarioSchema.parse({ ...base, grid: { secureAggregation: ['yes'] } }))).toThrow(/grid secureAggregation values must be true, false or an object of settings, got yes/);
  });

  it('labels object values by name and keeps an empty grid as one baseline variant', () => {
    const s = ScenarioSchema.parse({ ...base, grid: { strategy: [{ name: 'fedprox', proximalMu: 0.1 }] }, seeds: [4] });
    expect(expandScenario(s).map((c) => c.variant)).toEqual(['strategy=fedprox(proximalMu=0.1)']);
    expect(expandScenario(ScenarioSchema.parse(base)).map((c) => [c.variant, c.seed])).toEqual([['baseline', 1], ['baseline', 2], ['baseline', 3]]);
  });

  it('hashes configurations canonically (key order does not matter)', () => {
    expect(configHash({ a: 1, b: { c: 2, d: 3 } })).toBe(configHash({ b: { d: 3, c: 2 }, a: 1 }));
    expect(configHash({ a: 1 })).not.toBe(configHash({ a: 2 }));
  });

  it('every built-in parses and yields valid job specs', () => {
    for (const name of BUILTIN_SCENARIOS.keys()) {
      const s = loadScenario(name);
      for (const c of expandScenario(s)) expect(() => parseJobSpec({ name: 'x', model: { type: 'mlp' }, ...c.job, task: s.task, schema: 'credit.v1' })).not.toThrow();
    }
    expect(expandScenario(loadScenario('privacy-utility')).map((c) => c.params['epsilon'])).toEqual([0.5, 0.5, 0.5, 1, 1, 1, 2, 2, 2, 4, 4, 4, 8, 8, 8, null, null, null]);
  });

  it('estimates grow with the grid; mean ± std uses the sample std', () => {
    const small = ScenarioSchema.parse(base);
    const big = ScenarioSchema.parse({ ...base, grid: { banks: [3, 300] } });
    expect(estimateSweepSeconds(big, 10_000)).toBeGreaterThan(estimateSweepSeconds(small, 10_000));
    expect(meanStd([1, 2, 3])).toEqual({ mean: 2, std: 1, n: 3 });
  });
});
