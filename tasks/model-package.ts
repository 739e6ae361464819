/** The exported model format: `fedfin-model.json` metadata (task, schema, encoding, rounds, metrics, privacy statement) with zod validation. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ConfigError, FedfinError, FileError } from '../common/errors.js';
import { ACTIVATIONS, type MlpSpec } from './models/mlp.js';

/** File names inside an exported model directory. */
export const PACKAGE_FILES = { metadata: 'fedfin-model.json', model: 'model.json', weights: 'weights.bin' } as const;

/** Format version of `fedfin-model.json`; readers refuse newer ones. */
export const PACKAGE_VERSION = 1;

const PrivacyStatementSchema = z
  .object({
    mode: z.enum(['dp-sgd', 'none']),
    epsilon: z.number().nonnegative().nullable().describe('largest job total over the banks (null without DP)'),
    delta: z.number().positive().lt(1).nullable(),
    maxEpsilon: z.number().positive().nullable(),
    accountant: z.literal('rdp').nullable(),
    unit: z.literal('record').nullable(),
    sampling: z.literal('Poisson').nullable(),
    noiseMultipliers: z.array(z.number().positive()),
    clippingNorm: z.number().positive().nullable(),
    perBank: z.array(z.object({ memberId: z.string(), epsilon: z.number().nonnegative(), rounds: z.int().nonnegative() }).strict()),
    statement: z.string().min(1),
  })
  .strict();

const EncodingInfoSchema = z
  .object({
    schemaId: z.string().min(1),
    featureHash: z.string().regex(/^[0-9a-f]{64}$/),
    numFeatures: z.int().positive(),
    includeSensitive: z.boolean(),
    stats: z.record(z.string(), z.object({ mean: z.number(), std: z.number().positive() }).strict()),
    /** The full EncodingSpec when the exporter could build it; the coordinator cannot (it lacks the banks' policy). */
    spec: z.record(z.string(), z.unknown()).nullable(),
  })
  .strict();

/** The local feature step the model's inputs come from (tasks/features/model-feature-step.ts); field names only. */
const FeatureStepSchema = z
  .object({
    step: z.string().min(1).describe('feature step name, e.g. transaction-history'),
    version: z.int().positive(),
    account: z.string().min(1),
    timestamp: z.string().min(1),
    amount: z.string().min(1),
    novelty: z.array(z.string().min(1)),
    windows: z.array(z.object({ name: z.string().min(1), ms: z.int().positive() }).strict()),
  })
  .strict();

/** `fedfin-model.json`, validated when read. */
export const ModelMetadataSchema = z
  .object({
    format: z.literal('fedfin-model'),
    version: z.literal(PACKAGE_VERSION),
    jobId: z.string().min(1),
    jobName: z.string(),
    task: z.string().min(1),
    schema: z.object({ id: z.string().min(1), hash: z.string().regex(/^[0-9a-f]{64}$/) }).strict(),
    model: z
      .object({
        kind: z.literal('mlp'),
        numFeatures: z.int().positive(),
        hiddenUnits: z.array(z.int().positive()),
        activation: z.enum(ACTIVATIONS),
        output: z.literal('logit').describe('the model outputs a logit; score = 1 / (1 + e^-logit)'),
      })
      .strict(),
    encoding: EncodingInfoSchema,
    features: FeatureStepSchema.nullable()
      .optional()
      .describe('the feature step `fedfin predict` repeats before encoding; null for none; absent in packages exported before it was recorded'),
    round: z.int().nonnegative().describe('the round whose checkpoint was exported'),
    roundsCompleted: z.int().nonnegative(),
    roundsTotal: z.int().positive(),
    jobStatus: z.enum(['running', 'completed', 'failed', 'aborted']),
    metrics: z.record(z.string(), z.number()).describe('federated evaluation of the exported round'),
    privacy: PrivacyStatementSchema,
    exportedAt: z.string(),
  })
  .strict();

export type ModelMetadata = z.output<typeof ModelMetadataSchema>;
export type PrivacyStatement = z.output<typeof PrivacyStatementSchema>;

/** The dense model spec recorded in the metadata. */
export function mlpSpecOf(meta: ModelMetadata): MlpSpec {
  return { numFeatures: meta.model.numFeatures, hiddenUnits: [...meta.model.hiddenUnits], activation: meta.model.activation };
}

/** One bank's spend as the privacy statement needs it: its last cumulative ε for the job and the rounds it trained. */
export interface BankSpend {
  readonly memberId: string;
  readonly epsilon: number;
  readonly rounds: number;
  readonly noiseMultiplier: number;
}

/**
 * Builds the privacy statement of an exported model: ε is the largest job total over the banks
 * (each bank's ε is for its own records), reported with δ, the RDP accountant, record-level unit and
 * the Poisson-sampling assumption of DP-SGD's amplification.
 * @param dp the job's DP settings, or undefined for a job without DP.
 */
export function privacyStatement(dp: { delta: number; maxEpsilon: number; clippingNorm: number } | undefined, spends: readonly BankSpend[]): PrivacyStatement {
  if (!dp) {
    return {
      mode: 'none', epsilon: null, delta: null, maxEpsilon: null, accountant: null, unit: null, sampling: null, noiseMultipliers: [], clippingNorm: null, perBank: [],
      statement: 'No differential privacy: the job trained without DP-SGD, so the model carries no formal guarantee about any customer record.',
    };
  }
  const epsilon = spends.reduce((m, s) => Math.max(m, s.epsilon), 0);
  const noise = [...new Set(spends.map((s) => s.noiseMultiplier))].sort((a, b) => a - b);
  return {
    mode: 'dp-sgd',
    epsilon,
    delta: dp.delta,
    maxEpsilon: dp.maxEpsilon,
    accountant: 'rdp',
    unit: 'record',
    sampling: 'Poisson',
    noiseMultipliers: noise,
    clippingNorm: dp.clippingNorm,
    perBank: spends.map((s) => ({ memberId: s.memberId, epsilon: s.epsilon, rounds: s.rounds })).sort((a, b) => (a.memberId < b.memberId ? -1 : 1)),
    statement:
      `(ε = ${epsilon.toPrecision(4)}, δ = ${dp.delta})-differential privacy per customer record of each bank (the largest of ${spends.length} banks), ` +
      `accounted with the RDP accountant under Poisson sampling of records in DP-SGD (noise multiplier ${noise.join(', ') || 'n/a'}, clipping norm ${dp.clippingNorm}). ` +
      'It covers the model weights; banks that joined several jobs on the same data spent more on that dataset (see their own ledgers).',
  };
}

/**
 * Reads and validates `DIR/fedfin-model.json`.
 * @throws FileError naming a missing or unreadable file; ConfigError with zod's issues; FedfinError('config-invalid') for bad JSON.
 */
export function readModelMetadata(dir: string): ModelMetadata {
  const { text, file } = readMetadataText(dir);
  return parseModelMetadata(text, file);
}

/**
 * The raw text of `DIR/fedfin-model.json` and its path (any package kind).
 * @throws FileError naming a missing or unreadable file.
 */
export function readMetadataText(dir: string): { text: string; file: string } {
  const file = join(dir, PACKAGE_FILES.metadata);
  try {
    return { text: readFileSync(file, 'utf8'), file };
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    throw new FileError(file, missing ? 'no fedfin-model.json here (export a model with `fedfin admin models export`)' : `cannot read (${(err as Error).message})`, missing ? 'file-not-found' : 'file-unreadable', { cause: err });
  }
}

/**
 * Validates metadata JSON text (as it arrives from ExportModel or from disk).
 * @throws ConfigError with zod's issues; FedfinError('config-invalid') for bad JSON.
 */
export function parseModelMetadata(text: string, source: string): ModelMetadata {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new FedfinError('config-invalid', `${source}: not valid JSON (${(err as Error).message})`);
  }
  const parsed = ModelMetadataSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(source, parsed.error.issues);
  return parsed.data;
}
