/** End-to-end: desensitise two banks, pool their moments, build one encoding spec, encode both. */
import { describe, expect, it } from 'vitest';
import { CREDIT_V1 } from '../../schema/builtin/credit-v1.js';
import { computeMoments, mergeMoments, momentsToStats } from '../../schema/encoding-stats.js';
import { createEncodingSpec, encode } from '../../schema/encoding.js';
import { desensitizeDataset } from './desensitize.js';
import { resolvePolicy } from './policy.js';
import { syntheticCredit } from './testing/credit-fixture.js';

// A federation template: band levels pinned (level = maxLevel) so every bank's vocabulary, and so its spec, is the same.
const template = (domain: string) => ({
  schema: 'credit.v1',
  domain,
  k: 5,
  maxSuppression: 0.05,
  fields: {
    application_id: { action: 'pseudonymize' },
    age: { action: 'generalize', bands: [18, 25, 35, 45, 55, 65, 101], level: 1, maxLevel: 1 },
    postcode: { action: 'generalize-prefix', prefix: 2 },
    application_date: { action: 'generalize-date', to: 'month' },
    region: { action: 'suppress-rare', minCount: 8 },
  },
});

describe('desensitise → pool moments → encode', () => {
  const bankA = desensitizeDataset(CREDIT_V1, resolvePolicy(template('bank-a'), CREDIT_V1), new Uint8Array(32).fill(1), syntheticCredit(400, 'a'));
  const bankB = desensitizeDataset(CREDIT_V1, resolvePolicy(template('bank-b'), CREDIT_V1), new Uint8Array(32).fill(2), syntheticCredit(300, 'b'));

  it('gives both banks the same spec hash, when they share the policy template and pooled stats', () => {
    const pooled = momentsToStats(mergeMoments(computeMoments(bankA.records, bankA.schema), computeMoments(bankB.records, bankB.schema)));
    const specA = createEncodingSpec(bankA.schema, pooled);
    const specB = createEncodingSpec(bankB.schema, pooled);
    expect(specA.specHash).toBe(specB.specHash);
    expect(specA.featureNames).toContain('age=18-34');
    expect(specA.featureNames.some((n) => n.startsWith('application_id') || n.startsWith('sex') || n.startsWith('full_name'))).toBe(false);
    const a = encode(specA, bankA.records);
    expect(a.numExamples).toBe(bankA.report.rows.out);
    expect(a.features.every(Number.isFinite)).toBe(true);
    expect(new Set(a.labels)).toEqual(new Set([0, 1]));
  });

  it('gives different pseudonyms for the same identifier at two banks, when their domains and keys differ', () => {
    const idsA = new Set(bankA.records.map((r) => r['application_id']));
    expect(bankB.records.filter((r) => idsA.has(r['application_id']))).toEqual([]);
  });
});
