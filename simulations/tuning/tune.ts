/**
 * Runs a hyperparameter search (`fedfin simulate tune`): trial after trial, each a federation scored on the banks'
 * own holdouts, cached by configuration hash so an interrupted search resumes; then the best configuration once on
 * the common test set, and the privacy cost of the whole search composed over every trial.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../common/atomic-file.js';
import { ConfigError, FedfinError } from '../../common/errors.js';
import type { Logger } from '../../common/log.js';
import { RandomReader } from '../../common/random.js';
import { seededRandom } from '../../common/seeded-random.js';
import { simulationJob, type TrainerFactory } from '../federation-run.js';
import { parsePartitionSpec } from '../partition.js';
import { renderRunReport } from '../report.js';
import { RunResultSchema, type RunResult } from '../results.js';
import { configHash } from '../scenario.js';
import { assertTaskAvailable, type SimulationData } from '../sim-data.js';
import { runConfig, simulate, type SimulateOptions } from '../simulate.js';
import { scenarioData } from '../sweep.js';
import { lossOf, proposeTrial, trialCount } from './proposer.js';
import { applyParams, gridPoints, sampleSpace, type Params } from './search-space.js';
import type { Observation } from './tpe.js';
import { TrialRunSchema, runTrial, type TrialRun } from './trial.js';
import { composeTrials, type TrialMechanism } from './tuning-privacy.js';
import type { TuneResult, TuneTrial } from './tune-result.js';
import { baseJob, directionOf, type TuneSpec } from './tune-spec.js';

/** How a search runs. */
export interface TuneOptions {
  readonly spec: TuneSpec;
  readonly outDir: string;
  readonly transport: 'in-process' | 'grpc';
  readonly trainers?: (seed: number) => TrainerFactory;
  readonly onTrial?: (index: number, total: number, params: Params, cached: boolean) => void;
  readonly onPhase?: (phase: string) => void;
  readonly onRound?: (round: number, total: number) => void;
  readonly signal?: AbortSignal;
  readonly logger?: Logger;
}

type Data = Awaited<ReturnType<typeof scenarioData>>;

function runOptions(s: TuneSpec, data: Data, job: Record<string, unknown>, outDir: string, baselines: boolean, o: TuneOptions): SimulateOptions {
  return { dataFile: data.file, schema: data.schema, mappingFile: data.mapping, policyFile: data.policy, task: s.task, banks: s.split.banks, partition: parsePartitionSpec(s.split.partition), testFraction: s.split.testFraction, holdoutFraction: s.split.holdoutFraction, seed: s.seed, maxReject: 0, minRowsPerBank: s.split.minRows, transport: o.transport, job, dropoutRate: 0, baselines, outDir, report: true, trainers: o.trainers?.(s.seed), onRound: o.onRound, signal: o.signal, logger: o.logger };
}

/** The cache key of a run: its configuration without local paths, plus the data's content hash. */
function cacheKey(kind: string, opts: SimulateOptions, contentHash: string, extra: Record<string, unknown> = {}): string {
  const { data: _d, mapping: _m, ...portable } = runConfig(opts);
  return configHash({ ...(kind === 'run' ? {} : { kind }), ...portable, contentHash, ...extra });
}

function readCache<T>(file: string, parse: (v: unknown) => { success: true; data: T } | { success: false }): T | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const r = parse(JSON.parse(readFileSync(file, 'utf8')));
    return r.success ? r.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Refuses a space whose points make invalid jobs before any trial runs: the low and high corners, every choice, and
 * a few random points go through the same job-spec validation a trial would.
 * @throws FedfinError('usage') naming the parameters and the job-spec issue.
 */
export function preflightSpace(s: TuneSpec): void {
  const fake = { banks: Array.from({ length: s.split.banks }), schemaRef: 'file' in s.data ? s.data.schema : s.data.synth.schema } as unknown as SimulationData;
  const space = s.search.space;
  const corner = (pick: 0 | 1): Params => Object.fromEntries(Object.entries(space).map(([k, d]) => [k, d.choice ? d.choice[0] : (d.int ?? d.uniform ?? d.logUniform)![pick]]));
  const points = [corner(0), corner(1), ...Object.entries(space).flatMap(([k, d]) => (d.choice ?? []).map((v) => ({ ...corner(0), [k]: v }))), ...Array.from({ length: 8 }, (_, i) => sampleSpace(space, new RandomReader(seededRandom(`${s.seed}:tune:preflight:${i}`))))];
  if (s.search.method === 'grid') points.push(...gridPoints(space).slice(0, 200));
  for (const p of points) {
    const { job, active } = applyParams(baseJob(s), p, space);
    try {
      simulationJob(job, fake, s.task);
    } catch (err) {
      const what = err instanceof ConfigError ? err.message.replace(/^simulation job spec: /, '') : (err as Error).message;
      throw new FedfinError('usage', `tune spec ${s.name}: the point {${Object.entries(active).map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join(', ')}} makes an invalid job: ${what}`);
    }
  }
}

/** Runs the search and the final test-set run; writes nothing but the cache and OUT/best (the caller writes tune.json). */
export async function runTune(o: TuneOptions): Promise<TuneResult> {
  const t0 = performance.now();
  const s = o.spec;
  assertTaskAvailable(s.task);
  preflightSpace(s);
  const data = await scenarioData(s, o.outDir);
  const cacheDir = join(o.outDir, 'cache');
  mkdirSync(cacheDir, { recursive: true });
  const direction = directionOf(s);
  const metric = s.search.metric;
  const n = trialCount(s.search);
  const trials: TuneTrial[] = [];
  const runs = new Map<string, TrialRun>();
  const history: Observation[] = [];
  const warnings: string[] = [];
  for (let i = 0; i < n; i++) {
    const params = proposeTrial(s.search, i, history, s.seed);
    const { job, active } = applyParams(baseJob(s), params, s.search.space);
    const opts = runOptions(s, data, job, o.outDir, false, o);
    const key = cacheKey('fedfin-tune-trial', opts, data.contentHash);
    const file = join(cacheDir, `${key}.json`);
    let run = runs.get(key) ?? readCache(file, (v) => TrialRunSchema.safeParse(v));
    const cached = run !== undefined;
    o.onTrial?.(i, n, active, cached);
    if (!run) {
      run = await runTrial(opts);
      writeFileAtomic(file, `${JSON.stringify(run)}\n`);
    }
    runs.set(key, run);
    const value = run.status === 'completed' && Number.isFinite(run.validation[metric]) ? run.validation[metric]! : null;
    if (value === null) warnings.push(`trial ${i + 1} (${JSON.stringify(active)}) ${run.status === 'completed' ? `has no validation ${metric}` : `${run.status}: ${run.reason}`}`);
    trials.push({ index: i + 1, params: active, status: run.status, reason: run.reason, rounds: run.rounds, validation: value, validationMetrics: run.validation, epsilon: run.epsilon, cached, key, wallTimeMs: run.wallTimeMs });
    history.push({ params: active, loss: lossOf(value, direction) });
  }

  const scored = trials.filter((t) => t.validation !== null);
  const bestTrial = scored.reduce<TuneTrial | undefined>((b, t) => (!b || (direction === 'max' ? t.validation! > b.validation! : t.validation! < b.validation!) ? t : b), undefined);
  let best: TuneResult['best'] = null;
  let test: TuneResult['test'] = null;
  let finalMechanism: TrialMechanism | undefined;
  if (bestTrial) {
    const bestRun = runs.get(bestTrial.key)!;
    best = { index: bestTrial.index, params: bestTrial.params, validation: bestTrial.validation!, job: bestRun.job };
    o.onPhase?.(`best: trial ${bestTrial.index}; running it once on the common test set${s.baselines ? ' with the baselines' : ''}`);
    const opts = runOptions(s, data, bestRun.job, join(o.outDir, 'best'), s.baselines, o);
    const file = join(cacheDir, `${cacheKey('run', opts, data.contentHash, { baselines: s.baselines })}.json`);
    let result: RunResult | undefined = readCache(file, (v) => RunResultSchema.safeParse(v));
    if (result) {
      mkdirSync(opts.outDir, { recursive: true });
      writeFileAtomic(join(opts.outDir, 'results.json'), `${JSON.stringify(result, null, 2)}\n`);
      await renderRunReport(result, opts.outDir);
    } else {
      result = await simulate(opts);
      writeFileAtomic(file, `${JSON.stringify(result)}\n`);
    }
    const last = result.perRound.at(-1)?.federatedEval ?? {};
    const reproduced = result.rounds === bestRun.rounds && Object.entries(bestRun.validation).every(([k, v]) => Math.abs((last[k] ?? NaN) - v) <= 1e-9);
    if (!reproduced) {
      warnings.push(`the final run did not repeat trial ${bestTrial.index} exactly (validation ${metric} ${last[metric]} vs ${bestTrial.validation}); its training is composed as one more trial`);
      finalMechanism = bestRun.mechanism; // same configuration: the same mechanism once more
    }
    test = { federated: result.federated, centralizedAuc: result.centralized?.auc ?? null, localOnlyMeanAuc: result.localOnlyMeanAuc, testRows: result.testRows, results: 'best/results.json', reproduced };
  } else warnings.push(`no trial produced a validation ${metric}: nothing selected`);

  const dpRuns = [...runs.values()].filter((r) => r.delta !== null);
  if (new Set(dpRuns.map((r) => r.delta)).size > 1) throw new FedfinError('usage', `tune spec ${s.name}: trials ran at different δ; the tuning total needs one δ (do not search privacy.delta)`);
  const privacy: TuneResult['privacy'] =
    dpRuns.length === 0
      ? null
      : {
          tuning: composeTrials([...dpRuns.map((r) => r.mechanism), ...(finalMechanism ? [finalMechanism] : [])], dpRuns[0]!.delta!),
          maxTrialEpsilon: Math.max(...dpRuns.map((r) => r.epsilon ?? 0)),
          accountant: 'rdp',
          unit: 'record',
        };
  return {
    kind: 'fedfin-simulation-tune',
    version: 1,
    name: s.name,
    search: { method: s.search.method, metric, direction, trials: n, seed: s.seed },
    trials,
    best,
    test,
    privacy,
    cachedTrials: trials.filter((t) => t.cached).length,
    warnings,
    wallTimeMs: Math.round(performance.now() - t0),
  };
}
