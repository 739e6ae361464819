/** The Trainer contract between the bank daemon and local model code, and the Dataset it trains on. */
import type { Metrics, Weights } from '../../common/weights.js';
import type { MechanismStep } from '../../privacy/dp/mechanism.js';

/**
 * Scalars sent with each instruction (learning rate, epochs, DP settings…). Validated again on the
 * client: see train-config.ts for the keys the tfjs trainer reads.
 */
export type RoundConfig = Readonly<Record<string, number | string | boolean>>;

/**
 * An encoded, desensitised training or test split. Row-major: feature j of example i is
 * `features[i * numFeatures + j]`. The daemon never sends a Dataset anywhere.
 */
export interface Dataset {
  /** numExamples × numFeatures, row-major. */
  readonly features: Float32Array;
  /** numExamples binary labels (0 or 1). */
  readonly labels: Float32Array;
  readonly numExamples: number;
  readonly numFeatures: number;
}

/**
 * One homogeneous run of a subsampled Gaussian mechanism, in the shape the RDP accountant consumes
 * (a privacy/dp/mechanism.ts `MechanismStep` plus a count): `steps` applications, each sampling
 * every record independently with probability `sampleRate` and adding noise of std
 * `noiseMultiplier × clippingNorm` to the clipped sum.
 */
export interface PrivacyStep extends MechanismStep {
  /** How many such steps the fit ran. */
  readonly steps: number;
}

/** What a local fit returns to the daemon. */
export interface FitOutcome {
  /** The new local weights (same names and shapes as the weights passed in). */
  readonly weights: Weights;
  /** Examples in the training split (the FedAvg weight), not examples seen. */
  readonly numExamples: number;
  /**
   * At least `loss` (mean training loss over the steps run) and `steps`. Note: with DP-SGD on, these
   * metrics are computed from private data outside the DP guarantee; the daemon decides whether they leave.
   */
  readonly metrics: Metrics;
  /**
   * The privacy spend of this fit, for the daemon's ledger, which must record it *before* the update
   * leaves the bank. Empty when record-level DP is off.
   */
  readonly privacySteps: readonly PrivacyStep[];
}

/** What a local evaluation returns. */
export interface EvaluateOutcome {
  /** Mean loss over the split (same loss as training, without regularisation). */
  readonly loss: number;
  readonly numExamples: number;
  /** e.g. `{ accuracy }` at threshold 0.5. */
  readonly metrics: Metrics;
  /** Predicted probability of the positive class per example, in dataset order (for AUC/KS histograms). */
  readonly scores: Float32Array;
}

/**
 * Local model code behind one interface, so the daemon never touches tfjs (Flower's task.py split).
 * Implementations train on whatever backend tf-backend.ts picked.
 */
export interface Trainer {
  /**
   * Starts from `weights`, trains locally on `data` as `config` says, and returns new weights.
   * Checks `signal` between steps and rejects with its reason once aborted; nothing is returned then.
   * @throws ConfigError when `config` is invalid; FedfinError('protocol-violation') when `weights` do
   *   not match the model; the abort reason when aborted.
   */
  fit(weights: Weights, data: Dataset, config: RoundConfig, signal: AbortSignal): Promise<FitOutcome>;
  /**
   * Scores `data` with `weights` without training.
   * @throws as fit.
   */
  evaluate(weights: Weights, data: Dataset, config: RoundConfig, signal: AbortSignal): Promise<EvaluateOutcome>;
}
