/** `fedfin simulate --scenario`: grid × seeds with mean ± std, the configuration-hash cache that resumes, charts, and refusals. */
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SweepResult } from '../../simulations/sweep.js';
import { REPO } from '../helpers/federation-fixture.js';
import { runCli } from '../helpers/run-cli.js';
import { useScratchDir } from '../helpers/scratch.js';

const GERMAN = '/work/shared/data/german_credit.csv';
const data = existsSync(GERMAN) ? GERMAN : join(REPO, '../../shared/data/german_credit.csv');

describe('fedfin simulate --scenario', () => {
  const scratch = useScratchDir('fedfin-scn-');
  const scenario = (extra: Record<string, unknown> = {}) =>
    scratch.file(
      'scenario.json',
      JSON.stringify({
        name: 'tiny-privacy',
        data: { file: data, schema: 'credit.v1', mapping: join(REPO, 'examples/german-credit/mapping.json') },
        split: { banks: 3, partition: 'iid' },
        job: { rounds: 2 },
        grid: { epsilon: [2, null] },
        seeds: [1, 2],
        baselines: false,
        ...extra,
      }),
    );

  it('runs grid × seeds, aggregates mean ± std, draws the privacy–utility chart, and resumes from the cache', async () => {
    const out = join(scratch.path, 'out');
    const first = await runCli(['simulate', '--scenario', scenario(), '--out', out]);
    expect(first.code, first.err).toBe(0);
    const r = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as SweepResult;
    expect(r.variants.map((v) => v.variant)).toEqual(['epsilon=2', 'epsilon=∞']);
    expect(r.runs).toHaveLength(4);
    expect(r.cachedRuns).toBe(0);
    const dp = r.variants[0]!;
    expect(dp.federated.auc.n).toBe(2);
    expect(r.runs.every((x) => x.rounds === 2)).toBe(true);
    expect(dp.epsilon!.mean).toBeGreaterThan(1.9);
    expect(dp.epsilon!.mean).toBeLessThanOrEqual(2.01);
    expect(r.variants[1]!.epsilon).toBeNull();
    const report = readFileSync(join(out, 'report.md'), 'utf8');
    expect(report).toContain('charts/privacy-utility.svg');
    expect(readFileSync(join(out, 'charts/privacy-utility.svg'), 'utf8')).toMatch(/^<svg/);

    // An interrupted sweep: one finished run lost, the summary never written. The rerun only runs what is missing.
    const cache = join(out, 'cache');
    const files = readdirSync(cache);
    expect(files).toHaveLength(4);
    rmSync(join(cache, files[0]!));
    rmSync(join(out, 'results.json'));
    const again = await runCli(['simulate', '--scenario', scenario(), '--out', out]);
    expect(again.code, again.err).toBe(0);
    const resumed = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as SweepResult;
    expect(resumed.cachedRuns).toBe(3);
    expect((again.err.match(/\(cached\)/g) ?? []).length).toBe(3);
    expect(resumed.variants.map((v) => v.federated.auc.mean)).toEqual(r.variants.map((v) => v.federated.auc.mean));
  }, 120_000);

  it('refuses a grid estimated to take days without --yes, an unknown scenario, and a task this build lacks', async () => {
    const big = await runCli(['simulate', '--scenario', scenario({ job: { rounds: 10_000 }, grid: { epsilon: [1, 2, 4, 8], banks: [3, 50, 100] }, seeds: [1, 2, 3, 4, 5] }), '--out', join(scratch.path, 'big')]);
    expect(big.code).toBe(2);
    expect(big.err).toMatch(/estimated \d+(\.\d)? days/);
    expect(big.err).toMatch(/pass --yes/);
    const unknown = await runCli(['simulate', '--scenario', 'credit-6-banks', '--out', join(scratch.path, 'u')]);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/unknown scenario "credit-6-banks": expected one of credit-5-banks, privacy-utility, dropout-stress, fraud-20-banks, market-10-institutions/);
    const churn = await runCli(['simulate', '--scenario', scenario({ task: 'churn' }), '--out', join(scratch.path, 'f')]);
    expect(churn.code).toBe(2);
    expect(churn.err).toMatch(/task "churn" not available in fedfin simulate/);
  });
});
