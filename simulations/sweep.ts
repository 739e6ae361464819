/**
 * Runs a scenario's cells (grid × seeds), each a full `simulate` run, caching every finished run under
 * OUT/cache/<configuration hash>.json so an interrupted sweep resumes where it stopped; then aggregates
 * mean ± std over seeds per variant.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../common/atomic-file.js';
import type { Logger } from '../common/log.js';
import { simulationJobFor, type TrainerFactory } from './federation-run.js';
import { parsePartitionSpec } from './partition.js';
import { RunResultSchema, type RunResult } from './results.js';
import { configHash, expandScenario, type Scenario, type ScenarioCell } from './scenario.js';
import { assertTaskAvailable } from './sim-data.js';
import { runConfig, simulate, type SimulateOptions } from './simulate.js';
import { synthesize } from './synth/index.js';
import { synthesizePooled } from './synth-pool.js';

/** How a sweep runs. */
export interface SweepOptions {
  readonly scenario: Scenario;
  readonly outDir: string;
  readonly transport: 'in-process' | 'grpc';
  readonly trainers?: (seed: number) => TrainerFactory;
  /** `--cv K`: every run also cross-validates (folds cached in OUT/cache next to the runs). */
  readonly cv?: number;
  readonly onCell?: (index: number, total: number, cell: ScenarioCell, cached: boolean) => void;
  readonly onRound?: (round: number, total: number) => void;
  /** Progress of a run's phases (with `cv`: one line per fold). */
  readonly onPhase?: (phase: string) => void;
  readonly signal?: AbortSignal;
  readonly logger?: Logger;
}

/** Mean and sample standard deviation over seeds. */
export interface MeanStd {
  readonly mean: number;
  readonly std: number;
  readonly n: number;
}

/** One variant (grid point) aggregated over its seeds. */
export interface VariantSummary {
  readonly variant: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly seeds: readonly number[];
  /** The task's headline metric key (auc, prAuc, directionalAccuracy). */
  readonly headline: string;
  /** Every metric all the variant's runs report (auc, ks, logLoss …; market: rmse, directionalAccuracy …). */
  readonly federated: Readonly<Record<string, MeanStd>>;
  readonly centralizedAuc: MeanStd | null;
  readonly localOnlyMeanAuc: MeanStd | null;
  readonly centralizedHeadline: MeanStd | null;
  readonly localOnlyMeanHeadline: MeanStd | null;
  readonly epsilon: MeanStd | null;
  /** Test AUC per round, mean ± std over seeds (empty for a task without AUC). */
  readonly aucByRound: readonly (MeanStd & { readonly round: number })[];
  /** The headline metric per round, mean ± std over seeds. */
  readonly headlineByRound: readonly (MeanStd & { readonly round: number })[];
}

/** `OUT/results.json` of a sweep. */
export interface SweepResult {
  readonly kind: 'fedfin-simulation-sweep';
  readonly version: 1;
  readonly scenario: Scenario;
  readonly variants: readonly VariantSummary[];
  readonly runs: readonly (RunResult & { readonly variant: string; readonly params: Readonly<Record<string, unknown>> })[];
  readonly cachedRuns: number;
  readonly wallTimeMs: number;
}

/** Mean ± sample std. */
export function meanStd(xs: readonly number[]): MeanStd {
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / Math.max(1, n);
  const std = n > 1 ? Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : 0;
  return { mean, std, n };
}

/** Where a scenario's data comes from: its file, or synthesised once into OUT/data (also used by `simulate tune`). */
export async function scenarioData(s: Pick<Scenario, 'data'>, outDir: string): Promise<{ file: string; schema: string; mapping?: string; policy?: string; contentHash: string }> {
  let d: { file: string; schema: string; mapping?: string; policy?: string };
  if ('file' in s.data) d = { file: s.data.file, schema: s.data.schema, ...(s.data.mapping ? { mapping: s.data.mapping } : {}), ...(s.data.policy ? { policy: s.data.policy } : {}) };
  else {
    const dir = join(outDir, 'data');
    const { schema, rows, seed, skew, banks } = s.data.synth;
    if (banks > 1) {
      // Several generated banks pooled into one canonical CSV (market: a generated bank has only 5–10 symbols).
      mkdirSync(dir, { recursive: true });
      const file = join(dir, 'pooled.csv');
      if (!existsSync(file)) await synthesizePooled({ schema, banks, rows, seed, skew }, file);
      d = { file, schema };
    } else {
      if (!existsSync(join(dir, 'bank-1.csv'))) await synthesize({ schema, banks: 1, rows, seed, skew, outDir: dir });
      d = { file: join(dir, 'bank-1.csv'), schema, mapping: join(dir, 'bank-1.mapping.json') };
    }
  }
  const h = createHash('sha256').update(readFileSync(d.file));
  for (const f of [d.mapping, d.policy, d.schema.endsWith('.json') ? d.schema : undefined]) if (f) h.update(readFileSync(f));
  return { ...d, contentHash: h.digest('hex') };
}

/** The simulate options of one cell. */
function cellOptions(s: Scenario, cell: ScenarioCell, data: { file: string; schema: string; mapping?: string; policy?: string }, o: SweepOptions): SimulateOptions {
  return {
    dataFile: data.file,
    schema: data.schema,
    mappingFile: data.mapping,
    policyFile: data.policy,
    task: s.task,
    banks: cell.banks,
    partition: parsePartitionSpec(cell.partition),
    testFraction: s.split.testFraction,
    holdoutFraction: s.split.holdoutFraction,
    seed: cell.seed,
    maxReject: 0,
    minRowsPerBank: s.split.minRows,
    transport: o.transport,
    job: cell.job,
    dropoutRate: cell.dropoutRate,
    baselines: s.baselines,
    outDir: join(o.outDir, 'runs', `${cell.variant.replace(/[^A-Za-z0-9.=,-]+/g, '_').slice(0, 80)}--seed-${cell.seed}`),
    report: false,
    trainers: o.trainers?.(cell.seed),
    ...(o.cv !== undefined ? { cv: o.cv, cacheDir: join(o.outDir, 'cache'), onPhase: (p: string) => void (p.startsWith('cross-validation fold') && !p.includes('baseline') && o.onPhase?.(p)) } : {}),
    onRound: o.onRound,
    signal: o.signal,
    logger: o.logger,
  };
}

/**
 * Runs every cell not in the cache, in order, and aggregates. A run is cached (atomically) as soon as it
 * ends, keyed by the hash of its configuration and the data's content, so a rerun after an interruption
 * only runs what is missing.
 * @throws FedfinError('usage') when the scenario's task is not available in this build.
 */
export async function runSweep(o: SweepOptions): Promise<SweepResult> {
  const t0 = performance.now();
  const s = o.scenario;
  assertTaskAvailable(s.task);
  const cells = expandScenario(s);
  const data = await scenarioData(s, o.outDir);
  // Every cell's job spec is checked before the first run: a bad grid value fails now, not hours in.
  for (const cell of cells) simulationJobFor(cell.job, { banks: cell.banks, schemaRef: data.schema }, s.task, `scenario ${s.name}, variant "${cell.variant}"`);
  const cacheDir = join(o.outDir, 'cache');
  mkdirSync(cacheDir, { recursive: true });
  const runs: SweepResult['runs'][number][] = [];
  let cached = 0;
  for (const [i, cell] of cells.entries()) {
    const opts = cellOptions(s, cell, data, o);
    const { data: _path, mapping: _m, ...portable } = runConfig(opts);
    const key = configHash({ ...portable, contentHash: data.contentHash, baselines: s.baselines, ...(o.cv !== undefined ? { cv: o.cv } : {}) });
    const file = join(cacheDir, `${key}.json`);
    let result: RunResult | undefined;
    if (existsSync(file)) {
      const parsed = RunResultSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
      if (parsed.success) result = parsed.data;
    }
    o.onCell?.(i, cells.length, cell, result !== undefined);
    if (result) cached++;
    else {
      result = await simulate(opts);
      writeFileAtomic(file, `${JSON.stringify(result)}\n`);
    }
    runs.push({ ...result, variant: cell.variant, params: cell.params });
  }
  const variants: VariantSummary[] = [];
  for (const name of [...new Set(runs.map((r) => r.variant))]) {
    const rs = runs.filter((r) => r.variant === name);
    const rounds = Math.max(...rs.map((r) => r.perRound.length));
    const some = <T>(xs: (T | null)[]): T[] | null => (xs.every((x) => x !== null) ? (xs as T[]) : null);
    const head = rs[0]!.headline;
    const cen = some(rs.map((r) => r.centralized?.['auc'] ?? null));
    const loc = some(rs.map((r) => r.localOnlyMeanAuc));
    const cenHead = some(rs.map((r) => r.centralized?.[head] ?? null));
    const locHead = some(rs.map((r) => r.localOnlyMeanHeadline));
    const eps = some(rs.map((r) => r.privacy?.epsilon ?? null));
    const keys = Object.keys(rs[0]!.federated).filter((k) => rs.every((r) => r.federated[k] !== undefined));
    const byRound = (key: string) => Array.from({ length: rounds }, (_, k) => ({ round: k + 1, ...meanStd(rs.flatMap((r) => (r.perRound[k]?.test[key] !== undefined ? [r.perRound[k].test[key]] : []))) })).filter((p) => p.n > 0);
    variants.push({
      variant: name,
      params: rs[0]!.params,
      seeds: rs.map((r) => r.config.seed),
      headline: head,
      federated: Object.fromEntries(keys.map((k) => [k, meanStd(rs.map((r) => r.federated[k]!))])),
      centralizedAuc: cen ? meanStd(cen) : null,
      localOnlyMeanAuc: loc ? meanStd(loc) : null,
      centralizedHeadline: cenHead ? meanStd(cenHead) : null,
      localOnlyMeanHeadline: locHead ? meanStd(locHead) : null,
      epsilon: eps ? meanStd(eps) : null,
      aucByRound: byRound('auc'),
      headlineByRound: byRound(head),
    });
  }
  return { kind: 'fedfin-simulation-sweep', version: 1, scenario: s, variants, runs, cachedRuns: cached, wallTimeMs: Math.round(performance.now() - t0) };
}

/**
 * A rough wall-time estimate of a scenario on this machine before it runs: per cell, rounds × (banks ×
 * per-bank overhead + training row-epochs × cost per row-epoch), ×2 with baselines. Calibrated on the
 * German credit runs (see docs/simulation.md); meant to catch grids that would take days, not to be exact.
 */
export function estimateSweepSeconds(s: Scenario, rowsTotal: number): number {
  return expandScenario(s).reduce((sum, c) => {
    const rounds = Number(c.job['rounds'] ?? 10);
    const epochs = Number(c.job['localEpochs'] ?? 2);
    const trainRows = rowsTotal * (1 - s.split.testFraction) * (1 - s.split.holdoutFraction);
    const perRound = c.banks * 0.03 + trainRows * epochs * 15e-6;
    return sum + 5 + rounds * perRound * (s.baselines ? 2 : 1);
  }, 0);
}
