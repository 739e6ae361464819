/** The Accountant contract: records mechanism steps, reports (ε, δ) spent, and persists as JSON-safe state. */

/**
 * What one application of a randomised mechanism costs: a Gaussian mechanism with noise multiplier
 * σ (noise std / L2 sensitivity) applied to a Poisson sample of rate q (q = 1: no sampling).
 * (privacy/dp/ may later own this type; it is defined here so accounting has no upward dependency.)
 */
export interface MechanismStep {
  /** σ ≥ 0: noise standard deviation divided by the L2 sensitivity (clipping norm). 0 means no noise (ε = ∞). */
  readonly noiseMultiplier: number;
  /** Poisson sampling probability q in (0, 1]. */
  readonly sampleRate: number;
}

/** ε at a given δ and the RDP order that achieved it. */
export interface EpsilonSpent {
  readonly epsilon: number;
  /** The optimal RDP order (report it: an optimum at the first or last order means the order list is too narrow). */
  readonly order: number;
}

/** One history entry: `count` consecutive steps with the same σ and q. */
export type HistoryEntry = readonly [noiseMultiplier: number, sampleRate: number, count: number];

/**
 * The persisted form of an accountant: plain JSON (no NaN, no Infinity). Consecutive equal steps are
 * merged into one entry, so a run of 10,000 identical DP-SGD steps is one line.
 */
export interface AccountantState {
  readonly mechanism: 'rdp';
  /** The RDP orders, when they differ from DEFAULT_RDP_ORDERS. */
  readonly orders?: readonly number[];
  readonly history: readonly HistoryEntry[];
}

/**
 * A privacy accountant (Opacus `IAccountant`, dp_accounting `PrivacyAccountant`): the record of every
 * step a dataset was exposed to, and the (ε, δ) guarantee they add up to. Pure: no clock, no I/O.
 * Daemons persist `toState()` in their ledger *before* an update leaves the bank.
 */
export interface Accountant {
  /** Which analysis this accountant uses. */
  readonly mechanism: 'rdp';
  /** Number of steps recorded so far. */
  readonly steps: number;
  /**
   * Records `count` applications of the mechanism.
   * @throws {TypeError | RangeError} when σ is negative/non-finite, q is outside (0, 1], or count is not a positive integer.
   */
  step(step: MechanismStep, count?: number): void;
  /**
   * The privacy spent so far as ε at the given δ, with the optimal order.
   * @throws {RangeError} when δ is outside [0, 1).
   */
  epsilon(delta: number): EpsilonSpent;
  /**
   * The δ at which the steps so far are ε-DP.
   * @throws {RangeError} when ε is negative or not finite.
   */
  delta(epsilon: number): number;
  /** JSON-safe state; reload it with `createAccountant(state)` (registry.ts) or the class's `fromState`. */
  toState(): AccountantState;
}
