/** credit.v1 for `synthesize`: one bank's records, layout and mapping, and the run's ground-truth section of truth.json. */
import type { BankProfile } from './bank-shapes.js';
import { CREDIT_TRUE_MODEL } from './credit-model.js';
import { creditMapping, creditShape } from './credit-shapes.js';
import type { GeneratedBank } from './index.js';
import { POPULATION_OFFSETS, synthCreditBank, type CreditRecord } from './synth-credit.js';
import { roundTo, type Sampler } from './sampling.js';
import { aucExact, expectedAuc } from './truth.js';

/** Generates one credit bank. */
export function creditBank(profile: BankProfile, rows: number, skew: number, rng: Sampler): GeneratedBank<CreditRecord> {
  const records = synthCreditBank(profile, rows, skew, rng);
  const p = records.map((r) => r.pTrue);
  const y = records.map((r) => r.default);
  const defaults = y.reduce((s, v) => s + v, 0);
  return {
    profile,
    columns: creditShape(profile).columns,
    records,
    mapping: creditMapping(profile),
    truth: {
      rows,
      labelRate: defaults / rows,
      archetype: profile.archetype,
      meanTrueProbability: p.reduce((s, v) => s + v, 0) / rows,
      bayesAuc: aucExact(p, y),
    },
  };
}

/** The credit part of truth.json: the true model, population offsets and pooled Bayes AUCs. */
export function creditTruth(banks: readonly GeneratedBank<CreditRecord>[]): Record<string, unknown> {
  const p: number[] = [];
  const y: number[] = [];
  for (const b of banks) for (const r of b.records) {
    p.push(r.pTrue);
    y.push(r.default);
  }
  const auc = aucExact(p, y);
  const expected = expectedAuc(p);
  return {
    label: 'default',
    bayesAuc: auc === null ? null : roundTo(auc, 6),
    bayesAucNote: 'ROC-AUC of the true default probabilities against the drawn labels, pooled over all banks (exact, Mann–Whitney with mid-ranks)',
    expectedBayesAuc: expected === null ? null : roundTo(expected, 6),
    expectedBayesAucNote: 'population AUC of the true probabilities over the generated feature rows with labels integrated out (no label-draw noise)',
    trueModel: { form: 'logistic; see docs/synthetic-data.md', coefficients: CREDIT_TRUE_MODEL },
    populationOffsets: { note: 'per archetype 0-4, multiplied by skew', ...POPULATION_OFFSETS },
  };
}
