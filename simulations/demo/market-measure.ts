/** Measurement of the market demo: every model scored on each bank's own holdout windows (as the federation evaluates), pooled by sums. */
import { silentLogger } from '../../common/log.js';
import { seededRandom } from '../../common/seeded-random.js';
import type { Weights } from '../../common/weights.js';
import { createTfjsTrainer } from '../../client/trainer/tfjs-trainer.js';
import type { Dataset, RoundConfig } from '../../client/trainer/trainer.js';
import { loadLocalData } from '../../client/data/local-data.js';
import { mergeRegression, regressionMetrics } from '../../tasks/market-forecast/regression-metrics.js';
import { initModelWeights } from '../../tasks/models/model-spec.js';
import { getTask, type BuiltExamples } from '../../tasks/registry.js';
import type { JobSpec } from '../../schema/job-spec.js';
import type { EncodingStats } from '../../schema/encoding-stats.js';
import { FEATURES_PER_STEP } from '../../tasks/market-forecast/windows.js';
import { MARKET_MODEL, marketSignal } from '../synth/synth-market.js';
import type { Comparison, FinishedJob, ModelScore } from './measure.js';
import type { DemoBank } from './setup.js';

/** A bank's examples exactly as its daemon builds them: its file through mapping, validation and policy, then the task's windows. */
async function bankExamples(bank: DemoBank, job: JobSpec, stats: FinishedJob['stats']): Promise<BuiltExamples> {
  const d = await loadLocalData(
    { file: bank.dataFile, schema: bank.schema, mappingFile: bank.mappingFile, policyFile: bank.policyFile, keyFile: bank.keyFile, format: 'csv', maxRejectFraction: 0.01, holdoutFraction: 0.2 },
    silentLogger,
  );
  return (getTask(job.task).examples as NonNullable<ReturnType<typeof getTask>['examples']>).build([...d.train, ...d.holdout], job, stats);
}

function concat(sets: readonly Dataset[]): Dataset {
  const n = sets.reduce((a, s) => a + s.numExamples, 0);
  const d = sets[0]!.numFeatures;
  const features = new Float32Array(n * d);
  const labels = new Float32Array(n);
  let off = 0;
  for (const s of sets) {
    features.set(s.features, off * d);
    labels.set(s.labels, off);
    off += s.numExamples;
  }
  return { features, labels, numExamples: n, numFeatures: d };
}

/**
 * The generating process's own forecast (drift + `marketSignal`) of each window's next-day return, in
 * the model's output units: the ceiling no model trained on this synthetic market can beat in
 * expectation. It reads only the window's last days, de-standardised with the federation's statistics.
 */
export function oracleScores(windows: Dataset, windowDays: number, stats: EncodingStats): Float32Array {
  const F = FEATURES_PER_STEP;
  const ret = stats['logReturn'] ?? { mean: 0, std: 1 };
  const vol = stats['logVolumeChange'] ?? { mean: 0, std: 1 };
  const out = new Float32Array(windows.numExamples);
  const logReturns = new Float64Array(windowDays);
  const logVolumeChanges = new Float64Array(windowDays);
  for (let i = 0; i < windows.numExamples; i++) {
    const row = i * windowDays * F;
    for (let t = 0; t < windowDays; t++) {
      logReturns[t] = windows.features[row + t * F]! * ret.std + ret.mean;
      logVolumeChanges[t] = windows.features[row + t * F + 1]! * vol.std + vol.mean;
    }
    out[i] = (MARKET_MODEL.drift + marketSignal(logReturns, logVolumeChanges, windowDays - 1)) / ret.std;
  }
  return out;
}

/**
 * Scores the federated model, then trains the centralised model (every bank's training windows
 * pooled — what no bank may do) and each bank alone for the job's rounds × local epochs, and scores
 * each on every bank's holdout. Metrics come from pooled regression sums, as the coordinator's.
 * `extra.buyAndHold` is the equal-weight buy-and-hold performance over the same holdout days,
 * `extra.oracle` the generating process's own forecast scored the same way (`oracleScores`).
 */
export async function compareMarketModels(banks: readonly DemoBank[], finished: FinishedJob, seed: number): Promise<Comparison> {
  const { job, stats } = finished;
  const built = await Promise.all(banks.map((b) => bankExamples(b, job, stats)));
  const model = getTask(job.task).modelSpec(job, built[0]!.train.numFeatures);
  const trainer = createTfjsTrainer({ model, rng: seededRandom(`${seed}:market-baselines:noise`) });
  const never = new AbortController().signal;
  const score = async (weights: Weights): Promise<Record<string, number>> => {
    const parts = [];
    for (const b of built) parts.push(b.evaluate((await trainer.evaluate(weights, b.holdout, {}, never)).scores));
    return { ...regressionMetrics(mergeRegression(parts)) };
  };
  const config: RoundConfig = { learningRate: job.learningRate, localEpochs: job.localEpochs, batchSize: job.batchSize, optimizer: job.optimizer, l1: job.model.l1, l2: job.model.l2 };
  const train = async (name: string, data: Dataset): Promise<ModelScore> => {
    let weights = initModelWeights(model, seededRandom(`${seed}:market-baselines:${name}:init`));
    for (let r = 0; r < job.rounds; r++) weights = (await trainer.fit(weights, data, config, never)).weights;
    return { model: name, rows: data.numExamples, metrics: await score(weights), epsilon: 0 };
  };
  const fedMetrics = await score(finished.weights);
  const federated: ModelScore = { model: 'federated', rows: finished.rounds.at(-1)?.metrics['fitExamples'] ?? 0, metrics: fedMetrics, epsilon: 0 };
  const centralized = await train('centralized', concat(built.map((b) => b.train)));
  const localOnly: (ModelScore & { bank: string })[] = [];
  for (const [i, b] of banks.entries()) localOnly.push({ ...(await train(`${b.memberId} alone`, built[i]!.train)), bank: b.memberId });
  const buyAndHold = {
    sharpe: fedMetrics['buyHoldSharpe'] ?? Number.NaN,
    annualReturn: fedMetrics['buyHoldAnnualReturn'] ?? Number.NaN,
    annualVolatility: fedMetrics['buyHoldAnnualVolatility'] ?? Number.NaN,
    maxDrawdown: fedMetrics['buyHoldMaxDrawdown'] ?? Number.NaN,
  };
  const oracle = regressionMetrics(mergeRegression(built.map((b) => b.evaluate(oracleScores(b.holdout, job.forecast.windowDays, stats)))));
  return { testRows: built.reduce((a, b) => a + b.holdout.numExamples, 0), federated, centralized, localOnly, extra: { buyAndHold, oracle } };
}
