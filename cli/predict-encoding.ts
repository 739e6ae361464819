/** Rebuilds an exported model's encoding at the bank (desensitised schema + federation statistics) and names what differs when it does not match. */
import { FedfinError } from '../common/errors.js';
import { featureHash, placeholderSpec } from '../client/data/feature-schema.js';
import { parseEncodingStats } from '../schema/encoding-stats.js';
import { createEncodingSpec, verifyEncodingSpec, type EncodingSpec } from '../schema/encoding.js';
import type { DatasetSchema } from '../schema/field.js';
import type { ModelMetadata } from '../tasks/model-package.js';

/**
 * What differs between the model's encoding and the one this bank's schema and policy give: the schema,
 * numeric fields (the model's statistics name its numeric inputs), and the width. Empty when only a
 * categorical vocabulary or a field's privacy class differs (the model records those only in its hash).
 */
export function encodingDifferences(meta: ModelMetadata, local: DatasetSchema): string[] {
  const enc = meta.encoding;
  const out: string[] = [];
  const base = local.id.replace(/\+desensitized$/, '');
  if (base !== enc.schemaId) out.push(`schema: the model was trained on ${enc.schemaId}, the data is ${base}`);
  const placeholder = placeholderSpec(local, enc.includeSensitive);
  const localNumeric = new Set(placeholder.inputs.filter((i) => i.kind === 'numeric').map((i) => i.field));
  const modelNumeric = new Set(Object.keys(enc.stats));
  for (const f of modelNumeric) if (!localNumeric.has(f)) out.push(`${f}: numeric input of the model, but not a numeric feature here (dropped or generalised by the policy?)`);
  for (const f of localNumeric) if (!modelNumeric.has(f)) out.push(`${f}: numeric feature here, but the model has no statistics for it`);
  const localOneHot = placeholder.inputs.filter((i) => i.kind === 'one-hot');
  if (placeholder.numFeatures !== enc.numFeatures) {
    out.push(`width: the model takes ${enc.numFeatures} features, this encoding gives ${placeholder.numFeatures}`);
  }
  if (out.length === 0 && localOneHot.length > 0) {
    out.push(`a categorical vocabulary or privacy class differs; categorical inputs here: ${localOneHot.map((i) => `${i.field} (${i.vocabulary.length} values)`).join(', ')}`);
  }
  return out;
}

/**
 * The model's EncodingSpec, rebuilt from the bank's desensitised schema and the model's federation
 * statistics, after checking the feature hash (and, when the model carries a full spec, its spec hash).
 * @throws FedfinError('encoding-mismatch') naming the differing fields.
 */
export function rebuildModelEncoding(meta: ModelMetadata, desensitized: DatasetSchema, source: string): EncodingSpec {
  const enc = meta.encoding;
  const hash = featureHash(desensitized, enc.includeSensitive);
  if (hash !== enc.featureHash) {
    const diffs = encodingDifferences(meta, desensitized);
    throw new FedfinError(
      'encoding-mismatch',
      `${source}: its encoding hash ${hash.slice(0, 12)}… differs from the model's ${enc.featureHash.slice(0, 12)}…; differing: ${diffs.join('; ')}. Use the schema, mapping and desensitisation policy the bank trained with.`,
    );
  }
  const spec = createEncodingSpec(desensitized, parseEncodingStats(enc.stats, `encoding stats of the model ${meta.jobId}`), { includeSensitive: enc.includeSensitive });
  if (spec.numFeatures !== meta.model.numFeatures) {
    throw new FedfinError('encoding-mismatch', `${source}: width: the model takes ${meta.model.numFeatures} features, this encoding gives ${spec.numFeatures}`);
  }
  if (enc.spec !== null) verifyEncodingSpec(spec, String(enc.spec['specHash']));
  return spec;
}
