/** TensorFlow.js LayersModel files of a dense model: build them from Weights, write a model directory atomically, load it back. */
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertInt } from '../common/assert.js';
import { writeFileAtomic } from '../common/atomic-file.js';
import { FedfinError, FileError } from '../common/errors.js';
import type { Weights } from '../common/weights.js';
import { layerSizes, mlpTemplate, type MlpSpec } from './models/mlp.js';
import { PACKAGE_FILES, type ModelMetadata } from './model-package.js';

/** `model.json` and `weights.bin` contents in the tfjs "layers-model" format. */
export interface LayersModelFiles {
  readonly modelJson: string;
  readonly weightsBin: Uint8Array;
}

/**
 * A tf.sequential of dense layers named `dense_<l>` (hidden layers with the spec's activation, the
 * output linear: it returns the logit), carrying `weights`. The caller disposes the model.
 * @throws RangeError when `weights` do not have mlpTemplate(spec)'s names and shapes.
 */
export function buildLayersModel(spec: MlpSpec, weights: Weights): tf.Sequential {
  const template = mlpTemplate(spec);
  const fits = weights.length === template.length && template.every((t, i) => weights[i]!.name === t.name && weights[i]!.shape.join('x') === t.shape.join('x'));
  if (!fits) throw new RangeError(`buildLayersModel: "weights" expected ${template.map((t) => `${t.name}[${t.shape.join('x')}]`).join(', ')}, got ${weights.map((t) => `${t.name}[${t.shape.join('x')}]`).join(', ')}`);
  const sizes = layerSizes(spec);
  const model = tf.sequential({ name: 'fedfin_mlp' });
  for (let l = 0; l + 1 < sizes.length; l++) {
    const last = l + 2 === sizes.length;
    model.add(tf.layers.dense({ name: `dense_${l}`, units: sizes[l + 1]!, activation: last ? 'linear' : spec.activation, useBias: true, ...(l === 0 ? { inputShape: [spec.numFeatures] } : {}) }));
  }
  const tensors = weights.map((t) => tf.tensor(t.values, [...t.shape], 'float32'));
  model.setWeights(tensors);
  tf.dispose(tensors);
  return model;
}

/**
 * The model.json (topology + weights manifest pointing at `weights.bin`) and weight bytes of a dense model,
 * as tfjs's own save handlers produce them.
 */
export async function layersModelFiles(spec: MlpSpec, weights: Weights): Promise<LayersModelFiles> {
  const model = buildLayersModel(spec, weights);
  try {
    return await layersModelFilesOf(model);
  } finally {
    model.dispose();
  }
}

/** The model.json and weight bytes of any built tfjs LayersModel (captured from tfjs's own save handler). */
export async function layersModelFilesOf(model: tf.LayersModel): Promise<LayersModelFiles> {
  let captured: tf.io.ModelArtifacts | undefined;
  await model.save(tf.io.withSaveHandler(async (artifacts) => {
    captured = artifacts;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  const a = captured!;
  const data = a.weightData instanceof ArrayBuffer ? new Uint8Array(a.weightData) : new Uint8Array(tf.io.concatenateArrayBuffers(a.weightData as ArrayBuffer[]));
  const json = {
    format: a.format ?? 'layers-model',
    generatedBy: a.generatedBy,
    convertedBy: 'fedfin',
    modelTopology: a.modelTopology,
    weightsManifest: [{ paths: [`./${PACKAGE_FILES.weights}`], weights: a.weightSpecs }],
  };
  return { modelJson: JSON.stringify(json), weightsBin: data };
}

/**
 * Writes an exported model directory: `weights.bin`, `model.json`, then `fedfin-model.json` last, each
 * atomically (temp file + rename), so a directory with metadata always has complete model files.
 */
export async function writeModelPackage(dir: string, meta: ModelMetadata, weights: Weights): Promise<{ files: string[]; bytes: number }> {
  const spec = { numFeatures: meta.model.numFeatures, hiddenUnits: meta.model.hiddenUnits, activation: meta.model.activation };
  const { modelJson, weightsBin } = await layersModelFiles(spec, weights);
  const metaText = `${JSON.stringify(meta, null, 2)}\n`;
  const files = [join(dir, PACKAGE_FILES.weights), join(dir, PACKAGE_FILES.model), join(dir, PACKAGE_FILES.metadata)];
  writeFileAtomic(files[0]!, weightsBin);
  writeFileAtomic(files[1]!, modelJson);
  writeFileAtomic(files[2]!, metaText);
  return { files, bytes: weightsBin.length + Buffer.byteLength(modelJson) + Buffer.byteLength(metaText) };
}

function readOrThrow(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    throw new FileError(file, missing ? 'missing from the model directory' : `cannot read (${(err as Error).message})`, missing ? 'file-not-found' : 'file-unreadable', { cause: err });
  }
}

/** The tfjs ModelArtifacts of a model directory (for `tf.loadLayersModel(tf.io.fromMemory(…))`). */
export function readLayersModelArtifacts(dir: string): tf.io.ModelArtifacts {
  const file = join(dir, PACKAGE_FILES.model);
  let json: { modelTopology?: object; weightsManifest?: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[] };
  try {
    json = JSON.parse(readOrThrow(file).toString('utf8')) as typeof json;
  } catch (err) {
    if (err instanceof FileError) throw err;
    throw new FedfinError('config-invalid', `${file}: not valid JSON (${(err as Error).message})`);
  }
  const manifest = json.weightsManifest?.[0];
  if (!json.modelTopology || !manifest || json.weightsManifest!.length !== 1 || manifest.paths.length !== 1) {
    throw new FedfinError('config-invalid', `${file}: expected a layers-model with one weights file`);
  }
  const bin = readOrThrow(join(dir, PACKAGE_FILES.weights));
  const weightData = bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength) as ArrayBuffer;
  return { modelTopology: json.modelTopology, weightSpecs: manifest.weights, weightData };
}

/** Loads a model directory as a tfjs LayersModel. The caller disposes it. */
export async function loadLayersModelDir(dir: string): Promise<tf.LayersModel> {
  return tf.loadLayersModel(tf.io.fromMemory(readLayersModelArtifacts(dir)));
}

/**
 * Rows per tfjs call that score fastest on the active backend. The wasm backend slows down sharply past
 * ~1k rows per call (8192-row calls measured ~10× slower per row than 512-row calls: bench/tasks-predict.ts),
 * while cpu and native prefer large calls that amortise tfjs's per-op overhead.
 */
export function inferenceBatchRows(): number {
  return tf.getBackend() === 'wasm' ? 512 : 8192;
}

/**
 * Logits of a loaded model for a row-major batch, run in slices of `batchSize` rows to bound memory.
 * @param x row-major rows × numFeatures.
 * @param batchSize rows per tfjs call. @default inferenceBatchRows() for the active backend
 */
export function predictLogits(model: tf.LayersModel, x: Float32Array, numFeatures: number, batchSize = inferenceBatchRows()): Float32Array {
  assertInt('predictLogits', 'batchSize', batchSize, 1, 1 << 24);
  if (x.length % numFeatures !== 0) throw new RangeError(`predictLogits: "x" expected a multiple of ${numFeatures} values, got ${x.length}`);
  const rows = x.length / numFeatures;
  const out = new Float32Array(rows);
  for (let r = 0; r < rows; r += batchSize) {
    const n = Math.min(batchSize, rows - r);
    const y = tf.tidy(() => model.predict(tf.tensor2d(x.subarray(r * numFeatures, (r + n) * numFeatures), [n, numFeatures])) as tf.Tensor);
    out.set(y.dataSync() as Float32Array, r);
    y.dispose();
  }
  return out;
}
