/** The fraud-detection demo: transaction.v1 banks carved by account, a DP MLP with class weighting, PR-AUC / recall at 1 % FPR / precision at k against the baselines. */
import { parse } from 'csv-parse/sync';
import { assertInRange } from '../../common/assert.js';
import type { RandomReader } from '../../common/random.js';
import type { JobSpecInput } from '../../schema/job-spec.js';
import { compareFraudModels, FRAUD_METRICS, FRAUD_ROUND_METRICS } from './fraud-measure.js';
import { prepareDemoData, splitCsvRows, type CsvSplit, type DemoDataLayout, type DemoMappingView } from './setup.js';
import type { DemoJobOptions, DemoTaskProfile } from './task-profile.js';

/**
 * The shared transaction policy: the account id is pseudonymised (the engineered features were
 * computed before, under the same pseudonym), the other direct identifiers dropped by default, and
 * the quasi-identifiers the features already summarise (exact time, device, postcode) dropped.
 */
export function fraudDemoPolicy(domain: string): Record<string, unknown> {
  return {
    schema: 'transaction.v1',
    domain,
    k: 5,
    maxSuppression: 0.05,
    fields: {
      account_id: { action: 'pseudonymize' },
      timestamp: { action: 'drop' },
      device_id: { action: 'drop' },
      customer_postcode: { action: 'drop' },
    },
  };
}

/**
 * Carves whole ACCOUNTS into the test set (and keeps a `keep` share of accounts: a smaller bank), so a
 * test transaction's history features come from its own account's earlier test rows and no account
 * straddles training and test. Falls back to the row split when the mapping names no account column.
 */
export function splitByAccount(text: string, delimiter: string, testFraction: number, keep: number, rng: RandomReader, mapping: DemoMappingView): CsvSplit {
  assertInRange('splitByAccount', 'testFraction', testFraction, 0, 1, { hi: true });
  const column = mapping.fields?.['account_id']?.column;
  if (!column) return splitCsvRows(text, delimiter, testFraction, keep, rng);
  const rows = parse(text, { delimiter, raw: true, relax_column_count: true }) as unknown as { raw: string; record: string[] }[];
  const [head, ...data] = rows;
  if (!head) throw new RangeError('splitByAccount: "text" expected a CSV with a header row, got an empty text');
  const at = head.record.indexOf(column);
  if (at < 0) throw new RangeError(`splitByAccount: the mapping's account column "${column}" is not in the header`);
  const fate = new Map<string, 'test' | 'train' | 'drop'>();
  const test: string[] = [];
  const train: string[] = [];
  for (const r of data) {
    const acc = r.record[at] ?? '';
    let f = fate.get(acc);
    if (!f) {
      f = rng.uniform() >= keep ? 'drop' : rng.uniform() < testFraction ? 'test' : 'train';
      fate.set(acc, f);
    }
    if (f === 'drop') continue;
    (f === 'test' ? test : train).push(r.raw.endsWith('\n') ? r.raw : `${r.raw}\n`);
  }
  return { header: head.raw.endsWith('\n') ? head.raw : `${head.raw}\n`, test, train };
}

export const FRAUD_LAYOUT: DemoDataLayout = { schema: 'transaction.v1', policy: fraudDemoPolicy, split: splitByAccount };

/**
 * The fraud demo's job: an MLP with record-level DP-SGD. The positive weight is a fixed number (an
 * `auto` weight would read each bank's fraud rate outside the DP guarantee, so the job spec refuses it).
 */
export function fraudDemoJobSpec(o: DemoJobOptions): JobSpecInput {
  return {
    name: 'demo-fraud-detection',
    task: 'fraud-detection',
    schema: 'transaction.v1',
    model: o.model === 'logistic' ? { type: 'logistic' } : { type: 'mlp', hidden: [16], activation: 'relu' },
    rounds: o.rounds,
    minBanks: 3,
    localEpochs: o.localEpochs,
    batchSize: 256,
    learningRate: o.learningRate,
    optimizer: 'sgd',
    fraud: { loss: 'weighted-bce', positiveWeight: 20 },
    privacy: { mode: 'dp-sgd', targetEpsilon: o.epsilon, delta: 1e-5, clippingNorm: 1, maxEpsilon: 2 * o.epsilon },
    timeouts: { fitMs: 180_000, evaluateMs: 60_000 },
    maxRoundAttempts: 3,
    seed: o.seed,
  };
}

export const FRAUD_DEMO: DemoTaskProfile = {
  task: 'fraud-detection',
  schema: 'transaction.v1',
  noun: 'card-transaction',
  // Tuned in docs/tasks.md (fedfin demo --task fraud-detection): under DP-SGD with σ calibrated to each
  // bank's own N, FedAvg's signal-to-noise grows like √ΣNᵢ² (pooling: ΣNᵢ), so a dominant bank (the old
  // 100/60/30 %) was nearly self-sufficient; equal banks give the federation √3× one bank's. lr 0.5 left
  // every model under-trained, the federation (a round moves by the MEAN of the banks' steps) most.
  defaults: {
    rows: 18_000,
    rounds: 10,
    epsilon: 4,
    model: 'mlp',
    localEpochs: 2,
    learningRate: 2,
    skew: 0.5,
    bankFractions: [1, 1, 1],
    testFraction: 0.25,
    holdoutFraction: 0.2,
  },
  metrics: FRAUD_METRICS,
  roundMetrics: FRAUD_ROUND_METRICS,
  jobSpec: fraudDemoJobSpec,
  prepare: (o) => prepareDemoData(o, FRAUD_LAYOUT),
  compare: (banks, finished, holdoutFraction, seed) => compareFraudModels(banks, finished, holdoutFraction, seed),
  extras: (c) => fraudExtras(c),
};

/** The binning check (histogram metrics vs the exact ones from scores) and the operating points, for the report. */
function fraudExtras(c: Parameters<NonNullable<DemoTaskProfile['extras']>>[0]): { json: Record<string, unknown>; lines: string[] } {
  const check = (c.extra?.['binningCheck'] ?? {}) as Record<string, number>;
  const f = (x: number | undefined) => (x ?? Number.NaN).toFixed(4);
  return {
    json: { binningCheck: check, fraudRate: c.extra?.['fraudRate'] ?? null },
    lines: [
      `Test set fraud rate ${(100 * Number(c.extra?.['fraudRate'] ?? Number.NaN)).toFixed(2)} %; recall at 1 % FPR; precision at k = top 1 % of test transactions.`,
      `Binning check (federated model): PR-AUC exact ${f(check['prAucExact'])}, 1000 logit bins (the table's, as the coordinator pools) ${f(check['prAucLogit'])}, 1000 equal bins ${f(check['prAucEqual'])}; recall@1%FPR exact ${f(check['recallExact'])}, logit ${f(check['recallLogit'])}, equal ${f(check['recallEqual'])}.`,
    ],
  };
}
