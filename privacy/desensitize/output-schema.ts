/** The DatasetSchema of desensitised records: what the encoder builds its spec from. */
import type { DatasetSchema, FieldSpec } from '../../schema/field.js';
import { makeGeneralizer } from './generalize.js';
import { assertObject, assertSchema } from './guard.js';
import type { FieldRule, ResolvedPolicy } from './policy.js';
import { PSEUDONYM_HEX_LENGTH } from './pseudonym.js';

/** The category that rare values of a `suppress-rare` field become (when the replacement is not null). */
export const OTHER_CATEGORY = 'other';

/** Suffix of the desensitised schema's id: `credit.v1+desensitized`. */
export const DESENSITIZED_ID_SUFFIX = '+desensitized';

/** The generalisation level each field starts at under `policy` (level 0 unless the policy says otherwise). */
export function policyLevels(policy: ResolvedPolicy): Map<string, number> {
  assertObject('policyLevels', 'policy', policy);
  const out = new Map<string, number>();
  for (const [name, rule] of policy.rules) if ('level' in rule) out.set(name, rule.level);
  return out;
}

function outputField(field: FieldSpec, rule: FieldRule, level: number): FieldSpec | undefined {
  const { unit: _unit, min: _min, max: _max, categories: _cats, maxLength: _len, ...base } = field;
  switch (rule.action) {
    case 'drop':
      return undefined;
    case 'keep':
      return field;
    case 'pseudonymize':
      // Still a direct identifier: a keyed pseudonym links a person's records, so the encoder must
      // keep excluding it and the report must keep calling it personal data.
      return { ...base, type: 'string', maxLength: PSEUDONYM_HEX_LENGTH, description: `${field.description} (keyed pseudonym: HMAC-SHA256, 128-bit hex)`, privacy: 'direct-identifier' };
    case 'generalize': {
      const categories = makeGeneralizer(field, rule).vocabulary(level) ?? [];
      return { ...base, type: 'category', categories, description: `${field.description} (generalised to bands, level ${level})` };
    }
    case 'generalize-prefix':
    case 'generalize-date':
    case 'generalize-timestamp': {
      const maxLength = rule.action === 'generalize-prefix' ? Math.max(1, rule.prefix - level) : rule.action === 'generalize-date' ? 7 : 13;
      return { ...base, type: 'string', maxLength, description: `${field.description} (generalised, level ${level})` };
    }
    case 'suppress-rare': {
      const required = field.required && rule.replacement !== null;
      if (field.type !== 'category' || rule.replacement === null) return { ...field, required };
      const cats = field.categories ?? [];
      return { ...field, required, categories: cats.includes(OTHER_CATEGORY) ? cats : [...cats, OTHER_CATEGORY] };
    }
  }
}

/**
 * The schema of the records `desensitizeDataset` produces under `policy`:
 * - dropped fields are removed;
 * - pseudonymised fields become `string` (32 hex chars) and keep privacy `direct-identifier`, so
 *   encoders exclude them (they are still personal data);
 * - band-generalised numeric fields become `category` fields whose vocabulary is the band labels at
 *   the level used;
 * - prefix/date/timestamp-generalised fields become `string` fields;
 * - `suppress-rare` category fields gain an `other` category (when that is the replacement);
 * - everything else, including `sensitive` fields (kept and flagged), is unchanged.
 * Field order is the input schema's order.
 * @param levels level reached per generalised field (from the report); defaults to the policy's levels.
 * @throws RangeError if a level is above the field's hierarchy.
 */
export function desensitizedSchema(schema: DatasetSchema, policy: ResolvedPolicy, levels: ReadonlyMap<string, number> = policyLevels(policy)): DatasetSchema {
  assertSchema('desensitizedSchema', schema);
  if (!((levels as unknown) instanceof Map)) throw new TypeError(`desensitizedSchema: "levels" expected Map, got ${typeof levels}`);
  const fields: FieldSpec[] = [];
  for (const field of schema.fields) {
    const rule = policy.rules.get(field.name);
    if (!rule) throw new RangeError(`desensitizedSchema: "policy" expected a rule for field "${field.name}", got none`);
    const level = levels.get(field.name) ?? 0;
    if ('level' in rule) {
      const top = makeGeneralizer(field, rule).maxLevel;
      if (level > top) throw new RangeError(`desensitizedSchema: "levels.${field.name}" expected integer in [0, ${top}], got ${level}`);
    }
    const out = outputField(field, rule, level);
    if (out) fields.push(out);
  }
  return {
    ...schema,
    id: `${schema.id}${DESENSITIZED_ID_SUFFIX}`,
    // No policy hash here: the pseudonym domain differs per bank, and the schema must not.
    description: `${schema.description} (desensitised)`,
    fields,
  };
}
