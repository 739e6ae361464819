/** What the tfjs trainer needs of a model family: forward pass, loss, mean and DP gradients, scores — for the MLP and the LSTM. */
import * as tf from '@tensorflow/tfjs';
import type { RandomSource } from '../../common/random.js';
import type { Weights } from '../../common/weights.js';
import { lstmForward, squaredError } from '../../tasks/models/lstm-forward.js';
import { isLstm, modelInputWidth, modelLoss, modelTemplate, type ModelSpec } from '../../tasks/models/model-spec.js';
import { mlpForwardTrace, outputLoss, type MlpSpec } from '../../tasks/models/mlp.js';
import { dpGradient, meanGradient, type BatchGradient, type DpStepOptions, type TensorBatch } from './dp-sgd.js';
import { lstmClippedGradientSum, lstmMeanGradient } from './dp-sgd-lstm.js';
import { addNoise } from './dp-sgd.js';

/**
 * One model family behind the trainer. Every method that returns tensors allocates: call inside tf.tidy.
 * Parameters are always in the family's template order.
 */
export interface ModelOps {
  readonly spec: ModelSpec;
  readonly template: Weights;
  /** Values per example. */
  readonly inputWidth: number;
  readonly loss: 'bce' | 'mse';
  /** Outputs, batch × 1: logits (bce) or predictions (mse). */
  forward(params: readonly tf.Tensor[], x: tf.Tensor2D): tf.Tensor2D;
  /** Per-example loss, batch × 1. */
  exampleLoss(outputs: tf.Tensor2D, y: tf.Tensor2D, positiveWeight: number): tf.Tensor2D;
  /** Scores for evaluation: σ(logit) for bce, the prediction itself for mse. */
  score(outputs: tf.Tensor2D): tf.Tensor2D;
  /** Gradient of the mean loss over `batch`. */
  meanGradient(params: readonly tf.Tensor[], batch: TensorBatch, positiveWeight: number): BatchGradient;
  /** DP-SGD's privatised gradient for one Poisson batch (undefined = empty draw: noise only). */
  dpGradient(params: readonly tf.Tensor[], batch: TensorBatch | undefined, options: DpStepOptions, rng: RandomSource): BatchGradient;
}

/** The ops of a spec's family. */
export function modelOps(spec: ModelSpec): ModelOps {
  return isLstm(spec) ? lstmOps(spec) : mlpOps(spec);
}

/** The MLP: hand-written backprop and ghost-norm clipping (dp-sgd.ts), unchanged for credit scoring. */
function mlpOps(spec: MlpSpec): ModelOps {
  const loss = modelLoss(spec);
  return {
    spec,
    template: modelTemplate(spec),
    inputWidth: modelInputWidth(spec),
    loss,
    forward: (params, x) => mlpForwardTrace(spec, params, x).logits,
    exampleLoss: (out, y, w) => outputLoss(spec, out, y, w),
    score: (out) => (loss === 'bce' ? tf.sigmoid(out) : out),
    meanGradient: (params, batch, w) => meanGradient(spec, params, batch, w),
    dpGradient: (params, batch, options, rng) => dpGradient(spec, params, batch, options, rng),
  };
}

/**
 * The LSTM: both the mean gradient and DP-SGD's exact per-example gradients come from one backward
 * pass to per-step probes (dp-sgd-lstm.ts); DP-SGD clips, sums and noises them like the MLP's.
 */
function lstmOps(spec: Extract<ModelSpec, { kind: 'lstm' }>): ModelOps {
  const forward = (params: readonly tf.Tensor[], x: tf.Tensor2D) => lstmForward(spec, params, x).outputs;
  return {
    spec,
    template: modelTemplate(spec),
    inputWidth: modelInputWidth(spec),
    loss: 'mse',
    forward,
    exampleLoss: (out, y) => squaredError(out, y),
    score: (out) => out,
    meanGradient: (params, batch) => lstmMeanGradient(spec, params, batch),
    dpGradient(params, batch, options, rng) {
      const clipped: BatchGradient = batch ? lstmClippedGradientSum(spec, params, batch, options.clippingNorm) : { grads: params.map((p) => tf.zerosLike(p)), lossSum: tf.scalar(0) };
      const noisy = addNoise(clipped.grads, rng, options.noiseMultiplier * options.clippingNorm);
      return { grads: noisy.map((g) => tf.div(g, options.expectedBatchSize)), lossSum: clipped.lossSum };
    },
  };
}
