/** DP-SGD gradients for dense models: per-example norms without per-example passes (ghost norms), clipped sum, CSPRNG noise. */
import * as tf from '@tensorflow/tfjs';
import type { RandomSource } from '../../common/random.js';
import { fillGaussian } from '../../privacy/dp/gaussian.js';
import { activationDerivative, mlpForwardTrace, outputGradient, outputLoss, type MlpSpec } from '../../tasks/models/mlp.js';

/** A batch already on the backend. */
export interface TensorBatch {
  /** batch × numFeatures. */
  readonly x: tf.Tensor2D;
  /** batch × 1 labels. */
  readonly y: tf.Tensor2D;
}

/** Gradients in mlpTemplate order (kernel, bias per layer), plus the batch's summed loss. */
export interface BatchGradient {
  readonly grads: tf.Tensor[];
  /** Σ_i loss_i over the batch (scalar), so callers can average over any count without a sync. */
  readonly lossSum: tf.Scalar;
}

/**
 * Hand-written backprop for the MLP: the per-example error signal δ_l = ∂loss_i/∂z_l (batch × width)
 * at every dense layer's pre-activation, for every example at once. The weight gradient of example i
 * at layer l is then the outer product a_{l,i} δ_{l,i}ᵀ, and its bias gradient δ_{l,i}.
 * Allocates tensors: call inside tf.tidy.
 */
function backprop(spec: MlpSpec, params: readonly tf.Tensor[], batch: TensorBatch, positiveWeight: number) {
  const trace = mlpForwardTrace(spec, params, batch.x);
  const numLayers = trace.inputs.length;
  const deltas: tf.Tensor2D[] = new Array<tf.Tensor2D>(numLayers);
  deltas[numLayers - 1] = outputGradient(spec, trace.logits, batch.y, positiveWeight);
  for (let l = numLayers - 2; l >= 0; l--) {
    const back = tf.matMul(deltas[l + 1] as tf.Tensor2D, params[2 * (l + 1)] as tf.Tensor2D, false, true);
    deltas[l] = tf.mul(back, activationDerivative(spec.activation, trace.inputs[l + 1] as tf.Tensor2D));
  }
  return { inputs: trace.inputs, deltas, lossSum: tf.sum(outputLoss(spec, trace.logits, batch.y, positiveWeight)) as tf.Scalar };
}

/** Σ_examples a_lᵀ δ_l and Σ δ_l per layer, in template order. */
function summedGradients(inputs: readonly tf.Tensor2D[], deltas: readonly tf.Tensor2D[]): tf.Tensor[] {
  return deltas.flatMap((d, l) => [tf.matMul(inputs[l] as tf.Tensor2D, d, true, false), tf.sum(d, 0)]);
}

/**
 * The non-private gradient of the mean loss over the batch (template order), by the same backprop.
 * Allocates tensors: call inside tf.tidy.
 */
export function meanGradient(spec: MlpSpec, params: readonly tf.Tensor[], batch: TensorBatch, positiveWeight = 1): BatchGradient {
  const { inputs, deltas, lossSum } = backprop(spec, params, batch, positiveWeight);
  const n = batch.x.shape[0];
  return { grads: summedGradients(inputs, deltas).map((g) => tf.div(g, n)), lossSum };
}

/** The clipped sum of per-example gradients and the norms before clipping. */
export interface ClippedSum extends BatchGradient {
  /** Per-example L2 norm of the full (all-layer) gradient before clipping, length batch. */
  readonly norms: tf.Tensor1D;
}

/**
 * Σ_i clip_C(g_i): every example's gradient scaled by c_i = min(1, C / (‖g_i‖ + 1e-6)) and summed,
 * without materialising any g_i. For a dense layer g_i = a_i δ_iᵀ (plus bias δ_i), so
 * ‖g_i‖² = ‖a_i‖²·‖δ_i‖² + ‖δ_i‖² (the "ghost norm", Goodfellow 2015), and the clipped sum is
 * Aᵀ·diag(c)·Δ — one matmul per layer. Valid because each example contributes ONE row to each dense
 * layer; layers that reuse weights within an example (conv, RNN, embeddings) need other identities.
 * The 1e-6 matches Opacus, so an example exactly at norm C is scaled by C/(C + 1e-6) ≈ 1.
 * Allocates tensors: call inside tf.tidy.
 * @param clippingNorm C > 0.
 */
export function clippedGradientSum(
  spec: MlpSpec,
  params: readonly tf.Tensor[],
  batch: TensorBatch,
  clippingNorm: number,
  positiveWeight = 1,
): ClippedSum {
  const { inputs, deltas, lossSum } = backprop(spec, params, batch, positiveWeight);
  let sq: tf.Tensor1D | undefined;
  for (let l = 0; l < deltas.length; l++) {
    const aSq = tf.add(tf.sum(tf.square(inputs[l] as tf.Tensor2D), 1), 1);
    const term = tf.mul(aSq, tf.sum(tf.square(deltas[l] as tf.Tensor2D), 1)) as tf.Tensor1D;
    sq = sq === undefined ? term : (tf.add(sq, term) as tf.Tensor1D);
  }
  const norms = tf.sqrt(sq as tf.Tensor1D);
  const scale = tf.reshape(tf.minimum(1, tf.div(clippingNorm, tf.add(norms, 1e-6))), [-1, 1]);
  const clipped = deltas.map((d) => tf.mul(d, scale) as tf.Tensor2D);
  return { grads: summedGradients(inputs, clipped), lossSum, norms };
}

/**
 * Adds N(0, std²) to every gradient entry, drawing all of them in one Float32Array from `rng` through
 * privacy/dp/gaussian.ts (never tf.randomNormal, whose generator is not a CSPRNG). `std = 0` adds nothing
 * and draws nothing. Allocates tensors: call inside tf.tidy.
 */
export function addNoise(grads: readonly tf.Tensor[], rng: RandomSource, std: number): tf.Tensor[] {
  if (std === 0) return [...grads];
  const total = grads.reduce((n, g) => n + g.size, 0);
  const noise = new Float32Array(total);
  fillGaussian(rng, noise, std);
  let off = 0;
  return grads.map((g) => {
    const part = tf.tensor(noise.subarray(off, off + g.size), g.shape, 'float32');
    off += g.size;
    return tf.add(g, part);
  });
}

/** Settings of one DP-SGD step. */
export interface DpStepOptions {
  readonly clippingNorm: number;
  readonly noiseMultiplier: number;
  /** q·N: the fixed divisor (Opacus normalises by the expected batch size, keeping the sensitivity C/(qN)). */
  readonly expectedBatchSize: number;
  readonly positiveWeight?: number;
}

/**
 * The privatised gradient of one Poisson-sampled step (Abadi et al. 2016, Algorithm 1):
 * (Σ_i clip_C(g_i) + N(0, (σC)²·I)) / (q·N). An empty batch still gets its noise, as it must: skipping
 * it would reveal that the batch was empty. Allocates tensors: call inside tf.tidy.
 * Paper: https://arxiv.org/abs/1607.00133
 * @param batch undefined for an empty Poisson draw (the noise is then shaped like `params`).
 */
export function dpGradient(
  spec: MlpSpec,
  params: readonly tf.Tensor[],
  batch: TensorBatch | undefined,
  options: DpStepOptions,
  rng: RandomSource,
): BatchGradient {
  const { clippingNorm, noiseMultiplier, expectedBatchSize } = options;
  const clipped: BatchGradient = batch
    ? clippedGradientSum(spec, params, batch, clippingNorm, options.positiveWeight ?? 1)
    : { grads: params.map((p) => tf.zerosLike(p)), lossSum: tf.scalar(0) };
  const noisy = addNoise(clipped.grads, rng, noiseMultiplier * clippingNorm);
  return { grads: noisy.map((g) => tf.div(g, expectedBatchSize)), lossSum: clipped.lossSum };
}
