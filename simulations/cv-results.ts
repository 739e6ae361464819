/**
 * The `crossValidation` block of `results.json` (`fedfin simulate --cv K`): per fold the federated metrics
 * from the federated evaluation, the baselines on the same fold, and mean ± std over folds. The zod schemas
 * below are the documented format (docs/simulation.md).
 */
import { z } from 'zod';
import type { BinaryMetrics } from '../tasks/metrics/score-histogram.js';
import { composeMechanisms, RunMechanismSchema, type RunMechanism } from './dp-composition.js';

const Scores = z.object({ auc: z.number(), ks: z.number(), logLoss: z.number(), brier: z.number(), accuracy: z.number() });
/** A bank's own fold can miss a class: its AUC and KS are then undefined (null). */
const LocalScores = Scores.extend({ auc: z.number().nullable(), ks: z.number().nullable() });

/** One fold: every bank trained on its other K−1 folds, evaluated on this one. */
export const CvFoldSchema = z.object({
  /** 1 … K. */
  fold: z.number().int().min(1),
  status: z.string(),
  rounds: z.number().int(),
  /** Rows across banks the federation trained on / evaluated on in this fold. */
  trainRows: z.number().int(),
  evalRows: z.number().int(),
  /** The coordinator's federated evaluation of the last round on every bank's fold (pooled histograms). */
  federated: Scores.extend({ evalBanks: z.number().int() }),
  /** Every pooled metric of that evaluation (gini, prAuc, ece, …). */
  federatedEval: z.record(z.string(), z.number()),
  /** The fold's federated model on the common test set. */
  federatedTest: Scores,
  /** Trained on every bank's K−1 folds pooled, scored on every bank's fold pooled; null with --no-baselines. */
  centralized: Scores.extend({ trainRows: z.number().int(), evalRows: z.number().int(), epsilon: z.number() }).nullable(),
  /** Each bank trained on its own K−1 folds, scored on its own fold. */
  localOnly: z.array(LocalScores.extend({ bank: z.string(), trainRows: z.number().int(), evalRows: z.number().int(), epsilon: z.number() })),
  /** Mean AUC of the banks alone over the banks whose fold has both classes (null: none, or no baselines). */
  localOnlyMeanAuc: z.number().nullable(),
  /** Largest job ε a bank recorded in this fold's ledger (null without DP). */
  epsilon: z.number().nullable(),
  /**
   * Per bank the `[σ, q, steps]` of every DP-SGD round of this fold, from its ledger: what `privacy` composes.
   * Null without DP; absent in folds cached before it was recorded (such a DP fold is run again).
   */
  mechanism: RunMechanismSchema.nullable().optional(),
  wallTimeMs: z.number(),
});
export type CvFold = z.infer<typeof CvFoldSchema>;

export const CV_PRIVACY_METHOD = 'composition of the run and every fold (RDP)';

/** The privacy of the whole cross-validated run: the ordinary run and every fold composed per bank. */
export const CvPrivacySchema = z.object({
  /** The worst bank's ε of the run and all K folds composed, at `delta`. */
  epsilonTotal: z.number(),
  delta: z.number(),
  /** Trainings composed: K + 1. */
  runs: z.number().int(),
  method: z.literal(CV_PRIVACY_METHOD),
  /** The optimal RDP order of the worst bank's total. */
  order: z.number(),
  perBank: z.array(z.object({ bank: z.string(), epsilon: z.number() })),
});
export type CvPrivacy = z.infer<typeof CvPrivacySchema>;

const Summary = z.object({ federated: Scores, federatedTest: Scores, centralized: Scores.nullable(), localOnlyMeanAuc: z.number().nullable() });

/** The whole block. */
export const CrossValidationSchema = z.object({
  k: z.number().int().min(2),
  folds: z.array(CvFoldSchema),
  /** Mean over folds. */
  mean: Summary,
  /** Sample standard deviation over folds (n − 1). */
  std: Summary,
  /** Per bank its rows and positives in each fold (index f−1 for fold f). */
  banks: z.array(z.object({ bank: z.string(), rows: z.array(z.number().int()), positives: z.array(z.number().int()) })),
  /** Folds read from the cache instead of run. */
  cachedFolds: z.number().int(),
  warnings: z.array(z.string()),
  /** With DP: the run and every fold composed (a bank's rows take part in all K + 1 trainings); null without DP. */
  privacy: CvPrivacySchema.nullable().default(null),
});
export type CrossValidationResult = z.infer<typeof CrossValidationSchema>;

const r5 = (x: number): number => Math.round(x * 100_000) / 100_000;
const orNull = (x: number): number | null => (Number.isFinite(x) ? r5(x) : null);

/** The five headline metrics, rounded like the rest of results.json. */
export function foldScores(m: Pick<BinaryMetrics, 'auc' | 'ks' | 'logLoss' | 'brier' | 'accuracy'>): z.infer<typeof Scores> {
  return { auc: r5(m.auc), ks: r5(m.ks), logLoss: r5(m.logLoss), brier: r5(m.brier), accuracy: r5(m.accuracy) };
}

/** Like foldScores, with AUC and KS null when a class is missing. */
export function localScores(m: BinaryMetrics): z.infer<typeof LocalScores> {
  return { auc: orNull(m.auc), ks: orNull(m.ks), logLoss: r5(m.logLoss), brier: r5(m.brier), accuracy: r5(m.accuracy) };
}

const KEYS = ['auc', 'ks', 'logLoss', 'brier', 'accuracy'] as const;

function meanStd(xs: readonly number[]): { mean: number; std: number } {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const std = xs.length > 1 ? Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1)) : 0;
  return { mean: r5(mean), std: r5(std) };
}

function summarise(scores: readonly z.infer<typeof Scores>[]): { mean: z.infer<typeof Scores>; std: z.infer<typeof Scores> } {
  const per = KEYS.map((key) => [key, meanStd(scores.map((s) => s[key]))] as const);
  return { mean: Object.fromEntries(per.map(([key, v]) => [key, v.mean])) as z.infer<typeof Scores>, std: Object.fromEntries(per.map(([key, v]) => [key, v.std])) as z.infer<typeof Scores> };
}

/** A fold read from the cache, or undefined to run it again: not a fold, or a DP fold cached before folds recorded their mechanism (it cannot be composed). */
export function cachedFold(json: unknown): CvFold | undefined {
  const parsed = CvFoldSchema.safeParse(json);
  return parsed.success && (parsed.data.epsilon === null || parsed.data.mechanism) ? parsed.data : undefined;
}

/**
 * Composes the ordinary run's mechanism with every fold's per bank, in one RDP accountant at the job's δ.
 * @throws Error when a fold has no mechanism (a DP fold must record one).
 */
export function cvPrivacy(run: RunMechanism, folds: readonly CvFold[], delta: number): CvPrivacy {
  const mechanisms = folds.map((f) => {
    if (!f.mechanism) throw new Error(`cross-validation fold ${f.fold}: no DP mechanism recorded, cannot compose the run's privacy`);
    return f.mechanism;
  });
  const c = composeMechanisms([run, ...mechanisms], delta);
  return { epsilonTotal: r5(c.epsilonTotal), delta, runs: folds.length + 1, method: CV_PRIVACY_METHOD, order: c.order, perBank: c.perBank.map((b) => ({ bank: b.bank, epsilon: r5(b.epsilon) })) };
}

/**
 * Builds the block from its folds: mean ± sample std over folds of every summary metric, and with DP (`run` the
 * ordinary run's mechanism and the job's δ) the composed privacy.
 */
export function crossValidationResult(k: number, folds: readonly CvFold[], banks: CrossValidationResult['banks'], cachedFolds: number, warnings: readonly string[], run: { mechanism: RunMechanism; delta: number } | null = null): CrossValidationResult {
  const fed = summarise(folds.map((f) => f.federated));
  const test = summarise(folds.map((f) => f.federatedTest));
  const cen = folds.every((f) => f.centralized !== null) ? summarise(folds.map((f) => f.centralized!)) : null;
  const locals = folds.map((f) => f.localOnlyMeanAuc);
  const loc = locals.every((x) => x !== null) ? meanStd(locals as number[]) : null;
  return {
    k,
    folds: [...folds],
    mean: { federated: fed.mean, federatedTest: test.mean, centralized: cen?.mean ?? null, localOnlyMeanAuc: loc?.mean ?? null },
    std: { federated: fed.std, federatedTest: test.std, centralized: cen?.std ?? null, localOnlyMeanAuc: loc?.std ?? null },
    banks,
    cachedFolds,
    warnings: [...warnings],
    privacy: run ? cvPrivacy(run.mechanism, folds, run.delta) : null,
  };
}
