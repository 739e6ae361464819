/** Synthetic credit.v1 applicants: a per-bank (non-IID under --skew) population, PII from faker, and labels from the true risk model. */
import { CREDIT_V1 } from '../../schema/builtin/credit-v1.js';
import type { BankProfile } from './bank-shapes.js';
import { trueDefaultProbability, type RiskFeatures } from './credit-model.js';
import { PiiGenerator, REGIONS } from './pii.js';
import { blend, clamp, roundTo, sigmoid, type Sampler } from './sampling.js';

/** One canonical credit.v1 record (every field present) plus its true default probability. */
export interface CreditRecord extends RiskFeatures {
  readonly application_id: string;
  readonly full_name: string;
  readonly national_id: string;
  readonly email: string;
  readonly phone: string;
  readonly address: string;
  readonly date_of_birth: string;
  readonly iban: string;
  readonly postcode: string;
  readonly region: string;
  readonly sex: string;
  readonly marital_status: string;
  readonly employment_years: number;
  readonly installment_rate: number;
  readonly credit_history_years: number;
  readonly existing_credits: number;
  readonly housing: string;
  readonly property: string;
  readonly other_installment_plans: string;
  readonly residence_years: number;
  readonly job_type: string;
  readonly dependents: number;
  readonly has_telephone: boolean;
  readonly foreign_worker: boolean;
  readonly application_date: string;
  readonly default: number;
  /** Monthly gross income in cents (annual_income = 12 × this / 100 exactly); banks that report monthly use it. */
  readonly monthlyIncomeCents: number;
  readonly pTrue: number;
}

const cats = (name: string): readonly string[] => CREDIT_V1.fields.find((f) => f.name === name)!.categories!;
/** loan_purpose categories in schema order. */
export const PURPOSES = cats('loan_purpose');
const PURPOSE_SHARED = [10, 12, 10, 10, 4, 6, 5, 2, 6, 12, 15, 8];
/** Each archetype's own product mix over PURPOSES (blended with the shared one by skew). */
const PURPOSE_OWN = [
  [8, 16, 14, 16, 5, 5, 8, 3, 3, 6, 12, 4],
  [18, 6, 6, 4, 2, 8, 3, 1, 16, 26, 6, 4],
  [10, 18, 8, 6, 6, 14, 3, 2, 6, 14, 9, 4],
  [4, 12, 10, 18, 6, 4, 4, 2, 2, 2, 30, 6],
  [8, 8, 6, 4, 3, 8, 3, 3, 35, 10, 8, 4],
];
const PURPOSE_BASE_EUR = [22000, 9000, 3000, 1500, 1200, 6000, 8000, 4000, 30000, 150000, 12000, 4000];
const PURPOSE_TERMS: Record<string, readonly number[]> = {
  home: [120, 180, 240, 300, 360],
  car_new: [24, 36, 48, 60, 72],
  car_used: [12, 24, 36, 48, 60],
  business: [24, 36, 60, 84, 120],
  debt_consolidation: [36, 48, 60, 72, 84],
};
const SMALL_TERMS = [6, 12, 18, 24, 36];

/** Per-archetype population offsets, scaled by skew: mean age, log-income shift, utilisation shift, self-employment share. */
export const POPULATION_OFFSETS = {
  age: [-6, 8, 0, -9, 4],
  logIncome: [0, 0.35, -0.1, -0.3, 0.15],
  utilization: [0, -0.6, 0, 0.8, 0],
  selfEmployed: [0, 0.05, 0, -0.03, 0.2],
} as const;

const ISO_START = Date.UTC(2023, 0, 1);
const APPLICATION_DAYS = 547;
const DAY_MS = 86_400_000;

const DAY_TEXT = new Map<number, string>();
/** YYYY-MM-DD of a UTC midnight timestamp, cached: toISOString per row was a visible cost. */
function isoDate(ms: number): string {
  const day = Math.floor(ms / DAY_MS);
  let text = DAY_TEXT.get(day);
  if (text === undefined) {
    text = new Date(day * DAY_MS).toISOString().slice(0, 10);
    DAY_TEXT.set(day, text);
  }
  return text;
}

/**
 * Generates `rows` canonical credit records for one bank.
 * @param skew 0: every bank draws from the shared population; 1: each bank from its archetype's own.
 */
export function synthCreditBank(profile: BankProfile, rows: number, skew: number, rng: Sampler): CreditRecord[] {
  const a = profile.archetype;
  const pii = new PiiGenerator(profile.locale, rng);
  const regions = REGIONS[profile.locale];
  const regionWeights = regions.map((_, i) => 1 / (i + 1.5));
  const purposeWeights = blend(PURPOSE_SHARED, PURPOSE_OWN[a]!, skew);
  const ageMean = 42 + skew * POPULATION_OFFSETS.age[a]!;
  const logIncomeMean = Math.log(38000) + skew * POPULATION_OFFSETS.logIncome[a]!;
  const utilShift = skew * POPULATION_OFFSETS.utilization[a]!;
  const selfShare = 0.1 + skew * POPULATION_OFFSETS.selfEmployed[a]!;
  const out: CreditRecord[] = [];
  for (let i = 0; i < rows; i++) {
    const age = clamp(Math.round(rng.normal(ageMean, 13)), 18, 85);
    const employment_status =
      age >= 65
        ? rng.choice(['retired', 'employed', 'self_employed'], [0.85, 0.1, 0.05])
        : age < 25
          ? rng.choice(['student', 'employed', 'unemployed', 'self_employed'], [0.35, 0.5, 0.1, 0.05])
          : rng.choice(['employed', 'self_employed', 'unemployed', 'student'], [0.9 - selfShare - 0.08, selfShare, 0.07, 0.01]);
    const empAdj = { employed: 0, self_employed: 0.1, unemployed: -0.9, retired: -0.35, student: -1.0 }[employment_status] ?? 0;
    const logIncome = logIncomeMean + 0.025 * (age - 42) - 0.0008 * (age - 42) ** 2 + empAdj + rng.normal(0, 0.45);
    const monthlyIncomeCents = Math.max(30_000, Math.round((Math.exp(logIncome) / 12) * 100));
    const annual_income = (monthlyIncomeCents * 12) / 100;
    const working = employment_status === 'employed' || employment_status === 'self_employed';
    const employment_years = working ? roundTo(Math.min(age - 18, rng.exponential(3 + 0.15 * (age - 18))), 1) : 0;
    const marital_status =
      age < 28 ? rng.choice(['single', 'married', 'divorced'], [0.75, 0.22, 0.03]) : age > 70 ? rng.choice(['married', 'widowed', 'single', 'divorced'], [0.5, 0.3, 0.1, 0.1]) : rng.choice(['married', 'single', 'divorced', 'widowed'], [0.55, 0.28, 0.15, 0.02]);
    const dependents = Math.min(20, rng.poisson(marital_status === 'married' ? 1.3 : 0.3));
    const stress = rng.normal();
    const ownTilt = sigmoid(-2.2 + 0.06 * (age - 25) + 0.8 * (logIncome - Math.log(38000)));
    const housing = rng.choice(['rent', 'own', 'mortgage', 'free'], [1 - ownTilt, ownTilt * 0.45, ownTilt * 0.55, 0.04]);
    const residence_years = roundTo(Math.min(age - 18, rng.exponential(3 + 0.12 * (age - 18))), 1);
    const credit_history_years = roundTo(clamp(age - 18 - rng.exponential(4), 0, 80), 1);
    const credit_utilization = roundTo(clamp(1.1 * sigmoid(-0.8 + 0.9 * stress + utilShift + rng.normal(0, 0.5)), 0, 1.5), 3);
    const past_delinquencies = Math.min(100, rng.poisson(Math.exp(-1.6 + 0.9 * stress)));
    const credit_history =
      credit_history_years < 0.5
        ? 'no_credits'
        : past_delinquencies >= 3
          ? rng.choice(['critical', 'past_delay'], [0.7, 0.3])
          : past_delinquencies >= 1
            ? rng.choice(['past_delay', 'paid_duly', 'critical'], [0.6, 0.3, 0.1])
            : rng.choice(['all_paid', 'paid_duly'], [0.4, 0.6]);
    const existing_credits = Math.min(50, rng.poisson(0.6 + (housing === 'mortgage' ? 0.5 : 0) + (stress > 0 ? 0.4 : 0)));
    const incomeZ = logIncome - Math.log(38000);
    const checking_status = rng.choice(['lt_0', '0_200', 'ge_200', 'none'], [sigmoid(-1.5 + stress - incomeZ), 0.3, sigmoid(incomeZ - 0.5 * stress), 0.25]);
    const savings_band = rng.choice(['lt_100', '100_500', '500_1000', 'ge_1000', 'none'], [sigmoid(-incomeZ), 0.2, 0.15, sigmoid(2 * incomeZ - 0.5), 0.15]);
    const pIdx = rng.choiceIndex(purposeWeights);
    const loan_purpose = PURPOSES[pIdx]!;
    const loan_amount = Math.max(200, Math.round((PURPOSE_BASE_EUR[pIdx]! * Math.sqrt(annual_income / 38000) * rng.logNormal(0, 0.5)) / 50) * 50);
    const loan_term_months = rng.choice(PURPOSE_TERMS[loan_purpose] ?? SMALL_TERMS);
    const monthlyGross = annual_income / 12;
    const r = 0.06 / 12;
    const instalment = (loan_amount * r) / (1 - (1 + r) ** -loan_term_months);
    const installment_rate = roundTo(clamp(instalment / (0.7 * monthlyGross), 0, 1), 3);
    const otherDebt = existing_credits * 0.04 * rng.logNormal(0, 0.5) + (housing === 'mortgage' ? 0.15 : 0);
    const debt_to_income = roundTo(clamp(instalment / monthlyGross + otherDebt, 0, 10), 3);
    const property = housing === 'own' || housing === 'mortgage' ? rng.choice(['real_estate', 'savings_insurance', 'car_other'], [0.8, 0.1, 0.1]) : rng.choice(['savings_insurance', 'car_other', 'none'], [0.25, 0.4, 0.35]);
    const other_debtors = rng.choice(['none', 'co_applicant', 'guarantor'], [0.9, 0.05, 0.05]);
    const other_installment_plans = rng.choice(['bank', 'stores', 'none'], [0.14 + 0.05 * Math.max(0, stress), 0.06, 0.8]);
    const job_type = !working
      ? rng.choice(['unemployed_unskilled', 'unskilled'], [0.7, 0.3])
      : rng.choice(['unskilled', 'skilled', 'management'], [sigmoid(-1 - 1.5 * incomeZ), 0.6, sigmoid(-1.5 + 2 * incomeZ)]);
    const appMs = ISO_START + rng.int(APPLICATION_DAYS) * DAY_MS;
    const application_date = isoDate(appMs);
    // Birthday 30–330 days before the anniversary, so age is the same under any years_between convention.
    const dobDate = new Date(appMs);
    dobDate.setUTCFullYear(dobDate.getUTCFullYear() - age);
    const date_of_birth = isoDate(dobDate.getTime() - (30 + rng.int(300)) * DAY_MS);
    const person = pii.person();
    const features: RiskFeatures = { age, annual_income, debt_to_income, credit_utilization, past_delinquencies, loan_amount, loan_term_months, credit_history, checking_status, savings_band, employment_status, loan_purpose, other_debtors };
    const pTrue = trueDefaultProbability(features, a, skew);
    // Listed out rather than spread from `features`: spreading into a 45-property literal made V8 build a
    // fresh hidden class per row and cost ~0.3 ms per record.
    out.push({
      age,
      annual_income,
      debt_to_income,
      credit_utilization,
      past_delinquencies,
      loan_amount,
      loan_term_months,
      credit_history,
      checking_status,
      savings_band,
      employment_status,
      loan_purpose,
      other_debtors,
      application_id: `${profile.country}${String(profile.index).padStart(2, '0')}-${String(i + 1).padStart(7, '0')}`,
      full_name: person.fullName,
      national_id: person.nationalId,
      email: person.email,
      phone: person.phone,
      address: person.address,
      date_of_birth,
      iban: person.iban,
      postcode: person.postcode,
      region: regions[rng.choiceIndex(regionWeights)]!,
      sex: rng.choice(['female', 'male', 'other'], [0.49, 0.5, 0.01]),
      marital_status,
      employment_years,
      installment_rate,
      credit_history_years,
      existing_credits,
      housing,
      property,
      other_installment_plans,
      residence_years,
      job_type,
      dependents,
      has_telephone: rng.bernoulli(0.55 + 0.2 * sigmoid(incomeZ)),
      foreign_worker: rng.bernoulli(0.08),
      application_date,
      monthlyIncomeCents,
      pTrue,
      default: rng.bernoulli(pTrue) ? 1 : 0,
    });
  }
  return out;
}
