/**
 * Integration: three real bank daemons (createDaemon, tfjs) run the feature step on their raw
 * transactions and train a fraud-detection MLP with focal loss under DP-SGD over real gRPC; pooled
 * histograms give PR-AUC, recall at 1 % FPR and precision at k in the round's metrics.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterEach, describe, expect, it } from 'vitest';
import type { Daemon } from '../../client/daemon.js';
import { fraudDemoPolicy } from '../../simulations/demo/fraud-profile.js';
import { synthesize } from '../../simulations/synth/index.js';
import { submitJob, waitForJobEnd } from '../helpers/coordinator-harness.js';
import { useCoordinatorFixture } from '../helpers/coordinator-fixture.js';
import { startSynthDaemons } from '../helpers/synth-daemons.js';

describe('fraud-detection over gRPC', () => {
  const fx = useCoordinatorFixture({ prefix: 'fedfin-fraud-' });
  let daemons: Daemon[] = [];
  afterEach(async () => {
    await Promise.all(daemons.map((d) => d.stop()));
    daemons = [];
  });

  it('trains with focal loss and DP-SGD for 2 rounds on engineered features, commits pooled rare-event metrics, and no raw account id reaches the coordinator', async () => {
    const coord = await fx.start();
    const dir = fx.dir;
    const summary = await synthesize({ schema: 'transaction.v1', banks: 3, rows: 3000, seed: 5, skew: 0.3, outDir: join(dir, 'banks') });
    daemons = startSynthDaemons({ dir, coordinator: coord.address, synth: summary, schema: 'transaction.v1', task: 'fraud-detection', holdoutFraction: 0.3, policy: (bank) => fraudDemoPolicy(`${bank}/fraud`) }).daemons;
    const job = await submitJob(coord.admin, {
      name: 'fraud', task: 'fraud-detection', schema: 'transaction.v1', model: { type: 'mlp', hidden: [8] }, rounds: 2, minBanks: 3,
      localEpochs: 1, batchSize: 128, learningRate: 0.5, fraud: { loss: 'focal', focalGamma: 2, focalAlpha: 0.25 },
      privacy: { mode: 'dp-sgd', noiseMultiplier: 1, clippingNorm: 1, delta: 1e-5, maxEpsilon: 40 },
      timeouts: { fitMs: 60_000, evaluateMs: 30_000 },
    });
    const final = await waitForJobEnd(coord.store, job.job_id, 90_000);
    expect(final.status, final.reason).toBe('completed');

    const rounds = await coord.store.listRounds(job.job_id);
    expect(rounds).toHaveLength(2);
    const m = rounds[1]!.metrics;
    expect(m['evalBanks']).toBe(3);
    for (const k of ['prAuc', 'recallAtFpr', 'precisionAtK', 'auc']) {
      expect(m[k], k).toBeGreaterThanOrEqual(0);
      expect(m[k], k).toBeLessThanOrEqual(1);
    }
    expect(m['recallAtFprTarget']).toBe(0.01);
    // The engineered features are part of every bank's encoding (53 inputs under the demo policy).
    const cp = await coord.store.latestCheckpoint(job.job_id);
    expect(cp!.weights[0]!.shape).toEqual([53, 8]);
    // Raw account ids stay in the banks: none appears in the coordinator's database file.
    const dbText = ['coordinator.db', 'coordinator.db-wal'].filter((f) => existsSync(join(dir, f))).map((f) => readFileSync(join(dir, f)).toString('latin1')).join('');
    const mapping = JSON.parse(readFileSync(join(dir, 'banks', summary.banks[0]!.mapping), 'utf8')) as { delimiter?: string; fields: { account_id: { column: string } } };
    const rows = parse(readFileSync(join(dir, 'banks', summary.banks[0]!.file), 'utf8'), { delimiter: mapping.delimiter ?? ',', columns: true }) as Record<string, string>[];
    const rawIds = [...new Set(rows.slice(0, 200).map((r) => r[mapping.fields.account_id.column]!))];
    expect(rawIds.length).toBeGreaterThan(0);
    for (const id of rawIds) expect(dbText.includes(id), id).toBe(false);
    const ledger = await coord.store.ledger({ jobId: job.job_id });
    expect(new Set(ledger.map((l) => l.memberId)).size).toBe(3);
  }, 120_000);
});
