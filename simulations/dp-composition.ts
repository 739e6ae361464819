/**
 * Composition of several DP-SGD trainings per bank in one RDP accountant: the total ε that `simulate tune` (every
 * trial) and `simulate --cv K` (the run and every fold) report for a bank whose rows took part in all of them.
 */
import { z } from 'zod';
import type { HistoryEntry } from '../privacy/accounting/accountant.js';
import { RdpAccountant } from '../privacy/accounting/rdp-accountant.js';
import type { LedgerEntry } from '../coordinator/store/store.js';

/** One training's mechanism per bank: the (σ, q, steps) of every DP-SGD round it trained, in order. */
export type RunMechanism = Readonly<Record<string, readonly HistoryEntry[]>>;

/** A RunMechanism in JSON (results and caches): per bank `[σ, q, steps]` per round. */
export const RunMechanismSchema = z.record(z.string(), z.array(z.tuple([z.number(), z.number(), z.number().int()])));

/** Several trainings composed: the worst bank's total and every bank's. */
export interface ComposedPrivacy {
  /** ε of every training composed, at `delta`, for the bank that spent most (0 with no training). */
  readonly epsilonTotal: number;
  readonly delta: number;
  /** The optimal RDP order of the worst bank's total (an edge order means the order list was too narrow). */
  readonly order: number;
  /** Sorted by bank. */
  readonly perBank: { bank: string; epsilon: number }[];
}

/** A training's mechanism from the coordinator's ledger (one entry per bank and committed round; no-DP rows skipped). */
export function runMechanism(ledger: readonly LedgerEntry[]): RunMechanism {
  const out: Record<string, HistoryEntry[]> = {};
  const sorted = [...ledger].sort((a, b) => a.round - b.round || a.memberId.localeCompare(b.memberId));
  for (const l of sorted) if (l.steps > 0) (out[l.memberId] ??= []).push([l.noiseMultiplier, l.sampleRate, l.steps]);
  return out;
}

/** The largest per-bank ε of one training alone (what its own ledger reports as the job total). */
export function mechanismEpsilon(m: RunMechanism, delta: number): number {
  return Math.max(0, ...Object.values(m).map((h) => accountantOf([h]).epsilon(delta).epsilon));
}

function accountantOf(histories: readonly (readonly HistoryEntry[])[]): RdpAccountant {
  const acc = new RdpAccountant();
  for (const h of histories) for (const [noiseMultiplier, sampleRate, count] of h) acc.step({ noiseMultiplier, sampleRate }, count);
  return acc;
}

/**
 * Composes every training per bank (RDP adds per order, and holds for adaptively chosen mechanisms) and converts
 * to ε at `delta`. A bank absent from a training spent nothing in it. Conservative for a record that sat out a
 * training (e.g. in a fold's evaluation rows): its bank's every step is counted.
 */
export function composeMechanisms(runs: readonly RunMechanism[], delta: number): ComposedPrivacy {
  const banks = [...new Set(runs.flatMap((t) => Object.keys(t)))].sort();
  const perBank = banks.map((bank) => {
    const e = accountantOf(runs.map((t) => t[bank] ?? [])).epsilon(delta);
    return { bank, epsilon: e.epsilon, order: e.order };
  });
  const worst = perBank.reduce<(typeof perBank)[number] | undefined>((w, b) => (!w || b.epsilon > w.epsilon ? b : w), undefined);
  return { epsilonTotal: worst?.epsilon ?? 0, delta, order: worst?.order ?? 0, perBank: perBank.map(({ bank, epsilon }) => ({ bank, epsilon })) };
}
