/** `fedfin simulate tune`: TPE on federated validation with DP, the best run once on the test set, the composed ε of the search, the resuming cache, and refusals. */
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunResultSchema } from '../../simulations/results.js';
import { recomputedEpsilon, TrialRunSchema } from '../../simulations/tuning/trial.js';
import { TuneResultSchema } from '../../simulations/tuning/tune-result.js';
import { runCli } from '../helpers/run-cli.js';
import { useScratchDir } from '../helpers/scratch.js';

describe('fedfin simulate tune', () => {
  const scratch = useScratchDir('fedfin-tune-');

  it('searches on validation, reports the best on the test set, composes every trial’s ε, and resumes from the cache', async () => {
    const out = join(scratch.path, 'out');
    const first = await runCli(['simulate', 'tune', '--scenario', 'credit-tune', '--out', out, '--json']);
    expect(first.code, first.err).toBe(0);
    const r = TuneResultSchema.parse(JSON.parse(readFileSync(join(out, 'tune.json'), 'utf8')));
    expect(JSON.parse(first.out)).toEqual(r);
    expect(r.search).toMatchObject({ method: 'tpe', metric: 'auc', direction: 'max', trials: 4 });
    expect(r.trials).toHaveLength(4);
    for (const t of r.trials) {
      expect(t.status).toBe('completed');
      expect(t.params['learningRate'] as number).toBeGreaterThanOrEqual(0.01);
      expect(t.params['learningRate'] as number).toBeLessThanOrEqual(0.5);
      expect([1, 2, 3]).toContain(t.params['localEpochs']);
      // The conditional μ appears exactly when FedProx was chosen.
      expect('strategy.proximalMu' in t.params).toBe((t.params['strategy'] as { name: string }).name === 'fedprox');
      expect(t.validation).toBe(t.validationMetrics['auc']);
      expect(t.epsilon!).toBeGreaterThan(3.9);
      expect(t.epsilon!).toBeLessThanOrEqual(4.0001);
    }
    const top = Math.max(...r.trials.map((t) => t.validation!));
    expect(r.best!.validation).toBe(top);
    expect(r.trials[r.best!.index - 1]!.validation).toBe(top);

    // The final run is a separate run of the best configuration; it repeats the trial, and its test metrics are reported apart.
    const best = RunResultSchema.parse(JSON.parse(readFileSync(join(out, 'best', 'results.json'), 'utf8')));
    expect(r.test!.reproduced).toBe(true);
    expect(best.perRound.at(-1)!.federatedEval['auc']).toBe(r.best!.validation);
    expect(r.test!.federated).toEqual(best.federated);
    expect(best.config.job).toEqual(r.best!.job);

    // Privacy of the search: every trial composed (more than one trial, less than their sum), each trial's ε re-derived from its ledger.
    const p = r.privacy!;
    expect(p.tuning).toMatchObject({ delta: 1e-5, trials: 4, method: 'composition of all trials (RDP)' });
    expect(p.tuning.epsilonTotal).toBeGreaterThan(p.maxTrialEpsilon);
    expect(p.tuning.epsilonTotal).toBeLessThan(4 * p.maxTrialEpsilon);
    const cache = join(out, 'cache');
    const trialFiles = readdirSync(cache).filter((f) => TrialRunSchema.safeParse(JSON.parse(readFileSync(join(cache, f), 'utf8'))).success);
    expect(trialFiles).toHaveLength(4);
    for (const f of trialFiles) {
      const t = TrialRunSchema.parse(JSON.parse(readFileSync(join(cache, f), 'utf8')));
      expect(recomputedEpsilon(t)!).toBeCloseTo(t.epsilon!, 3);
    }

    const report = readFileSync(join(out, 'report.md'), 'utf8');
    expect(report).toContain('charts/validation-by-trial.svg');
    expect(report).toMatch(/ε = \d+\.\d{3} at δ = 0\.00001/);
    expect(readFileSync(join(out, 'charts', 'validation-by-trial.svg'), 'utf8')).toMatch(/^<svg/);

    // Interrupted: one trial's cache entry lost, tune.json never written. The rerun proposes the same points and runs only that trial.
    rmSync(join(cache, `${r.trials[2]!.key}.json`));
    rmSync(join(out, 'tune.json'));
    const again = await runCli(['simulate', 'tune', '--scenario', 'credit-tune', '--out', out]);
    expect(again.code, again.err).toBe(0);
    const resumed = TuneResultSchema.parse(JSON.parse(readFileSync(join(out, 'tune.json'), 'utf8')));
    expect(resumed.cachedTrials).toBe(3);
    expect((again.err.match(/\(cached\)/g) ?? []).length).toBe(3);
    expect(resumed.trials.map((t) => [t.params, t.validation])).toEqual(r.trials.map((t) => [t.params, t.validation]));
    expect(resumed.privacy!.tuning.epsilonTotal).toBe(p.tuning.epsilonTotal);
    expect(again.out).toMatch(/privacy of the whole search: ε = \d/);
  }, 180_000);

  it('refuses a bad space with the path, a point making an invalid job, a search estimated at days without --yes, and an unknown spec', async () => {
    const spec = (search: Record<string, unknown>, extra: Record<string, unknown> = {}) => scratch.file('tune.json', JSON.stringify({ name: 't', data: { synth: { schema: 'credit.v1', rows: 500 } }, split: { banks: 3 }, job: { rounds: 2 }, search, ...extra }));
    const bad = await runCli(['simulate', 'tune', '--scenario', spec({ method: 'tpe', trials: 5, space: { learningRate: { logUniform: [0, 0.1] } } }), '--out', join(scratch.path, 'a')]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/search\.space\.learningRate\.logUniform: logUniform needs low > 0, got 0/);
    const invalid = await runCli(['simulate', 'tune', '--scenario', spec({ method: 'random', trials: 2, space: { learningRate: { uniform: [0.1, 500] } } }), '--out', join(scratch.path, 'b')]);
    expect(invalid.code).toBe(2);
    expect(invalid.err).toMatch(/the point \{learningRate: 500\} makes an invalid job: learningRate/);
    expect(existsSync(join(scratch.path, 'b', 'tune.json'))).toBe(false);
    const big = await runCli(['simulate', 'tune', '--scenario', spec({ method: 'random', trials: 5000, space: { localEpochs: { int: [1, 50] } } }, { job: { rounds: 200 } }), '--out', join(scratch.path, 'c')]);
    expect(big.code).toBe(2);
    expect(big.err).toMatch(/estimated \d+(\.\d)? days/);
    expect(big.err).toMatch(/pass --yes/);
    const unknown = await runCli(['simulate', 'tune', '--scenario', 'credit-tuning', '--out', join(scratch.path, 'd')]);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/unknown tune spec "credit-tuning": expected one of credit-tune or a \.json file/);
  });
});
