/** TensorFlow.js files of an exported market model (LSTM or MLP baseline) and the package writer: weights.bin, model.json, fedfin-model.json last. */
import * as tf from '@tensorflow/tfjs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../common/atomic-file.js';
import type { Weights } from '../../common/weights.js';
import { buildLayersModel, layersModelFilesOf, type LayersModelFiles } from '../model-artifacts.js';
import { PACKAGE_FILES } from '../model-package.js';
import { lstmTemplate, type LstmSpec } from '../models/lstm.js';
import { isLstm, type ModelSpec } from '../models/model-spec.js';
import { marketModelSpec, type MarketModelMetadata } from './package.js';

/**
 * `[T·F] → reshape [T, F] → lstm (H, sigmoid recurrent activation) → dense(1)`, carrying `weights`
 * in fedfin's Keras layout (`lstm/kernel`, `lstm/recurrent_kernel`, `lstm/bias`, `dense/kernel`,
 * `dense/bias`; gates i, f, c, o): tfjs's own LSTM then predicts what the banks' trainer predicts.
 * The caller disposes the model.
 * @throws RangeError when `weights` do not have lstmTemplate(spec)'s names and shapes.
 */
export function buildLstmLayersModel(spec: LstmSpec, weights: Weights): tf.Sequential {
  const template = lstmTemplate(spec);
  const fits = weights.length === template.length && template.every((t, i) => weights[i]!.name === t.name && weights[i]!.shape.join('x') === t.shape.join('x'));
  if (!fits) throw new RangeError(`buildLstmLayersModel: "weights" expected ${template.map((t) => `${t.name}[${t.shape.join('x')}]`).join(', ')}, got ${weights.map((t) => `${t.name}[${t.shape.join('x')}]`).join(', ')}`);
  const model = tf.sequential({
    name: 'fedfin_lstm',
    layers: [
      tf.layers.reshape({ name: 'window', targetShape: [spec.timesteps, spec.featuresPerStep], inputShape: [spec.timesteps * spec.featuresPerStep] }),
      tf.layers.lstm({ name: 'lstm', units: spec.units, recurrentActivation: 'sigmoid' }),
      tf.layers.dense({ name: 'dense', units: 1 }),
    ],
  });
  const tensors = weights.map((t) => tf.tensor(t.values, [...t.shape], 'float32'));
  model.setWeights(tensors);
  tf.dispose(tensors);
  return model;
}

/** A tfjs LayersModel of either market model family with `weights`. The caller disposes it. */
export function buildMarketLayersModel(spec: ModelSpec, weights: Weights): tf.Sequential {
  return isLstm(spec) ? buildLstmLayersModel(spec, weights) : buildLayersModel(spec, weights);
}

/** model.json (topology + manifest pointing at weights.bin) and the weight bytes of a market model. */
export async function marketLayersModelFiles(spec: ModelSpec, weights: Weights): Promise<LayersModelFiles> {
  const model = buildMarketLayersModel(spec, weights);
  try {
    return await layersModelFilesOf(model);
  } finally {
    model.dispose();
  }
}

/**
 * Writes a market model directory: `weights.bin`, `model.json`, then `fedfin-model.json` last, each
 * atomically, so a directory with metadata always has complete model files.
 */
export async function writeMarketModelPackage(dir: string, meta: MarketModelMetadata, weights: Weights): Promise<{ files: string[]; bytes: number }> {
  const { modelJson, weightsBin } = await marketLayersModelFiles(marketModelSpec(meta), weights);
  const metaText = `${JSON.stringify(meta, null, 2)}\n`;
  const files = [join(dir, PACKAGE_FILES.weights), join(dir, PACKAGE_FILES.model), join(dir, PACKAGE_FILES.metadata)];
  writeFileAtomic(files[0]!, weightsBin);
  writeFileAtomic(files[1]!, modelJson);
  writeFileAtomic(files[2]!, metaText);
  return { files, bytes: weightsBin.length + Buffer.byteLength(modelJson) + Buffer.byteLength(metaText) };
}
