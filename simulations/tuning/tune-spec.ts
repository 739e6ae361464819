/**
 * Tune files for `fedfin simulate tune`: a scenario's data, split and job (same keys, same path rules as
 * scenario.ts) with one seed, an optional DP target ε, and a `search` block instead of a grid. Built-in tune
 * specs live here too.
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError, FedfinError, FileError } from '../../common/errors.js';
import { ScenarioSchema } from '../scenario.js';
import { SearchSpecSchema, TUNE_METRICS } from './search-space.js';

export const TuneSpecSchema = ScenarioSchema.omit({ grid: true, seeds: true, baselines: true })
  .extend({
    /** One seed for every trial (same split, initial weights and noise streams: trials differ only by their parameters). */
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(1),
    /** Record-level DP-SGD with this target ε per bank and trial (δ = 1e-5); null: no DP (or set `job.privacy`). */
    epsilon: z.number().positive().max(100).nullable().default(null),
    search: SearchSpecSchema,
    /** Train the centralised and local-only baselines in the final run of the best configuration. */
    baselines: z.boolean().default(true),
  })
  .strict();
export type TuneSpec = z.output<typeof TuneSpecSchema>;

/** The direction a spec optimises its metric in. */
export function directionOf(s: TuneSpec): 'max' | 'min' {
  return s.search.direction ?? TUNE_METRICS[s.search.metric];
}

/** The job keys every trial starts from: the spec's job plus DP-SGD at `epsilon` when set. */
export function baseJob(s: TuneSpec): Record<string, unknown> {
  const job = JSON.parse(JSON.stringify(s.job)) as Record<string, unknown>;
  job['seed'] ??= s.seed;
  if (s.epsilon !== null) job['privacy'] = { mode: 'dp-sgd', targetEpsilon: s.epsilon, delta: 1e-5, clippingNorm: 1, maxEpsilon: Math.min(1000, s.epsilon * 2) };
  return job;
}

/** The built-in tune specs (data synthesised into OUT/data, so they run anywhere). */
export const BUILTIN_TUNES: ReadonlyMap<string, unknown> = new Map([
  [
    'credit-tune',
    {
      name: 'credit-tune',
      description: '3 credit banks (dirichlet 1), DP-SGD ε = 4 per trial: TPE over learning rate, local epochs and FedAvg/FedProx, 4 trials',
      task: 'credit-scoring',
      data: { synth: { schema: 'credit.v1', rows: 1200, seed: 7, skew: 0.5 } },
      split: { banks: 3, partition: 'dirichlet:1' },
      job: { rounds: 2 },
      seed: 1,
      epsilon: 4,
      search: {
        method: 'tpe',
        trials: 4,
        metric: 'auc',
        space: {
          learningRate: { logUniform: [0.01, 0.5] },
          localEpochs: { int: [1, 3] },
          strategy: { choice: [{ name: 'fedavg' }, { name: 'fedprox', proximalMu: 0.1 }] },
          'strategy.proximalMu': { logUniform: [0.001, 1] },
        },
      },
      baselines: false,
    },
  ],
]);

/**
 * A built-in tune spec by name, or a tune file (data paths inside it resolve against the file's folder, as in scenarios).
 * @throws FedfinError('usage') for an unknown name or invalid JSON, FileError for an unreadable file, ConfigError
 *   (every issue as `path: message`, e.g. `search.space.learningRate.logUniform: logUniform needs low > 0`) for an invalid one.
 */
export function loadTuneSpec(ref: string): TuneSpec {
  let raw: unknown = BUILTIN_TUNES.get(ref);
  let base = process.cwd();
  if (raw === undefined) {
    if (!ref.endsWith('.json')) throw new FedfinError('usage', `unknown tune spec "${ref}": expected one of ${[...BUILTIN_TUNES.keys()].join(', ')} or a .json file`);
    let text: string;
    try {
      text = readFileSync(ref, 'utf8');
    } catch (err) {
      throw new FileError(ref, (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such tune file' : `cannot read (${(err as Error).message})`);
    }
    try {
      raw = JSON.parse(text);
    } catch (err) {
      throw new FedfinError('usage', `tune spec ${ref}: not valid JSON (${(err as Error).message})`);
    }
    base = dirname(resolve(ref));
  }
  const parsed = TuneSpecSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(`tune spec ${ref}`, parsed.error.issues);
  const s = parsed.data;
  if (s.epsilon !== null && s.job['privacy'] !== undefined) throw new FedfinError('usage', `tune spec ${ref}: give DP either as "epsilon" or as "job.privacy", not both`);
  if ('file' in s.data) {
    const at = (p: string | undefined): string | undefined => (p === undefined || isAbsolute(p) ? p : resolve(base, p));
    const schema = s.data.schema.endsWith('.json') ? at(s.data.schema)! : s.data.schema;
    return { ...s, data: { file: at(s.data.file)!, schema, mapping: at(s.data.mapping), policy: at(s.data.policy) } };
  }
  return s;
}

/**
 * A rough wall-time estimate before a search runs, with sweeps' calibration (simulations/sweep.ts): per trial
 * 5 s + rounds × (banks × 30 ms + training row-epochs × 15 µs), at the largest `rounds` and `localEpochs` the
 * space allows; plus the final run (× 2 with baselines). DP-SGD is not priced in: it is meant to catch days.
 */
export function estimateTuneSeconds(s: TuneSpec, rowsTotal: number, trials: number): number {
  const top = (key: string, fallback: number): number => {
    const d = s.search.space[key];
    if (d?.int) return d.int[1];
    if (d?.choice) return Math.max(...d.choice.filter((v): v is number => typeof v === 'number'), fallback);
    return Number(s.job[key] ?? fallback);
  };
  const trainRows = rowsTotal * (1 - s.split.testFraction) * (1 - s.split.holdoutFraction);
  const one = 5 + top('rounds', 10) * (s.split.banks * 0.03 + trainRows * top('localEpochs', 2) * 15e-6);
  return one * trials + one * (s.baselines ? 2 : 1);
}
