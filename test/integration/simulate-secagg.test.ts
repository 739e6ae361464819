/**
 * A scenario grid over secure aggregation on/off: the same 3-bank, 2-round credit federation runs once
 * through the real SecAgg+ stages over the in-process transport and once as plain FedAvg, with equal quality.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ScenarioSchema } from '../../simulations/scenario.js';
import { runSweep } from '../../simulations/sweep.js';
import { REPO } from '../helpers/federation-fixture.js';
import { useScratchDir } from '../helpers/scratch.js';

const GERMAN = '/work/shared/data/german_credit.csv';
const data = existsSync(GERMAN) ? GERMAN : join(REPO, '../../shared/data/german_credit.csv');

describe('simulate scenario: secureAggregation on/off', () => {
  const scratch = useScratchDir('fedfin-scn-secagg-');

  it('runs SecAgg+ in one cell and plain FedAvg in the other, and the federated models score alike', async () => {
    const scenario = ScenarioSchema.parse({
      name: 'secagg-on-off',
      data: { file: data, schema: 'credit.v1', mapping: join(REPO, 'examples/german-credit/mapping.json') },
      split: { banks: 3, partition: 'iid' },
      job: { rounds: 2 },
      grid: { secureAggregation: [true, false] },
      seeds: [1],
      baselines: false,
    });
    const r = await runSweep({ scenario, outDir: scratch.path, transport: 'in-process' });
    const [on, off] = r.runs;
    expect([on!.variant, off!.variant]).toEqual(['secureAggregation=true', 'secureAggregation=false']);
    expect([on!.rounds, off!.rounds]).toEqual([2, 2]);
    expect(on!.config.job['secureAggregation']).toEqual({ enabled: true });
    // The secure cell really ran the SecAgg+ stages: the coordinator committed a sum of 3 survivors each round.
    expect(on!.perRound.map((p) => p.federatedEval['secaggSurvivors'])).toEqual([3, 3]);
    expect(off!.perRound.every((p) => p.federatedEval['secaggSurvivors'] === undefined)).toBe(true);
    // Same seeds, same local training: only the 16-bit quantisation of the sum differs.
    expect(Math.abs(on!.federated.auc - off!.federated.auc)).toBeLessThan(0.005);
    expect(Math.abs(on!.federated.logLoss - off!.federated.logLoss)).toBeLessThan(0.005);
    expect(on!.federated.auc).toBeGreaterThan(0.55);
  }, 60_000);
});
