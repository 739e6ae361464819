/**
 * Measurement of a simulated federation whose task has no common test set (market-forecast): every model is
 * scored on every bank's own holdout windows, pooled by the same regression and backtest sums the coordinator pools.
 */
import { silentLogger } from '../common/log.js';
import { seededRandom } from '../common/seeded-random.js';
import type { Weights } from '../common/weights.js';
import { loadLocalData } from '../client/data/local-data.js';
import { createTfjsTrainer } from '../client/trainer/tfjs-trainer.js';
import type { Dataset } from '../client/trainer/trainer.js';
import { parseEncodingStats } from '../schema/encoding-stats.js';
import type { JobSpec } from '../schema/job-spec.js';
import { mergeRegression, regressionMetrics } from '../tasks/market-forecast/regression-metrics.js';
import { getTask, type BuiltExamples } from '../tasks/registry.js';
import { trainBaseline } from './baselines.js';
import type { FederationOutcome } from './federation-run.js';
import type { BaselineScore, RunMeasurement, TaskScores } from './measure-run.js';
import type { SimBank, SimulationData } from './sim-data.js';

/** A bank's examples exactly as its daemon builds them: every record it loaded (train and holdout rows), windowed and split by time by the task. */
async function bankExamples(bank: SimBank, data: SimulationData, job: JobSpec, outcome: FederationOutcome, holdoutFraction: number): Promise<BuiltExamples> {
  const examples = getTask(job.task).examples;
  if (!examples) throw new TypeError(`measureOnHoldouts: task ${job.task} builds no examples of its own`);
  const d = await loadLocalData({ file: bank.dataFile, schema: data.schemaRef, mappingFile: data.mappingFile, policyFile: bank.policyFile, keyFile: bank.keyFile, format: 'csv', maxRejectFraction: 0, holdoutFraction }, silentLogger);
  return examples.build([...d.train, ...d.holdout], job, parseEncodingStats(JSON.parse(outcome.encodingStatsJson), `encoding stats of ${outcome.jobId}`));
}

/** Row-major concatenation of example sets of one width. */
export function concatDatasets(sets: readonly Dataset[]): Dataset {
  const n = sets.reduce((a, s) => a + s.numExamples, 0);
  const d = sets[0]?.numFeatures ?? 0;
  const features = new Float32Array(n * d);
  const labels = new Float32Array(n);
  let at = 0;
  for (const s of sets) {
    features.set(s.features.subarray(0, s.numExamples * d), at * d);
    labels.set(s.labels.subarray(0, s.numExamples), at);
    at += s.numExamples;
  }
  return { features, labels, numExamples: n, numFeatures: d };
}

const BUY_HOLD: Readonly<Record<string, string>> = { buyHoldSharpe: 'sharpe', buyHoldAnnualReturn: 'annualReturn', buyHoldAnnualVolatility: 'annualVolatility', buyHoldMaxDrawdown: 'maxDrawdown' };

/**
 * Scores every round's checkpoint on the pooled holdouts and, with `baselines`, trains the centralised
 * model (all banks' training windows pooled) and each bank alone with `trainBaseline` (the job's model,
 * optimiser, rounds × local epochs and DP setting) and scores them on the same holdouts.
 */
export async function measureOnHoldouts(data: SimulationData, job: JobSpec, outcome: FederationOutcome, holdoutFraction: number, seed: number, baselines: boolean, onStep?: (what: string) => void): Promise<RunMeasurement> {
  const built: BuiltExamples[] = [];
  for (const b of data.banks) built.push(await bankExamples(b, data, job, outcome, holdoutFraction));
  const width = built.find((b) => b.train.numExamples > 0)?.train.numFeatures ?? job.forecast.windowDays;
  const model = getTask(job.task).modelSpec(job, width);
  const evaluator = createTfjsTrainer({ model });
  const never = new AbortController().signal;
  const scored = built.filter((b) => b.holdout.numExamples > 0);
  const pooled = async (weights: Weights): Promise<Record<string, number>> => {
    const parts = [];
    for (const b of scored) parts.push(b.evaluate((await evaluator.evaluate(weights, b.holdout, {}, never)).scores));
    return regressionMetrics(mergeRegression(parts));
  };
  const strip = (m: Record<string, number>): TaskScores => Object.fromEntries(Object.entries(m).filter(([k]) => !(k in BUY_HOLD)));
  const score = async (weights: Weights): Promise<TaskScores> => strip(await pooled(weights));
  const perRound: TaskScores[] = [];
  for (const w of outcome.checkpoints.slice(0, -1)) perRound.push(await score(w));
  const all = await pooled(outcome.checkpoints.at(-1)!);
  perRound.push(strip(all));
  // Buy-and-hold depends on the holdout days only, not on the model: any model's pooled sums carry it.
  const buyAndHold = Object.fromEntries(Object.entries(BUY_HOLD).map(([k, name]) => [name, all[k] ?? Number.NaN]));
  const testRows = scored.reduce((a, b) => a + b.holdout.numExamples, 0);
  const measured = { testRows, perRound, federated: perRound.at(-1)!, buyAndHold };
  if (!baselines) return { ...measured, centralized: undefined, localOnly: [] };
  const train = async (name: string, set: Dataset): Promise<BaselineScore> => {
    onStep?.(name);
    const m = await trainBaseline({ model }, set, job, seededRandom(`${seed}:baseline:${name}:noise`), seededRandom(`${seed}:baseline:${name}:init`));
    return { rows: m.rows, metrics: await score(m.weights), epsilon: m.epsilon };
  };
  const centralized = await train('centralized', concatDatasets(built.map((b) => b.train)));
  const localOnly: (BaselineScore & { bank: string })[] = [];
  // A bank with no training window (series shorter than a window) has no model of its own to compare.
  for (const [i, b] of data.banks.entries()) if (built[i]!.train.numExamples > 0) localOnly.push({ bank: b.memberId, ...(await train(b.memberId, built[i]!.train)) });
  return { ...measured, centralized, localOnly };
}
