/** What banks must agree on before training: the feature hash of a desensitised schema and its encoded width. */
import { createHash } from 'node:crypto';
import type { FieldStats } from '../../schema/encoding-stats.js';
import { momentFields } from '../../schema/encoding-stats.js';
import { canonicalJson, createEncodingSpec, type EncodingSpec } from '../../schema/encoding.js';
import type { DatasetSchema } from '../../schema/field.js';

/**
 * The encoding spec of `schema` with placeholder statistics (mean 0, std 1): its width and inputs are
 * those of every real spec, because statistics only change the numbers inside numeric inputs.
 */
export function placeholderSpec(schema: DatasetSchema, includeSensitive: boolean): EncodingSpec {
  const stats: Record<string, FieldStats> = {};
  for (const f of momentFields(schema)) stats[f.name] = { mean: 0, std: 1 };
  return createEncodingSpec(schema, stats, { includeSensitive });
}

/**
 * SHA-256 (hex) of the canonical JSON of the encodable fields (name, type, categories, privacy) of a
 * desensitised schema, in schema order, plus the label's name. No statistics and no pseudonym domain:
 * every bank with the same schema and the same policy rules gets the same hash.
 */
export function featureHash(schema: DatasetSchema, includeSensitive: boolean): string {
  const encoded = new Set(placeholderSpec(schema, includeSensitive).inputs.map((i) => i.field));
  const fields = schema.fields
    .filter((f) => encoded.has(f.name))
    .map((f) => ({ name: f.name, type: f.type, categories: f.categories ?? null, privacy: f.privacy }));
  return createHash('sha256').update(canonicalJson({ fields, label: schema.label ?? null })).digest('hex');
}

/** Names of the numeric inputs of a spec: the fields whose moments the stats stage reports. */
export function numericInputs(spec: EncodingSpec): string[] {
  return spec.inputs.filter((i) => i.kind === 'numeric').map((i) => i.field);
}
