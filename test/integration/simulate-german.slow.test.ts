/** The show (npm run test:slow): German credit, 4 banks, dirichlet:0.5, 30 rounds — federated AUC within 3 % of centralised and above the mean of the banks alone. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunResultSchema } from '../../simulations/results.js';
import { REPO } from '../helpers/federation-fixture.js';
import { runCli } from '../helpers/run-cli.js';
import { useScratchDir } from '../helpers/scratch.js';

const GERMAN = '/work/shared/data/german_credit.csv';
const data = existsSync(GERMAN) ? GERMAN : join(REPO, '../../shared/data/german_credit.csv');

describe('fedfin simulate: German credit show', () => {
  const scratch = useScratchDir('fedfin-german-');

  it.each([0, 1, 2])('seed %i: federated AUC within 3 percent of centralised and above the banks alone', async (seed) => {
    const out = join(scratch.path, `s${seed}`);
    const r = await runCli(['simulate', '--data', data, '--schema', 'credit.v1', '--mapping', join(REPO, 'examples/german-credit/mapping.json'), '--task', 'credit-scoring', '--banks', '4', '--partition', 'dirichlet:0.5', '--rounds', '30', '--seed', String(seed), '--out', out]);
    expect(r.code, r.err).toBe(0);
    const res = RunResultSchema.parse(JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')));
    expect(res.rounds).toBe(30);
    expect(res.federated.auc).toBeGreaterThanOrEqual(0.97 * res.centralized!.auc);
    expect(res.federated.auc).toBeGreaterThan(res.localOnlyMeanAuc!);
  });
});
