/** `simulate` for fraud-detection and market-forecast on small generated data (in-process transport): split by account / symbol, the task's metrics, baselines, reports. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useScratchDir } from '../test/helpers/scratch.js';
import { parsePartitionSpec } from './partition.js';
import { RunResultSchema } from './results.js';
import { simTask } from './sim-tasks.js';
import { simulate, taskJobKeys, type SimulateOptions } from './simulate.js';
import { synthesizePooled } from './synth-pool.js';
import { synthesize } from './synth/index.js';

const base = (dir: string): Omit<SimulateOptions, 'dataFile' | 'schema' | 'task' | 'job'> => ({
  banks: 2,
  partition: parsePartitionSpec('iid'),
  testFraction: 0.25,
  holdoutFraction: 0.2,
  seed: 3,
  maxReject: 0,
  minRowsPerBank: 10,
  transport: 'in-process',
  dropoutRate: 0,
  baselines: true,
  outDir: join(dir, 'out'),
});

describe('simulate: fraud-detection', () => {
  const scratch = useScratchDir('fedfin-simtask-');

  it('keeps accounts whole, holds the test set out by account, scores PR-AUC, recall@FPR, precision@k with baselines', async () => {
    await synthesize({ schema: 'transaction.v1', banks: 1, rows: 2400, seed: 5, skew: 0.5, outDir: join(scratch.path, 'data') });
    const r = await simulate({ ...base(scratch.path), dataFile: join(scratch.path, 'data/bank-1.csv'), mappingFile: join(scratch.path, 'data/bank-1.mapping.json'), schema: 'transaction.v1', task: 'fraud-detection', keepWork: true, job: { rounds: 2, localEpochs: 1 } });
    expect(RunResultSchema.parse(JSON.parse(readFileSync(join(scratch.path, 'out/results.json'), 'utf8')))).toEqual(r);
    expect(r).toMatchObject({ status: 'completed', rounds: 2, headline: 'prAuc', unit: 'account', evaluation: 'common-test-set' });
    for (const k of ['prAuc', 'recallAtFpr', 'precisionAtK', 'auc', 'ks', 'logLoss']) expect(r.federated[k], k).toEqual(expect.any(Number));
    expect(r.centralized!.prAuc).toEqual(expect.any(Number));
    expect(r.localOnly.map((l) => l.bank)).toEqual(['bank-1', 'bank-2']);
    expect(r.localOnlyMeanHeadline).toBeCloseTo((r.localOnly[0]!.prAuc! + r.localOnly[1]!.prAuc!) / 2, 4);
    // 2,400 synthetic transactions hold a handful of fraud episodes: the test set's few are flagged.
    expect(r.warnings).toContainEqual(expect.stringMatching(/^the common test set has \d+ positive row\(s\) from [1-9] account\(s\): every model's ranking metrics .* can flip with --seed/));
    // No account id appears in two places (test set, bank-1, bank-2): the raw CSVs in OUT/work.
    const accounts = (file: string): Set<string> => new Set(readFileSync(file, 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[1]!));
    const [t, a, b] = ['test/test.csv', 'bank-1/bank-1.csv', 'bank-2/bank-2.csv'].map((f) => accounts(join(scratch.path, 'out/work', f)));
    expect(t!.size).toBe(r.testUnits);
    for (const [x, y] of [[t!, a!], [t!, b!], [a!, b!]] as const) expect([...x].filter((id) => y.has(id))).toEqual([]);
    expect(r.banks.map((x) => x.units)).toEqual([a!.size, b!.size]);
    const report = readFileSync(join(scratch.path, 'out/report.md'), 'utf8');
    expect(report).toMatch(/\| model \| PR-AUC \| recall@1%FPR \| prec@top1% \| AUC \| KS \| log-loss \| train rows \|/);
    expect(report).toContain('charts/pr-auc-by-round.svg');
    expect(readFileSync(join(scratch.path, 'out/charts/pr-auc-by-round.svg'), 'utf8')).toMatch(/^<svg/);
  }, 60_000);
});

describe('simulate: market-forecast', () => {
  const scratch = useScratchDir('fedfin-simtask-');

  it('gives each institution whole symbols, scores every model on all banks\' holdout periods, with buy-and-hold', async () => {
    const data = await synthesizePooled({ schema: 'market.v1', banks: 2, rows: 240, seed: 5, skew: 0.5 }, join(scratch.path, 'market.csv'));
    expect(data.rows).toBe(480);
    const job = { rounds: 2, forecast: { windowDays: 5 }, model: { type: 'mlp', hidden: [8] } };
    const r = await simulate({ ...base(scratch.path), dataFile: data.file, schema: 'market.v1', task: 'market-forecast', keepWork: true, job });
    expect(r).toMatchObject({ status: 'completed', rounds: 2, headline: 'directionalAccuracy', unit: 'symbol', evaluation: 'bank-holdouts', testUnits: 0 });
    for (const k of ['directionalAccuracy', 'rmse', 'sharpe']) expect(r.federated[k], k).toEqual(expect.any(Number));
    expect(r.federated['auc']).toBeUndefined();
    expect(r.centralized!.directionalAccuracy).toBeGreaterThan(0.2);
    expect(r.localOnly).toHaveLength(2);
    expect(Object.keys(r.buyAndHold!).sort()).toEqual(['annualReturn', 'annualVolatility', 'maxDrawdown', 'sharpe']);
    // Every model is scored on the same pooled holdout windows.
    for (const m of [r.federated, r.centralized!, ...r.localOnly]) expect(m['numExamples']).toBe(r.testRows);
    const symbols = (f: string): Set<string> => new Set(readFileSync(join(scratch.path, 'out/work', f), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[0]!));
    const [a, b] = [symbols('bank-1/bank-1.csv'), symbols('bank-2/bank-2.csv')];
    expect([...a].filter((s) => b.has(s))).toEqual([]);
    expect(a.size + b.size).toBe(14); // the generated banks hold 6 and 8 symbols
    const report = readFileSync(join(scratch.path, 'out/report.md'), 'utf8');
    expect(report).toMatch(/\| model \| direction \| rmse \| sharpe \|/);
    expect(report).toContain('| buy-and-hold (same days) |');
    expect(existsSync(join(scratch.path, 'out/charts/directional-accuracy-by-round.svg'))).toBe(true);
  }, 60_000);

  it('refuses time and dirichlet splits with the reason, and a schema of the wrong kind', async () => {
    const opts = { ...base(scratch.path), dataFile: 'unused.csv', schema: 'market.v1', task: 'market-forecast', job: {} };
    await expect(simulate({ ...opts, partition: parsePartitionSpec('time:date') })).rejects.toThrow(/time:date is refused for market-forecast: time splits are meaningless for forecasting/);
    await expect(simulate({ ...opts, partition: parsePartitionSpec('dirichlet:1') })).rejects.toThrow(/market-forecast has none/);
    await expect(simulate({ ...opts, schema: 'credit.v1' })).rejects.toThrow(/--task market-forecast needs a schema of kind market; credit.v1 is of kind credit/);
  });
});

describe('taskJobKeys', () => {
  it('puts the task defaults beneath the user keys, merging fraud/forecast key by key; --test-fraction is the market holdout', () => {
    expect(taskJobKeys('credit-scoring', { rounds: 3 }, 0.2)).toEqual({ rounds: 3 });
    expect(taskJobKeys('fraud-detection', { fraud: { loss: 'focal' } }, 0.2)['fraud']).toEqual({ loss: 'focal', positiveWeight: 20 });
    const m = taskJobKeys('market-forecast', { forecast: { windowDays: 10 } }, 0.3);
    expect(m['forecast']).toMatchObject({ windowDays: 10, holdoutFraction: 0.3 });
    expect(() => taskJobKeys('market-forecast', { forecast: { holdoutFraction: 0.5 } }, 0.3)).toThrow(/forecast.holdoutFraction 0.5 but --test-fraction is 0.3/);
    expect(() => simTask('churn')).toThrow(/task "churn" not available in fedfin simulate \(available: credit-scoring, fraud-detection, market-forecast\)/);
  });
});
