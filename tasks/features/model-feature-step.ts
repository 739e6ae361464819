/** The feature step as an exported model records it (`features` of fedfin-model.json), and the check `fedfin predict` runs before repeating it. */
import { FedfinError } from '../../common/errors.js';
import type { DatasetSchema } from '../../schema/field.js';
import { featureConfigFor } from './feature-step.js';
import { FEATURE_STEP, type TransactionFeatureConfig } from './transaction-features.js';

/**
 * What a model package records about the feature step its inputs came from: the step's name and
 * version (FEATURE_STEP) and the resolved configuration — which field played each role, the novelty
 * fields and the velocity windows. Field names only; never a value.
 */
export interface FeatureStepRecord {
  readonly step: string;
  readonly version: number;
  readonly account: string;
  readonly timestamp: string;
  readonly amount: string;
  readonly novelty: string[];
  readonly windows: { name: string; ms: number }[];
}

/**
 * The record for a model trained on `schema`, or null when the schema gets no engineered features
 * (the daemon runs the step for every transaction schema, whatever the task).
 * @throws FedfinError('schema-invalid') as featureConfigFor, for a transaction schema missing a required role.
 */
export function featureStepRecord(schema: DatasetSchema): FeatureStepRecord | null {
  const c = featureConfigFor(schema);
  if (!c) return null;
  return { step: FEATURE_STEP.name, version: FEATURE_STEP.version, account: c.account, timestamp: c.timestamp, amount: c.amount, novelty: [...c.novelty], windows: c.windows.map((w) => ({ ...w })) };
}

/**
 * The feature configuration `fedfin predict` must run for a model on `schema`, or undefined for none.
 *
 * The model's record decides; the schema must resolve the same roles to the same fields (a custom
 * schema whose `roles` changed since training would compute other features under the same names).
 * A package without the record (exported before it existed) falls back to what the schema gives —
 * exactly the daemon's rule — and the encoding-hash check still guards the result.
 * @param recorded `meta.features`: the record, null (trained without the step) or undefined (not recorded).
 * @param source names the data file in errors.
 * @throws FedfinError('encoding-mismatch') naming each differing role or field, or an unknown step or
 *   version; FedfinError('schema-invalid') for a transaction schema missing a required role.
 */
export function modelFeatureConfig(recorded: FeatureStepRecord | null | undefined, schema: DatasetSchema, source: string): TransactionFeatureConfig | undefined {
  const local = featureConfigFor(schema);
  if (recorded === undefined) return local;
  const refuse = (what: string): never => {
    throw new FedfinError('encoding-mismatch', `${source}: the model's feature step does not match schema ${schema.id}: ${what}. Use the schema (and its "roles") the bank trained with.`);
  };
  if (recorded === null) return local ? refuse(`the model was trained without engineered features, but ${schema.id} is a transaction schema that gets them`) : undefined;
  if (recorded.step !== FEATURE_STEP.name || recorded.version !== FEATURE_STEP.version) {
    refuse(`the model's inputs come from ${recorded.step} v${recorded.version}, this fedfin computes ${FEATURE_STEP.name} v${FEATURE_STEP.version} (score with the fedfin version that trained it)`);
  }
  if (!local) return refuse(`the model needs ${recorded.step} features, but ${schema.id} is not a transaction schema`);
  const diffs: string[] = [];
  for (const role of ['account', 'timestamp', 'amount'] as const) {
    if (recorded[role] !== local[role]) diffs.push(`role ${role}: the model read field "${recorded[role]}", this schema gives "${local[role]}"`);
  }
  if (recorded.novelty.join(',') !== local.novelty.join(',')) diffs.push(`novelty fields: the model used [${recorded.novelty.join(', ')}], this schema gives [${local.novelty.join(', ')}]`);
  if (diffs.length > 0) refuse(diffs.join('; '));
  // Windows come from the record: they are the step's, not the schema's.
  return { ...local, windows: recorded.windows.map((w) => ({ ...w })) };
}
