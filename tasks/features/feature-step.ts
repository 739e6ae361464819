/**
 * Where the engineered features enter a bank's pipeline: after reading and validation, BEFORE
 * desensitisation, keyed by the account's keyed pseudonym.
 */
import { FedfinError } from '../../common/errors.js';
import type { CanonicalRecord, DatasetSchema, FieldRole } from '../../schema/field.js';
import { pseudonymize, type ResolvedPolicy } from '../../privacy/desensitize/index.js';
import { engineerTransactionFeatures } from './account-history.js';
import { TRANSACTION_V1_FEATURES, withEngineeredFields, type TransactionFeatureConfig } from './transaction-features.js';

/** The field transaction.v1 uses for each role: the fallback for a transaction schema that declares no such role. */
export const DEFAULT_ROLE_FIELDS: Readonly<Record<FieldRole, string>> = {
  account: 'account_id',
  timestamp: 'timestamp',
  amount: 'amount',
  merchantCategory: 'merchant_category_code',
  merchantCountry: 'merchant_country',
  device: 'device_id',
};

/** Roles the feature step cannot do without; the novelty roles are optional. */
export const REQUIRED_ROLES = ['account', 'timestamp', 'amount'] as const satisfies readonly FieldRole[];
const NOVELTY_ROLES = ['merchantCategory', 'merchantCountry', 'device'] as const satisfies readonly FieldRole[];

/**
 * The feature configuration for a schema, or undefined when it gets no engineered features (every
 * schema that is not of kind `transaction`). Each role's field is the schema's `roles` entry, else the
 * field transaction.v1 uses for it (`DEFAULT_ROLE_FIELDS`) when the schema has one. Novelty covers
 * whichever of merchant category, merchant country and device resolve, in that order.
 * @throws FedfinError('schema-invalid') naming the role and the schema when `account`, `timestamp` or
 *   `amount` resolves to no field.
 */
export function featureConfigFor(schema: DatasetSchema): TransactionFeatureConfig | undefined {
  if (schema.kind !== 'transaction') return undefined;
  const names = new Set(schema.fields.map((f) => f.name));
  const field = (role: FieldRole): string | undefined => schema.roles?.[role] ?? (names.has(DEFAULT_ROLE_FIELDS[role]) ? DEFAULT_ROLE_FIELDS[role] : undefined);
  const missing = REQUIRED_ROLES.filter((r) => field(r) === undefined);
  if (missing.length > 0) {
    const example = missing.map((r) => `"${r}": "<field>"`).join(', ');
    throw new FedfinError(
      'schema-invalid',
      `fraud features: schema ${schema.id} (kind transaction) has no field for role ${missing.map((r) => `"${r}"`).join(', ')}; name it in the schema's "roles" (e.g. "roles": { ${example} }) — the feature step needs ${REQUIRED_ROLES.join(', ')}`,
    );
  }
  const novelty = [...new Set(NOVELTY_ROLES.map(field).filter((f): f is string => f !== undefined))];
  return { ...TRANSACTION_V1_FEATURES, account: field('account')!, timestamp: field('timestamp')!, amount: field('amount')!, novelty };
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
 * @param c the configuration (default: `featureConfigFor(schema)`; `fedfin predict` passes the one the model recorded).
 */
export function applyFeatureStep(
  schema: DatasetSchema,
  policy: ResolvedPolicy,
  key: Uint8Array,
  records: readonly CanonicalRecord[],
  c: TransactionFeatureConfig | undefined = featureConfigFor(schema),
): CanonicalRecord[] {
  if (!c) return [...records];
  const rule = policy.rules.get(c.account);
  const accountKey =
    rule?.action === 'pseudonymize'
      ? (raw: string) => pseudonymize(key, policy.domain, raw, rule.canonical)!
      : (raw: string) => pseudonymize(key, `${policy.domain}/fraud-features`, raw)!;
  return engineerTransactionFeatures(records, c, accountKey);
}
