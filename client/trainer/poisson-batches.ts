/** Batch index generators: Poisson subsampling for DP-SGD and shuffled fixed-size minibatches for plain training. */
import { assertInRange, assertInt } from '../../common/assert.js';
import { RandomReader, type RandomSource } from '../../common/random.js';

/**
 * One Poisson-subsampled batch: every index in [0, n) is included independently with probability
 * `sampleRate`, so the batch size is Binomial(n, q). This is the sampling the RDP accountant's
 * subsampled-Gaussian bound assumes (Mironov, Talwar & Zhang 2019); fixed-size shuffled batches are not.
 *
 * Instead of n coin flips it draws the gaps between included indices, which are Geometric(q):
 * `gap = ⌊ln U / ln(1 − q)⌋` with U uniform in (0, 1] — the same distribution in O(q·n) draws.
 * @param reader a RandomReader over the fit's RandomSource (cryptoRandom() in production).
 * @returns the included indices in increasing order (possibly none).
 * @example poissonBatch(new RandomReader(rng), 10_000, 0.0064) // ~64 indices, e.g. Int32Array(61) [113, 190, …]
 */
export function poissonBatch(reader: RandomReader, n: number, sampleRate: number): Int32Array {
  assertInt('poissonBatch', 'n', n, 0);
  assertInRange('poissonBatch', 'sampleRate', sampleRate, 0, 1);
  if (sampleRate === 0 || n === 0) return new Int32Array(0);
  if (sampleRate === 1) return Int32Array.from({ length: n }, (_, i) => i);
  const logKeep = Math.log1p(-sampleRate);
  // Capacity for mean + 8 standard deviations; grown on the (astronomically rare) overflow.
  let out = new Int32Array(Math.ceil(n * sampleRate + 8 * Math.sqrt(n * sampleRate) + 8));
  let count = 0;
  for (let idx = -1; ; ) {
    idx += Math.floor(Math.log(reader.uniformPositive()) / logKeep) + 1;
    if (idx >= n) break;
    if (count === out.length) {
      const bigger = new Int32Array(out.length * 2);
      bigger.set(out);
      out = bigger;
    }
    out[count++] = idx;
  }
  return out.slice(0, count);
}

/**
 * Plain minibatches for one epoch: a Fisher–Yates shuffle of [0, n) cut into chunks of `batchSize`
 * (the last one may be shorter).
 */
export function shuffledBatches(reader: RandomReader, n: number, batchSize: number): Int32Array[] {
  assertInt('shuffledBatches', 'n', n, 0);
  assertInt('shuffledBatches', 'batchSize', batchSize, 1);
  const order = reader.shuffle(Array.from({ length: n }, (_, i) => i));
  const batches: Int32Array[] = [];
  for (let off = 0; off < n; off += batchSize) batches.push(Int32Array.from(order.slice(off, off + batchSize)));
  return batches;
}

/** The DP-SGD sampling plan for a fit: rate q = min(1, batchSize/n) and the number of steps. */
export interface PoissonPlan {
  readonly sampleRate: number;
  readonly steps: number;
  /** q·n: the divisor of the noisy clipped sum (Opacus normalises by the expected, not the drawn, size). */
  readonly expectedBatchSize: number;
}

/**
 * Plans Poisson-sampled training as Opacus does: q = batchSize/n and one "epoch" = round(n/batchSize)
 * steps, so `localEpochs` epochs take max(1, round(localEpochs·n/batchSize)) steps.
 */
export function planPoisson(n: number, batchSize: number, localEpochs: number): PoissonPlan {
  assertInt('planPoisson', 'n', n, 1);
  assertInt('planPoisson', 'batchSize', batchSize, 1);
  assertInRange('planPoisson', 'localEpochs', localEpochs, 0, Number.MAX_SAFE_INTEGER, { lo: true });
  const sampleRate = Math.min(1, batchSize / n);
  return { sampleRate, steps: Math.max(1, Math.round((localEpochs * n) / Math.min(batchSize, n))), expectedBatchSize: sampleRate * n };
}

/** Convenience: a RandomReader with a buffer sized for batch sampling. */
export function batchReader(rng: RandomSource): RandomReader {
  return new RandomReader(rng, 8192);
}
