/**
 * Measures a simulated federation on the common test set: the federated model after every round, and the
 * baselines (centralised on the pooled training splits, each bank alone) trained with the same pipeline.
 * Market forecasting has no common test set and is measured on the banks' own holdouts (measure-holdouts.ts).
 */
import { silentLogger } from '../common/log.js';
import { seededRandom } from '../common/seeded-random.js';
import { loadLocalData, pinPolicyLevels } from '../client/data/local-data.js';
import { readAcceptedRecords, readMappingFile } from '../client/data/read-records.js';
import { createRowPlan, desensitizedSchema, desensitizeRecord, loadKeyFile, loadPolicy } from '../privacy/desensitize/index.js';
import type { DesensitizedRecord } from '../schema/desensitized.js';
import { parseEncodingStats } from '../schema/encoding-stats.js';
import type { DatasetSchema } from '../schema/field.js';
import type { JobSpec } from '../schema/job-spec.js';
import { applyFeatureStep, featuredSchema } from '../tasks/features/feature-step.js';
import { encodeRecords, jobPipeline, scoreForTask, trainBaseline, type JobPipeline } from './baselines.js';
import type { FederationOutcome } from './federation-run.js';
import { measureOnHoldouts } from './measure-holdouts.js';
import type { SimBank, SimulationData } from './sim-data.js';
import { simTask } from './sim-tasks.js';

/** A bank's training split exactly as its daemon builds it (read → validate → desensitise → keyed holdout split). */
export async function bankTrainingRecords(bank: SimBank, data: SimulationData, holdoutFraction: number): Promise<readonly DesensitizedRecord[]> {
  const d = await loadLocalData({ file: bank.dataFile, schema: data.schemaRef, mappingFile: data.mappingFile, policyFile: bank.policyFile, keyFile: bank.keyFile, format: 'csv', maxRejectFraction: 0, holdoutFraction }, silentLogger);
  return d.train;
}

/**
 * The common test set through the same mapping, validation, feature step (fraud: per-account history
 * within the test accounts, which were held out whole) and policy, record by record (no k-anonymity
 * suppression: these rows only measure, and every one should count).
 */
export async function testRecords(data: SimulationData): Promise<{ schema: DatasetSchema; records: DesensitizedRecord[] }> {
  const full = featuredSchema(data.schema);
  const policy = pinPolicyLevels(loadPolicy(data.testPolicyFile, full));
  const key = loadKeyFile(data.testKeyFile);
  try {
    const read = await readAcceptedRecords(data.testFile, data.schema, data.mappingFile === undefined ? undefined : readMappingFile(data.mappingFile), 'csv');
    const plan = createRowPlan(full, policy, key);
    const featured = applyFeatureStep(data.schema, policy, key, read.records);
    return { schema: desensitizedSchema(full, policy), records: featured.map((r) => desensitizeRecord(r, plan)) };
  } finally {
    key.fill(0);
  }
}

/** A model's metrics by key: `auc`, `ks`, `logLoss` …; fraud adds `prAuc`, `recallAtFpr`, `precisionAtK`; market has `rmse`, `directionalAccuracy`, `sharpe` … */
export type TaskScores = Readonly<Record<string, number>>;

/** One baseline's score. */
export interface BaselineScore {
  readonly rows: number;
  readonly metrics: TaskScores;
  /** ε of the baseline's own DP-SGD training at the job's δ (0 without DP). */
  readonly epsilon: number;
}

/** Everything measured on the common test set (market: on the banks' pooled holdout windows). */
export interface RunMeasurement {
  /** Test rows (market: holdout windows over every bank). */
  readonly testRows: number;
  /** The federated model after each committed round. */
  readonly perRound: readonly TaskScores[];
  readonly federated: TaskScores;
  readonly centralized: BaselineScore | undefined;
  readonly localOnly: readonly (BaselineScore & { readonly bank: string })[];
  /** Market: equal-weight buy-and-hold over the same holdout days (sharpe, annualReturn, annualVolatility, maxDrawdown). */
  readonly buyAndHold?: TaskScores;
}

/** Builds the job's encoder and model from the federation's statistics. */
export function pipelineOf(schema: DatasetSchema, job: JobSpec, outcome: FederationOutcome): JobPipeline {
  return jobPipeline(schema, job, parseEncodingStats(JSON.parse(outcome.encodingStatsJson), `encoding stats of ${outcome.jobId}`));
}

/**
 * Scores every round's checkpoint and, with `baselines`, trains and scores centralised and local-only
 * models (seeded from `seed`: simulation only).
 */
export async function measureRun(data: SimulationData, job: JobSpec, outcome: FederationOutcome, holdoutFraction: number, seed: number, baselines: boolean, onStep?: (what: string) => void): Promise<RunMeasurement> {
  if (!simTask(job.task).commonTestSet) return measureOnHoldouts(data, job, outcome, holdoutFraction, seed, baselines, onStep);
  const test = await testRecords(data);
  const pipeline = pipelineOf(test.schema, job, outcome);
  const testSet = encodeRecords(pipeline.spec, test.records);
  const perRound: TaskScores[] = [];
  for (const w of outcome.checkpoints) perRound.push(await scoreForTask(job.task, pipeline, w, testSet));
  const federated = perRound.at(-1)!;
  if (!baselines) return { testRows: testSet.numExamples, perRound, federated, centralized: undefined, localOnly: [] };
  const trains: (readonly DesensitizedRecord[])[] = [];
  for (const b of data.banks) trains.push(await bankTrainingRecords(b, data, holdoutFraction));
  const train = async (name: string, records: readonly DesensitizedRecord[]): Promise<BaselineScore> => {
    onStep?.(name);
    const m = await trainBaseline(pipeline, encodeRecords(pipeline.spec, records), job, seededRandom(`${seed}:baseline:${name}:noise`), seededRandom(`${seed}:baseline:${name}:init`));
    return { rows: m.rows, metrics: await scoreForTask(job.task, pipeline, m.weights, testSet), epsilon: m.epsilon };
  };
  const centralized = await train('centralized', trains.flat());
  const localOnly: (BaselineScore & { bank: string })[] = [];
  for (const [i, b] of data.banks.entries()) localOnly.push({ bank: b.memberId, ...(await train(b.memberId, trains[i]!)) });
  return { testRows: testSet.numExamples, perRound, federated, centralized, localOnly };
}
