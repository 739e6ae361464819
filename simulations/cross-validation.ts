/**
 * Federated k-fold cross-validation (`fedfin simulate --cv K`): each bank folds its own rows; for fold i every
 * bank trains on its other K−1 folds and the federation evaluates on the banks' fold-i rows through the
 * coordinator's federated evaluation (pooled histograms). Baselines per fold; every fold cached so an
 * interrupted CV resumes.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../common/atomic-file.js';
import { FedfinError } from '../common/errors.js';
import type { Logger } from '../common/log.js';
import { silentLogger } from '../common/log.js';
import { seededRandom } from '../common/seeded-random.js';
import { loadLocalData } from '../client/data/local-data.js';
import type { DesensitizedRecord } from '../schema/desensitized.js';
import type { JobSpec } from '../schema/job-spec.js';
import { encodeRecords, scoreModel, trainBaseline, type JobPipeline } from './baselines.js';
import { checkFolds, planFolds, type BankFolds } from './cv-folds.js';
import { layoutFold, readBankRows, type BankRows } from './cv-layout.js';
import { cachedFold, crossValidationResult, foldScores, localScores, type CrossValidationResult, type CvFold } from './cv-results.js';
import { runFederation, type TrainerFactory } from './federation-run.js';
import { pipelineOf, testRecords } from './measure-run.js';
import { runMechanism, type RunMechanism } from './dp-composition.js';
import { configHash } from './scenario.js';
import type { SimulationData } from './sim-data.js';

/** How a cross-validation runs. */
export interface CrossValidationOptions {
  /** Number of folds (the plan's). */
  readonly k: number;
  /** The laid-out federation (banks' rows after the common test set was held out). */
  readonly data: SimulationData;
  readonly job: JobSpec;
  readonly seed: number;
  readonly transport: 'in-process' | 'grpc';
  readonly dropoutRate: number;
  /** Also train and score centralised and local-only models per fold. */
  readonly baselines: boolean;
  /** With DP: the ordinary run's mechanism (dp-composition.ts), composed with every fold's into `privacy`. */
  readonly runMechanism?: RunMechanism | null;
  /** Fold files go to `workDir/cv-fold-I` (removed after each fold unless keepWork). */
  readonly workDir: string;
  readonly keepWork?: boolean;
  /** Finished folds are stored as `cacheDir/<sha256 of cacheKey + k + fold>.json`. */
  readonly cacheDir: string;
  /** What identifies the run (configuration and content hashes of its inputs, as a sweep keys its cells). */
  readonly cacheKey: Readonly<Record<string, unknown>>;
  readonly trainers?: TrainerFactory;
  readonly onPhase?: (phase: string) => void;
  readonly onRound?: (round: number, total: number) => void;
  readonly signal?: AbortSignal;
  readonly logger?: Logger;
}

/** SHA-256 over the data file, then mapping, policy and schema file (a sweep's `contentHash`, same order). */
export function inputContentHash(dataFile: string, mappingFile: string | undefined, policyFile: string | undefined, schema: string): string {
  const h = createHash('sha256').update(readFileSync(dataFile));
  for (const f of [mappingFile, policyFile, schema.endsWith('.json') ? schema : undefined]) if (f) h.update(readFileSync(f));
  return h.digest('hex');
}

/** The cache file of one fold. */
export function foldCacheFile(o: Pick<CrossValidationOptions, 'cacheDir' | 'cacheKey' | 'k'>, fold: number): string {
  return join(o.cacheDir, `${configHash({ ...o.cacheKey, cv: o.k, fold })}.json`);
}

function readCachedFold(file: string): CvFold | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return cachedFold(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    return undefined; // a torn or foreign file: run the fold again
  }
}

/** The folds of a cross-validation, checked: what `runCrossValidation` runs. */
export interface CvPlan {
  readonly k: number;
  readonly rows: readonly BankRows[];
  readonly plans: readonly BankFolds[];
  readonly warnings: readonly string[];
}

/**
 * Reads the banks' rows and plans their folds (stream `SEED:cv:BANK`) before anything is trained.
 * @throws FedfinError('usage') when the folds cannot be built (a bank with fewer rows than K, a fold with one
 *   class across all banks), naming the bank or fold.
 */
export async function planCrossValidation(data: SimulationData, task: string, k: number, seed: number): Promise<CvPlan> {
  // Folds are of rows: a fraud bank's features come from each account's history (row folds would leak it across
  // folds) and a market's test set is its future, so both are refused rather than cross-validated wrongly.
  if (task !== 'credit-scoring') throw new FedfinError('usage', `--cv ${k}: k-fold cross-validation folds rows and is available for credit-scoring only; ${task === 'market-forecast' ? 'market-forecast is a time series (its holdout is each bank\'s last period)' : `${task} keeps each account's transactions together`}`);
  const rows = await readBankRows(data, task);
  const plans = planFolds(rows.map((r) => ({ bank: r.bank.memberId, labels: r.labels })), k, seed);
  const check = checkFolds(plans, k);
  if (check.refusals.length > 0) throw new FedfinError('usage', `--cv ${k}: ${check.refusals.join('; ')}. Use a smaller --cv, fewer banks or a milder --partition.`);
  return { k, rows, plans, warnings: check.warnings };
}

/**
 * Runs (or reads from the cache) every fold of `plan` and aggregates.
 * @throws Error when a fold's job commits no round; what runFederation throws.
 */
export async function runCrossValidation(o: CrossValidationOptions, plan: CvPlan): Promise<CrossValidationResult> {
  const { rows, plans } = plan;
  mkdirSync(o.cacheDir, { recursive: true });
  const folds: CvFold[] = [];
  let cached = 0;
  for (let f = 1; f <= o.k; f++) {
    const file = foldCacheFile(o, f);
    let fold = readCachedFold(file);
    o.onPhase?.(`cross-validation fold ${f}/${o.k}${fold ? ' (cached)' : `: federating ${rows.length} banks on their other ${o.k === 2 ? 'fold' : `${o.k - 1} folds`} for ${o.job.rounds} rounds`}`);
    if (fold) cached++;
    else {
      const dir = join(o.workDir, `cv-fold-${f}`);
      try {
        fold = await runFold(o, rows, plans, f, dir);
      } finally {
        if (!o.keepWork) rmSync(dir, { recursive: true, force: true });
      }
      writeFileAtomic(file, `${JSON.stringify(fold)}\n`);
    }
    folds.push(fold);
  }
  const banks = plans.map((p) => ({ bank: p.bank, rows: [...p.rows], positives: [...p.positives] }));
  const dp = o.job.privacy.mode === 'dp-sgd' && o.runMechanism ? { mechanism: o.runMechanism, delta: o.job.privacy.delta } : null;
  return crossValidationResult(o.k, folds, banks, cached, plan.warnings, dp);
}

/** One fold: the federation on the fold layout, its model on the common test set, and the fold's baselines. */
async function runFold(o: CrossValidationOptions, rows: readonly BankRows[], plans: readonly BankFolds[], fold: number, dir: string): Promise<CvFold> {
  const t0 = performance.now();
  const layout = layoutFold(o.data, rows, plans, fold - 1, dir);
  const outcome = await runFederation({ data: layout.data, job: o.job, seed: o.seed, transport: o.transport, holdoutFraction: 0.2, holdoutFractions: layout.holdoutFractions, dropoutRate: o.dropoutRate, trainers: o.trainers, onRound: o.onRound, signal: o.signal, logger: o.logger });
  const last = outcome.rounds.at(-1);
  if (!last) throw new Error(`cross-validation fold ${fold}: the federated job ${outcome.status} without committing a round${outcome.reason ? `: ${outcome.reason}` : ''}`);
  const m = last.metrics;
  const need = (key: string): number => {
    const v = m[key];
    if (v === undefined) throw new Error(`cross-validation fold ${fold}: the federated evaluation of round ${last.round} has no ${key} (metrics: ${Object.keys(m).join(', ') || 'none'})`);
    return v;
  };
  const test = await testRecords(o.data);
  const pipeline = pipelineOf(test.schema, o.job, outcome);
  const federatedTest = foldScores(await scoreModel(pipeline, outcome.checkpoints.at(-1)!, encodeRecords(pipeline.spec, test.records)));
  const splits: { train: readonly DesensitizedRecord[]; holdout: readonly DesensitizedRecord[] }[] = [];
  for (const b of layout.data.banks) {
    const d = await loadLocalData({ file: b.dataFile, schema: o.data.schemaRef, mappingFile: o.data.mappingFile, policyFile: b.policyFile, keyFile: b.keyFile, format: 'csv', maxRejectFraction: 0, holdoutFraction: layout.holdoutFractions[b.memberId]! }, silentLogger);
    splits.push(d);
  }
  const base = o.baselines ? await foldBaselines(o, pipeline, layout.data, splits, fold) : { centralized: null, localOnly: [] };
  const aucs = base.localOnly.flatMap((l) => (l.auc === null ? [] : [l.auc]));
  const eps = outcome.ledger.reduce((a, l) => Math.max(a, l.epsilonTotal), 0);
  return {
    fold,
    status: outcome.status,
    rounds: outcome.rounds.length,
    trainRows: splits.reduce((a, s) => a + s.train.length, 0),
    evalRows: splits.reduce((a, s) => a + s.holdout.length, 0),
    federated: { ...foldScores({ auc: need('auc'), ks: need('ks'), logLoss: need('logLoss'), brier: need('brier'), accuracy: need('accuracy') }), evalBanks: m['evalBanks'] ?? 0 },
    federatedEval: Object.fromEntries(Object.entries(m).map(([key, v]) => [key, Math.round(v * 100_000) / 100_000])),
    federatedTest,
    ...base,
    localOnlyMeanAuc: aucs.length > 0 ? Math.round((aucs.reduce((a, b) => a + b, 0) / aucs.length) * 100_000) / 100_000 : null,
    epsilon: o.job.privacy.mode === 'dp-sgd' ? Math.round(eps * 100_000) / 100_000 : null,
    mechanism: o.job.privacy.mode === 'dp-sgd' ? (runMechanism(outcome.ledger) as CvFold['mechanism']) : null,
    wallTimeMs: Math.round(performance.now() - t0),
  };
}

/** Centralised (all banks' K−1 folds pooled, scored on all banks' fold pooled) and each bank alone on its own fold. */
async function foldBaselines(o: CrossValidationOptions, pipeline: JobPipeline, data: SimulationData, splits: readonly { train: readonly DesensitizedRecord[]; holdout: readonly DesensitizedRecord[] }[], fold: number): Promise<Pick<CvFold, 'centralized' | 'localOnly'>> {
  const train = async (name: string, records: readonly DesensitizedRecord[]) => {
    o.onPhase?.(`cross-validation fold ${fold}/${o.k}: baseline ${name}`);
    return trainBaseline(pipeline, encodeRecords(pipeline.spec, records), o.job, seededRandom(`${o.seed}:baseline:cv-${fold}:${name}:noise`), seededRandom(`${o.seed}:baseline:cv-${fold}:${name}:init`));
  };
  const pooledEval = splits.flatMap((s) => s.holdout);
  const c = await train('centralized', splits.flatMap((s) => s.train));
  const centralized = { ...foldScores(await scoreModel(pipeline, c.weights, encodeRecords(pipeline.spec, pooledEval))), trainRows: c.rows, evalRows: pooledEval.length, epsilon: Math.round(c.epsilon * 100_000) / 100_000 };
  const localOnly: CvFold['localOnly'][number][] = [];
  for (const [i, b] of data.banks.entries()) {
    const s = splits[i]!;
    const l = await train(b.memberId, s.train);
    localOnly.push({ bank: b.memberId, ...localScores(await scoreModel(pipeline, l.weights, encodeRecords(pipeline.spec, s.holdout))), trainRows: l.rows, evalRows: s.holdout.length, epsilon: Math.round(l.epsilon * 100_000) / 100_000 });
  }
  return { centralized, localOnly };
}
