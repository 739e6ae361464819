/** The LSTM's forward pass in tfjs ops (Keras gate order and activations), squared-error loss, and predictions from Weights. */
import * as tf from '@tensorflow/tfjs';
import type { Weights } from '../../common/weights.js';
import { lstmInputWidth, type LstmSpec } from './lstm.js';

/** What a forward pass keeps for per-example gradients. */
export interface LstmTrace {
  /** Predictions, batch × 1. */
  readonly outputs: tf.Tensor2D;
  /** The input as batch × T × F. */
  readonly steps: tf.Tensor3D;
  /** h_{t−1} for t = 0…T−1 (h_{−1} = 0), each batch × H. */
  readonly hiddenBefore: readonly tf.Tensor2D[];
  /** h_{T−1}, the dense head's input, batch × H. */
  readonly last: tf.Tensor2D;
}

/**
 * The forward pass over tensors in lstmTemplate order. The input projection x·W of every step is one
 * matMul; the recurrence runs T small steps. `probes[t]` (batch × 4H, zeros) is added to step t's gate
 * pre-activations: the gradient of the summed loss with respect to it is every example's error signal
 * δ_t at once, which per-example gradients need (dp-sgd-lstm.ts). Allocates tensors: call inside tf.tidy.
 * @param x batch × (T·F), step-major.
 */
export function lstmForward(spec: LstmSpec, params: readonly tf.Tensor[], x: tf.Tensor2D, probes?: readonly tf.Tensor2D[]): LstmTrace {
  const { timesteps: T, featuresPerStep: F, units: H } = spec;
  const [kernel, recurrent, bias, dense, denseBias] = params as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D, tf.Tensor2D, tf.Tensor1D];
  const n = x.shape[0];
  const steps = tf.reshape(x, [n, T, F]) as tf.Tensor3D;
  const projected = tf.reshape(tf.add(tf.matMul(tf.reshape(x, [n * T, F]), kernel), bias), [n, T, 4 * H]) as tf.Tensor3D;
  const perStep = tf.unstack(projected, 1) as tf.Tensor2D[];
  let h = tf.zeros([n, H]) as tf.Tensor2D;
  let c = tf.zeros([n, H]) as tf.Tensor2D;
  const hiddenBefore: tf.Tensor2D[] = [];
  for (let t = 0; t < T; t++) {
    hiddenBefore.push(h);
    let z = tf.add(perStep[t] as tf.Tensor2D, tf.matMul(h, recurrent)) as tf.Tensor2D;
    if (probes) z = tf.add(z, probes[t] as tf.Tensor2D);
    const [i, f, g, o] = tf.split(z, 4, 1) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
    c = tf.add(tf.mul(tf.sigmoid(f), c), tf.mul(tf.sigmoid(i), tf.tanh(g)));
    h = tf.mul(tf.sigmoid(o), tf.tanh(c));
  }
  const outputs = tf.add(tf.matMul(h, dense), denseBias) as tf.Tensor2D;
  return { outputs, steps, hiddenBefore, last: h };
}

/** Per-example squared error (ŷ − y)², batch × 1. Allocates: call inside tf.tidy. */
export function squaredError(outputs: tf.Tensor2D, targets: tf.Tensor2D): tf.Tensor2D {
  return tf.square(tf.sub(outputs, targets)) as tf.Tensor2D;
}

/**
 * Predictions for a batch straight from Weights (uploads, runs, frees), in `rowsPerCall` chunks.
 * @param x row-major batch × (T·F).
 */
export function lstmPredict(spec: LstmSpec, weights: Weights, x: Float32Array, rowsPerCall = 1024): Float32Array {
  const d = lstmInputWidth(spec);
  if (x.length % d !== 0) throw new RangeError(`lstmPredict: "x" expected a multiple of ${d} values, got ${x.length}`);
  const n = x.length / d;
  const out = new Float32Array(n);
  const params = weights.map((t) => tf.tensor(t.values, [...t.shape], 'float32'));
  try {
    for (let off = 0; off < n; off += rowsPerCall) {
      const rows = Math.min(rowsPerCall, n - off);
      const y = tf.tidy(() => lstmForward(spec, params, tf.tensor2d(x.subarray(off * d, (off + rows) * d), [rows, d])).outputs);
      out.set(y.dataSync() as Float32Array, off);
      y.dispose();
    }
  } finally {
    tf.dispose(params);
  }
  return out;
}
