/** Tests for policy validation and defaults from privacy classes. */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../common/errors.js';
import { CREDIT_V1 } from '../../schema/builtin/credit-v1.js';
import { resolvePolicy } from './policy.js';

const base = { schema: 'credit.v1', domain: 'bank-a/credit' };

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('resolvePolicy', () => {
  it('drops direct identifiers and keeps everything else, when the policy names no fields', () => {
    const p = resolvePolicy(base, CREDIT_V1);
    expect(p.rules.get('full_name')).toEqual({ action: 'drop' });
    expect(p.rules.get('iban')).toEqual({ action: 'drop' });
    expect(p.rules.get('age')).toEqual({ action: 'keep' });
    expect(p.rules.get('sex')).toEqual({ action: 'keep' });
    expect(p.k).toBe(5);
    expect(p.rules.size).toBe(CREDIT_V1.fields.length);
  });

  it('pseudonymises a direct identifier and bands a quasi-identifier, when the policy says so', () => {
    const p = resolvePolicy({ ...base, fields: { application_id: { action: 'pseudonymize' }, age: { action: 'generalize', bands: [18, 25, 35, 45, 55, 65, 101] } } }, CREDIT_V1);
    expect(p.rules.get('application_id')).toEqual({ action: 'pseudonymize', canonical: 'casefold' });
    expect(p.rules.get('age')).toMatchObject({ action: 'generalize', level: 0 });
  });

  it('throws a ConfigError naming the field, when the policy names an unknown field', () => {
    const err = configError(() => resolvePolicy({ ...base, fields: { favourite_colour: { action: 'drop' } } }, CREDIT_V1));
    expect(err.code).toBe('config-invalid');
    expect(err.message).toContain('unknown field "favourite_colour"');
    expect(err.issues[0]?.path).toEqual(['fields', 'favourite_colour']);
  });

  it('refuses to keep a direct identifier, when the policy asks for it', () => {
    const err = configError(() => resolvePolicy({ ...base, fields: { email: { action: 'keep' } } }, CREDIT_V1));
    expect(err.message).toContain('fields.email: a direct identifier must be dropped or pseudonymised');
  });

  it('rejects rules that do not fit the field type, when bands are put on a string field', () => {
    const err = configError(() => resolvePolicy({ ...base, fields: { region: { action: 'generalize', bands: [1, 2] }, age: { action: 'generalize-prefix', prefix: 2 } } }, CREDIT_V1));
    expect(err.issues.map((i) => i.path.join('.'))).toEqual(['fields.region', 'fields.age']);
  });

  it('rejects a policy for another schema, non-increasing bands and unknown keys, when given them', () => {
    expect(configError(() => resolvePolicy({ ...base, schema: 'transaction.v1' }, CREDIT_V1)).message).toContain('policy is for schema "transaction.v1"');
    expect(configError(() => resolvePolicy({ ...base, fields: { age: { action: 'generalize', bands: [30, 20] } } }, CREDIT_V1)).message).toContain('strictly increasing');
    expect(configError(() => resolvePolicy({ ...base, kk: 3 }, CREDIT_V1)).message).toContain('kk');
  });

  it('requires the l-diversity field to exist and be kept, when l is configured', () => {
    expect(configError(() => resolvePolicy({ ...base, l: 2 }, CREDIT_V1)).message).toContain('"l" needs "sensitive"');
    expect(configError(() => resolvePolicy({ ...base, sensitive: 'sex', l: 2, fields: { sex: { action: 'drop' } } }, CREDIT_V1)).message).toContain('must be kept');
    expect(resolvePolicy({ ...base, sensitive: 'sex', l: 2 }, CREDIT_V1).l).toBe(2);
  });

  it('hashes the policy with defaults filled, when two files say the same thing differently', () => {
    const a = resolvePolicy({ ...base, k: 5, fields: { age: { action: 'generalize', bands: [18, 40, 101] } } }, CREDIT_V1);
    const b = resolvePolicy({ fields: { age: { level: 0, bands: [18, 40, 101], action: 'generalize' } }, domain: 'bank-a/credit', schema: 'credit.v1' }, CREDIT_V1);
    const c = resolvePolicy({ ...base, domain: 'bank-b/credit' }, CREDIT_V1);
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(b.hash).toBe(a.hash);
    expect(c.hash).not.toBe(a.hash);
  });
});
