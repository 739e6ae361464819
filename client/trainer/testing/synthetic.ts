/** Synthetic binary-classification datasets for trainer tests (seeded; never used in production paths). */
import { seededRandom } from '../../../common/seeded-random.js';
import { fillGaussian } from '../../../privacy/dp/gaussian.js';
import type { Dataset } from '../trainer.js';

/**
 * Linearly separable up to label noise: x ~ N(0, I), y = 1[x·w* > 0]; w* depends only on `numFeatures`,
 * so datasets with different seeds are train/test splits of one problem. `flipRate` of the labels are flipped.
 */
export function linearDataset(seed: number, numExamples: number, numFeatures: number, flipRate = 0): Dataset {
  const rng = seededRandom(`linear-${seed}`);
  const features = new Float32Array(numExamples * numFeatures);
  fillGaussian(rng, features, 1, 0, { mode: 'fast' });
  const w = new Float32Array(numFeatures);
  fillGaussian(seededRandom(`linear-w-${numFeatures}`), w, 1, 0, { mode: 'fast' });
  const u = new Float32Array(numExamples);
  fillGaussian(rng, u, 1, 0, { mode: 'fast' });
  const labels = new Float32Array(numExamples);
  for (let i = 0; i < numExamples; i++) {
    let s = 0;
    for (let j = 0; j < numFeatures; j++) s += (features[i * numFeatures + j] as number) * (w[j] as number);
    const flip = Math.abs(u[i] as number) < flipRate * 1.2533; // P(|N(0,1)| < 1.2533·r) ≈ r for small r
    labels[i] = (s > 0) !== flip ? 1 : 0;
  }
  return { features, labels, numExamples, numFeatures };
}

/** Not linearly separable: y = 1 when the first two features lie outside the circle of radius 1.18 (≈ half the mass). */
export function circleDataset(seed: number, numExamples: number, numFeatures: number): Dataset {
  const rng = seededRandom(`circle-${seed}`);
  const features = new Float32Array(numExamples * numFeatures);
  fillGaussian(rng, features, 1, 0, { mode: 'fast' });
  const labels = new Float32Array(numExamples);
  for (let i = 0; i < numExamples; i++) {
    const a = features[i * numFeatures] as number;
    const b = features[i * numFeatures + 1] as number;
    labels[i] = a * a + b * b > 1.386 ? 1 : 0;
  }
  return { features, labels, numExamples, numFeatures };
}

/** Fraction of examples whose score is on the right side of 0.5. */
export function accuracy(scores: Float32Array, labels: Float32Array): number {
  let ok = 0;
  for (let i = 0; i < labels.length; i++) if (((scores[i] as number) >= 0.5 ? 1 : 0) === labels[i]) ok++;
  return ok / labels.length;
}
