/** Binary cross-entropy on logits with optional class weights: per-example loss and its derivative w.r.t. the logit. */
import * as tf from '@tensorflow/tfjs';

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

function exampleWeights(labels: tf.Tensor2D, positiveWeight: number): tf.Tensor2D {
  // 1 + (w − 1)·y: label 1 weighs w, label 0 weighs 1, and soft labels interpolate.
  return tf.add(1, tf.mul(labels, positiveWeight - 1));
}
