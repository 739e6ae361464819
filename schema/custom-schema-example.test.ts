/** Keeps examples/custom-schema true: every file parses as a schema, and the draft matches what inference produces today. */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { parseSchemaJson, resolveSchema, schemaToJson } from './registry.js';
import { inferSchema } from './infer.js';
import { PRIVACY_CLASSES } from './field.js';

const EXAMPLES = fileURLToPath(new URL('../examples/custom-schema/', import.meta.url));

describe('examples/custom-schema', () => {
  it('parses every .json file as a custom schema', () => {
    const files = readdirSync(EXAMPLES).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThanOrEqual(2);
    for (const f of files) expect(() => parseSchemaJson(readFileSync(join(EXAMPLES, f), 'utf8'), f), f).not.toThrow();
  });

  it('uses every privacy class and round-trips, for the hand-written sme_loan.v1', () => {
    const s = resolveSchema(join(EXAMPLES, 'sme-loan.schema.json'));
    expect(s.id).toBe('sme_loan.v1');
    expect(new Set(s.fields.map((f) => f.privacy))).toEqual(new Set(PRIVACY_CLASSES));
    expect(parseSchemaJson(JSON.stringify(schemaToJson(s)), 'round-trip')).toEqual(s);
  });

  it('equals the draft schema infer makes from german_credit.csv today', async () => {
    const stored = JSON.parse(readFileSync(join(EXAMPLES, 'german-credit.draft.json'), 'utf8')) as unknown;
    const r = await inferSchema('/work/shared/data/german_credit.csv', { label: 'class', name: 'german_credit_draft' });
    expect(stored).toEqual(schemaToJson(r.schema));
  });
});
