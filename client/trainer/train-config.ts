/** The round-config keys the tfjs trainer reads, validated with zod and compiled into typed options once per fit. */
import { z } from 'zod';
import { ConfigError } from '../../common/errors.js';
import type { RoundConfig } from './trainer.js';

/** Per-round training settings as they travel in an instruction (flat scalars). */
export const TrainConfigSchema = z
  .object({
    learningRate: z.number().positive().finite().default(0.05).describe('Step size.'),
    localEpochs: z.number().positive().finite().default(1).describe('Passes over the local data; DP-SGD runs round(localEpochs·N/batchSize) steps.'),
    batchSize: z.int().positive().default(32).describe('Minibatch size; with DP-SGD the EXPECTED Poisson batch size.'),
    optimizer: z.enum(['sgd', 'adam']).default('sgd').describe('Update rule applied to the (privatised) gradient.'),
    proximalMu: z.number().nonnegative().finite().default(0).describe('FedProx μ: adds μ/2·‖w − w_global‖².'),
    l1: z.number().nonnegative().finite().default(0).describe('Adds l1·Σ|W| over kernels (not biases).'),
    l2: z.number().nonnegative().finite().default(0).describe('Adds l2·ΣW² over kernels (not biases), as Keras does.'),
    positiveClassWeight: z.number().positive().finite().default(1).describe('Loss weight of label-1 examples; label 0 weighs 1.'),
    dpSgd: z.boolean().default(false).describe('Record-level DP: Poisson sampling, per-example clipping, Gaussian noise.'),
    noiseMultiplier: z.number().nonnegative().finite().optional().describe('σ: noise std is σ·clippingNorm. Required with dpSgd.'),
    clippingNorm: z.number().positive().finite().optional().describe('C: per-example L2 gradient bound. Required with dpSgd.'),
  })
  .superRefine((c, ctx) => {
    if (!c.dpSgd) return;
    if (c.noiseMultiplier === undefined) ctx.addIssue({ code: 'custom', path: ['noiseMultiplier'], message: 'required when dpSgd is true' });
    if (c.clippingNorm === undefined) ctx.addIssue({ code: 'custom', path: ['clippingNorm'], message: 'required when dpSgd is true' });
  });

/** DP-SGD settings once validated. */
export interface DpSgdOptions {
  readonly noiseMultiplier: number;
  readonly clippingNorm: number;
}

/** Compiled training options. `dp` is undefined for non-private training. */
export interface TrainOptions {
  readonly learningRate: number;
  readonly localEpochs: number;
  readonly batchSize: number;
  readonly optimizer: 'sgd' | 'adam';
  readonly proximalMu: number;
  readonly l1: number;
  readonly l2: number;
  readonly positiveClassWeight: number;
  readonly dp: DpSgdOptions | undefined;
}

/**
 * Validates a round config (unknown keys are ignored: the config also carries settings for other
 * components) and compiles it into TrainOptions.
 * @throws ConfigError with source "round config".
 */
export function compileTrainOptions(config: RoundConfig): TrainOptions {
  const parsed = TrainConfigSchema.safeParse(config);
  if (!parsed.success) throw new ConfigError('round config', parsed.error.issues);
  const c = parsed.data;
  return {
    learningRate: c.learningRate,
    localEpochs: c.localEpochs,
    batchSize: c.batchSize,
    optimizer: c.optimizer,
    proximalMu: c.proximalMu,
    l1: c.l1,
    l2: c.l2,
    positiveClassWeight: c.positiveClassWeight,
    dp: c.dpSgd ? { noiseMultiplier: c.noiseMultiplier as number, clippingNorm: c.clippingNorm as number } : undefined,
  };
}
