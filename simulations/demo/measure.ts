/** Measurement side of `fedfin demo`: the final federated model read from the coordinator's store, the common test set, and the baselines. */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { silentLogger } from '../../common/log.js';
import { seededRandom } from '../../common/seeded-random.js';
import type { Weights } from '../../common/weights.js';
import type { Dataset } from '../../client/trainer/trainer.js';
import { loadLocalData, pinPolicyLevels } from '../../client/data/local-data.js';
import { readAcceptedRecords, readMappingFile } from '../../client/data/read-records.js';
import { createRowPlan, desensitizedSchema, desensitizeRecord, loadKeyFile, loadPolicy } from '../../privacy/desensitize/index.js';
import { createSqliteStore } from '../../coordinator/store/sqlite-store.js';
import type { LedgerEntry, RoundRecord, Store } from '../../coordinator/store/store.js';
import type { DesensitizedRecord } from '../../schema/desensitized.js';
import { parseEncodingStats, type EncodingStats } from '../../schema/encoding-stats.js';
import type { DatasetSchema } from '../../schema/field.js';
import { parseJobSpec, type JobSpec } from '../../schema/job-spec.js';
import { resolveSchema } from '../../schema/registry.js';
import { encodeRecords, jobPipeline, scoreModel, trainBaseline, type JobPipeline } from '../baselines.js';
import type { DemoBank } from './setup.js';

/** What the coordinator kept of a finished job. */
export interface FinishedJob {
  readonly job: JobSpec;
  readonly status: string;
  readonly stats: EncodingStats;
  readonly weights: Weights;
  readonly rounds: readonly RoundRecord[];
  readonly ledger: readonly LedgerEntry[];
}

/**
 * Opens `DIR/coordinator.db` READ-ONLY (read-write if the store insists on writing at open; fine for the
 * demo: it is local) and reads the job's spec,
 * encoding statistics, last checkpoint, rounds and privacy ledger.
 * @throws Error when the job is unknown or has no model.
 */
export async function readFinishedJob(coordinatorDataDir: string, jobId: string): Promise<FinishedJob> {
  const file = join(coordinatorDataDir, 'coordinator.db');
  let store: Store;
  try {
    store = createSqliteStore(new Database(file, { readonly: true, fileMustExist: true }));
  } catch (err) {
    // The store's migration may write its version row even when current; a read-write open of this local,
    // idle coordinator's database is then the fallback.
    if ((err as { code?: string }).code !== 'SQLITE_READONLY') throw err;
    store = createSqliteStore(new Database(file, { fileMustExist: true }));
  }
  try {
    const rec = await store.getJob(jobId);
    if (!rec) throw new Error(`job ${jobId} is not in ${coordinatorDataDir}`);
    const cp = await store.latestCheckpoint(jobId);
    if (!cp || rec.encodingStatsJson === undefined) throw new Error(`job ${jobId} has no trained model`);
    return {
      job: parseJobSpec(rec.specJson, `job ${jobId}`),
      status: rec.status,
      stats: parseEncodingStats(JSON.parse(rec.encodingStatsJson), `encoding stats of ${jobId}`),
      weights: cp.weights,
      rounds: await store.listRounds(jobId),
      ledger: await store.ledger({ jobId }),
    };
  } finally {
    await store.close();
  }
}

/** One party's desensitised records. */
export interface Party {
  readonly schema: DatasetSchema;
  readonly records: readonly DesensitizedRecord[];
}

/**
 * A bank's training split exactly as its daemon builds it (mapping → validation → the bank's policy and
 * key with levels pinned, k enforced → the keyed train/holdout split).
 */
export async function trainingSplit(bank: DemoBank, holdoutFraction: number): Promise<Party> {
  const d = await loadLocalData(
    { file: bank.dataFile, schema: bank.schema, mappingFile: bank.mappingFile, policyFile: bank.policyFile, keyFile: bank.keyFile, format: 'csv', maxRejectFraction: 0.01, holdoutFraction },
    silentLogger,
  );
  return { schema: d.schema, records: d.train };
}

/**
 * A bank's share of the common test set through the same mapping, validation and policy (levels pinned),
 * record by record: no k-anonymity suppression, because these rows are never released or trained on —
 * they only measure, and every one of them should count.
 */
export async function testRows(bank: DemoBank): Promise<Party> {
  const schema = resolveSchema(bank.schema);
  const policy = pinPolicyLevels(loadPolicy(bank.policyFile, schema));
  const key = loadKeyFile(bank.keyFile);
  try {
    const read = await readAcceptedRecords(bank.testFile, schema, readMappingFile(bank.mappingFile), 'csv');
    const plan = createRowPlan(schema, policy, key);
    return { schema: desensitizedSchema(schema, policy), records: read.records.map((r) => desensitizeRecord(r, plan)) };
  } finally {
    key.fill(0);
  }
}

/** A model's metrics on the common test set, by key (`auc`, `prAuc`, `rmse`, …; see the task's profile). */
export type DemoScores = Readonly<Record<string, number>>;

/** One row of the comparison table. */
export interface ModelScore {
  readonly model: string;
  readonly rows: number;
  readonly metrics: DemoScores;
  readonly epsilon: number;
}

/** Scores a model's weights on the encoded common test set. */
export type ScoreFn = (pipeline: JobPipeline, weights: Weights, test: Dataset) => Promise<DemoScores>;

/** How a task's comparison reads its parties and scores its models. */
export interface CompareHooks {
  /** @default trainingSplit (the daemon's own pipeline) */
  readonly train?: (bank: DemoBank, holdoutFraction: number) => Promise<Party>;
  /** @default testRows */
  readonly test?: (bank: DemoBank) => Promise<Party>;
  /** @default scoreModel's binary metrics (auc, ks, logLoss, brier, accuracy) */
  readonly score?: ScoreFn;
}

const binaryScore: ScoreFn = async (pipeline, weights, test) => ({ ...(await scoreModel(pipeline, weights, test)) });

/** The comparison on the common test set. */
export interface Comparison {
  readonly testRows: number;
  readonly federated: ModelScore;
  readonly centralized: ModelScore;
  readonly localOnly: readonly (ModelScore & { readonly bank: string })[];
  /** Task-specific measurements the profile's `extras` reports (e.g. a buy-and-hold benchmark). */
  readonly extra?: Readonly<Record<string, unknown>>;
}

/**
 * Scores the federated model and trains/scores the baselines on the pooled common test set, every
 * party encoded with the job's statistics and trained with the job's model, DP setting and budget.
 * @param seed seeds the baselines' initial weights and noise (simulation only).
 */
export async function compareModels(banks: readonly DemoBank[], finished: FinishedJob, holdoutFraction: number, seed: number, hooks: CompareHooks = {}): Promise<Comparison> {
  const { job, stats } = finished;
  const score = hooks.score ?? binaryScore;
  const tests = await Promise.all(banks.map((b) => (hooks.test ?? testRows)(b)));
  const trains = await Promise.all(banks.map((b) => (hooks.train ?? trainingSplit)(b, holdoutFraction)));
  const pipeline = jobPipeline(tests[0]!.schema, job, stats);
  const test = encodeRecords(pipeline.spec, tests.flatMap((t) => t.records));
  const fedRows = finished.rounds.at(-1)?.metrics['fitExamples'] ?? trains.reduce((a, t) => a + t.records.length, 0);
  const fedEps = Math.max(0, ...finished.ledger.map((l) => l.epsilonTotal));
  const federated: ModelScore = { model: 'federated', rows: fedRows, metrics: await score(pipeline, finished.weights, test), epsilon: fedEps };

  const run = async (name: string, records: readonly DesensitizedRecord[]): Promise<ModelScore> => {
    const data = encodeRecords(pipeline.spec, records);
    const m = await trainBaseline(pipeline, data, job, seededRandom(`${seed}:baseline:${name}:noise`), seededRandom(`${seed}:baseline:${name}:init`));
    return { model: name, rows: m.rows, metrics: await score(pipeline, m.weights, test), epsilon: m.epsilon };
  };
  const centralized = await run('centralized', trains.flatMap((t) => t.records));
  const localOnly: (ModelScore & { bank: string })[] = [];
  for (const [i, b] of banks.entries()) localOnly.push({ ...(await run(`${b.memberId} alone`, trains[i]!.records)), bank: b.memberId });
  return { testRows: test.numExamples, federated, centralized, localOnly };
}
