/**
 * Integration: two real bank daemons train a fraud-detection MLP on engineered features over gRPC;
 * the model is exported with `fedfin admin models export`, each bank re-scores its own raw transaction
 * file with `fedfin predict` (feature step, policy, key), and the PR-AUC and AUC of the holdout rows'
 * scores equal the coordinator's last federated evaluation.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Daemon } from '../../client/daemon.js';
import { isHoldoutRow } from '../../client/data/holdout-split.js';
import { readAcceptedRecords, readMappingFile } from '../../client/data/read-records.js';
import { loadKeyFile } from '../../privacy/desensitize/index.js';
import { TRANSACTION_V1 } from '../../schema/builtin/transaction-v1.js';
import { synthesize } from '../../simulations/synth/index.js';
import { evaluationBinning } from '../../tasks/fraud-detection.js';
import { pooledFinanceMetrics } from '../../tasks/metrics/index.js';
import { buildHistogram } from '../../tasks/metrics/score-histogram.js';
import { readModelMetadata } from '../../tasks/model-package.js';
import { submitJob, waitForJobEnd } from '../helpers/coordinator-harness.js';
import { useCoordinatorFixture } from '../helpers/coordinator-fixture.js';
import { startSynthDaemons } from '../helpers/synth-daemons.js';
import { runCli } from '../helpers/run-cli.js';

const HOLDOUT = 0.3;

/** Mann–Whitney AUC of raw scores, ties counted half. */
function exactAuc(scores: readonly number[], labels: readonly number[]): number {
  const pos = scores.filter((_, i) => labels[i] === 1);
  const neg = scores.filter((_, i) => labels[i] !== 1);
  let wins = 0;
  for (const p of pos) for (const n of neg) wins += p > n ? 1 : p === n ? 0.5 : 0;
  return wins / (pos.length * neg.length);
}

/** The policy shape of a fraud bank: pseudonymised accounts, and the fields the features summarise dropped (no QI left: no suppression). */
const policyFor = (domain: string) => ({
  schema: 'transaction.v1', domain, k: 5, maxSuppression: 0.05,
  fields: { account_id: { action: 'pseudonymize', canonical: 'casefold' }, timestamp: { action: 'drop' }, device_id: { action: 'drop' }, customer_postcode: { action: 'drop' } },
});

describe('fedfin predict on a fraud-detection model', () => {
  const fx = useCoordinatorFixture({ prefix: 'fedfin-predict-fraud-' });
  let daemons: Daemon[] = [];
  afterEach(async () => {
    await Promise.all(daemons.map((d) => d.stop()));
    daemons = [];
  });

  it('re-scores each bank\'s raw transactions to the PR-AUC and AUC of the coordinator\'s last evaluation', async () => {
    const coord = await fx.start();
    const dir = fx.dir;
    const synth = await synthesize({ schema: 'transaction.v1', banks: 2, rows: 2500, seed: 11, skew: 0.3, outDir: join(dir, 'banks') });
    daemons = startSynthDaemons({ dir, coordinator: coord.address, synth: synth, schema: 'transaction.v1', task: 'fraud-detection', holdoutFraction: HOLDOUT, policy: (bank) => policyFor(`${bank}/fraud`) }).daemons;
    const job = await submitJob(coord.admin, {
      name: 'fraud-predict', task: 'fraud-detection', schema: 'transaction.v1', model: { type: 'mlp', hidden: [8] }, rounds: 2, minBanks: 2,
      localEpochs: 1, batchSize: 128, learningRate: 0.3, fraud: { loss: 'weighted-bce', positiveWeight: 20 }, privacy: { mode: 'none' },
      timeouts: { fitMs: 60_000, evaluateMs: 30_000 },
    });
    const final = await waitForJobEnd(coord.store, job.job_id, 90_000);
    expect(final.status, final.reason).toBe('completed');

    const modelDir = join(dir, 'model');
    const exported = await runCli(['admin', '--insecure', '--coordinator', coord.address, 'models', 'export', job.job_id, '--out', modelDir]);
    expect(exported.err).toBe('');
    const meta = readModelMetadata(modelDir);
    expect(meta.features).toMatchObject({ step: 'transaction-history', version: 1, account: 'account_id', novelty: ['merchant_category_code', 'merchant_country', 'device_id'] });

    const pooled: { memberId: string; histogram: ReturnType<typeof buildHistogram> }[] = [];
    const allScores: number[] = [];
    const allLabels: number[] = [];
    for (const [i, b] of synth.banks.entries()) {
      const data = join(dir, 'banks', b.file);
      const mapping = join(dir, 'banks', b.mapping);
      const out = join(dir, `scores-${i}.csv`);
      const r = await runCli(['predict', '--model', modelDir, '--data', data, '--mapping', mapping, '--policy', join(dir, `policy-${i}.json`), '--key', join(dir, `key-${i}`), '--out', out, '--json']);
      expect(r.err).toBe('');
      const summary = JSON.parse(r.out) as { scored: number; rejected: number; featureStep: string; task: string };
      expect(summary).toMatchObject({ rejected: 0, featureStep: 'transaction-history v1', task: 'fraud-detection' });
      const text = readFileSync(out, 'utf8');
      const lines = text.trim().split('\n');
      expect(lines[0]).toBe('row,score');
      // Only the row number and the score: no account id (or any other value of the file) is written.
      expect(lines.slice(1).every((l) => /^\d+,[0-9.e-]+$/.test(l))).toBe(true);
      const score = new Map(lines.slice(1).map((l) => l.split(',').map(Number) as [number, number]));
      const read = await readAcceptedRecords(data, TRANSACTION_V1, readMappingFile(mapping), undefined);
      expect(summary.scored).toBe(read.records.length);
      const key = loadKeyFile(join(dir, `key-${i}`));
      const scores: number[] = [];
      const labels: number[] = [];
      read.rowNumbers.forEach((row, j) => {
        if (!isHoldoutRow(key, row, HOLDOUT)) return;
        scores.push(score.get(row)!);
        labels.push(Number(read.records[j]!['fraud']));
      });
      pooled.push({ memberId: b.bank, histogram: buildHistogram(scores, labels, evaluationBinning('fraud-detection')) });
      allScores.push(...scores);
      allLabels.push(...labels);
    }
    const mine = pooledFinanceMetrics(pooled).metrics;
    const theirs = meta.metrics;
    const figures = JSON.stringify({ predict: { prAuc: mine.prAuc, auc: mine.auc, n: mine.numExamples }, coordinator: { prAuc: theirs['prAuc'], auc: theirs['auc'], n: theirs['numExamples'] }, positives: allLabels.filter((y) => y === 1).length });
    expect(allLabels.filter((y) => y === 1).length, figures).toBeGreaterThan(0);
    expect(mine.numExamples, figures).toBe(theirs['numExamples']);
    // Same bins, same rows, same model: equal up to float32 inference differences moving a score across a bin edge.
    expect(Math.abs(mine.prAuc - theirs['prAuc']!), figures).toBeLessThan(2e-3);
    expect(Math.abs(mine.auc - theirs['auc']!), figures).toBeLessThan(2e-3);
    // And the exact (unbinned) AUC of predict's scores is the coordinator's within binning tolerance (only
    // fraud/genuine pairs sharing one of the 1,000 bins differ; PR-AUC over a handful of frauds is too coarse for this).
    expect(Math.abs(exactAuc(allScores, allLabels) - theirs['auc']!), figures).toBeLessThan(0.01);
  }, 120_000);
});
