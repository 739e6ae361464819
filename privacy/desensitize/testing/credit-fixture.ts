/** Test fixture: small deterministic `credit.v1` datasets with realistic PII (names, emails, IBANs) for desensitisation tests. */
import { RandomReader } from '../../../common/random.js';
import { seededRandom } from '../../../common/seeded-random.js';
import type { CanonicalRecord } from '../../../schema/field.js';

const FIRST = ['Anna', 'Jonas', 'Léa', 'Mehmet', 'Sofia', 'Lukas', 'Emma', 'Noah', 'Zoë', 'Piotr', 'Ingrid', 'Mateo'];
const LAST = ['Müller', 'Schmidt', 'Dubois', 'Yılmaz', 'Rossi', 'Kowalski', 'García', 'Jansen', "O'Brien", 'Novak'];
const REGIONS = ['Bavaria', 'Hesse', 'Saxony', 'Berlin', 'Bremen'];
const MARITAL = ['single', 'married', 'divorced', 'widowed'];
const SEX = ['female', 'male'];
const EMPLOYMENT = ['employed', 'self_employed', 'unemployed', 'retired', 'student'];
const PURPOSES = ['car_new', 'car_used', 'furniture', 'education', 'business', 'home'];

const digits = (rnd: RandomReader, n: number): string => Array.from({ length: n }, () => String(rnd.int(10))).join('');
const pick = <T>(rnd: RandomReader, xs: readonly T[]): T => xs[rnd.int(xs.length)] as T;

/**
 * `n` credit applications. Every identifier value is unique per row (so a leak is detectable by a
 * byte scan); names contain commas/quotes/non-ASCII on purpose to exercise CSV quoting.
 */
export function syntheticCredit(n: number, seed: number | string = 1): CanonicalRecord[] {
  const rnd = new RandomReader(seededRandom(`credit-fixture:${String(seed)}`));
  const out: CanonicalRecord[] = [];
  for (let i = 0; i < n; i++) {
    const first = pick(rnd, FIRST);
    const last = pick(rnd, LAST);
    const age = 18 + rnd.int(70);
    const month = String(1 + rnd.int(12)).padStart(2, '0');
    const day = String(1 + rnd.int(28)).padStart(2, '0');
    const income = Math.round(15000 + rnd.uniform() * 120000);
    const amount = Math.round(500 + rnd.uniform() * 40000);
    out.push({
      application_id: `APP-${String(100000 + i)}`,
      full_name: i % 7 === 0 ? `${last}, ${first} "${i}"` : `${first} ${last} ${i}`,
      national_id: `${digits(rnd, 3)}-${String(i).padStart(4, '0')}-${digits(rnd, 3)}`,
      email: `${first.toLowerCase()}.${i}@example-bank.test`,
      phone: `+49 30 ${String(5550000 + i)}`,
      address: `${String(1 + rnd.int(200))} ${last}straße, Apt ${i}`,
      date_of_birth: `${2024 - age}-${month}-${day}`,
      iban: `DE${digits(rnd, 2)}${String(37040044).padStart(8, '0')}${String(i).padStart(10, '0')}`,
      postcode: `${String(10 + rnd.int(4))}${digits(rnd, 3)}`,
      region: i % 97 === 5 ? 'Saarland' : pick(rnd, REGIONS),
      age,
      sex: i % 11 === 3 ? null : pick(rnd, SEX),
      marital_status: pick(rnd, MARITAL),
      annual_income: income,
      employment_status: pick(rnd, EMPLOYMENT),
      employment_years: rnd.int(30),
      debt_to_income: Math.round(rnd.uniform() * 150) / 100,
      installment_rate: null,
      credit_history_years: null,
      credit_history: null,
      past_delinquencies: rnd.int(4),
      credit_utilization: null,
      existing_credits: rnd.int(4),
      checking_status: null,
      savings_band: null,
      loan_amount: amount,
      loan_term_months: 6 * (1 + rnd.int(12)),
      loan_purpose: pick(rnd, PURPOSES),
      housing: null,
      property: null,
      other_debtors: null,
      other_installment_plans: null,
      residence_years: null,
      job_type: null,
      dependents: null,
      has_telephone: rnd.int(2) === 1,
      foreign_worker: rnd.int(10) === 0,
      application_date: `2024-${month}-${day}`,
      default: rnd.int(5) === 0 ? 1 : 0,
    });
  }
  return out;
}

/** The fields of `syntheticCredit` records that are direct identifiers in credit.v1. */
export const IDENTIFIER_FIELDS = ['application_id', 'full_name', 'national_id', 'email', 'phone', 'address', 'date_of_birth', 'iban'] as const;
