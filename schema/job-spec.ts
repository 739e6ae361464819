/**
 * The job spec: what the operator submits (`fedfin admin jobs submit FILE`) and every bank receives.
 * Parsed with zod at the edge; `parseJobSpec` turns failures into one ConfigError with zod paths.
 */
import { z } from 'zod';
import { ConfigError } from '../common/errors.js';

const ModelSpecSchema = z
  .object({
    type: z.enum(['logistic', 'mlp']).describe('logistic regression, or a multi-layer perceptron'),
    hidden: z.array(z.number().int().positive().max(4096)).max(8).default([32, 16]).describe('hidden layer widths (mlp only)'),
    activation: z.enum(['relu', 'tanh']).default('relu'),
    l1: z.number().min(0).max(10).default(0).describe('L1 penalty on kernels'),
    l2: z.number().min(0).max(10).default(0).describe('L2 penalty on kernels'),
  })
  .strict();

const StrategySpecSchema = z.discriminatedUnion('name', [
  z.object({ name: z.literal('fedavg') }).strict(),
  z.object({ name: z.literal('fedprox'), proximalMu: z.number().min(0).max(100) }).strict(),
]);

const DpSgdSchema = z
  .object({
    mode: z.literal('dp-sgd'),
    noiseMultiplier: z.number().positive().max(1000).optional().describe('σ; or give targetEpsilon and each bank calibrates σ for its own data size'),
    targetEpsilon: z.number().positive().max(1000).optional(),
    clippingNorm: z.number().positive().max(1e6).default(1),
    delta: z.number().positive().lt(1).default(1e-5),
    maxEpsilon: z.number().positive().max(1000).describe('the job refuses rounds that would take any bank past this ε at delta'),
  })
  .strict()
  .superRefine((p, ctx) => {
    if ((p.noiseMultiplier === undefined) === (p.targetEpsilon === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'give exactly one of noiseMultiplier and targetEpsilon', path: ['noiseMultiplier'] });
    }
    if (p.targetEpsilon !== undefined && p.targetEpsilon > p.maxEpsilon) {
      ctx.addIssue({ code: 'custom', message: `targetEpsilon ${p.targetEpsilon} exceeds maxEpsilon ${p.maxEpsilon}`, path: ['targetEpsilon'] });
    }
  });

const PrivacySpecSchema = z.discriminatedUnion('mode', [z.object({ mode: z.literal('none') }).strict(), DpSgdSchema]);

export const JobSpecSchema = z
  .object({
    name: z.string().min(1).max(100),
    task: z.string().min(1).describe('a registered task, e.g. credit-scoring'),
    schema: z.string().min(1).describe('the dataset schema id every bank maps onto, e.g. credit.v1'),
    model: ModelSpecSchema,
    strategy: StrategySpecSchema.default({ name: 'fedavg' }),
    rounds: z.number().int().min(1).max(10_000),
    minBanks: z.number().int().min(1).max(10_000).default(2),
    targetBanks: z.number().int().min(1).max(10_000).optional(),
    sampleRate: z.number().gt(0).max(1).optional().describe('Poisson sampling rate of banks per round'),
    localEpochs: z.number().int().min(1).max(1000).default(1),
    batchSize: z.number().int().min(1).max(100_000).default(64),
    learningRate: z.number().positive().max(100).default(0.05),
    optimizer: z.enum(['sgd', 'adam']).default('sgd'),
    earlyStoppingPatience: z.number().int().min(0).max(1000).default(0).describe('local epochs without holdout improvement before a bank stops (0 = off)'),
    privacy: PrivacySpecSchema.default({ mode: 'none' }),
    timeouts: z
      .object({
        fitMs: z.number().int().min(100).max(86_400_000).default(300_000),
        evaluateMs: z.number().int().min(100).max(86_400_000).default(120_000),
      })
      .strict()
      .default({ fitMs: 300_000, evaluateMs: 120_000 }),
    maxRoundAttempts: z.number().int().min(1).max(100).default(3),
    encoding: z
      .object({
        includeSensitive: z.boolean().default(false),
        stats: z.record(z.string(), z.object({ mean: z.number().finite(), std: z.number().positive().finite() }).strict()).optional(),
      })
      .strict()
      .default({ includeSensitive: false }),
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(0).describe('seed of the initial model weights only; never of noise'),
  })
  .strict()
  .superRefine((j, ctx) => {
    if (j.targetBanks !== undefined && j.targetBanks < j.minBanks) ctx.addIssue({ code: 'custom', message: `targetBanks ${j.targetBanks} is below minBanks ${j.minBanks}`, path: ['targetBanks'] });
  });

export type JobSpec = z.output<typeof JobSpecSchema>;
export type JobSpecInput = z.input<typeof JobSpecSchema>;

/**
 * Parses a job spec from JSON text or a value.
 * @param source names the file or caller in the error message.
 * @throws ConfigError listing every zod issue with its path.
 */
export function parseJobSpec(input: unknown, source = 'job spec'): JobSpec {
  let raw: unknown = input;
  if (typeof input === 'string') {
    try {
      raw = JSON.parse(input);
    } catch (err) {
      throw new ConfigError(source, [{ code: 'custom', path: [], message: `not valid JSON (${(err as Error).message})`, input } as z.core.$ZodIssue]);
    }
  }
  const r = JobSpecSchema.safeParse(raw);
  if (!r.success) throw new ConfigError(source, r.error.issues);
  return r.data;
}
