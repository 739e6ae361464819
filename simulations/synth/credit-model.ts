/** The documented ground-truth default model of synthetic credit.v1 data: a logistic model with nonlinear terms and a per-bank intercept shift. */
import { sigmoid } from './sampling.js';

/** The canonical features the risk model reads (a subset of a credit.v1 record). */
export interface RiskFeatures {
  readonly age: number;
  readonly annual_income: number;
  readonly debt_to_income: number;
  readonly credit_utilization: number;
  readonly past_delinquencies: number;
  readonly loan_amount: number;
  readonly loan_term_months: number;
  readonly credit_history: string;
  readonly checking_status: string;
  readonly savings_band: string;
  readonly employment_status: string;
  readonly loan_purpose: string;
  readonly other_debtors: string;
}

/**
 * Coefficients of the true model (see docs/synthetic-data.md for the equation):
 * logit p = intercept + bankShift[a]·skew + 0.35·((age−40)/15)² − 0.15·(age−40)/15 − 0.55·ln(income/38000)
 *   + 1.6·dti + 2.0·max(0, dti − 0.45) + 1.1·util² + 0.45·ln(1 + delinquencies) + 0.25·ln(loan/income)
 *   + 0.08·ln(term/12) + 0.6·dti·[self_employed or unemployed] + the categorical effects below.
 */
export const CREDIT_TRUE_MODEL = {
  intercept: -4.0,
  ageSquared: 0.35,
  ageLinear: -0.15,
  logIncome: -0.55,
  dti: 1.6,
  dtiHingeAt045: 2.0,
  utilizationSquared: 1.1,
  log1pDelinquencies: 0.45,
  logLoanToIncome: 0.25,
  logTermYears: 0.08,
  dtiIfSelfOrUnemployed: 0.6,
  credit_history: { no_credits: 0.3, all_paid: -0.3, paid_duly: 0, past_delay: 0.5, critical: 1.0 },
  checking_status: { lt_0: 0.7, '0_200': 0.3, ge_200: -0.2, none: -0.4 },
  savings_band: { lt_100: 0.25, '100_500': 0.1, '500_1000': 0, ge_1000: -0.35, none: 0.1 },
  employment_status: { employed: 0, self_employed: 0.25, unemployed: 0.9, retired: 0.1, student: 0.3 },
  loan_purpose: { business: 0.3, education: 0.1, car_new: -0.2, home: -0.3, debt_consolidation: 0.25 },
  other_debtors: { guarantor: -0.25, co_applicant: -0.1 },
  /** Intercept shift per bank archetype (0–4), multiplied by --skew. */
  bankShift: [0, -0.5, 0.2, 0.7, -0.2],
} as const;

function effect(table: Readonly<Record<string, number>>, key: string): number {
  return table[key] ?? 0;
}

/**
 * The true default probability of one applicant at a bank of the given archetype.
 * @param archetype bank archetype 0–4.
 * @param skew the --skew setting in [0, 1].
 */
export function trueDefaultProbability(f: RiskFeatures, archetype: number, skew: number): number {
  const m = CREDIT_TRUE_MODEL;
  const a = (f.age - 40) / 15;
  const income = Math.max(f.annual_income, 1000);
  const riskyJob = f.employment_status === 'self_employed' || f.employment_status === 'unemployed' ? 1 : 0;
  const logit =
    m.intercept +
    (m.bankShift[archetype] ?? 0) * skew +
    m.ageSquared * a * a +
    m.ageLinear * a +
    m.logIncome * Math.log(income / 38000) +
    m.dti * f.debt_to_income +
    m.dtiHingeAt045 * Math.max(0, f.debt_to_income - 0.45) +
    m.utilizationSquared * f.credit_utilization * f.credit_utilization +
    m.log1pDelinquencies * Math.log1p(f.past_delinquencies) +
    m.logLoanToIncome * Math.log(Math.max(f.loan_amount, 1) / income) +
    m.logTermYears * Math.log(f.loan_term_months / 12) +
    m.dtiIfSelfOrUnemployed * f.debt_to_income * riskyJob +
    effect(m.credit_history, f.credit_history) +
    effect(m.checking_status, f.checking_status) +
    effect(m.savings_band, f.savings_band) +
    effect(m.employment_status, f.employment_status) +
    effect(m.loan_purpose, f.loan_purpose) +
    effect(m.other_debtors, f.other_debtors);
  return sigmoid(logit);
}
