/**
 * Where the engineered features enter a bank's pipeline: after reading and validation, BEFORE
 * desensitisation, keyed by the account's keyed pseudonym.
 */
import type { CanonicalRecord, DatasetSchema } from '../../schema/field.js';
import { pseudonymize, type ResolvedPolicy } from '../../privacy/desensitize/index.js';
import { engineerTransactionFeatures } from './account-history.js';
import { TRANSACTION_V1_FEATURES, withEngineeredFields, type TransactionFeatureConfig } from './transaction-features.js';

/**
 * The feature configuration for a schema, or undefined when it gets no engineered features. A
 * `transaction` schema (transaction.v1 or a custom one with `kind: "transaction"`) gets them when it
 * has transaction.v1's role fields `account_id`, `timestamp` and `amount`; novelty covers whichever of
 * `merchant_category_code`, `merchant_country` and `device_id` it has.
 */
export function featureConfigFor(schema: DatasetSchema): TransactionFeatureConfig | undefined {
  if (schema.kind !== 'transaction') return undefined;
  const names = new Set(schema.fields.map((f) => f.name));
  const c = TRANSACTION_V1_FEATURES;
  if (!names.has(c.account) || !names.has(c.timestamp) || !names.has(c.amount)) return undefined;
  return { ...c, novelty: c.novelty.filter((f) => names.has(f)) };
}

/** The schema records have after the feature step (the input schema when it has none). */
export function featuredSchema(schema: DatasetSchema): DatasetSchema {
  const c = featureConfigFor(schema);
  return c ? withEngineeredFields(schema, c) : schema;
}

/**
 * Runs the feature step on a bank's validated records (identity for schemas without features).
 *
 * Why here, not after desensitisation: the features need exact timestamps, amounts and merchant
 * values that the policy generalises or drops, and the per-account history must exist before k-anonymity
 * suppresses rows. Why the pseudonym: history is kept under the SAME keyed HMAC desensitisation will
 * write for the account field (policy domain and canonical form), or under a feature-only domain when
 * the policy drops the field — so the feature state never holds a raw id, and an extract that already
 * carries pseudonymised ids gets identical features. Nothing here leaves the bank: the engineered
 * values are ordinary `feature` fields that then go through the policy like every other field.
 * @param key the bank's pseudonymisation key (read-only here).
 */
export function applyFeatureStep(schema: DatasetSchema, policy: ResolvedPolicy, key: Uint8Array, records: readonly CanonicalRecord[]): CanonicalRecord[] {
  const c = featureConfigFor(schema);
  if (!c) return [...records];
  const rule = policy.rules.get(c.account);
  const accountKey =
    rule?.action === 'pseudonymize'
      ? (raw: string) => pseudonymize(key, policy.domain, raw, rule.canonical)!
      : (raw: string) => pseudonymize(key, `${policy.domain}/fraud-features`, raw)!;
  return engineerTransactionFeatures(records, c, accountKey);
}
