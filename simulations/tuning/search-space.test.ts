import { describe, expect, it } from 'vitest';
import { formatIssue } from '../../common/errors.js';
import { applyParams, gridPoints, gridSize, gridValues, SearchSpecSchema, DimensionSchema } from './search-space.js';
import { proposeTrial, trialCount } from './proposer.js';

const issues = (v: unknown): string[] => {
  const r = SearchSpecSchema.safeParse(v);
  return r.success ? [] : r.error.issues.map(formatIssue);
};

describe('search space', () => {
  it('validates dimensions with paths: one kind, ordered bounds, log > 0, integer ints, forbidden keys', () => {
    expect(issues({ method: 'random', trials: 3, space: { lr: { logUniform: [0, 1] } } })).toEqual(['space.lr.logUniform: logUniform needs low > 0, got 0']);
    expect(issues({ method: 'random', trials: 3, space: { e: { int: [5, 1] } } })).toEqual(['space.e.int: expected [low, high] with low < high, got [5, 1]']);
    expect(issues({ method: 'random', trials: 3, space: { e: { int: [1.5, 3] } } })).toEqual(['space.e.int: int bounds must be integers']);
    expect(issues({ method: 'random', trials: 3, space: { e: { int: [1, 3], uniform: [0, 1] } } })[0]).toMatch(/^space\.e: expected exactly one of int, uniform, logUniform, choice \(got int, uniform\)/);
    expect(issues({ method: 'random', trials: 3, space: { e: { normal: [1, 3] } } })[0]).toMatch(/^space\.e: Unrecognized key/);
    expect(issues({ method: 'tpe', space: { e: { int: [1, 3] } } })).toEqual(['trials: required for method tpe']);
    expect(issues({ method: 'grid', space: { banks: { int: [1, 3] } } })[0]).toMatch(/^space\.banks: "banks" cannot be searched/);
    expect(issues({ method: 'grid', space: { 'privacy.delta': { choice: [1e-5, 1e-6] } } })[0]).toMatch(/^space\.privacy\.delta: "privacy\.delta" cannot be searched: every trial needs the same DP mode and δ/);
    expect(issues({ method: 'grid', metric: 'f1', space: { e: { int: [1, 3] } } })[0]).toMatch(/^metric: /);
    expect(SearchSpecSchema.parse({ method: 'grid', space: { e: { int: [1, 3] } } })).toMatchObject({ metric: 'auc', gamma: 0.25, candidates: 24 });
  });

  it('builds the grid: all integers, steps points (log-spaced for logUniform), choices in order', () => {
    expect(gridValues(DimensionSchema.parse({ int: [2, 5] }))).toEqual([2, 3, 4, 5]);
    expect(gridValues(DimensionSchema.parse({ logUniform: [1e-3, 1e-1] }))).toEqual([0.001, 0.01, 0.1]);
    expect(gridValues(DimensionSchema.parse({ uniform: [0, 1], steps: 5 }))).toEqual([0, 0.25, 0.5, 0.75, 1]);
    const space = { a: DimensionSchema.parse({ int: [1, 2] }), b: DimensionSchema.parse({ choice: ['x', 'y', 'z'] }) };
    expect(gridSize(space)).toBe(6);
    expect(gridPoints(space)).toEqual([{ a: 1, b: 'x' }, { a: 1, b: 'y' }, { a: 1, b: 'z' }, { a: 2, b: 'x' }, { a: 2, b: 'y' }, { a: 2, b: 'z' }]);
    const spec = SearchSpecSchema.parse({ method: 'grid', space });
    expect(trialCount(spec)).toBe(6);
    expect(proposeTrial(spec, 4, [], 1)).toEqual({ a: 2, b: 'y' });
  });

  it('applies points as dotted job keys; a sub-key of a chosen object applies only where the object has it', () => {
    const space = { strategy: DimensionSchema.parse({ choice: [{ name: 'fedavg' }, { name: 'fedprox', proximalMu: 0.1 }] }), 'strategy.proximalMu': DimensionSchema.parse({ logUniform: [1e-3, 1] }), 'model.hidden': DimensionSchema.parse({ choice: [[8], [16]] }), localEpochs: DimensionSchema.parse({ int: [1, 3] }) };
    const job = { rounds: 3, model: { type: 'mlp' } };
    const prox = applyParams(job, { strategy: { name: 'fedprox', proximalMu: 0.1 }, 'strategy.proximalMu': 0.02, localEpochs: 2 }, space);
    expect(prox.job).toEqual({ rounds: 3, model: { type: 'mlp' }, strategy: { name: 'fedprox', proximalMu: 0.02 }, localEpochs: 2 });
    expect(prox.active).toEqual({ strategy: { name: 'fedprox', proximalMu: 0.1 }, 'strategy.proximalMu': 0.02, localEpochs: 2 });
    const avg = applyParams(job, { strategy: { name: 'fedavg' }, 'strategy.proximalMu': 0.02, localEpochs: 1 }, space);
    expect(avg.job['strategy']).toEqual({ name: 'fedavg' });
    expect(avg.active).not.toHaveProperty(['strategy.proximalMu']);
    expect(job).toEqual({ rounds: 3, model: { type: 'mlp' } });
  });

  it('random and TPE proposals repeat for a seed and index, and differ across indices', () => {
    for (const method of ['random', 'tpe'] as const) {
      const spec = SearchSpecSchema.parse({ method, trials: 5, space: { lr: { logUniform: [1e-3, 1] } } });
      expect(proposeTrial(spec, 2, [], 7)).toEqual(proposeTrial(spec, 2, [], 7));
      expect(proposeTrial(spec, 2, [], 7)).not.toEqual(proposeTrial(spec, 3, [], 7));
    }
  });
});
