/** Tests of the feature step's place in the pipeline: which schemas get features, and history keyed by the account's keyed pseudonym. */
import { describe, expect, it } from 'vitest';
import { resolvePolicy } from '../../privacy/desensitize/index.js';
import { CREDIT_V1 } from '../../schema/builtin/credit-v1.js';
import { TRANSACTION_V1 } from '../../schema/builtin/transaction-v1.js';
import { makeSchema } from '../../schema/field.js';
import { applyFeatureStep, featureConfigFor, featuredSchema } from './feature-step.js';

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
});
