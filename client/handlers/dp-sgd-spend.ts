/** The record-level ε a fit's DP-SGD steps spend: one computation shared by the fit and SecAgg masked-input handlers. */
import { RdpAccountant } from '../../privacy/accounting/rdp-accountant.js';
import type { AccountantState } from '../../privacy/accounting/accountant.js';
import type { PrivacySpendInfo } from '../../schema/fleet.js';
import type { PrivacyStep } from '../trainer/trainer.js';
import type { SpendRecord } from '../ledger/ledger.js';
import type { DpPlan } from '../site-policy.js';

/** An RDP accountant resumed from a ledger state (a fresh one when the scope has none yet). */
export const accountantFrom = (state: AccountantState | undefined): RdpAccountant => RdpAccountant.fromState(state ?? { mechanism: 'rdp', history: [] });

/** ε rounded to three decimals, for log lines. */
export const round3 = (x: number): number => Math.round(x * 1000) / 1000;

/** What `dpSgdSpend` needs: the instruction's identity, the bank's accountants and what the trainer ran. */
export interface DpSgdSpendInput {
  readonly instruction: { readonly instructionId: string; readonly jobId: string; readonly round: number };
  readonly datasetId: string;
  /** The site policy's δ, at which the dataset's cumulative ε is reported. */
  readonly datasetDelta: number;
  /** The round's DP plan (the job's δ, σ and q as the site policy accepted them). */
  readonly dp: Pick<DpPlan, 'delta' | 'noiseMultiplier' | 'sampleRate'>;
  /** The steps the trainer actually took (trainer.fit's `privacySteps`). */
  readonly privacySteps: readonly PrivacyStep[];
  /** The dataset's accountant (all jobs): stepped in place. */
  readonly datasetAcc: RdpAccountant;
  /** The job's accountant on this dataset: stepped in place. */
  readonly jobAcc: RdpAccountant;
}

/**
 * Steps the dataset and job accountants by every DP-SGD step the trainer took (in place: the caller writes
 * their new states in the same ledger transaction as the spend) and returns the spend row and the privacy
 * block that travels with the update. ε of the round alone comes from a fresh accountant over the same steps;
 * the job's and the round's ε are at the job's δ, the dataset's at the site policy's δ.
 */
export function dpSgdSpend(o: DpSgdSpendInput): { spend: SpendRecord; privacy: PrivacySpendInfo } {
  const roundAcc = new RdpAccountant();
  let steps = 0;
  for (const s of o.privacySteps) {
    for (const acc of [o.datasetAcc, o.jobAcc, roundAcc]) acc.step({ noiseMultiplier: s.noiseMultiplier, sampleRate: s.sampleRate }, s.steps);
    steps += s.steps;
  }
  const { dp } = o;
  const spend: SpendRecord = {
    instructionId: o.instruction.instructionId,
    jobId: o.instruction.jobId,
    round: o.instruction.round,
    datasetId: o.datasetId,
    accountant: 'rdp',
    epsilonRound: roundAcc.epsilon(dp.delta).epsilon,
    epsilonJobTotal: o.jobAcc.epsilon(dp.delta).epsilon,
    epsilonDatasetTotal: o.datasetAcc.epsilon(o.datasetDelta).epsilon,
    delta: dp.delta,
    datasetDelta: o.datasetDelta,
    noiseMultiplier: dp.noiseMultiplier,
    sampleRate: dp.sampleRate,
    steps,
  };
  const privacy: PrivacySpendInfo = { accountant: 'rdp', epsilonRound: spend.epsilonRound, epsilonTotal: spend.epsilonJobTotal, delta: dp.delta, noiseMultiplier: dp.noiseMultiplier, sampleRate: dp.sampleRate, steps, unit: 'record' };
  return { spend, privacy };
}
