/**
 * Scenario files for `fedfin simulate --scenario`: the data, the split, the job spec, and a grid over any job
 * parameter (dotted path) or simulation parameter (`banks`, `partition`, `dropoutRate`, `epsilon`,
 * `secureAggregation` on/off) × seeds.
 * Built-in scenarios live here too.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError, FedfinError, FileError } from '../common/errors.js';
import { canonicalJson } from '../schema/encoding.js';

const Scalar = z.union([z.number(), z.string(), z.boolean(), z.null()]);

export const ScenarioSchema = z
  .object({
    name: z.string().min(1).max(100),
    description: z.string().default(''),
    task: z.string().min(1).default('credit-scoring'),
    data: z.union([
      z.object({ file: z.string().min(1), schema: z.string().min(1), mapping: z.string().min(1).optional(), policy: z.string().min(1).optional() }).strict(),
      z.object({ synth: z.object({ schema: z.enum(['credit.v1', 'transaction.v1', 'market.v1']), rows: z.number().int().min(100).max(5_000_000), seed: z.union([z.number().int(), z.string()]).default(7), skew: z.number().min(0).max(1).default(0.5), banks: z.number().int().min(1).max(100).default(1) }).strict() }).strict(),
    ]),
    split: z
      .object({
        banks: z.number().int().min(1).max(10_000),
        partition: z.string().min(1).default('iid'),
        testFraction: z.number().gt(0).lt(1).default(0.2),
        holdoutFraction: z.number().gt(0).lt(1).default(0.2),
        minRows: z.number().int().min(1).default(10),
      })
      .strict(),
    job: z.record(z.string(), z.unknown()).default({}),
    /**
     * Parameter → values. Dotted paths set job keys (`strategy.proximalMu`); `banks`, `partition`, `dropoutRate`,
     * `epsilon` (null = no DP) are simulation keys; `secureAggregation` takes true / false (SecAgg+ on or off, over the
     * scenario job's own `secureAggregation` settings) or an object of settings.
     */
    grid: z.record(z.string(), z.array(z.union([Scalar, z.record(z.string(), z.unknown())])).min(1)).default({}),
    seeds: z.array(z.number().int().min(0).max(2 ** 31 - 1)).min(1).default([1, 2, 3]),
    baselines: z.boolean().default(true),
  })
  .strict();
export type Scenario = z.output<typeof ScenarioSchema>;

const SIM_KEYS = new Set(['banks', 'partition', 'dropoutRate', 'epsilon', 'secureAggregation']);

/** One grid point with one seed. */
export interface ScenarioCell {
  /** e.g. `epsilon=2, strategy.name=fedprox` ('baseline' for an empty grid). */
  readonly variant: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly seed: number;
  readonly banks: number;
  readonly partition: string;
  readonly dropoutRate: number;
  /** Job keys for this cell (scenario job with the grid values applied). */
  readonly job: Record<string, unknown>;
}

function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let at = obj;
  for (const p of parts.slice(0, -1)) {
    const next = at[p];
    at = at[p] = typeof next === 'object' && next !== null && !Array.isArray(next) ? { ...(next as Record<string, unknown>) } : {};
  }
  at[parts.at(-1)!] = value;
}

/** A label for a value in variant names. */
function show(v: unknown): string {
  if (v === null) return '∞';
  if (typeof v !== 'object') return String(v as string | number | boolean);
  const { name, ...rest } = v as Record<string, unknown>;
  const args = Object.entries(rest).map(([k, x]) => `${k}=${show(x)}`).join(', ');
  return typeof name === 'string' ? (args ? `${name}(${args})` : name) : canonicalJson(v);
}

/**
 * The grid's `secureAggregation` value on a cell's job: true turns SecAgg+ on with the scenario job's own
 * settings (or the defaults), an object of settings turns it on with those, false (or null) turns it off.
 */
function applySecureAggregation(scenario: string, job: Record<string, unknown>, v: unknown): void {
  const own = job['secureAggregation'];
  const base = typeof own === 'object' && own !== null && !Array.isArray(own) ? (own as Record<string, unknown>) : {};
  if (v === false || v === null) delete job['secureAggregation'];
  else if (v === true) job['secureAggregation'] = { ...base, enabled: true };
  else if (typeof v === 'object' && !Array.isArray(v)) job['secureAggregation'] = { ...base, enabled: true, ...(v as Record<string, unknown>) };
  else throw new FedfinError('usage', `scenario ${scenario}: grid secureAggregation values must be true, false or an object of settings, got ${show(v)}`);
}

/** The cells of a scenario: the cartesian product of the grid, each with every seed. */
export function expandScenario(s: Scenario): ScenarioCell[] {
  let points: Record<string, unknown>[] = [{}];
  for (const [key, values] of Object.entries(s.grid)) points = points.flatMap((p) => values.map((v) => ({ ...p, [key]: v })));
  return points.flatMap((params) =>
    s.seeds.map((seed) => {
      const job: Record<string, unknown> = JSON.parse(JSON.stringify(s.job)) as Record<string, unknown>;
      for (const [k, v] of Object.entries(params)) if (!SIM_KEYS.has(k)) setPath(job, k, v);
      if ('epsilon' in params) {
        const e = params['epsilon'];
        if (e === null || e === 'inf' || e === Infinity) job['privacy'] = { mode: 'none' };
        else if (typeof e === 'number' && e > 0) job['privacy'] = { mode: 'dp-sgd', targetEpsilon: e, delta: 1e-5, clippingNorm: 1, maxEpsilon: Math.min(1000, e * 2) };
        else throw new FedfinError('usage', `scenario ${s.name}: grid epsilon values must be positive numbers or null (∞), got ${show(e)}`);
      }
      if ('secureAggregation' in params) applySecureAggregation(s.name, job, params['secureAggregation']);
      const variant = Object.keys(params).length === 0 ? 'baseline' : Object.entries(params).map(([k, v]) => `${k}=${show(v)}`).join(', ');
      return {
        variant,
        params,
        seed,
        banks: typeof params['banks'] === 'number' ? params['banks'] : s.split.banks,
        partition: typeof params['partition'] === 'string' ? params['partition'] : s.split.partition,
        dropoutRate: typeof params['dropoutRate'] === 'number' ? params['dropoutRate'] : 0,
        job,
      };
    }),
  );
}

/** SHA-256 of the canonical JSON of a value: the cache key of a cell's configuration. */
export function configHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

const credit = (name: string, description: string, extra: Partial<Scenario>): unknown => ({
  name,
  description,
  task: 'credit-scoring',
  data: { synth: { schema: 'credit.v1', rows: 5000, seed: 7, skew: 0.5 } },
  split: { banks: 5, partition: 'dirichlet:1' },
  job: { rounds: 15 },
  seeds: [1, 2, 3],
  ...extra,
});

/** The built-in scenarios (data synthesised into OUT/data, so they run anywhere). */
export const BUILTIN_SCENARIOS: ReadonlyMap<string, unknown> = new Map([
  ['credit-5-banks', credit('credit-5-banks', '5 credit banks with label skew (dirichlet 1): FedAvg vs FedProx, 3 seeds', { grid: { strategy: [{ name: 'fedavg' }, { name: 'fedprox', proximalMu: 0.1 }] } })],
  ['privacy-utility', credit('privacy-utility', 'record-level DP-SGD: AUC against ε ∈ {0.5, 1, 2, 4, 8, ∞} per bank, 3 seeds', { grid: { epsilon: [0.5, 1, 2, 4, 8, null] } })],
  ['dropout-stress', credit('dropout-stress', 'banks dropping out of each fit with probability 0 … 0.5, 3 seeds', { grid: { dropoutRate: [0, 0.1, 0.3, 0.5] } })],
  ['fraud-20-banks', { name: 'fraud-20-banks', description: '20 card issuers of very different sizes (accounts split quantity:lognormal:1), fraud detection on engineered per-account features: PR-AUC of the federation vs each issuer alone, 2 seeds', task: 'fraud-detection', data: { synth: { schema: 'transaction.v1', rows: 40_000, seed: 7, skew: 0.5 } }, split: { banks: 20, partition: 'quantity:lognormal:1', testFraction: 0.25 }, job: { rounds: 10, localEpochs: 1 }, seeds: [1, 2] }],
  ['market-10-institutions', { name: 'market-10-institutions', description: '10 institutions, each forecasting its own instruments (symbols split iid), scored on every institution\'s latest 20 % of days, 2 seeds', task: 'market-forecast', data: { synth: { schema: 'market.v1', rows: 2400, seed: 7, skew: 0.5, banks: 5 } }, split: { banks: 10, partition: 'iid' }, job: { rounds: 10 }, seeds: [1, 2] }],
]);

/**
 * A built-in scenario by name, or a scenario file (paths inside it resolve against the file's folder).
 * @throws FedfinError('usage') for an unknown name, FileError for an unreadable file, ConfigError for an invalid one.
 */
export function loadScenario(ref: string): Scenario {
  const builtin = BUILTIN_SCENARIOS.get(ref);
  let raw: unknown = builtin;
  let base = process.cwd();
  if (raw === undefined) {
    if (!ref.endsWith('.json')) throw new FedfinError('usage', `unknown scenario "${ref}": expected one of ${[...BUILTIN_SCENARIOS.keys()].join(', ')} or a .json file`);
    let text: string;
    try {
      text = readFileSync(ref, 'utf8');
    } catch (err) {
      throw new FileError(ref, (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such scenario file' : `cannot read (${(err as Error).message})`);
    }
    try {
      raw = JSON.parse(text);
    } catch (err) {
      throw new FedfinError('usage', `scenario ${ref}: not valid JSON (${(err as Error).message})`);
    }
    base = dirname(resolve(ref));
  }
  const parsed = ScenarioSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(`scenario ${ref}`, parsed.error.issues);
  const s = parsed.data;
  if ('file' in s.data) {
    const at = (p: string | undefined): string | undefined => (p === undefined || isAbsolute(p) ? p : resolve(base, p));
    const schema = s.data.schema.endsWith('.json') ? at(s.data.schema)! : s.data.schema;
    return { ...s, data: { file: at(s.data.file)!, schema, mapping: at(s.data.mapping), policy: at(s.data.policy) } };
  }
  return s;
}
