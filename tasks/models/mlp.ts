/** Dense binary classifiers (MLP; logistic regression = no hidden layer): spec, Glorot init into Weights, tfjs forward pass, BCE loss. */
import * as tf from '@tensorflow/tfjs';
import { focalLogitGradient, focalLossWithLogits, type FocalParams } from '../fraud-detection-loss.js';
import { z } from 'zod';
import { assertInt } from '../../common/assert.js';
import { ConfigError } from '../../common/errors.js';
import { RandomReader, type RandomSource } from '../../common/random.js';
import type { Tensor, Weights } from '../../common/weights.js';

/** Hidden-layer activations the per-example gradient code knows the derivative of. */
export const ACTIVATIONS = ['relu', 'tanh', 'sigmoid'] as const;
export type Activation = (typeof ACTIVATIONS)[number];

/** A dense model spec as it arrives in a task definition or job spec. */
export const MlpSpecSchema = z.object({
  numFeatures: z.int().positive().describe('Input width (encoded features per example).'),
  hiddenUnits: z.array(z.int().positive()).default([]).describe('Units per hidden layer; [] gives logistic regression.'),
  activation: z.enum(ACTIVATIONS).default('relu').describe('Activation of every hidden layer.'),
});

/**
 * A dense binary classifier: `numFeatures → hiddenUnits… → 1 logit`. The output is a logit; the sigmoid
 * lives in the loss (binary cross-entropy with logits) and in the scores, never in the weights.
 */
export interface MlpSpec {
  /** Absent means an MLP too (the credit task's specs predate the union in model-spec.ts). */
  readonly kind?: 'mlp';
  readonly numFeatures: number;
  readonly hiddenUnits: readonly number[];
  readonly activation: Activation;
  /**
   * `bce` (default): one logit, binary cross-entropy; `mse`: one real-valued output, squared error
   * (regression, e.g. next-day returns). Both keep one output per example, so ghost clipping applies.
   */
  readonly loss?: 'bce' | 'mse';
  /** With `bce`: focal loss instead of cross-entropy (fraud-detection; tasks/fraud-detection-loss.ts). */
  readonly focal?: FocalParams;
}

/**
 * Validates a raw spec at the edge.
 * @throws ConfigError naming `source` with zod's issues.
 */
export function parseMlpSpec(raw: unknown, source = 'model spec'): MlpSpec {
  const parsed = MlpSpecSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(source, parsed.error.issues);
  return parsed.data;
}

/** Logistic regression over `numFeatures` inputs: an MLP with no hidden layer. */
export function logisticSpec(numFeatures: number): MlpSpec {
  assertInt('logisticSpec', 'numFeatures', numFeatures, 1);
  return { numFeatures, hiddenUnits: [], activation: 'relu' };
}

/** Layer widths from input to output, e.g. [60, 64, 32, 1]. */
export function layerSizes(spec: MlpSpec): number[] {
  return [spec.numFeatures, ...spec.hiddenUnits, 1];
}

/**
 * Names and shapes of the parameters, in declaration order: `dense_<l>/kernel` [in, out] then
 * `dense_<l>/bias` [out] for each layer l from 0. Values are zero.
 */
export function mlpTemplate(spec: MlpSpec): Weights {
  const sizes = layerSizes(spec);
  const out: Tensor[] = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    const fanIn = sizes[l] as number;
    const fanOut = sizes[l + 1] as number;
    out.push({ name: `dense_${l}/kernel`, shape: [fanIn, fanOut], values: new Float32Array(fanIn * fanOut) });
    out.push({ name: `dense_${l}/bias`, shape: [fanOut], values: new Float32Array(fanOut) });
  }
  return out;
}

/**
 * Initial weights: kernels Glorot-uniform, U(−√(6/(fanIn+fanOut)), +√(6/(fanIn+fanOut))) (Glorot & Bengio
 * 2010, the Keras default), biases zero.
 * @param rng production callers pass cryptoRandom(); tests a seeded source for reproducible models.
 * @example initMlpWeights({ numFeatures: 60, hiddenUnits: [64, 32], activation: 'relu' }, rng) // 6 tensors, 6,017 values
 */
export function initMlpWeights(spec: MlpSpec, rng: RandomSource): Weights {
  const reader = new RandomReader(rng);
  return mlpTemplate(spec).map((t) => {
    if (t.shape.length === 2) {
      const limit = Math.sqrt(6 / ((t.shape[0] as number) + (t.shape[1] as number)));
      for (let i = 0; i < t.values.length; i++) t.values[i] = (2 * reader.uniform() - 1) * limit;
    }
    return t;
  });
}

/** What a forward pass keeps for backprop: each dense layer's input and each layer's output. */
export interface ForwardTrace {
  /** `inputs[l]` is the input of dense layer l (batch × width); inputs[0] is the batch itself. */
  readonly inputs: readonly tf.Tensor2D[];
  /** Logits, batch × 1. */
  readonly logits: tf.Tensor2D;
}

/**
 * The forward pass over tensors in mlpTemplate order (kernel, bias per layer). Allocates tensors: call
 * inside tf.tidy.
 * @param params tensors or variables shaped as mlpTemplate(spec).
 * @param x batch × numFeatures.
 */
export function mlpForwardTrace(spec: MlpSpec, params: readonly tf.Tensor[], x: tf.Tensor2D): ForwardTrace {
  const numLayers = spec.hiddenUnits.length + 1;
  const inputs: tf.Tensor2D[] = [x];
  let a = x;
  for (let l = 0; l < numLayers; l++) {
    const z = tf.add(tf.matMul(a, params[2 * l] as tf.Tensor2D), params[2 * l + 1] as tf.Tensor1D) as tf.Tensor2D;
    if (l === numLayers - 1) return { inputs, logits: z };
    a = activate(spec.activation, z);
    inputs.push(a);
  }
  throw new Error('unreachable');
}

/** Applies a hidden activation. */
export function activate(activation: Activation, z: tf.Tensor2D): tf.Tensor2D {
  if (activation === 'relu') return tf.relu(z);
  if (activation === 'tanh') return tf.tanh(z);
  return tf.sigmoid(z);
}

/** The activation's derivative expressed through its output `a` (saves keeping the pre-activations). */
export function activationDerivative(activation: Activation, a: tf.Tensor2D): tf.Tensor2D {
  if (activation === 'relu') return tf.step(a) as tf.Tensor2D;
  if (activation === 'tanh') return tf.sub(1, tf.square(a));
  return tf.mul(a, tf.sub(1, a));
}

/** Uploads Weights as tensors in mlpTemplate order. The caller disposes them. */
export function weightsToTensors(weights: Weights): tf.Tensor[] {
  return weights.map((t) => tf.tensor(t.values, [...t.shape], 'float32'));
}

/** Downloads tensors (template order) back into Weights named like `template`. */
export function tensorsToWeights(tensors: readonly tf.Tensor[], template: Weights): Weights {
  return tensors.map((t, i) => {
    const like = template[i] as Tensor;
    return { name: like.name, shape: [...like.shape], values: Float32Array.from(t.dataSync() as Float32Array) };
  });
}

/**
 * Logits for a batch straight from Weights (uploads, runs, frees). For evaluation and tests; training
 * keeps the parameters on the backend instead.
 * @param x row-major batch × numFeatures.
 */
export function mlpLogits(spec: MlpSpec, weights: Weights, x: Float32Array): Float32Array {
  if (x.length % spec.numFeatures !== 0) {
    throw new RangeError(`mlpLogits: "x" expected a multiple of ${spec.numFeatures} values, got ${x.length}`);
  }
  const logits = tf.tidy(() => {
    const params = weightsToTensors(weights);
    const batch = tf.tensor2d(x, [x.length / spec.numFeatures, spec.numFeatures]);
    return mlpForwardTrace(spec, params, batch).logits;
  });
  const values = Float32Array.from(logits.dataSync() as Float32Array);
  logits.dispose();
  return values;
}

/**
 * Per-example weighted binary cross-entropy on logits, computed stably as
 * `w·(max(z, 0) − z·y + log(1 + e^(−|z|)))` (the TensorFlow `sigmoid_cross_entropy_with_logits` form).
 * Allocates tensors: call inside tf.tidy.
 * @param logits batch × 1.
 * @param labels batch × 1, values in {0, 1} (soft labels in [0, 1] also work).
 * @param positiveWeight weight of examples with label 1; label-0 examples weigh 1.
 * @returns batch × 1 losses.
 */
export function bceWithLogits(logits: tf.Tensor2D, labels: tf.Tensor2D, positiveWeight = 1): tf.Tensor2D {
  const loss = tf.add(tf.sub(tf.relu(logits), tf.mul(logits, labels)), tf.log1p(tf.exp(tf.neg(tf.abs(logits)))));
  return positiveWeight === 1 ? (loss as tf.Tensor2D) : tf.mul(loss, exampleWeights(labels, positiveWeight));
}

/**
 * d loss_i / d z_i for bceWithLogits: `w_i·(σ(z_i) − y_i)`. Allocates tensors: call inside tf.tidy.
 * @returns batch × 1.
 */
export function bceLogitGradient(logits: tf.Tensor2D, labels: tf.Tensor2D, positiveWeight = 1): tf.Tensor2D {
  const g = tf.sub(tf.sigmoid(logits), labels) as tf.Tensor2D;
  return positiveWeight === 1 ? g : tf.mul(g, exampleWeights(labels, positiveWeight));
}

/**
 * Per-example loss of the spec's output: bceWithLogits, or (z − y)² for `loss: 'mse'` (where
 * `positiveWeight` does not apply). Allocates tensors: call inside tf.tidy.
 */
export function outputLoss(spec: MlpSpec, outputs: tf.Tensor2D, labels: tf.Tensor2D, positiveWeight = 1): tf.Tensor2D {
  if (spec.focal && spec.loss !== 'mse') return focalLossWithLogits(outputs, labels, spec.focal);
  return spec.loss === 'mse' ? (tf.square(tf.sub(outputs, labels)) as tf.Tensor2D) : bceWithLogits(outputs, labels, positiveWeight);
}

/** d outputLoss_i / d z_i: bceLogitGradient, or 2(z − y) for `mse`. Allocates: call inside tf.tidy. */
export function outputGradient(spec: MlpSpec, outputs: tf.Tensor2D, labels: tf.Tensor2D, positiveWeight = 1): tf.Tensor2D {
  if (spec.focal && spec.loss !== 'mse') return focalLogitGradient(outputs, labels, spec.focal);
  return spec.loss === 'mse' ? tf.mul(2, tf.sub(outputs, labels)) : bceLogitGradient(outputs, labels, positiveWeight);
}

function exampleWeights(labels: tf.Tensor2D, positiveWeight: number): tf.Tensor2D {
  // 1 + (w − 1)·y: label 1 weighs w, label 0 weighs 1, and soft labels interpolate.
  return tf.add(1, tf.mul(labels, positiveWeight - 1));
}
