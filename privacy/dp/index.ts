/** privacy/dp: clipping, continuous and integer noise samplers, adaptive clipping and the Gaussian mechanism. */
export { clipL2, clipL2InPlace, clipWeights, type ClippedVector, type ClippedWeights } from './clip.js';
export { addGaussianNoise, fillGaussian, readerFor, sampleGaussian, type GaussianMode, type GaussianOptions } from './gaussian.js';
export {
  discreteGaussianPmf,
  discreteGaussianVariance,
  fillDiscreteGaussian,
  MAX_DISCRETE_SIGMA,
  sampleDiscreteGaussian,
} from './discrete-gaussian.js';
export { fillPoisson, logFactorial, MAX_POISSON_LAMBDA, samplePoisson } from './poisson.js';
export { fillSkellam, sampleSkellam, skellamLambdaForStd, skellamPmf } from './skellam.js';
export {
  adaptiveClipRound,
  initAdaptiveClip,
  noisyUnclippedFraction,
  splitNoiseMultiplier,
  updateClippingNorm,
  type AdaptiveClipOptions,
  type AdaptiveClipState,
} from './adaptive-clipping.js';
export { gaussianMechanism, type GaussianMechanismOptions, type MechanismStep, type PrivacyMechanism } from './mechanism.js';
