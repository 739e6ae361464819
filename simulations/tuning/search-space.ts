/**
 * The search space of `fedfin simulate tune`: one dimension per job parameter (`int`, `uniform`, `logUniform`,
 * `choice`), the `search` block's zod schema, the grid's points, uniform sampling, and how a point becomes job keys.
 */
import { z } from 'zod';
import { RandomReader } from '../../common/random.js';
import { canonicalJson } from '../../schema/encoding.js';

const Bounds = z.tuple([z.number(), z.number()]);
const ChoiceValue = z.union([z.number(), z.string(), z.boolean(), z.null(), z.array(z.unknown()), z.record(z.string(), z.unknown())]);

/**
 * One dimension: exactly one of `int: [lo, hi]` (inclusive), `uniform: [lo, hi]`, `logUniform: [lo, hi]`
 * (lo > 0, sampled uniformly in log space) or `choice: [v1, v2, …]` (any JSON values). `steps` sets the
 * number of grid points of a `uniform`/`logUniform` dimension (default 3, both ends included).
 */
export const DimensionSchema = z
  .object({ int: Bounds, uniform: Bounds, logUniform: Bounds, choice: z.array(ChoiceValue).min(1).max(1000), steps: z.number().int().min(2).max(100) })
  .partial()
  .strict()
  .superRefine((d, ctx) => {
    const kinds = (['int', 'uniform', 'logUniform', 'choice'] as const).filter((k) => d[k] !== undefined);
    if (kinds.length !== 1) return void ctx.addIssue({ code: 'custom', message: `expected exactly one of int, uniform, logUniform, choice (got ${kinds.length === 0 ? 'none' : kinds.join(', ')})` });
    const kind = kinds[0]!;
    if (d.steps !== undefined && kind !== 'uniform' && kind !== 'logUniform') ctx.addIssue({ code: 'custom', path: ['steps'], message: 'steps applies to uniform and logUniform only' });
    if (kind === 'choice') return;
    const [lo, hi] = d[kind]!;
    if (!(lo < hi)) ctx.addIssue({ code: 'custom', path: [kind], message: `expected [low, high] with low < high, got [${lo}, ${hi}]` });
    if (kind === 'int' && !(Number.isInteger(lo) && Number.isInteger(hi))) ctx.addIssue({ code: 'custom', path: [kind], message: 'int bounds must be integers' });
    if (kind === 'logUniform' && !(lo > 0)) ctx.addIssue({ code: 'custom', path: [kind], message: `logUniform needs low > 0, got ${lo}` });
  });
export type Dimension = z.output<typeof DimensionSchema>;

/** Federated validation metrics a search can optimise (pooled over the banks' holdouts), and their natural direction. */
export const TUNE_METRICS = { auc: 'max', ks: 'max', gini: 'max', prAuc: 'max', accuracy: 'max', logLoss: 'min', brier: 'min', ece: 'min' } as const;
export type TuneMetric = keyof typeof TUNE_METRICS;

/** Keys a search may not vary: they change the banks' validation sets (so trials would not be comparable) or the task itself. */
export const FORBIDDEN_KEYS = ['banks', 'partition', 'dropoutRate', 'epsilon', 'seed', 'task', 'schema', 'name'];

/** The `search` block of a tune file. */
export const SearchSpecSchema = z
  .object({
    method: z.enum(['grid', 'random', 'tpe']),
    /** Trials to run (random, tpe); for grid, omitted or at least the grid's size. */
    trials: z.number().int().min(1).max(10_000).optional(),
    metric: z.enum(Object.keys(TUNE_METRICS) as [TuneMetric, ...TuneMetric[]]).default('auc'),
    /** Defaults to the metric's natural direction (max for AUC, min for log-loss …). */
    direction: z.enum(['max', 'min']).optional(),
    /** Dotted job-spec paths → dimension. */
    space: z.record(z.string().min(1), DimensionSchema).refine((s) => Object.keys(s).length > 0, 'expected at least one dimension'),
    /** TPE: share of the observations taken as "good" (l(x)). */
    gamma: z.number().gt(0).lt(1).default(0.25),
    /** TPE: random trials before the model is used. Default max(2, min(10, ⌊trials / 3⌋)). */
    startupTrials: z.number().int().min(1).optional(),
    /** TPE: candidates drawn from l(x) per proposal. */
    candidates: z.number().int().min(1).max(10_000).default(24),
  })
  .strict()
  .superRefine((s, ctx) => {
    for (const key of Object.keys(s.space)) {
      if (key === 'privacy' || key === 'privacy.mode' || key === 'privacy.delta') ctx.addIssue({ code: 'custom', path: ['space', key], message: `"${key}" cannot be searched: every trial needs the same DP mode and δ for the search's ε to be one number (search privacy.targetEpsilon, privacy.clippingNorm or privacy.noiseMultiplier instead)` });
      if (FORBIDDEN_KEYS.includes(key.split('.')[0]!)) ctx.addIssue({ code: 'custom', path: ['space', key], message: `"${key}" cannot be searched (it changes the validation sets or the task); searchable: job keys such as learningRate, localEpochs, batchSize, rounds, strategy, model.hidden` });
    }
    if (s.method !== 'grid' && s.trials === undefined) ctx.addIssue({ code: 'custom', path: ['trials'], message: `required for method ${s.method}` });
    if (s.method === 'grid') {
      const size = gridSize(s.space);
      if (size > 10_000) ctx.addIssue({ code: 'custom', path: ['space'], message: `the grid has ${size} points (at most 10000): use fewer values or method random/tpe` });
      else if (s.trials !== undefined && s.trials < size) ctx.addIssue({ code: 'custom', path: ['trials'], message: `the grid has ${size} points; trials ${s.trials} would leave part of it out (omit trials, or use method random/tpe)` });
    }
  });
export type SearchSpec = z.output<typeof SearchSpecSchema>;

/** A point of the space: dimension name → value. */
export type Params = Record<string, unknown>;

/** The values of one dimension on the grid. */
export function gridValues(d: Dimension): unknown[] {
  if (d.choice) return d.choice;
  if (d.int) return Array.from({ length: d.int[1] - d.int[0] + 1 }, (_, i) => d.int![0] + i);
  const n = d.steps ?? 3;
  const [lo, hi] = (d.uniform ?? d.logUniform)!;
  const at = (t: number): number => (d.uniform ? lo + t * (hi - lo) : Math.exp(Math.log(lo) + t * (Math.log(hi) - Math.log(lo))));
  return Array.from({ length: n }, (_, i) => Number(at(i / (n - 1)).toPrecision(12)));
}

/** Every grid point, in order (the last dimension varies fastest). */
export function gridPoints(space: Readonly<Record<string, Dimension>>): Params[] {
  let points: Params[] = [{}];
  for (const [key, d] of Object.entries(space)) points = points.flatMap((p) => gridValues(d).map((v) => ({ ...p, [key]: v })));
  return points;
}

/** The size of the grid without building it. */
export function gridSize(space: Readonly<Record<string, Dimension>>): number {
  return Object.values(space).reduce((n, d) => n * gridValues(d).length, 1);
}

/** A uniform draw of one dimension (log-uniform for logUniform; every integer equally likely for int). */
export function sampleDimension(d: Dimension, rng: RandomReader): unknown {
  if (d.choice) return d.choice[rng.int(d.choice.length)];
  if (d.int) return d.int[0] + rng.int(d.int[1] - d.int[0] + 1);
  if (d.logUniform) return Math.exp(Math.log(d.logUniform[0]) + rng.uniform() * (Math.log(d.logUniform[1]) - Math.log(d.logUniform[0])));
  return d.uniform![0] + rng.uniform() * (d.uniform![1] - d.uniform![0]);
}

/** A uniform draw of the whole space. */
export function sampleSpace(space: Readonly<Record<string, Dimension>>, rng: RandomReader): Params {
  return Object.fromEntries(Object.entries(space).map(([k, d]) => [k, sampleDimension(d, rng)]));
}

/**
 * Applies a point to a copy of the job keys. Dimensions apply in order of their path depth, so `strategy`
 * is chosen before `strategy.proximalMu`. A dotted key under an object value set by a `choice` is a
 * **conditional** dimension: it applies only when the chosen object already has that key (its value there is a
 * placeholder), e.g. `strategy.proximalMu` applies to `{name: "fedprox", proximalMu: 0.1}` and not to
 * `{name: "fedavg"}`. Returns the job and the parameters that were active.
 */
export function applyParams(job: Readonly<Record<string, unknown>>, params: Params, space: Readonly<Record<string, Dimension>>): { job: Record<string, unknown>; active: Params } {
  const out = JSON.parse(JSON.stringify(job)) as Record<string, unknown>;
  const active: Params = {};
  const keys = Object.keys(params).sort((a, b) => a.split('.').length - b.split('.').length);
  for (const key of keys) {
    const parts = key.split('.');
    let at: Record<string, unknown> = out;
    let ok = true;
    for (const [i, p] of parts.slice(0, -1).entries()) {
      const next = at[p];
      const parentKey = parts.slice(0, i + 1).join('.');
      const chosen = space[parentKey]?.choice !== undefined && parentKey in params;
      if (typeof next === 'object' && next !== null && !Array.isArray(next)) at = at[p] = { ...(next as Record<string, unknown>) };
      else if (chosen) ok = false;
      else at = at[p] = {};
      if (!ok) break;
      if (chosen && i === parts.length - 2 && !(parts.at(-1)! in at)) ok = false;
    }
    if (!ok) continue;
    at[parts.at(-1)!] = params[key];
    active[key] = params[key];
  }
  return { job: out, active };
}

/** A short label of a point for tables and progress lines. */
export function formatParams(p: Params): string {
  const show = (v: unknown): string => (typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toPrecision(3)) : typeof v === 'object' && v !== null && 'name' in v ? String((v as { name: unknown }).name) : canonicalJson(v));
  return Object.entries(p).map(([k, v]) => `${k}=${show(v)}`).join(', ');
}
