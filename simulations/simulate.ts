/** `fedfin simulate` on a CSV: lay out the banks, run the federation, measure it against the baselines, write results.json and report.md. */
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeFileAtomic } from '../common/atomic-file.js';
import { FedfinError } from '../common/errors.js';
import type { Logger } from '../common/log.js';
import { inputContentHash, planCrossValidation, runCrossValidation } from './cross-validation.js';
import { runFederation, simulationJob, type TrainerFactory } from './federation-run.js';
import { measureRun } from './measure-run.js';
import { formatPartitionSpec, type PartitionSpec } from './partition.js';
import { renderRunReport } from './report.js';
import { runResult, type RunConfig, type RunResult } from './results.js';
import { prepareSimulationData } from './sim-data.js';
import { simTask } from './sim-tasks.js';

/** Everything one simulated run needs. */
export interface SimulateOptions {
  readonly dataFile: string;
  readonly schema: string;
  readonly mappingFile?: string;
  readonly policyFile?: string;
  readonly task: string;
  readonly banks: number;
  readonly partition: PartitionSpec;
  readonly testFraction: number;
  readonly holdoutFraction: number;
  readonly seed: number;
  readonly maxReject: number;
  readonly minRowsPerBank: number;
  readonly transport: 'in-process' | 'grpc';
  /** Job spec keys over the simulation defaults (rounds, model, strategy, privacy …). */
  readonly job: Record<string, unknown>;
  readonly dropoutRate: number;
  readonly baselines: boolean;
  /** Where results.json, report.md and the charts go; bank files go to OUT/work (removed unless keepWork). */
  readonly outDir: string;
  readonly keepWork?: boolean;
  /** Write report.md (and its charts) next to results.json. @default true */
  readonly report?: boolean;
  readonly trainers?: TrainerFactory;
  /** Federated k-fold cross-validation after the run (simulations/cross-validation.ts); off when undefined. */
  readonly cv?: number;
  /** Where finished cross-validation folds are cached. @default OUT/cache */
  readonly cacheDir?: string;
  readonly onPhase?: (phase: string) => void;
  readonly onRound?: (round: number, total: number) => void;
  readonly onWarning?: (text: string) => void;
  readonly signal?: AbortSignal;
  readonly logger?: Logger;
}

/** The configuration record of a run (what results.json repeats and sweeps hash). */
export function runConfig(o: SimulateOptions): RunConfig {
  return {
    data: resolve(o.dataFile),
    schema: o.schema,
    mapping: o.mappingFile === undefined ? null : resolve(o.mappingFile),
    task: o.task,
    banks: o.banks,
    partition: formatPartitionSpec(o.partition),
    testFraction: o.testFraction,
    holdoutFraction: o.holdoutFraction,
    seed: o.seed,
    transport: o.transport,
    dropoutRate: o.dropoutRate,
    job: o.job,
  };
}

/**
 * Runs one simulation end to end and writes `OUT/results.json` and `OUT/report.md` atomically.
 * @throws DataRejectedError / FedfinError from the data layout (nothing is written then), or when the job fails to start.
 */
export async function simulate(o: SimulateOptions): Promise<RunResult> {
  const t0 = performance.now();
  const workDir = join(o.outDir, 'work');
  o.onPhase?.('reading and partitioning the data');
  rmSync(workDir, { recursive: true, force: true });
  try {
    const data = await prepareSimulationData({ dataFile: o.dataFile, schema: o.schema, mappingFile: o.mappingFile, policyFile: o.policyFile, task: o.task, banks: o.banks, partition: o.partition, testFraction: o.testFraction, seed: o.seed, maxReject: o.maxReject, minRowsPerBank: o.minRowsPerBank, workDir });
    for (const w of data.warnings) o.onWarning?.(w);
    // Folds are planned and checked before anything trains, so a refusal comes first.
    const cvPlan = o.cv === undefined ? undefined : await planCrossValidation(data, o.task, o.cv, o.seed);
    for (const w of cvPlan?.warnings ?? []) o.onWarning?.(w);
    const job = simulationJob(taskJobKeys(o.task, o.job, o.testFraction), data, o.task);
    o.onPhase?.(`federating ${data.banks.length} banks for ${job.rounds} rounds (${o.transport})`);
    const outcome = await runFederation({ data, job, seed: o.seed, transport: o.transport, holdoutFraction: o.holdoutFraction, dropoutRate: o.dropoutRate, trainers: o.trainers, onRound: o.onRound, signal: o.signal, logger: o.logger });
    if (outcome.rounds.length === 0) throw new Error(`the federated job ${outcome.status} without committing a round${outcome.reason ? `: ${outcome.reason}` : ''}`);
    o.onPhase?.(o.baselines ? 'measuring on the common test set and training the baselines' : 'measuring on the common test set');
    const m = await measureRun(data, job, outcome, o.holdoutFraction, o.seed, o.baselines, (name) => o.onPhase?.(`baseline: ${name}`));
    let result = runResult(runConfig(o), data, job, outcome, m, performance.now() - t0);
    if (cvPlan) {
      const { data: _d, mapping: _m, ...portable } = runConfig(o);
      const cacheKey = { ...portable, contentHash: inputContentHash(o.dataFile, o.mappingFile, o.policyFile, o.schema), baselines: o.baselines };
      const crossValidation = await runCrossValidation({ k: cvPlan.k, data, job, seed: o.seed, transport: o.transport, dropoutRate: o.dropoutRate, baselines: o.baselines, workDir, keepWork: o.keepWork, cacheDir: o.cacheDir ?? join(o.outDir, 'cache'), cacheKey, trainers: o.trainers, onPhase: o.onPhase, onRound: o.onRound, signal: o.signal, logger: o.logger }, cvPlan);
      result = { ...result, crossValidation, wallTimeMs: Math.round(performance.now() - t0) };
    }
    mkdirSync(o.outDir, { recursive: true });
    writeFileAtomic(join(o.outDir, 'results.json'), `${JSON.stringify(result, null, 2)}\n`);
    if (o.report ?? true) await renderRunReport(result, o.outDir);
    return result;
  } finally {
    if (!o.keepWork) rmSync(workDir, { recursive: true, force: true });
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The user's job keys over the task's simulation defaults (`fraud` and `forecast` merged key by key).
 * market-forecast: `--test-fraction` is the holdout period's share (`forecast.holdoutFraction`).
 * @throws FedfinError('usage') when a job file sets `forecast.holdoutFraction` other than `--test-fraction`.
 */
export function taskJobKeys(task: string, job: Readonly<Record<string, unknown>>, testFraction: number): Record<string, unknown> {
  const defaults = simTask(task).jobDefaults(testFraction);
  const out: Record<string, unknown> = { ...defaults, ...job };
  for (const k of ['fraud', 'forecast']) if (isObject(defaults[k]) && isObject(job[k])) out[k] = { ...defaults[k], ...job[k] };
  const given = isObject(job['forecast']) ? job['forecast']['holdoutFraction'] : undefined;
  if (task === 'market-forecast' && given !== undefined && given !== testFraction) {
    throw new FedfinError('usage', `market-forecast: the job sets forecast.holdoutFraction ${JSON.stringify(given)} but --test-fraction is ${testFraction}; in simulate they are one setting (each bank's holdout period), give it once with --test-fraction`);
  }
  return out;
}
