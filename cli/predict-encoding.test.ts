/** Tests of the encoding rebuilt at the bank for `fedfin predict`: match, and differences named when it does not. */
import { describe, expect, it } from 'vitest';
import { featureHash, placeholderSpec } from '../client/data/feature-schema.js';
import { hasCode } from '../common/errors.js';
import { desensitizedSchema, resolvePolicy } from '../privacy/desensitize/index.js';
import { resolveSchema } from '../schema/registry.js';
import { privacyStatement, type ModelMetadata } from '../tasks/model-package.js';
import { encodingDifferences, rebuildModelEncoding } from './predict-encoding.js';

const schema = resolveSchema('credit.v1');
const desensitized = (fields: Record<string, unknown> = {}) => desensitizedSchema(schema, resolvePolicy({ schema: 'credit.v1', domain: 'd', fields }, schema, 'policy'));

function modelFor(d = desensitized()): ModelMetadata {
  const p = placeholderSpec(d, false);
  const stats = Object.fromEntries(p.inputs.filter((i) => i.kind === 'numeric').map((i) => [i.field, { mean: 1, std: 2 }]));
  return {
    format: 'fedfin-model', version: 1, jobId: 'job-1', jobName: 'j', task: 'credit-scoring', schema: { id: 'credit.v1', hash: 'ab'.repeat(32) },
    model: { kind: 'mlp', numFeatures: p.numFeatures, hiddenUnits: [], activation: 'relu', output: 'logit' },
    encoding: { schemaId: 'credit.v1', featureHash: featureHash(d, false), numFeatures: p.numFeatures, includeSensitive: false, stats, spec: null },
    round: 1, roundsCompleted: 1, roundsTotal: 1, jobStatus: 'completed', metrics: {}, privacy: privacyStatement(undefined, []), exportedAt: 'now',
  };
}

describe('rebuildModelEncoding', () => {
  it('returns the spec with the model\'s statistics and width, when the bank\'s policy gives the same features', () => {
    const meta = modelFor();
    const spec = rebuildModelEncoding(meta, desensitized(), 'data.csv');
    expect(spec.numFeatures).toBe(meta.model.numFeatures);
    expect(spec.inputs.find((i) => i.field === 'annual_income')).toMatchObject({ kind: 'numeric', mean: 1, std: 2 });
  });

  it('refuses with encoding-mismatch naming the field and the width, when the policy drops a numeric feature', () => {
    try {
      rebuildModelEncoding(modelFor(), desensitized({ loan_amount: { action: 'drop' } }), 'data.csv');
      expect.unreachable();
    } catch (err) {
      expect(hasCode(err, 'encoding-mismatch')).toBe(true);
      expect((err as Error).message).toMatch(/^data\.csv: its encoding hash/);
      expect((err as Error).message).toContain('loan_amount: numeric input of the model, but not a numeric feature here');
      expect((err as Error).message).toMatch(/width: the model takes \d+ features, this encoding gives \d+/);
    }
  });
});

describe('encodingDifferences', () => {
  it('names a numeric feature the model has no statistics for, when the bank keeps a field the model never saw', () => {
    const meta = modelFor(desensitized({ residence_years: { action: 'drop' } }));
    expect(encodingDifferences(meta, desensitized())).toContain('residence_years: numeric feature here, but the model has no statistics for it');
  });

  it('names the schema, when the data is of another schema', () => {
    const meta = { ...modelFor(), encoding: { ...modelFor().encoding, schemaId: 'transaction.v1' } };
    expect(encodingDifferences(meta, desensitized())[0]).toBe('schema: the model was trained on transaction.v1, the data is credit.v1');
  });
});
