/**
 * The job spec: what the operator submits (`fedfin admin jobs submit FILE`) and every bank receives.
 * Parsed with zod at the edge; `parseJobSpec` turns failures into one ConfigError with zod paths.
 */
import { z } from 'zod';
import { ConfigError } from '../common/errors.js';
import { SecureAggregationSchema, secureAggregationIssues } from './secure-aggregation-spec.js';

const ModelSpecSchema = z
  .object({
    type: z.enum(['logistic', 'mlp', 'lstm']).describe('logistic regression, a multi-layer perceptron, or an LSTM (market-forecast only)'),
    units: z.number().int().positive().max(1024).default(32).describe('hidden units of the LSTM layer (lstm only)'),
    hidden: z.array(z.number().int().positive().max(4096)).max(8).default([32, 16]).describe('hidden layer widths (mlp only)'),
    activation: z.enum(['relu', 'tanh']).default('relu'),
    l1: z.number().min(0).max(10).default(0).describe('L1 penalty on kernels'),
    l2: z.number().min(0).max(10).default(0).describe('L2 penalty on kernels'),
  })
  .strict();

/**
 * Published defaults of the built-in strategies (sources in docs/strategies.md): η, β1, β2, τ from
 * Flower's `flwr.serverapp.strategy` classes and Reddi et al. 2021; FedAvgM momentum from Hsu et al.
 * 2019; trimmed-mean β from Flower's FedTrimmedAvg. coordinator/strategy/ reads them from here.
 */
export const STRATEGY_DEFAULTS = {
  fedavgm: { serverLearningRate: 1, serverMomentum: 0.9 },
  fedadagrad: { eta: 0.1, betas: [0, 0], tau: 1e-3 },
  fedadam: { eta: 0.1, betas: [0.9, 0.99], tau: 1e-3 },
  fedyogi: { eta: 0.01, betas: [0.9, 0.99], tau: 1e-3 },
  'trimmed-mean': { beta: 0.2 },
  krum: { byzantine: 1, select: 1 },
} as const;

/** Strategies that need every bank's individual update: incompatible with secure aggregation. */
export const ROBUST_STRATEGIES: ReadonlySet<string> = new Set(['fedmedian', 'trimmed-mean', 'krum', 'multikrum']);

const inRange = (what: string, lo: number, hi: number, hiOpen = false) => {
  const text = `${what} must be in [${lo}, ${hi}${hiOpen ? ')' : ']'}`;
  const n = z.number(text).min(lo, text);
  return hiOpen ? n.lt(hi, text) : n.max(hi, text);
};
const positive = (what: string, max: number) => z.number(`${what} must be a number in (0, ${max}]`).gt(0, `${what} must be in (0, ${max}]`).max(max, `${what} must be in (0, ${max}]`);
const eta = (d: number) => positive('server learning rate eta', 10).default(d).describe(`server learning rate η (default ${d})`);
const tau = (d: number) => positive('adaptivity tau', 1).default(d).describe(`adaptivity τ added to √v (default ${d})`);
const betas = (d: readonly [number, number]) =>
  z
    .tuple([inRange('beta1', 0, 1, true), inRange('beta2', 0, 1, true)])
    .default([d[0], d[1]])
    .describe(`[β1, β2] moment decays (default [${d[0]}, ${d[1]}])`);
const D = STRATEGY_DEFAULTS;
const byzantine = z.number().int('byzantine must be an integer').min(0, 'byzantine must be ≥ 0').max(1000, 'byzantine must be ≤ 1000').default(D.krum.byzantine).describe('f: banks that may send arbitrary updates; rounds need ≥ 2f + 3 replies');

const StrategySpecSchema = z.discriminatedUnion('name', [
  z.object({ name: z.literal('fedavg') }).strict(),
  z.object({ name: z.literal('fedprox'), proximalMu: z.number().min(0).max(100) }).strict(),
  z
    .object({
      name: z.literal('fedavgm'),
      serverLearningRate: positive('serverLearningRate', 100).default(D.fedavgm.serverLearningRate).describe('server learning rate η (default 1)'),
      serverMomentum: inRange('serverMomentum', 0, 1, true).default(D.fedavgm.serverMomentum).describe('server momentum β (default 0.9)'),
    })
    .strict(),
  z.object({ name: z.literal('fedadagrad'), eta: eta(D.fedadagrad.eta), tau: tau(D.fedadagrad.tau) }).strict(),
  z.object({ name: z.literal('fedadam'), eta: eta(D.fedadam.eta), betas: betas(D.fedadam.betas), tau: tau(D.fedadam.tau) }).strict(),
  z.object({ name: z.literal('fedyogi'), eta: eta(D.fedyogi.eta), betas: betas(D.fedyogi.betas), tau: tau(D.fedyogi.tau) }).strict(),
  z.object({ name: z.literal('fedmedian') }).strict(),
  z.object({ name: z.literal('trimmed-mean'), beta: inRange('beta (fraction trimmed from each end)', 0, 0.5, true).default(D['trimmed-mean'].beta) }).strict(),
  z.object({ name: z.literal('krum'), byzantine }).strict(),
  z.object({ name: z.literal('multikrum'), byzantine, select: z.number().int('select must be an integer').min(1, 'select must be ≥ 1').max(10_000).describe('m: how many best-scored updates to average') }).strict(),
]);

export type StrategySpec = z.output<typeof StrategySpecSchema>;

/** Cross-field rules of the strategy part: Krum needs 2f + 3 banks per round. */
function strategyIssues(j: { strategy: StrategySpec; minBanks: number }, ctx: z.RefinementCtx): void {
  const s = j.strategy;
  if ((s.name === 'krum' || s.name === 'multikrum') && j.minBanks < 2 * s.byzantine + 3) {
    ctx.addIssue({ code: 'custom', path: ['minBanks'], message: `${s.name} with byzantine = ${s.byzantine} needs minBanks ≥ 2f + 3 = ${2 * s.byzantine + 3}, got ${j.minBanks}` });
  }
}

/**
 * Why a strategy cannot run with secure aggregation, or undefined when it can. Robust strategies
 * (median, trimmed mean, Krum) need each bank's update; under secure aggregation the coordinator
 * only ever sees the masked vectors and their sum.
 */
export function secureAggregationConflict(strategy: { readonly name: string }, secureAggregation: { readonly enabled: boolean } | undefined): string | undefined {
  if (!secureAggregation?.enabled || !ROBUST_STRATEGIES.has(strategy.name)) return undefined;
  return `strategy '${strategy.name}' needs every bank's individual update, but with secure aggregation the coordinator only sees their sum: use fedavg, fedprox, fedavgm, fedadagrad, fedadam or fedyogi, or turn secure aggregation off`;
}

/**
 * Refuses a job that combines a robust strategy with secure aggregation. Takes the spec structurally so
 * it applies once the job spec has a `secureAggregation` section (issue 6); call it where the spec is
 * parsed (inside JobSpecSchema's superRefine as `ctx.addIssue`, or right after parseJobSpec).
 * @throws ConfigError with the path `strategy.name` and the reason.
 */
export function assertStrategyCompatible(spec: { readonly strategy: { readonly name: string }; readonly secureAggregation?: { readonly enabled: boolean } }, source = 'job spec'): void {
  const reason = secureAggregationConflict(spec.strategy, spec.secureAggregation);
  if (reason) throw new ConfigError(source, [{ code: 'custom', path: ['strategy', 'name'], message: reason, input: spec.strategy.name } as z.core.$ZodIssue]);
}

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
    fraud: z
      .object({
        loss: z.enum(['weighted-bce', 'focal']).default('weighted-bce').describe('weighted cross-entropy, or focal loss (Lin et al. 2017)'),
        positiveWeight: z.union([z.literal('auto'), z.number().positive().max(10_000)]).default('auto').describe("weight of fraud examples in weighted-bce; auto = the bank's negatives/positives (refused with dp-sgd)"),
        focalGamma: z.number().min(0).max(10).default(2).describe('focal loss γ'),
        focalAlpha: z.number().gt(0).lt(1).default(0.25).describe('focal loss α: the weight of the positive class'),
      })
      .strict()
      .optional()
      .describe('fraud-detection settings: loss and class weighting'),
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(0).describe('seed of the initial model weights only; never of noise'),
    forecast: z
      .object({
        windowDays: z.number().int().min(2).max(250).default(20).describe('trading days each example reads'),
        holdoutFraction: z.number().gt(0).lt(1).default(0.2).describe("the last share of each symbol's examples, evaluated and backtested"),
        maxMissingWeekdays: z.number().int().min(0).max(30).default(3).describe('longest run of missing weekdays (holidays) before a series counts as having a gap'),
        costBps: z.number().min(0).max(1000).default(0).describe('backtest transaction cost per unit of position change, in basis points'),
      })
      .strict()
      .default({ windowDays: 20, holdoutFraction: 0.2, maxMissingWeekdays: 3, costBps: 0 })
      .describe('market-forecast settings: windows, time split, gap tolerance, backtest costs'),
    secureAggregation: SecureAggregationSchema.optional().describe('SecAgg+ with optional distributed DP (docs/protocol.md, docs/privacy.md)'),
    maxUpdateNorm: z.number().positive().finite().optional().describe('L2 bound on a fit update (update − model); larger results are rejected as invalid. Applies without secure aggregation'),
  })
  .strict()
  .superRefine((j, ctx) => {
    if (j.targetBanks !== undefined && j.targetBanks < j.minBanks) ctx.addIssue({ code: 'custom', message: `targetBanks ${j.targetBanks} is below minBanks ${j.minBanks}`, path: ['targetBanks'] });
    strategyIssues(j, ctx);
    const autoWeight = (j.fraud?.loss ?? 'weighted-bce') === 'weighted-bce' && (j.fraud?.positiveWeight ?? 'auto') === 'auto';
    if (j.task === 'fraud-detection' && autoWeight && j.privacy.mode === 'dp-sgd') {
      ctx.addIssue({ code: 'custom', message: 'positiveWeight "auto" reads each bank\'s fraud rate outside the DP guarantee: with privacy dp-sgd give a number or use loss "focal"', path: ['fraud', 'positiveWeight'] });
    }
    const conflict = secureAggregationConflict(j.strategy, j.secureAggregation);
    if (conflict) ctx.addIssue({ code: 'custom', path: ['strategy', 'name'], message: conflict });
    secureAggregationIssues(j, ctx);
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
