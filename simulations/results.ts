/**
 * `DIR/results.json` of `fedfin simulate`: one record per run (config, metrics per round, final metrics per
 * baseline, ε and δ, wall time). The zod schema below is the documented format (docs/simulation.md).
 */
import { z } from 'zod';
import type { JobSpec } from '../schema/job-spec.js';
import { CrossValidationSchema } from './cv-results.js';
import type { BinaryMetrics } from '../tasks/metrics/score-histogram.js';
import type { FederationOutcome } from './federation-run.js';
import type { RunMeasurement } from './measure-run.js';
import type { SimulationData } from './sim-data.js';

const Scores = z.object({ auc: z.number(), ks: z.number(), logLoss: z.number(), brier: z.number(), accuracy: z.number() });
const Baseline = Scores.extend({ rows: z.number().int(), epsilon: z.number() });

/** The configuration a run was made with (also the cache key of a sweep cell). */
export const RunConfigSchema = z.object({
  data: z.string(),
  schema: z.string(),
  mapping: z.string().nullable(),
  task: z.string(),
  banks: z.number().int(),
  partition: z.string(),
  testFraction: z.number(),
  holdoutFraction: z.number(),
  seed: z.number().int(),
  transport: z.enum(['in-process', 'grpc']),
  dropoutRate: z.number(),
  job: z.record(z.string(), z.unknown()),
});
export type RunConfig = z.infer<typeof RunConfigSchema>;

/** One run's record. */
export const RunResultSchema = z.object({
  kind: z.literal('fedfin-simulation-run'),
  version: z.literal(1),
  config: RunConfigSchema,
  status: z.string(),
  reason: z.string(),
  /** Rounds committed (R when the job completed). */
  rounds: z.number().int(),
  testRows: z.number().int(),
  federated: Scores,
  centralized: Baseline.nullable(),
  localOnly: z.array(Baseline.extend({ bank: z.string() })),
  localOnlyMeanAuc: z.number().nullable(),
  perRound: z.array(
    z.object({
      round: z.number().int(),
      test: Scores,
      /** The coordinator's federated evaluation on the banks' holdouts (histogram-exact AUC/KS …). */
      federatedEval: z.record(z.string(), z.number()),
      participants: z.number().int(),
      dropped: z.number().int(),
      epsilon: z.number().nullable(),
    }),
  ),
  privacy: z.object({ epsilon: z.number(), delta: z.number(), accountant: z.literal('rdp'), unit: z.literal('record') }).nullable(),
  banks: z.array(z.object({ bank: z.string(), rows: z.number().int(), positives: z.number().int() })),
  warnings: z.array(z.string()),
  wallTimeMs: z.number(),
  /** `--cv K` only: federated k-fold cross-validation (simulations/cv-results.ts). */
  crossValidation: CrossValidationSchema.optional(),
});
export type RunResult = z.infer<typeof RunResultSchema>;

const r5 = (x: number): number => (Number.isFinite(x) ? Math.round(x * 100_000) / 100_000 : x);
const scores = (m: BinaryMetrics) => ({ auc: r5(m.auc), ks: r5(m.ks), logLoss: r5(m.logLoss), brier: r5(m.brier), accuracy: r5(m.accuracy) });

/** Builds a run's record. */
export function runResult(config: RunConfig, data: SimulationData, job: JobSpec, outcome: FederationOutcome, m: RunMeasurement, wallTimeMs: number): RunResult {
  const eps = outcome.ledger.reduce((m, l) => Math.max(m, l.epsilonTotal), 0);
  const local = m.localOnly.map((l) => ({ bank: l.bank, ...scores(l.metrics), rows: l.rows, epsilon: r5(l.epsilon) }));
  return {
    kind: 'fedfin-simulation-run',
    version: 1,
    config,
    status: outcome.status,
    reason: outcome.reason,
    rounds: outcome.rounds.length,
    testRows: m.testRows,
    federated: scores(m.federated),
    centralized: m.centralized ? { ...scores(m.centralized.metrics), rows: m.centralized.rows, epsilon: r5(m.centralized.epsilon) } : null,
    localOnly: local,
    localOnlyMeanAuc: local.length > 0 ? r5(local.reduce((a, l) => a + l.auc, 0) / local.length) : null,
    perRound: outcome.rounds.map((r, i) => ({
      round: r.round,
      test: scores(m.perRound[i]!),
      federatedEval: Object.fromEntries(Object.entries(r.metrics).map(([k, v]) => [k, r5(v)])),
      participants: r.participants.length,
      dropped: r.dropped.length,
      epsilon: r.epsilon === undefined ? null : r5(r.epsilon),
    })),
    privacy: job.privacy.mode === 'dp-sgd' ? { epsilon: r5(eps), delta: job.privacy.delta, accountant: 'rdp', unit: 'record' } : null,
    banks: data.banks.map((b) => ({ bank: b.memberId, rows: b.rows, positives: b.positives })),
    warnings: [...data.warnings],
    wallTimeMs: Math.round(wallTimeMs),
  };
}

/** The metrics of a run that must repeat for a seed (everything but wall time). */
export function reproducibleView(r: RunResult): unknown {
  const { wallTimeMs: _w, ...rest } = r;
  return rest;
}
