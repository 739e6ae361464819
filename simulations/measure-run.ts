/**
 * Measures a simulated federation on the common test set: the federated model after every round, and the
 * baselines (centralised on the pooled training splits, each bank alone) trained with the same pipeline.
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
import type { BinaryMetrics } from '../tasks/metrics/score-histogram.js';
import { encodeRecords, jobPipeline, scoreModel, trainBaseline, type JobPipeline } from './baselines.js';
import type { FederationOutcome } from './federation-run.js';
import type { SimBank, SimulationData } from './sim-data.js';

/** A bank's training split exactly as its daemon builds it (read → validate → desensitise → keyed holdout split). */
export async function bankTrainingRecords(bank: SimBank, data: SimulationData, holdoutFraction: number): Promise<readonly DesensitizedRecord[]> {
  const d = await loadLocalData({ file: bank.dataFile, schema: data.schemaRef, mappingFile: data.mappingFile, policyFile: bank.policyFile, keyFile: bank.keyFile, format: 'csv', maxRejectFraction: 0, holdoutFraction }, silentLogger);
  return d.train;
}

/**
 * The common test set through the same mapping, validation and policy, record by record (no k-anonymity
 * suppression: these rows only measure, and every one should count).
 */
export async function testRecords(data: SimulationData): Promise<{ schema: DatasetSchema; records: DesensitizedRecord[] }> {
  const policy = pinPolicyLevels(loadPolicy(data.testPolicyFile, data.schema));
  const key = loadKeyFile(data.testKeyFile);
  try {
    const read = await readAcceptedRecords(data.testFile, data.schema, data.mappingFile === undefined ? undefined : readMappingFile(data.mappingFile), 'csv');
    const plan = createRowPlan(data.schema, policy, key);
    return { schema: desensitizedSchema(data.schema, policy), records: read.records.map((r) => desensitizeRecord(r, plan)) };
  } finally {
    key.fill(0);
  }
}

/** One baseline's score. */
export interface BaselineScore {
  readonly rows: number;
  readonly metrics: BinaryMetrics;
  /** ε of the baseline's own DP-SGD training at the job's δ (0 without DP). */
  readonly epsilon: number;
}

/** Everything measured on the common test set. */
export interface RunMeasurement {
  readonly testRows: number;
  /** The federated model after each committed round. */
  readonly perRound: readonly BinaryMetrics[];
  readonly federated: BinaryMetrics;
  readonly centralized: BaselineScore | undefined;
  readonly localOnly: readonly (BaselineScore & { readonly bank: string })[];
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
  const test = await testRecords(data);
  const pipeline = pipelineOf(test.schema, job, outcome);
  const testSet = encodeRecords(pipeline.spec, test.records);
  const perRound: BinaryMetrics[] = [];
  for (const w of outcome.checkpoints) perRound.push(await scoreModel(pipeline, w, testSet));
  const federated = perRound.at(-1)!;
  if (!baselines) return { testRows: testSet.numExamples, perRound, federated, centralized: undefined, localOnly: [] };
  const trains: (readonly DesensitizedRecord[])[] = [];
  for (const b of data.banks) trains.push(await bankTrainingRecords(b, data, holdoutFraction));
  const train = async (name: string, records: readonly DesensitizedRecord[]): Promise<BaselineScore> => {
    onStep?.(name);
    const m = await trainBaseline(pipeline, encodeRecords(pipeline.spec, records), job, seededRandom(`${seed}:baseline:${name}:noise`), seededRandom(`${seed}:baseline:${name}:init`));
    return { rows: m.rows, metrics: await scoreModel(pipeline, m.weights, testSet), epsilon: m.epsilon };
  };
  const centralized = await train('centralized', trains.flat());
  const localOnly: (BaselineScore & { bank: string })[] = [];
  for (const [i, b] of data.banks.entries()) localOnly.push({ bank: b.memberId, ...(await train(b.memberId, trains[i]!)) });
  return { testRows: testSet.numExamples, perRound, federated, centralized, localOnly };
}
