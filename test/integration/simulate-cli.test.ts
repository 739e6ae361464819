/** `fedfin simulate` end to end on the real German credit CSV: results.json, report.md with charts, determinism, bad input. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunResultSchema, reproducibleView } from '../../simulations/results.js';
import { runCli } from '../helpers/run-cli.js';
import { REPO } from '../helpers/federation-fixture.js';
import { useScratchDir } from '../helpers/scratch.js';

const GERMAN = '/work/shared/data/german_credit.csv';
const data = existsSync(GERMAN) ? GERMAN : join(REPO, '../../shared/data/german_credit.csv');
const MAPPING = join(REPO, 'examples/german-credit/mapping.json');
const base = ['simulate', '--data', data, '--schema', 'credit.v1', '--mapping', MAPPING, '--banks', '3', '--partition', 'dirichlet:1', '--rounds', '3', '--seed', '5'];

describe('fedfin simulate (German credit, 3 banks, 3 rounds)', () => {
  const scratch = useScratchDir('fedfin-sim-');

  it('writes results.json (documented schema) and report.md linking its SVG charts; the same seed repeats the metrics', async () => {
    const a = await runCli([...base, '--out', join(scratch.path, 'a'), '--json']);
    expect(a.code, a.err).toBe(0);
    const result = RunResultSchema.parse(JSON.parse(readFileSync(join(scratch.path, 'a', 'results.json'), 'utf8')));
    expect(JSON.parse(a.out)).toEqual(result);
    expect(result).toMatchObject({ rounds: 3, status: 'completed', privacy: null, config: { banks: 3, partition: 'dirichlet:1', seed: 5 } });
    expect(result.localOnly.map((l) => l.bank)).toEqual(['bank-1', 'bank-2', 'bank-3']);
    expect(result.testRows).toBe(200);
    expect(result.banks.reduce((s, b) => s + b.rows, 0)).toBe(800);
    for (const m of [result.federated.auc, result.centralized!.auc, ...result.localOnly.map((l) => l.auc)]) expect(m).toBeGreaterThan(0.4);
    expect(result.perRound.map((p) => p.round)).toEqual([1, 2, 3]);
    const report = readFileSync(join(scratch.path, 'a', 'report.md'), 'utf8');
    for (const svg of report.match(/charts\/[a-z-]+\.svg/g)!) expect(readFileSync(join(scratch.path, 'a', svg), 'utf8')).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(report).toContain('| bank-1 alone |');
    expect(existsSync(join(scratch.path, 'a', 'work'))).toBe(false);

    const b = await runCli([...base, '--out', join(scratch.path, 'b'), '--json', '--transport', 'grpc']);
    expect(b.code, b.err).toBe(0);
    const again = RunResultSchema.parse(JSON.parse(b.out));
    expect(reproducibleView({ ...again, config: { ...again.config, transport: 'in-process' } })).toEqual(reproducibleView(result));
  }, 120_000);

  it('refuses a CSV that does not match its schema and prints the rejects as data validate does', async () => {
    const lines = readFileSync(data, 'utf8').split('\n');
    lines[3] = lines[3]!.replace(/^A1[1-4],\d+,/, 'A11,not-a-number,');
    const bad = scratch.file('bad.csv', lines.join('\n'));
    const r = await runCli(['simulate', '--data', bad, '--schema', 'credit.v1', '--mapping', MAPPING, '--out', join(scratch.path, 'x')]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/1 rejected \(max 0\)/);
    expect(r.err).toMatch(/row 3/);
    expect(r.err).toMatch(/run refused/);
    expect(existsSync(join(scratch.path, 'x', 'results.json'))).toBe(false);
  });

  it('refuses a partition that leaves a bank empty, naming the bank, a task the schema does not fit, and an unknown task', async () => {
    const r = await runCli(['simulate', '--data', data, '--schema', 'credit.v1', '--mapping', MAPPING, '--banks', '3', '--partition', 'feature:foreign_worker', '--out', join(scratch.path, 'y')]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/2 distinct value\(s\).*3 banks/);
    const q = await runCli(['simulate', '--data', data, '--schema', 'credit.v1', '--mapping', MAPPING, '--banks', '40', '--partition', 'quantity:lognormal:3', '--out', join(scratch.path, 'y')]);
    expect(q.code).toBe(2);
    expect(q.err).toMatch(/leaves \d+ bank\(s\) with fewer than 10 training rows: bank-\d+ \(\d+ rows\)/);
    const t = await runCli(['simulate', '--data', data, '--schema', 'credit.v1', '--mapping', MAPPING, '--task', 'fraud-detection', '--out', join(scratch.path, 'y')]);
    expect(t.code).toBe(2);
    expect(t.err).toMatch(/--task fraud-detection needs a schema of kind transaction; credit.v1 is of kind credit/);
    const u = await runCli(['simulate', '--data', data, '--schema', 'credit.v1', '--mapping', MAPPING, '--task', 'churn', '--out', join(scratch.path, 'y')]);
    expect(u.code).toBe(2);
    expect(u.err).toMatch(/task "churn" not available in fedfin simulate \(available: credit-scoring, fraud-detection, market-forecast\)/);
    const draft = await runCli(['simulate', '--data', data, '--schema', join(REPO, 'examples/custom-schema/german-credit.draft.json'), '--out', join(scratch.path, 'y')]);
    expect(draft.code).toBe(2);
    expect(draft.err).toMatch(/row 2: the label field "class" must be true\/false or 0\/1/);
  });
});
