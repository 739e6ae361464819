/** The TensorFlow.js Trainer for MLPs (binary or regression) and LSTMs: plain minibatch SGD/Adam or DP-SGD, FedProx and L1/L2 terms. */
import * as tf from '@tensorflow/tfjs';
import { FedfinError } from '../../common/errors.js';
import { silentLogger, type Logger } from '../../common/log.js';
import { cryptoRandom, type RandomSource } from '../../common/random.js';
import { sameStructure, type Weights } from '../../common/weights.js';
import { readerFor } from '../../privacy/dp/gaussian.js';
import type { ModelSpec } from '../../tasks/models/model-spec.js';
import { tensorsToWeights, weightsToTensors } from '../../tasks/models/mlp.js';
import { initTfBackend } from '../../tasks/tf-backend.js';
import type { BatchGradient, TensorBatch } from './dp-sgd.js';
import { modelOps, type ModelOps } from './model-ops.js';
import { planPoisson, poissonBatch, shuffledBatches } from './poisson-batches.js';
import { compileTrainOptions, type TrainOptions } from './train-config.js';
import type { Dataset, EvaluateOutcome, FitOutcome, PrivacyStep, Trainer } from './trainer.js';

/** How to build a tfjs trainer. */
export interface TfjsTrainerOptions {
  /** The model every fit/evaluate expects weights for. */
  readonly model: ModelSpec;
  /** Source of batch sampling, shuffling and DP noise. @default cryptoRandom() */
  readonly rng?: RandomSource;
  readonly logger?: Logger;
  /** Rows scored per tfjs call in evaluate. @default 4096 */
  readonly evalBatchSize?: number;
}

/**
 * A Trainer over TensorFlow.js on the backend initTfBackend picks. With `dpSgd: true` in the round
 * config it runs DP-SGD (dp-sgd.ts) on Poisson-sampled batches and returns the privacy steps taken;
 * otherwise plain minibatch training over shuffled batches. Parameters stay on the backend for the
 * whole fit; every tensor is freed before fit/evaluate returns or throws.
 * @example
 * const trainer = createTfjsTrainer({ model: { numFeatures: 60, hiddenUnits: [64, 32], activation: 'relu' } });
 * const out = await trainer.fit(w, data, { dpSgd: true, noiseMultiplier: 1.1, clippingNorm: 1, batchSize: 64 }, signal);
 * out.privacySteps // [{ noiseMultiplier: 1.1, sampleRate: 0.0064, steps: 156 }]
 */
export function createTfjsTrainer(options: TfjsTrainerOptions): Trainer {
  const ops = modelOps(options.model);
  const rng = options.rng ?? cryptoRandom();
  const logger = options.logger ?? silentLogger;
  const evalBatchSize = options.evalBatchSize ?? 4096;
  const template = ops.template;

  function check(weights: Weights, data: Dataset, op: string): void {
    if (!sameStructure(weights, template)) {
      throw new FedfinError('protocol-violation', `${op}: weights do not match the model (${template.length} tensors expected, names/shapes from ${template[0]?.name ?? '?'})`);
    }
    const n = data.numExamples;
    if (data.numFeatures !== ops.inputWidth || data.features.length !== n * data.numFeatures || data.labels.length !== n) {
      throw new FedfinError(
        'encoding-mismatch',
        `${op}: dataset is ${n}×${data.numFeatures} with ${data.features.length} feature values and ${data.labels.length} labels; the model expects ${ops.inputWidth} features`,
      );
    }
    if (n === 0) throw new FedfinError('data-invalid', `${op}: the dataset has no examples`);
  }

  return {
    async fit(weights, data, config, signal): Promise<FitOutcome> {
      const opts = compileTrainOptions(config);
      check(weights, data, 'fit');
      signal.throwIfAborted();
      const backend = await initTfBackend(logger);
      const before = tf.memory().numTensors;
      const session = openSession(ops, weights, data, opts);
      try {
        const result = opts.dp ? await runDp(session, opts, rng, signal) : await runPlain(session, opts, rng, signal);
        const lossTotal = (await session.lossTotal.data())[0] as number;
        const outWeights = tensorsToWeights(session.vars, weights);
        logger.debug('fit done', { backend, steps: result.steps, dp: opts.dp !== undefined });
        return {
          weights: outWeights,
          numExamples: data.numExamples,
          metrics: { loss: result.examplesSeen > 0 ? lossTotal / result.examplesSeen : Number.NaN, steps: result.steps },
          privacySteps: result.privacySteps,
        };
      } finally {
        session.dispose();
        if (tf.memory().numTensors !== before) logger.warn('tfjs tensors leaked by fit', { leaked: tf.memory().numTensors - before });
      }
    },

    async evaluate(weights, data, config, signal): Promise<EvaluateOutcome> {
      const opts = compileTrainOptions(config);
      check(weights, data, 'evaluate');
      await initTfBackend(logger);
      const n = data.numExamples;
      const d = data.numFeatures;
      const scores = new Float32Array(n);
      let lossSum = 0;
      const params = weightsToTensors(weights);
      try {
        for (let off = 0; off < n; off += evalBatchSize) {
          signal.throwIfAborted();
          const rows = Math.min(evalBatchSize, n - off);
          const [loss, prob] = tf.tidy((): [tf.Tensor, tf.Tensor] => {
            const x = tf.tensor2d(data.features.subarray(off * d, (off + rows) * d), [rows, d]);
            const y = tf.tensor2d(data.labels.subarray(off, off + rows), [rows, 1]);
            const out = ops.forward(params, x);
            return [tf.sum(ops.exampleLoss(out, y, opts.positiveClassWeight)), ops.score(out)];
          });
          lossSum += (loss.dataSync() as Float32Array)[0] as number;
          scores.set(prob.dataSync() as Float32Array, off);
          tf.dispose([loss, prob]);
          await yieldToEventLoop();
        }
      } finally {
        tf.dispose(params);
      }
      // Regression: scores are the predictions and the loss is the MSE, so RMSE is its root.
      if (ops.loss === 'mse') return { loss: lossSum / n, numExamples: n, metrics: { rmse: Math.sqrt(lossSum / n) }, scores };
      let correct = 0;
      for (let i = 0; i < n; i++) if (((scores[i] as number) >= 0.5 ? 1 : 0) === data.labels[i]) correct++;
      return { loss: lossSum / n, numExamples: n, metrics: { accuracy: correct / n }, scores };
    },
  };
}

/** Everything a fit keeps on the backend; `dispose` frees all of it. */
interface Session {
  readonly ops: ModelOps;
  readonly numExamples: number;
  readonly x: tf.Tensor2D;
  readonly y: tf.Tensor2D;
  readonly vars: tf.Variable[];
  readonly global: tf.Tensor[];
  readonly optimizer: tf.Optimizer;
  lossTotal: tf.Tensor;
  dispose(): void;
}

function openSession(ops: ModelOps, weights: Weights, data: Dataset, opts: TrainOptions): Session {
  const n = data.numExamples;
  const x = tf.tensor2d(data.features, [n, data.numFeatures]);
  const y = tf.tensor2d(data.labels, [n, 1]);
  const initial = weightsToTensors(weights);
  const vars = initial.map((t) => tf.variable(t, true));
  tf.dispose(initial); // tf.variable keeps its own copy
  const global = opts.proximalMu > 0 ? weightsToTensors(weights) : [];
  const optimizer = opts.optimizer === 'adam' ? tf.train.adam(opts.learningRate) : tf.train.sgd(opts.learningRate);
  const session: Session = {
    ops,
    numExamples: n,
    x,
    y,
    vars,
    global,
    optimizer,
    lossTotal: tf.scalar(0),
    dispose() {
      optimizer.dispose();
      tf.dispose([x, y, ...vars, ...global, session.lossTotal]);
    },
  };
  return session;
}

interface RunResult {
  readonly steps: number;
  readonly examplesSeen: number;
  readonly privacySteps: PrivacyStep[];
}

/** Yields so that an abort raised by a timer or another request is seen between steps. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * One optimiser step from a gradient function: adds the data-independent terms (FedProx, L1, L2) after
 * any privatisation — they depend only on the weights, so they cost no privacy — then applies it.
 */
function step(session: Session, opts: TrainOptions, indices: Int32Array, gradient: (batch: TensorBatch | undefined) => BatchGradient): void {
  const next = tf.tidy(() => {
    const batch =
      indices.length > 0
        ? (() => {
            const idx = tf.tensor1d(indices, 'int32');
            return { x: tf.gather(session.x, idx), y: tf.gather(session.y, idx) };
          })()
        : undefined;
    const g = gradient(batch);
    const named: Record<string, tf.Tensor> = {};
    session.vars.forEach((v, i) => {
      let grad = g.grads[i] as tf.Tensor;
      const isKernel = v.shape.length === 2;
      if (opts.proximalMu > 0) grad = tf.add(grad, tf.mul(opts.proximalMu, tf.sub(v, session.global[i] as tf.Tensor)));
      if (isKernel && opts.l2 > 0) grad = tf.add(grad, tf.mul(2 * opts.l2, v));
      if (isKernel && opts.l1 > 0) grad = tf.add(grad, tf.mul(opts.l1, tf.sign(v)));
      named[v.name] = grad;
    });
    session.optimizer.applyGradients(named);
    return tf.add(session.lossTotal, g.lossSum);
  });
  session.lossTotal.dispose();
  session.lossTotal = next;
}

async function runPlain(session: Session, opts: TrainOptions, rng: RandomSource, signal: AbortSignal): Promise<RunResult> {
  const reader = readerFor(rng);
  const n = session.numExamples;
  const batchSize = Math.min(opts.batchSize, n);
  let steps = 0;
  let seen = 0;
  // Whole epochs, then the leading share of one more shuffled pass for a fractional localEpochs.
  for (let e = 0; e < Math.ceil(opts.localEpochs); e++) {
    let batches = shuffledBatches(reader, n, batchSize);
    const share = Math.min(1, opts.localEpochs - e);
    if (share < 1) batches = batches.slice(0, Math.max(1, Math.round(share * batches.length)));
    for (const indices of batches) {
      signal.throwIfAborted();
      step(session, opts, indices, (b) => session.ops.meanGradient(session.vars, b as TensorBatch, opts.positiveClassWeight));
      steps++;
      seen += indices.length;
      await yieldToEventLoop();
    }
  }
  return { steps, examplesSeen: seen, privacySteps: [] };
}

async function runDp(session: Session, opts: TrainOptions, rng: RandomSource, signal: AbortSignal): Promise<RunResult> {
  const dp = opts.dp as NonNullable<TrainOptions['dp']>;
  const reader = readerFor(rng);
  const plan = planPoisson(session.numExamples, opts.batchSize, opts.localEpochs);
  const stepOptions = { ...dp, expectedBatchSize: plan.expectedBatchSize, positiveWeight: opts.positiveClassWeight };
  let seen = 0;
  for (let s = 0; s < plan.steps; s++) {
    signal.throwIfAborted();
    const indices = poissonBatch(reader, session.numExamples, plan.sampleRate);
    step(session, opts, indices, (b) => session.ops.dpGradient(session.vars, b, stepOptions, rng));
    seen += indices.length;
    await yieldToEventLoop();
  }
  return {
    steps: plan.steps,
    examplesSeen: seen,
    privacySteps: [{ noiseMultiplier: dp.noiseMultiplier, sampleRate: plan.sampleRate, steps: plan.steps }],
  };
}
