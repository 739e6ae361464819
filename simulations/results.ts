/**
 * `DIR/results.json` of `fedfin simulate`: one record per run (config, metrics per round, final metrics per
 * baseline, ε and δ, wall time). The zod schema below is the documented format (docs/simulation.md).
 */
import { z } from 'zod';
import type { JobSpec } from '../schema/job-spec.js';
import { CrossValidationSchema } from './cv-results.js';
import type { FederationOutcome } from './federation-run.js';
import type { RunMeasurement, TaskScores } from './measure-run.js';
import type { SimulationData } from './sim-data.js';
import { headlineMetric, simTask } from './sim-tasks.js';

/**
 * A model's metrics by key, finite values only. credit-scoring: auc, ks, logLoss, brier, accuracy;
 * fraud-detection adds prAuc, recallAtFpr, precisionAtK; market-forecast: rmse, mae, r2,
 * directionalAccuracy, sharpe, annualReturn, annualVolatility, maxDrawdown, turnover … (no auc/ks).
 */
const Scores = z.object({}).catchall(z.number());
const Baseline = z.object({ rows: z.number().int(), epsilon: z.number() }).catchall(z.number());

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
  /** The metric key charts, summaries and sweeps lead with: auc (credit), prAuc (fraud), directionalAccuracy (market). */
  headline: z.string().default('auc'),
  /** common-test-set: every model scored on rows held out before partitioning; bank-holdouts (market): on every bank's own holdout period, pooled. */
  evaluation: z.enum(['common-test-set', 'bank-holdouts']).default('common-test-set'),
  /** What the partition kept whole (account: fraud, symbol: market) and how many units the test set holds. */
  unit: z.enum(['row', 'account', 'symbol']).default('row'),
  testUnits: z.number().int().optional(),
  federated: Scores,
  centralized: Baseline.nullable(),
  localOnly: z.array(Baseline.extend({ bank: z.string() })),
  localOnlyMeanAuc: z.number().nullable(),
  /** Mean of the banks alone in the headline metric (null without baselines). */
  localOnlyMeanHeadline: z.number().nullable().default(null),
  /** market-forecast: the equal-weight buy-and-hold portfolio over the same holdout days (sharpe, annualReturn, annualVolatility, maxDrawdown). */
  buyAndHold: z.record(z.string(), z.number()).nullable().default(null),
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
  banks: z.array(z.object({ bank: z.string(), rows: z.number().int(), positives: z.number().int(), units: z.number().int().optional() })),
  warnings: z.array(z.string()),
  wallTimeMs: z.number(),
  /** `--cv K` only: federated k-fold cross-validation (simulations/cv-results.ts). */
  crossValidation: CrossValidationSchema.optional(),
});
export type RunResult = z.infer<typeof RunResultSchema>;

const r5 = (x: number): number => (Number.isFinite(x) ? Math.round(x * 100_000) / 100_000 : x);
/** Rounded to 5 decimals; a metric undefined for the data (NaN, e.g. AUC of one class) is left out, as JSON cannot hold it. */
const scores = (m: TaskScores): Record<string, number> => Object.fromEntries(Object.entries(m).flatMap(([k, v]) => (Number.isFinite(v) ? [[k, r5(v)]] : [])));
const mean = (xs: readonly (number | undefined)[]): number | null => (xs.length > 0 && xs.every((x) => x !== undefined) ? r5((xs as number[]).reduce((a, b) => a + b, 0) / xs.length) : null);

/** Builds a run's record. */
export function runResult(config: RunConfig, data: SimulationData, job: JobSpec, outcome: FederationOutcome, m: RunMeasurement, wallTimeMs: number): RunResult {
  const eps = outcome.ledger.reduce((m, l) => Math.max(m, l.epsilonTotal), 0);
  // The zod type reads well (`l.bank` a string, `l.auc` a number) but TS cannot check an object literal against a number index signature with one string key: cast.
  const local = m.localOnly.map((l) => ({ ...scores(l.metrics), bank: l.bank, rows: l.rows, epsilon: r5(l.epsilon) })) as unknown as RunResult['localOnly'];
  const profile = simTask(config.task);
  const headline = headlineMetric(config.task).key;
  return {
    kind: 'fedfin-simulation-run',
    version: 1,
    config,
    status: outcome.status,
    reason: outcome.reason,
    rounds: outcome.rounds.length,
    testRows: m.testRows,
    headline,
    evaluation: profile.commonTestSet ? 'common-test-set' : 'bank-holdouts',
    unit: profile.unit,
    testUnits: data.testUnits,
    federated: scores(m.federated),
    centralized: m.centralized ? { ...scores(m.centralized.metrics), rows: m.centralized.rows, epsilon: r5(m.centralized.epsilon) } : null,
    localOnly: local,
    localOnlyMeanAuc: mean(local.map((l) => l['auc'])),
    localOnlyMeanHeadline: mean(local.map((l) => l[headline])),
    buyAndHold: m.buyAndHold ? scores(m.buyAndHold) : null,
    perRound: outcome.rounds.map((r, i) => ({
      round: r.round,
      test: scores(m.perRound[i]!),
      federatedEval: Object.fromEntries(Object.entries(r.metrics).map(([k, v]) => [k, r5(v)])),
      participants: r.participants.length,
      dropped: r.dropped.length,
      epsilon: r.epsilon === undefined ? null : r5(r.epsilon),
    })),
    privacy: job.privacy.mode === 'dp-sgd' ? { epsilon: r5(eps), delta: job.privacy.delta, accountant: 'rdp', unit: 'record' } : null,
    banks: data.banks.map((b) => ({ bank: b.memberId, rows: b.rows, positives: b.positives, units: b.units })),
    warnings: [...data.warnings],
    wallTimeMs: Math.round(wallTimeMs),
  };
}

/** The metrics of a run that must repeat for a seed (everything but wall time). */
export function reproducibleView(r: RunResult): unknown {
  const { wallTimeMs: _w, ...rest } = r;
  return rest;
}
