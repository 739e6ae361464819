/** Tests for the row function, the whole-dataset pass, the output schema and the report. */
import { describe, expect, it } from 'vitest';
import { CREDIT_V1 } from '../../schema/builtin/credit-v1.js';
import { fieldOf } from '../../schema/field.js';
import { createRowPlan, desensitizeDataset, desensitizeRecord } from './desensitize.js';
import { desensitizedSchema } from './output-schema.js';
import { resolvePolicy } from './policy.js';
import { pseudonymize } from './pseudonym.js';
import { LEGAL_NOTICE } from './report.js';
import { IDENTIFIER_FIELDS, syntheticCredit } from './testing/credit-fixture.js';

const KEY = Uint8Array.from({ length: 32 }, (_, i) => 255 - i);
const POLICY = {
  schema: 'credit.v1',
  domain: 'bank-a/credit',
  k: 5,
  maxSuppression: 0.02,
  sensitive: 'sex',
  fields: {
    application_id: { action: 'pseudonymize' },
    age: { action: 'generalize', bands: [18, 25, 35, 45, 55, 65, 101] },
    postcode: { action: 'generalize-prefix', prefix: 3 },
    application_date: { action: 'generalize-date', to: 'month' },
    region: { action: 'suppress-rare', minCount: 8 },
    loan_amount: { action: 'generalize', bands: [0, 1000, 5000, 10000, 20000, 50000] },
  },
};

describe('desensitizeRecord', () => {
  it('drops identifiers, pseudonymises, generalises and keeps, when applying the policy to one row', () => {
    const policy = resolvePolicy(POLICY, CREDIT_V1);
    const [raw] = syntheticCredit(1);
    const out = desensitizeRecord(raw!, createRowPlan(CREDIT_V1, policy, KEY));
    for (const f of IDENTIFIER_FIELDS.filter((f) => f !== 'application_id')) expect(out).not.toHaveProperty(f);
    expect(out['application_id']).toBe(pseudonymize(KEY, 'bank-a/credit', raw!['application_id']!));
    expect(out['age']).toMatch(/^\d+-\d+$/);
    expect(String(out['postcode'])).toHaveLength(3);
    expect(out['application_date']).toMatch(/^2024-\d\d$/);
    expect(out['annual_income']).toBe(raw!['annual_income']);
    expect(Object.keys(out)).toEqual(desensitizedSchema(CREDIT_V1, policy).fields.map((f) => f.name));
  });
});

describe('desensitizedSchema', () => {
  it('describes the output fields, when fields are dropped, pseudonymised and banded', () => {
    const s = desensitizedSchema(CREDIT_V1, resolvePolicy(POLICY, CREDIT_V1));
    expect(s.id).toBe('credit.v1+desensitized');
    expect(fieldOf(s, 'full_name')).toBeUndefined();
    expect(fieldOf(s, 'application_id')).toMatchObject({ type: 'string', maxLength: 32, privacy: 'direct-identifier' });
    expect(fieldOf(s, 'age')).toMatchObject({ type: 'category', categories: ['18-24', '25-34', '35-44', '45-54', '55-64', '65-100'], privacy: 'quasi-identifier' });
    expect(fieldOf(s, 'loan_amount')?.categories).toEqual(['0-<1000', '1000-<5000', '5000-<10000', '10000-<20000', '20000-<50000', '>=50000']);
    expect(fieldOf(s, 'sex')).toEqual(fieldOf(CREDIT_V1, 'sex'));
    expect(s.label).toBe('default');
  });
});

describe('desensitizeDataset', () => {
  const records = syntheticCredit(600, 7);
  const policy = resolvePolicy(POLICY, CREDIT_V1);
  const result = desensitizeDataset(CREDIT_V1, policy, KEY, records);

  it('reaches k over the quasi-identifiers and counts suppressed rows, when enforcing k=5', () => {
    const { report } = result;
    expect(report.kAnonymity.quasiIdentifiers).toEqual(['postcode', 'region', 'age', 'marital_status', 'application_date']);
    expect(report.kAnonymity.before).toBeLessThan(5);
    expect(report.kAnonymity.reached).toBeGreaterThanOrEqual(5);
    expect(report.kAnonymity.satisfied).toBe(true);
    expect(report.rows.in).toBe(600);
    expect(report.rows.out + report.rows.suppressed).toBe(600);
    expect(report.rows.suppressed).toBeLessThanOrEqual(12);
    expect(result.records).toHaveLength(report.rows.out);
    // Independent recount of the classes over the output records.
    const counts = new Map<string, number>();
    for (const r of result.records) {
      const key = JSON.stringify(report.kAnonymity.quasiIdentifiers.map((q) => r[q]));
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(Math.min(...counts.values())).toBe(report.kAnonymity.reached);
  });

  it('generalises further than the policy asks, when the base levels leave too many small classes', () => {
    const levels = new Map(result.report.fields.generalized.map((g) => [g.field, g.level]));
    expect([...levels.values()].some((lv) => lv > 0)).toBe(true);
    // The output schema's vocabulary follows the level reached.
    const ageField = fieldOf(result.schema, 'age');
    for (const r of result.records) expect(ageField?.categories).toContain(r['age']);
  });

  it('reports what happened without values or key material, when the pass is done', () => {
    const { report } = result;
    expect(report.fields.dropped).toEqual(['full_name', 'national_id', 'email', 'phone', 'address', 'date_of_birth', 'iban']);
    expect(report.fields.pseudonymized).toEqual(['application_id']);
    expect(report.fields.sensitiveFlagged).toEqual(['sex', 'foreign_worker']);
    expect(report.fields.rareSuppressed).toEqual([{ field: 'region', minCount: 8, distinctValuesReplaced: 1, rowsAffected: 7 }]);
    expect(report.lDiversity).toMatchObject({ field: 'sex', target: null });
    expect(report.policyHash).toBe(policy.hash);
    expect(report.legalNotice).toBe(LEGAL_NOTICE);
    expect(report.legalNotice).toContain('Art. 4(5)');
    const text = JSON.stringify(report);
    expect(text).not.toContain('Saarland');
    expect(text).not.toContain(Buffer.from(KEY).toString('hex'));
    for (const r of records.slice(0, 50)) for (const f of IDENTIFIER_FIELDS) expect(text).not.toContain(String(r[f]));
  });

  it('is deterministic, when run twice on the same input', () => {
    const again = desensitizeDataset(CREDIT_V1, policy, KEY, records);
    expect(again.records).toEqual(result.records);
    expect(again.report).toEqual(result.report);
  });

  it('suppresses every row of a class less diverse than l, when l is enforced', () => {
    const strict = resolvePolicy({ ...POLICY, l: 2 }, CREDIT_V1);
    const r = desensitizeDataset(CREDIT_V1, strict, KEY, records);
    expect(r.report.lDiversity?.reached).toBeGreaterThanOrEqual(2);
    expect(r.report.lDiversity?.before).toBeLessThanOrEqual(r.report.lDiversity?.reached ?? 0);
  });

  it('suppresses every row and says so, when the data has fewer rows than k', () => {
    const r = desensitizeDataset(CREDIT_V1, policy, KEY, records.slice(0, 3));
    expect(r.records).toEqual([]);
    expect(r.report.rows).toEqual({ in: 3, out: 0, suppressed: 3 });
    expect(r.report.warnings.join(' ')).toContain('every row was suppressed');
  });
});
