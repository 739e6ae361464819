/** The model union every task returns (MLP or LSTM): template, initial weights and input width, dispatched on `kind`. */
import type { RandomSource } from '../../common/random.js';
import type { Weights } from '../../common/weights.js';
import { initLstmWeights, lstmInputWidth, lstmTemplate, type LstmSpec } from './lstm.js';
import { initMlpWeights, mlpTemplate, type MlpSpec } from './mlp.js';

/**
 * What a task trains. `MlpSpec` (kind absent or `'mlp'`) is a dense network with a logit (`bce`) or
 * a real-valued (`mse`) output; `LstmSpec` (kind `'lstm'`) a one-layer LSTM regressor over windows.
 */
export type ModelSpec = MlpSpec | LstmSpec;

/** True for the LSTM member of the union. */
export function isLstm(spec: ModelSpec): spec is LstmSpec {
  return spec.kind === 'lstm';
}

/** The loss a model trains with: `bce` (binary, the default) or `mse` (regression; every LSTM). */
export function modelLoss(spec: ModelSpec): 'bce' | 'mse' {
  return isLstm(spec) ? 'mse' : (spec.loss ?? 'bce');
}

/** Values per example the model reads (an LSTM's T·F window, flattened step-major). */
export function modelInputWidth(spec: ModelSpec): number {
  return isLstm(spec) ? lstmInputWidth(spec) : spec.numFeatures;
}

/** Parameter names and shapes (values zero), in the order weights travel. */
export function modelTemplate(spec: ModelSpec): Weights {
  return isLstm(spec) ? lstmTemplate(spec) : mlpTemplate(spec);
}

/**
 * Initial weights (checkpoint 0), with each family's Keras defaults; pure JS, no tfjs backend needed.
 * @param rng production callers pass cryptoRandom(); tests a seeded source.
 */
export function initModelWeights(spec: ModelSpec, rng: RandomSource): Weights {
  return isLstm(spec) ? initLstmWeights(spec, rng) : initMlpWeights(spec, rng);
}

/** A one-line description for logs and reports, e.g. `lstm T=20 F=4 H=32` or `mlp 60-32-16-1 (bce)`. */
export function describeModel(spec: ModelSpec): string {
  if (isLstm(spec)) return `lstm T=${spec.timesteps} F=${spec.featuresPerStep} H=${spec.units}`;
  return `mlp ${[spec.numFeatures, ...spec.hiddenUnits, 1].join('-')} (${spec.loss ?? 'bce'})`;
}
