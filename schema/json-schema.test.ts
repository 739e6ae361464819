/** Tests of the JSON Schema export: keywords per field type, and records checked by an independent validator. */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { toJsonSchema, JSON_SCHEMA_DIALECT } from './json-schema.js';
import { CREDIT_V1 } from './builtin/credit-v1.js';
import { TRANSACTION_V1 } from './builtin/transaction-v1.js';
import { MARKET_V1 } from './builtin/market-v1.js';
import { listBuiltinSchemas } from './registry.js';

/** zod builds a validator from the export: a check of the document by code we did not write. */
const validatorFor = (doc: unknown) => z.fromJSONSchema(doc as Parameters<typeof z.fromJSONSchema>[0]);

const CREDIT_RECORD = {
  application_id: 'A-1', full_name: null, national_id: null, email: null, phone: null, address: null, date_of_birth: '1980-02-29',
  iban: null, postcode: '10115', region: 'Berlin', age: 44, sex: 'female', marital_status: 'married', annual_income: 52000,
  employment_status: 'employed', employment_years: 6.5, debt_to_income: 0.3, installment_rate: 0.2, credit_history_years: 20,
  credit_history: 'paid_duly', past_delinquencies: 0, credit_utilization: 0.4, existing_credits: 1, checking_status: '0_200',
  savings_band: 'lt_100', loan_amount: 12000, loan_term_months: 36, loan_purpose: 'car_used', housing: 'own', property: 'car_other',
  other_debtors: 'none', other_installment_plans: 'none', residence_years: 4, job_type: 'skilled', dependents: 1, has_telephone: true,
  foreign_worker: false, application_date: '2024-05-17', default: 0,
};

describe('toJsonSchema', () => {
  it('declares draft 2020-12, an object type, the required list and no extra properties, for credit.v1', () => {
    const doc = toJsonSchema(CREDIT_V1);
    expect(doc.$schema).toBe(JSON_SCHEMA_DIALECT);
    expect(doc.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(doc.type).toBe('object');
    expect(doc.additionalProperties).toBe(false);
    expect(doc.required).toEqual(['age', 'loan_amount', 'loan_term_months', 'default']);
    expect(Object.keys(doc.properties)).toEqual(CREDIT_V1.fields.map((f) => f.name));
    expect(doc['x-label']).toBe('default');
  });

  it('maps each field type to its keywords with x-privacy and x-unit, for credit.v1 fields', () => {
    const p = toJsonSchema(CREDIT_V1).properties;
    expect(p['age']).toEqual({ type: 'integer', description: 'Applicant age at application', minimum: 18, maximum: 100, 'x-privacy': 'quasi-identifier', 'x-unit': 'years' });
    expect(p['sex']).toMatchObject({ type: ['string', 'null'], enum: ['female', 'male', 'other', null], 'x-privacy': 'sensitive' });
    expect(p['date_of_birth']).toMatchObject({ type: ['string', 'null'], format: 'date', 'x-privacy': 'direct-identifier' });
    expect(p['email']).toMatchObject({ type: ['string', 'null'], maxLength: 200 });
    expect(p['has_telephone']).toMatchObject({ type: ['boolean', 'null'], 'x-privacy': 'feature' });
    expect(p['loan_amount']).toMatchObject({ type: 'number', minimum: 0, 'x-unit': 'EUR' });
    expect(p['email']).not.toHaveProperty('x-unit');
  });

  it('uses date-time for timestamps and a plain enum for required categories, for transaction.v1', () => {
    const p = toJsonSchema(TRANSACTION_V1).properties;
    expect(p['timestamp']).toMatchObject({ type: 'string', format: 'date-time' });
    expect(p['channel']).toMatchObject({ type: 'string', enum: ['pos', 'online', 'atm', 'mobile', 'phone'] });
    expect(toJsonSchema(MARKET_V1)).not.toHaveProperty('x-label');
  });

  it('accepts a canonical credit record and rejects one broken field at a time, when checked by a validator built from the export', () => {
    const check = validatorFor(toJsonSchema(CREDIT_V1));
    expect(check.safeParse(CREDIT_RECORD).success).toBe(true);
    const broken: Record<string, unknown>[] = [
      { age: 17 }, { sex: 'unknown' }, { application_date: '2024-13-01' }, { default: 0.5 }, { email: 'x'.repeat(201) },
      { loan_amount: null }, { has_telephone: 'yes' }, { nickname: 'Bob' },
    ];
    for (const patch of broken) expect(check.safeParse({ ...CREDIT_RECORD, ...patch }).success, JSON.stringify(patch)).toBe(false);
    const { age: _age, ...withoutAge } = CREDIT_RECORD;
    expect(check.safeParse(withoutAge).success).toBe(false);
  });

  it('accepts a transaction with an offset timestamp and a market bar, when checked by validators built from the exports', () => {
    const tx = { timestamp: '2025-03-01T12:34:56+01:00', amount: 12.5, merchant_category_code: '5411', channel: 'pos', fraud: 0 };
    expect(validatorFor(toJsonSchema(TRANSACTION_V1)).safeParse(tx).success).toBe(true);
    expect(validatorFor(toJsonSchema(TRANSACTION_V1)).safeParse({ ...tx, merchant_category_code: '54111' }).success).toBe(false);
    const bar = { symbol: 'ACME', date: '2025-03-03', open: 10, high: 11, low: 9.5, close: 10.5, volume: 120000 };
    expect(validatorFor(toJsonSchema(MARKET_V1)).safeParse(bar).success).toBe(true);
    expect(validatorFor(toJsonSchema(MARKET_V1)).safeParse({ ...bar, volume: -1 }).success).toBe(false);
  });

  it('produces JSON-serialisable output that survives a JSON round trip, for every built-in', () => {
    for (const s of listBuiltinSchemas()) expect(JSON.parse(JSON.stringify(toJsonSchema(s)))).toEqual(toJsonSchema(s));
  });
});
