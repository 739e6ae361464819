/** Tests of the feature step's place in the pipeline: which schemas get features, and history keyed by the account's keyed pseudonym. */
import { describe, expect, it } from 'vitest';
import { resolvePolicy } from '../../privacy/desensitize/index.js';
import { CREDIT_V1 } from '../../schema/builtin/credit-v1.js';
import { TRANSACTION_V1 } from '../../schema/builtin/transaction-v1.js';
import { makeSchema } from '../../schema/field.js';
import { applyFeatureStep, featureConfigFor, featuredSchema } from './feature-step.js';
import { featureStepRecord } from './model-feature-step.js';

const key = new Uint8Array(32).fill(7);
const rows = [
  { account_id: 'ab12', timestamp: '2024-05-01T10:00:00Z', amount: 10, merchant_category_code: '5411', merchant_country: 'NL', device_id: 'd', fraud: 0 },
  { account_id: 'AB12', timestamp: '2024-05-01T10:05:00Z', amount: 12, merchant_category_code: '5411', merchant_country: 'NL', device_id: 'd', fraud: 0 },
];
const policyWith = (rule: Record<string, unknown>) => resolvePolicy({ schema: 'transaction.v1', domain: 'bank-1/x', fields: { account_id: rule } }, featuredSchema(TRANSACTION_V1));

describe('feature step', () => {
  it('applies to transaction schemas with the role fields only; credit data passes through', () => {
    expect(featureConfigFor(TRANSACTION_V1)?.novelty).toEqual(['merchant_category_code', 'merchant_country', 'device_id']);
    expect(featureConfigFor(CREDIT_V1)).toBeUndefined();
    expect(featuredSchema(CREDIT_V1)).toBe(CREDIT_V1);
    const custom = makeSchema({ name: 'cards', version: 1, kind: 'transaction', description: 'd', label: 'fraud', fields: TRANSACTION_V1.fields.filter((f) => f.name !== 'device_id').map((f) => ({ ...f, categories: f.categories ? [...f.categories] : undefined })) });
    expect(featureConfigFor(custom)?.novelty).toEqual(['merchant_category_code', 'merchant_country']);
  });

  it('keys history by the pseudonym desensitisation writes: ids that canonicalise alike (casefold) share one history', () => {
    const out = applyFeatureStep(TRANSACTION_V1, policyWith({ action: 'pseudonymize', canonical: 'casefold' }), key, rows);
    expect(out[1]!['fx_log_history']).toBeCloseTo(Math.log1p(1), 12);
    const exact = applyFeatureStep(TRANSACTION_V1, policyWith({ action: 'pseudonymize', canonical: 'exact' }), key, rows);
    expect(exact[1]!['fx_log_history']).toBe(0);
  });

  it('still computes history when the policy drops the account field, and leaves the raw record for desensitisation', () => {
    const out = applyFeatureStep(TRANSACTION_V1, policyWith({ action: 'drop' }), key, [rows[0]!, { ...rows[1]!, account_id: 'ab12' }]);
    expect(out[1]!['fx_log_history']).toBeCloseTo(Math.log1p(1), 12);
    expect(out[1]!['account_id']).toBe('ab12'); // replaced or dropped by the policy next, never by the feature step
  });

  it('finds the role fields of a custom schema through its "roles", so differently named fields get the same features', () => {
    const rename: Record<string, string> = { account_id: 'acct', timestamp: 'ts', amount: 'amt', merchant_category_code: 'mcc', merchant_country: 'ctry', device_id: 'dev' };
    const to = (n: string) => rename[n] ?? n;
    const cards = makeSchema({
      name: 'cards', version: 1, kind: 'transaction', description: 'd', label: 'fraud',
      roles: { account: 'acct', timestamp: 'ts', amount: 'amt', merchantCategory: 'mcc', merchantCountry: 'ctry', device: 'dev' },
      fields: TRANSACTION_V1.fields.map((f) => ({ ...f, name: to(f.name), categories: f.categories ? [...f.categories] : undefined })),
    });
    expect(featureStepRecord(cards)).toMatchObject({ step: 'transaction-history', version: 1, account: 'acct', timestamp: 'ts', amount: 'amt', novelty: ['mcc', 'ctry', 'dev'] });
    const policy = resolvePolicy({ schema: 'cards.v1', domain: 'bank-1/x' }, featuredSchema(cards));
    const renamed = rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [to(k), v])));
    const got = applyFeatureStep(cards, policy, key, renamed);
    const want = applyFeatureStep(TRANSACTION_V1, policyWith({ action: 'drop' }), key, rows);
    const fx = (r: Record<string, unknown>) => Object.entries(r).filter(([k]) => k.startsWith('fx_')).map(([, v]) => v);
    expect(got.map(fx)).toEqual(want.map(fx));
    expect(Object.keys(got[0]!).filter((k) => k.startsWith('fx_new_'))).toEqual(['fx_new_mcc', 'fx_new_ctry', 'fx_new_dev']);
  });

  it('names the missing role and the schema when a transaction schema has no field for account, timestamp or amount', () => {
    const fields = TRANSACTION_V1.fields.filter((f) => f.name !== 'amount').map((f) => ({ ...f, categories: f.categories ? [...f.categories] : undefined }));
    const s = makeSchema({ name: 'bare', version: 3, kind: 'transaction', description: 'd', label: 'fraud', fields });
    expect(() => featureConfigFor(s)).toThrow('fraud features: schema bare.v3 (kind transaction) has no field for role "amount"; name it in the schema\'s "roles"');
    expect(featureStepRecord(CREDIT_V1)).toBeNull();
  });
});
