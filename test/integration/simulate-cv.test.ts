/** `fedfin simulate --cv K` end to end on German credit: per-fold federated evaluation, baselines, report, cache resume, refusals. */
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunResultSchema } from '../../simulations/results.js';
import { REPO } from '../helpers/federation-fixture.js';
import { runCli } from '../helpers/run-cli.js';
import { useScratchDir } from '../helpers/scratch.js';

const GERMAN = '/work/shared/data/german_credit.csv';
const data = existsSync(GERMAN) ? GERMAN : join(REPO, '../../shared/data/german_credit.csv');
const MAPPING = join(REPO, 'examples/german-credit/mapping.json');
const base = ['simulate', '--data', data, '--schema', 'credit.v1', '--mapping', MAPPING, '--banks', '3', '--partition', 'dirichlet:1', '--rounds', '2', '--seed', '5'];

describe('fedfin simulate --cv (German credit, 3 banks, 2 rounds, K = 3)', () => {
  const scratch = useScratchDir('fedfin-cv-');

  it('evaluates each fold federatedly on exactly the banks’ fold rows, with baselines, a CV table and chart; a rerun resumes from the fold cache', async () => {
    const out = join(scratch.path, 'cv');
    const a = await runCli([...base, '--cv', '3', '--out', out, '--json']);
    expect(a.code, a.err).toBe(0);
    const r = RunResultSchema.parse(JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')));
    expect(JSON.parse(a.out)).toEqual(r);
    const cv = r.crossValidation!;
    expect(cv.k).toBe(3);
    expect(cv.cachedFolds).toBe(0);
    expect(cv.privacy).toBeNull(); // no DP: nothing to compose (the composition is unit-tested in cv-results.test.ts)
    expect(cv.folds.map((f) => f.fold)).toEqual([1, 2, 3]);
    const bankRows = r.banks.reduce((s, b) => s + b.rows, 0);
    expect(cv.banks.map((b) => b.rows.reduce((s, x) => s + x, 0))).toEqual(r.banks.map((b) => b.rows));
    for (const [i, f] of cv.folds.entries()) {
      const planned = cv.banks.reduce((s, b) => s + b.rows[i]!, 0);
      // The coordinator's pooled histogram counted exactly the fold's rows: each daemon held out its fold, nothing else.
      expect(f.federatedEval['numExamples']).toBe(planned);
      expect(f.evalRows).toBe(planned);
      expect(f.trainRows + f.evalRows).toBe(bankRows);
      expect(f).toMatchObject({ status: 'completed', rounds: 2, federated: { evalBanks: 3 } });
      expect(f.centralized).toMatchObject({ trainRows: f.trainRows, evalRows: planned });
      expect(f.localOnly.map((l) => [l.bank, l.evalRows])).toEqual(cv.banks.map((b) => [b.bank, b.rows[i]]));
      for (const m of [f.federated.auc, f.centralized!.auc, f.federatedTest.auc]) expect(m).toBeGreaterThan(0.4);
    }
    expect(cv.mean.federated.auc).toBeCloseTo(cv.folds.reduce((s, f) => s + f.federated.auc, 0) / 3, 4);
    expect(cv.std.federated.auc).toBeGreaterThan(0);
    const report = readFileSync(join(out, 'report.md'), 'utf8');
    expect(report).toContain('## Cross-validation (3 folds)');
    expect(report).toMatch(/\| \*\*mean ± std\*\* \| \d\.\d{3} ± \d\.\d{3} \|/);
    expect(readFileSync(join(out, 'charts/cv-folds.svg'), 'utf8')).toMatch(/^<svg/);
    expect(existsSync(join(out, 'work'))).toBe(false);

    // An interrupted CV: one finished fold lost. The rerun runs that fold only, and gets the same numbers.
    const cache = readdirSync(join(out, 'cache'));
    expect(cache).toHaveLength(3);
    rmSync(join(out, 'cache', cache[0]!));
    const b = await runCli([...base, '--cv', '3', '--out', out]);
    expect(b.code, b.err).toBe(0);
    expect((b.err.match(/\(cached\)/g) ?? []).length).toBe(2);
    expect(b.err).toMatch(/cross-validation fold [123]\/3: federating 3 banks on their other 2 folds for 2 rounds/);
    expect(b.out).toMatch(/cross-validation \(3 folds\): federated AUC \d\.\d{3} ± \d\.\d{3}, centralised .* \(2 folds cached\)/);
    const again = RunResultSchema.parse(JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'))).crossValidation!;
    expect(again.cachedFolds).toBe(2);
    const strip = (x: typeof cv) => x.folds.map(({ wallTimeMs: _w, ...f }) => f);
    expect(strip(again)).toEqual(strip(cv));
  }, 180_000);

  it('refuses folds a bank cannot fill, naming the bank, before anything trains; and a K below 2', async () => {
    const out = join(scratch.path, 'refused');
    const r = await runCli(['simulate', '--data', data, '--schema', 'credit.v1', '--mapping', MAPPING, '--banks', '20', '--partition', 'quantity:lognormal:1', '--min-rows', '4', '--cv', '5', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--cv 5: bank-\d+ has \d rows, fewer than --cv 5: one of its folds would be empty/);
    expect(r.err).not.toMatch(/federating/);
    expect(existsSync(join(out, 'results.json'))).toBe(false);
    const low = await runCli([...base, '--cv', '1', '--out', out]);
    expect(low.code).toBe(2);
    expect(low.err).toMatch(/--cv: at least 2/);
  });
});
