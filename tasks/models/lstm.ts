/** A one-layer LSTM regressor over fixed windows: spec, Keras-layout template, Keras-default initialisation into Weights (no tfjs). */
import { z } from 'zod';
import { assertInt } from '../../common/assert.js';
import { ConfigError } from '../../common/errors.js';
import { RandomReader, type RandomSource } from '../../common/random.js';
import type { Tensor, Weights } from '../../common/weights.js';
import { fillGaussian } from '../../privacy/dp/gaussian.js';

/** An LSTM spec as it arrives in a task definition. */
export const LstmSpecSchema = z.object({
  kind: z.literal('lstm'),
  timesteps: z.int().positive().max(1000).describe('Window length T: steps per example.'),
  featuresPerStep: z.int().positive().max(1000).describe('F: inputs per step; an example is T·F values, step-major.'),
  units: z.int().positive().max(1024).describe('H: hidden units of the LSTM layer.'),
});

/**
 * `[T·F] → reshape [T, F] → LSTM(H) → last hidden state → dense(1)`: one regression output, trained
 * with mean squared error. An example is row-major step-major: step t, input f is `x[t·F + f]`.
 * The parameters follow Keras's layout and gate order (input, forget, cell, output), so an exported
 * `tf.layers.lstm({ units: H, recurrentActivation: 'sigmoid' })` plus `dense(1)` reproduces it exactly.
 */
export interface LstmSpec {
  readonly kind: 'lstm';
  readonly timesteps: number;
  readonly featuresPerStep: number;
  readonly units: number;
}

/** Validates a raw spec at the edge. @throws ConfigError naming `source`. */
export function parseLstmSpec(raw: unknown, source = 'model spec'): LstmSpec {
  const parsed = LstmSpecSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(source, parsed.error.issues);
  return parsed.data;
}

/** Input width of one flattened example: T·F. */
export function lstmInputWidth(spec: LstmSpec): number {
  return spec.timesteps * spec.featuresPerStep;
}

/**
 * Names and shapes in declaration order (values zero): `lstm/kernel` [F, 4H], `lstm/recurrent_kernel`
 * [H, 4H], `lstm/bias` [4H], `dense/kernel` [H, 1], `dense/bias` [1]. Gate blocks of 4H are i, f, c, o.
 */
export function lstmTemplate(spec: LstmSpec): Weights {
  const { featuresPerStep: f, units: h } = spec;
  const t = (name: string, shape: number[]): Tensor => ({ name, shape, values: new Float32Array(shape.reduce((a, b) => a * b, 1)) });
  return [t('lstm/kernel', [f, 4 * h]), t('lstm/recurrent_kernel', [h, 4 * h]), t('lstm/bias', [4 * h]), t('dense/kernel', [h, 1]), t('dense/bias', [1])];
}

/**
 * Keras's defaults: kernels Glorot-uniform, the recurrent kernel orthogonal (rows orthonormal, from
 * Gram–Schmidt on a Gaussian matrix — Keras's `Orthogonal` via QR with the sign fix), the bias zero
 * except the forget gate's, which is 1 (`unit_forget_bias`, Jozefowicz et al. 2015). Pure JS, so the
 * coordinator builds checkpoint 0 without a tfjs backend.
 * @param rng production callers pass cryptoRandom(); tests a seeded source.
 */
export function initLstmWeights(spec: LstmSpec, rng: RandomSource): Weights {
  assertInt('initLstmWeights', 'units', spec.units, 1);
  const reader = new RandomReader(rng);
  const [kernel, recurrent, bias, dense, denseBias] = lstmTemplate(spec) as [Tensor, Tensor, Tensor, Tensor, Tensor];
  glorot(kernel, reader);
  orthogonalRows(recurrent, rng);
  bias.values.fill(1, spec.units, 2 * spec.units);
  glorot(dense, reader);
  return [kernel, recurrent, bias, dense, denseBias];
}

function glorot(t: Tensor, reader: RandomReader): void {
  const limit = Math.sqrt(6 / ((t.shape[0] as number) + (t.shape[1] as number)));
  for (let i = 0; i < t.values.length; i++) t.values[i] = (2 * reader.uniform() - 1) * limit;
}

/**
 * Fills a rows × cols matrix (rows ≤ cols) with orthonormal rows: modified Gram–Schmidt on Gaussian
 * rows. Gram–Schmidt's R has a positive diagonal, which is exactly Keras's `q *= sign(diag(r))`.
 */
function orthogonalRows(t: Tensor, rng: RandomSource): void {
  const rows = t.shape[0] as number;
  const cols = t.shape[1] as number;
  const a = new Float64Array(rows * cols);
  fillGaussian(rng, a, 1, 0, { mode: 'fast' });
  for (let i = 0; i < rows; i++) {
    const ri = a.subarray(i * cols, (i + 1) * cols);
    for (let j = 0; j < i; j++) {
      const rj = a.subarray(j * cols, (j + 1) * cols);
      let dot = 0;
      for (let k = 0; k < cols; k++) dot += ri[k]! * rj[k]!;
      for (let k = 0; k < cols; k++) ri[k] = ri[k]! - dot * rj[k]!;
    }
    let norm = 0;
    for (let k = 0; k < cols; k++) norm += ri[k]! * ri[k]!;
    norm = Math.sqrt(norm);
    for (let k = 0; k < cols; k++) ri[k] = ri[k]! / norm;
  }
  for (let i = 0; i < a.length; i++) t.values[i] = a[i]!;
}
