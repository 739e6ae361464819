/**
 * `OUT/tune.json` of `fedfin simulate tune`: every trial (parameters, federated validation metric, ε), the best
 * configuration, its test-set metrics from one separate run, and the privacy cost of the whole search. The zod
 * schema is the documented format (docs/simulation.md, "Tuning").
 */
import { z } from 'zod';

// A model's test metrics by key (as in results.ts: credit auc, ks, logLoss, brier, accuracy; other tasks their own keys).
const Scores = z.object({}).catchall(z.number());

export const TuneTrialSchema = z.object({
  index: z.number().int(),
  /** The active parameters (a conditional dimension is absent when its parent choice lacks it). */
  params: z.record(z.string(), z.unknown()),
  status: z.string(),
  reason: z.string(),
  rounds: z.number().int(),
  /** The searched metric on the banks' holdouts (pooled federated evaluation of the final model); null when the trial failed. */
  validation: z.number().nullable(),
  /** Every pooled validation metric of the final model. */
  validationMetrics: z.record(z.string(), z.number()),
  /** This trial's own ε (largest bank) at the run's δ; null without DP. */
  epsilon: z.number().nullable(),
  /** True when the trial came from OUT/cache (a resumed search, or a configuration proposed twice). */
  cached: z.boolean(),
  /** Configuration hash (the cache key). */
  key: z.string(),
  wallTimeMs: z.number(),
});
export type TuneTrial = z.infer<typeof TuneTrialSchema>;

export const TuneResultSchema = z.object({
  kind: z.literal('fedfin-simulation-tune'),
  version: z.literal(1),
  name: z.string(),
  search: z.object({ method: z.enum(['grid', 'random', 'tpe']), metric: z.string(), direction: z.enum(['max', 'min']), trials: z.number().int(), seed: z.number().int() }),
  trials: z.array(TuneTrialSchema),
  best: z
    .object({
      index: z.number().int(),
      params: z.record(z.string(), z.unknown()),
      validation: z.number(),
      /** The job keys of the best configuration (what a production job would use). */
      job: z.record(z.string(), z.unknown()),
    })
    .nullable(),
  /** The best configuration run once more and scored on the common test set (never used to select). */
  test: z
    .object({
      federated: Scores,
      centralizedAuc: z.number().nullable(),
      localOnlyMeanAuc: z.number().nullable(),
      testRows: z.number().int(),
      /** OUT/best/results.json: the full run record (RunResultSchema). */
      results: z.string(),
      /** True when the final run repeated the best trial exactly (same seed and noise streams, same validation metrics): it released nothing new. */
      reproduced: z.boolean(),
    })
    .nullable(),
  privacy: z
    .object({
      tuning: z.object({
        epsilonTotal: z.number(),
        delta: z.number(),
        trials: z.number().int(),
        method: z.literal('composition of all trials (RDP)'),
        order: z.number(),
        perBank: z.array(z.object({ bank: z.string(), epsilon: z.number() })),
      }),
      /** Largest single-trial ε (what one run alone would report). */
      maxTrialEpsilon: z.number(),
      accountant: z.literal('rdp'),
      unit: z.literal('record'),
    })
    .nullable(),
  cachedTrials: z.number().int(),
  warnings: z.array(z.string()),
  wallTimeMs: z.number(),
});
export type TuneResult = z.infer<typeof TuneResultSchema>;
