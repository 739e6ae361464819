/**
 * Losses for rare positives (fraud at 0.2–2 %): focal loss on logits (Lin et al. 2017,
 * https://arxiv.org/abs/1708.02002) with its exact per-example gradient, and the positive-class weight
 * for weighted cross-entropy. Both are per-example functions of one logit, so DP-SGD's ghost clipping
 * (client/trainer/dp-sgd.ts) clips them like plain BCE.
 */
import * as tf from '@tensorflow/tfjs';
import { FedfinError } from '../common/errors.js';

/** Focal loss parameters: γ focuses on hard examples (0 = cross-entropy), α weighs the positive class. */
export interface FocalParams {
  readonly gamma: number;
  readonly alpha: number;
}

/**
 * Per-example focal loss with logits, for labels y ∈ [0, 1] (soft labels interpolate):
 * `y·α·(1−p)^γ·(−ln p) + (1−y)·(1−α)·p^γ·(−ln(1−p))`, p = σ(z), computed from softplus so large |z|
 * neither overflows nor loses the tail. Allocates tensors: call inside tf.tidy.
 * @returns batch × 1.
 */
export function focalLossWithLogits(logits: tf.Tensor2D, labels: tf.Tensor2D, f: FocalParams): tf.Tensor2D {
  const nlogP = tf.softplus(tf.neg(logits)); // −ln p
  const nlog1mP = tf.softplus(logits); // −ln(1 − p)
  const pos = tf.mul(tf.mul(f.alpha, tf.exp(tf.mul(-f.gamma, nlog1mP))), nlogP);
  const neg = tf.mul(tf.mul(1 - f.alpha, tf.exp(tf.mul(-f.gamma, nlogP))), nlog1mP);
  return tf.add(tf.mul(labels, pos), tf.mul(tf.sub(1, labels), neg)) as tf.Tensor2D;
}

/**
 * d focal_i / d z_i, exactly: for y = 1, `α(1−p)^γ·(γ·p·ln p − (1−p))`; for y = 0,
 * `(1−α)p^γ·(p − γ(1−p)·ln(1−p))`; soft labels mix the two. Allocates tensors: call inside tf.tidy.
 * @returns batch × 1.
 */
export function focalLogitGradient(logits: tf.Tensor2D, labels: tf.Tensor2D, f: FocalParams): tf.Tensor2D {
  const p = tf.sigmoid(logits);
  const q = tf.sigmoid(tf.neg(logits)); // 1 − p without cancellation
  const logP = tf.neg(tf.softplus(tf.neg(logits)));
  const logQ = tf.neg(tf.softplus(logits));
  const dPos = tf.mul(tf.mul(f.alpha, tf.exp(tf.mul(f.gamma, logQ))), tf.sub(tf.mul(f.gamma, tf.mul(p, logP)), q));
  const dNeg = tf.mul(tf.mul(1 - f.alpha, tf.exp(tf.mul(f.gamma, logP))), tf.sub(p, tf.mul(f.gamma, tf.mul(q, logQ))));
  return tf.add(tf.mul(labels, dPos), tf.mul(tf.sub(1, labels), dNeg)) as tf.Tensor2D;
}

/** How a fraud job weighs positives: a fixed weight, or `auto` = the bank's own negatives/positives. */
export type PositiveWeightSetting = number | 'auto';

/** Largest automatic weight: a bank with 0.01 % fraud would otherwise get 10,000. */
export const MAX_AUTO_POSITIVE_WEIGHT = 1000;

/**
 * The positive-class weight of weighted cross-entropy for one bank's training labels. `auto` balances
 * the classes with the bank's own prevalence: (negatives / positives), capped at
 * MAX_AUTO_POSITIVE_WEIGHT, 1 when the bank has no positives.
 *
 * `auto` is a statistic of the bank's data that shapes its updates, outside what DP-SGD accounts for,
 * so with record-level DP it is refused: give a number (public knowledge of the fraud rate) or use focal loss.
 * @throws FedfinError('config-invalid') for `auto` with `dpSgd`.
 */
export function positiveClassWeight(setting: PositiveWeightSetting, labels: ArrayLike<number>, dpSgd: boolean): number {
  if (setting !== 'auto') return setting;
  if (dpSgd) throw new FedfinError('config-invalid', 'fraud.positiveWeight "auto" reads the bank\'s fraud rate outside the DP guarantee: with privacy dp-sgd give a number (e.g. 50) or use fraud.loss "focal"');
  let pos = 0;
  for (let i = 0; i < labels.length; i++) if ((labels[i] as number) >= 0.5) pos++;
  if (pos === 0) return 1;
  return Math.min(MAX_AUTO_POSITIVE_WEIGHT, (labels.length - pos) / pos);
}
