import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseJobSpec } from '../../schema/job-spec.js';
import { applyParams, gridPoints } from './search-space.js';
import { preflightSpace } from './tune.js';
import { baseJob, directionOf, estimateTuneSeconds, loadTuneSpec, TuneSpecSchema } from './tune-spec.js';

const dir = mkdtempSync(join(tmpdir(), 'fedfin-tune-spec-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, v: unknown): string => {
  const f = join(dir, name);
  writeFileSync(f, JSON.stringify(v));
  return f;
};
const base = { name: 't', data: { file: 'd.csv', schema: 'credit.v1', mapping: 'sub/m.json' }, split: { banks: 3 }, job: { rounds: 2 } };

describe('tune specs', () => {
  it('the built-in parses, passes the preflight, and its points make valid job specs', () => {
    const s = loadTuneSpec('credit-tune');
    expect(directionOf(s)).toBe('max');
    expect(() => preflightSpace(s)).not.toThrow();
    expect(baseJob(s)['privacy']).toMatchObject({ mode: 'dp-sgd', targetEpsilon: 4, delta: 1e-5, maxEpsilon: 8 });
    const prox = applyParams(baseJob(s), { strategy: { name: 'fedprox', proximalMu: 0.1 }, 'strategy.proximalMu': 0.5, learningRate: 0.1, localEpochs: 2 }, s.search.space).job;
    expect(parseJobSpec({ name: 'x', model: { type: 'mlp' }, ...prox, task: s.task, schema: 'credit.v1' }).strategy).toEqual({ name: 'fedprox', proximalMu: 0.5 });
  });

  it('resolves data paths against the file and reports every issue with its path', () => {
    const s = loadTuneSpec(file('ok.json', { ...base, search: { method: 'grid', space: { localEpochs: { int: [1, 2] } }, metric: 'logLoss' } }));
    expect(s.data).toMatchObject({ file: join(dir, 'd.csv'), mapping: join(dir, 'sub/m.json') });
    expect(directionOf(s)).toBe('min');
    expect(() => loadTuneSpec(file('bad.json', { ...base, search: { method: 'tpe', trials: 0, space: { learningRate: { uniform: [1, 0] } } } }))).toThrow(/search\.trials: .*; search\.space\.learningRate\.uniform: expected \[low, high\] with low < high, got \[1, 0\]/);
    expect(() => loadTuneSpec(file('grid.json', { ...base, search: { method: 'grid', trials: 2, space: { localEpochs: { int: [1, 3] } } } }))).toThrow(/search\.trials: the grid has 3 points; trials 2 would leave part of it out/);
    expect(() => loadTuneSpec(file('both.json', { ...base, job: { rounds: 2, privacy: { mode: 'none' } }, epsilon: 2, search: { method: 'grid', space: { localEpochs: { int: [1, 2] } } } }))).toThrow(/either as "epsilon" or as "job.privacy", not both/);
    expect(() => loadTuneSpec(file('grid-extra.json', { ...base, grid: { x: [1] }, search: { method: 'grid', space: { localEpochs: { int: [1, 2] } } } }))).toThrow(/\(root\): Unrecognized key: "grid"/);
    expect(() => loadTuneSpec('nope')).toThrow(/unknown tune spec "nope": expected one of credit-tune/);
    expect(() => loadTuneSpec(join(dir, 'missing.json'))).toThrow(/no such tune file/);
  });

  it('refuses, before any trial, a space with a point that makes an invalid job, naming the point', () => {
    const s = TuneSpecSchema.parse({ ...base, search: { method: 'random', trials: 3, space: { strategy: { choice: [{ name: 'fedavg' }, { name: 'fedprox' }] } } } });
    expect(() => preflightSpace(s)).toThrow(/the point \{strategy: \{"name":"fedprox"\}\} makes an invalid job: strategy/);
  });

  it('estimates from the largest rounds and epochs the space allows; more trials take longer', () => {
    const s = TuneSpecSchema.parse({ ...base, search: { method: 'random', trials: 10, space: { rounds: { int: [2, 50] } } } });
    const small = TuneSpecSchema.parse({ ...base, search: { method: 'random', trials: 10, space: { rounds: { int: [2, 5] } } } });
    expect(estimateTuneSeconds(s, 10_000, 10)).toBeGreaterThan(estimateTuneSeconds(small, 10_000, 10));
    expect(estimateTuneSeconds(s, 10_000, 20)).toBeGreaterThan(estimateTuneSeconds(s, 10_000, 10));
    expect(gridPoints({})).toEqual([{}]);
  });
});
