/**
 * The privacy cost of a search: every trial's DP-SGD mechanism, per bank, composed in one RDP accountant
 * (simulations/dp-composition.ts) into one ε at the run's δ. Choosing the best trial is post-processing of the composed
 * releases, so the total covers the selection too (docs/simulation.md, "Tuning").
 */
import { composeMechanisms, mechanismEpsilon, runMechanism, type RunMechanism } from '../dp-composition.js';
import type { LedgerEntry } from '../../coordinator/store/store.js';

/** One trial's mechanism per bank: the (σ, q, steps) of every DP-SGD round it trained, in order. */
export type TrialMechanism = RunMechanism;

/** `privacy.tuning` of tune.json. */
export interface TuningPrivacy {
  /** ε of every trial composed, at `delta`, for the bank that spent most. */
  readonly epsilonTotal: number;
  readonly delta: number;
  /** Distinct trainings composed (a configuration proposed twice is trained once: its result is reused). */
  readonly trials: number;
  readonly method: 'composition of all trials (RDP)';
  /** The optimal RDP order of the worst bank's total (an edge order means the order list was too narrow). */
  readonly order: number;
  readonly perBank: { bank: string; epsilon: number }[];
}

/** A trial's mechanism from the coordinator's ledger (one entry per bank and committed round). */
export function trialMechanism(ledger: readonly LedgerEntry[]): TrialMechanism {
  return runMechanism(ledger);
}

/** The largest per-bank ε of one trial alone (what the trial's own ledger reports as its job total). */
export function trialEpsilon(m: TrialMechanism, delta: number): number {
  return mechanismEpsilon(m, delta);
}

/**
 * Composes every trial per bank (simulations/dp-composition.ts; adaptive choice of the next trial is allowed by
 * adaptive composition) and converts to ε at `delta`. A bank absent from a trial spent nothing in it.
 */
export function composeTrials(trials: readonly TrialMechanism[], delta: number): TuningPrivacy {
  const c = composeMechanisms(trials, delta);
  return { epsilonTotal: c.epsilonTotal, delta, trials: trials.length, method: 'composition of all trials (RDP)', order: c.order, perBank: c.perBank };
}
