/** `fedfin-model.json` of a market-forecast model: the LSTM or MLP regressor, its window and feature config, target scale, regression metrics, privacy per window. */
import { z } from 'zod';
import { featureDefinition, sha256 } from '../market-forecast.js';
import { ModelMetadataSchema, privacyStatement, type BankSpend, type PrivacyStatement } from '../model-package.js';
import { ACTIVATIONS } from '../models/mlp.js';
import type { ModelSpec } from '../models/model-spec.js';

const positiveInt = z.int().positive();

/**
 * The regressor. Both kinds read one window flattened step-major (`numFeatures` = windowDays ×
 * features per day) and output the next day's log return divided by `market.target.scale`.
 */
const MarketModelSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('lstm'),
      numFeatures: positiveInt.describe('T·F inputs per example, step-major'),
      timesteps: positiveInt,
      featuresPerStep: positiveInt,
      units: positiveInt,
      output: z.literal('scaled-return').describe('next-day log return / market.target.scale'),
    })
    .strict(),
  z
    .object({
      kind: z.literal('mlp'),
      numFeatures: positiveInt,
      hiddenUnits: z.array(positiveInt),
      activation: z.enum(ACTIVATIONS),
      output: z.literal('scaled-return'),
    })
    .strict(),
]);

/** What `fedfin predict` needs to build the same windows a bank's daemon built. */
const MarketInfoSchema = z
  .object({
    windowDays: z.int().min(2).describe('trading days each window reads'),
    holdoutFraction: z.number().gt(0).lt(1).describe("the last share of each symbol's windows the federation evaluated"),
    maxMissingWeekdays: z.int().nonnegative().describe('longest run of missing weekdays tolerated in a series'),
    costBps: z.number().nonnegative().describe('backtest cost per unit of position change'),
    features: z.array(z.string().min(1)).min(1).describe('per-day inputs in step order'),
    target: z
      .object({
        kind: z.literal('next-day-log-return'),
        scale: z.number().positive().describe('the federation std of logReturn: predicted log return = output × scale'),
        centred: z.literal(false).describe('the target is not centred: its sign is the direction'),
      })
      .strict(),
    specHash: z.string().regex(/^[0-9a-f]{64}$/).describe('the feature definition plus the standardisation statistics, hashed as each bank hashed its examples'),
  })
  .strict();

/** `fedfin-model.json` of a market-forecast export: the common metadata with a regression model, a `market` block and a per-window privacy unit. */
export const MarketModelMetadataSchema = ModelMetadataSchema.omit({ task: true, model: true, privacy: true })
  .extend({
    task: z.literal('market-forecast'),
    model: MarketModelSchema,
    market: MarketInfoSchema,
    privacy: ModelMetadataSchema.shape.privacy.extend({ unit: z.enum(['window']).nullable() }),
  })
  .strict();

export type MarketModelMetadata = z.output<typeof MarketModelMetadataSchema>;
export type MarketInfo = MarketModelMetadata['market'];
export type MarketPrivacyStatement = MarketModelMetadata['privacy'];

/** The trainable spec of an exported market model (what the banks trained: mse loss, one output). */
export function marketModelSpec(meta: Pick<MarketModelMetadata, 'model'>): ModelSpec {
  const m = meta.model;
  if (m.kind === 'lstm') return { kind: 'lstm', timesteps: m.timesteps, featuresPerStep: m.featuresPerStep, units: m.units };
  return { numFeatures: m.numFeatures, hiddenUnits: [...m.hiddenUnits], activation: m.activation, loss: 'mse' };
}

/** The feature hash the federation agreed on, recomputed from a `market` block (it must equal `encoding.featureHash`). */
export function marketFeatureHash(market: Pick<MarketInfo, 'windowDays' | 'holdoutFraction'>): string {
  return sha256(featureDefinition(market));
}

/**
 * The privacy statement of a market model. DP-SGD samples and clips per training example, and a
 * market example is one window of one instrument, so the unit is `window`; a day's bar enters up to
 * windowDays + 1 windows of its instrument (as an input day or as the target), so one bar — let alone
 * one instrument's whole history — is covered only through group privacy, which is weaker.
 */
export function marketPrivacyStatement(dp: { delta: number; maxEpsilon: number; clippingNorm: number } | undefined, spends: readonly BankSpend[], windowDays: number): MarketPrivacyStatement {
  const base: PrivacyStatement = privacyStatement(dp, spends);
  if (base.mode === 'none') {
    return { ...base, unit: null, statement: 'No differential privacy: the job trained without DP-SGD, so the model carries no formal guarantee about any window, bar or instrument of any bank.' };
  }
  const noise = base.noiseMultipliers.join(', ') || 'n/a';
  return {
    ...base,
    unit: 'window',
    statement:
      `(ε = ${base.epsilon!.toPrecision(4)}, δ = ${base.delta})-differential privacy per training window of one instrument of each bank (the largest of ${spends.length} banks), ` +
      `accounted with the RDP accountant under Poisson sampling of windows in DP-SGD (noise multiplier ${noise}, clipping norm ${base.clippingNorm}). ` +
      `One daily bar enters up to ${windowDays + 1} windows (${windowDays} as input, 1 as target), so a single bar or an instrument's history is protected only by group privacy, which is weaker. ` +
      'It covers the model weights; banks that joined several jobs on the same data spent more on it (see their own ledgers).',
  };
}
