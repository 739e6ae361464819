/**
 * The privacy cost of a search: every trial's DP-SGD mechanism, per bank, composed in one RDP accountant
 * (privacy/accounting) into one ε at the run's δ. Choosing the best trial is post-processing of the composed
 * releases, so the total covers the selection too (docs/simulation.md, "Tuning").
 */
import type { HistoryEntry } from '../../privacy/accounting/accountant.js';
import { RdpAccountant } from '../../privacy/accounting/rdp-accountant.js';
import type { LedgerEntry } from '../../coordinator/store/store.js';

/** One trial's mechanism per bank: the (σ, q, steps) of every DP-SGD round it trained, in order. */
export type TrialMechanism = Readonly<Record<string, readonly HistoryEntry[]>>;

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
  const out: Record<string, HistoryEntry[]> = {};
  const sorted = [...ledger].sort((a, b) => a.round - b.round || a.memberId.localeCompare(b.memberId));
  for (const l of sorted) if (l.steps > 0) (out[l.memberId] ??= []).push([l.noiseMultiplier, l.sampleRate, l.steps]);
  return out;
}

/** The largest per-bank ε of one trial alone (what the trial's own ledger reports as its job total). */
export function trialEpsilon(m: TrialMechanism, delta: number): number {
  return Math.max(0, ...Object.values(m).map((h) => accountantOf([h]).epsilon(delta).epsilon));
}

function accountantOf(histories: readonly (readonly HistoryEntry[])[]): RdpAccountant {
  const acc = new RdpAccountant();
  for (const h of histories) for (const [noiseMultiplier, sampleRate, count] of h) acc.step({ noiseMultiplier, sampleRate }, count);
  return acc;
}

/**
 * Composes every trial per bank (RDP adds per order; adaptive choice of the next trial is allowed by adaptive
 * composition) and converts to ε at `delta`. A bank absent from a trial spent nothing in it.
 */
export function composeTrials(trials: readonly TrialMechanism[], delta: number): TuningPrivacy {
  const banks = [...new Set(trials.flatMap((t) => Object.keys(t)))].sort();
  const perBank = banks.map((bank) => {
    const e = accountantOf(trials.map((t) => t[bank] ?? [])).epsilon(delta);
    return { bank, epsilon: e.epsilon, order: e.order };
  });
  const worst = perBank.reduce<(typeof perBank)[number] | undefined>((w, b) => (!w || b.epsilon > w.epsilon ? b : w), undefined);
  return { epsilonTotal: worst?.epsilon ?? 0, delta, trials: trials.length, method: 'composition of all trials (RDP)', order: worst?.order ?? 0, perBank: perBank.map(({ bank, epsilon }) => ({ bank, epsilon })) };
}
