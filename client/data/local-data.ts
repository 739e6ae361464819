/** The daemon's data pipeline at start-up: read → validate → engineered features (transactions) → desensitise (suppression only) → secret train/holdout split. */
import { FedfinError } from '../../common/errors.js';
import type { Logger } from '../../common/log.js';
import type { DatasetSchema } from '../../schema/field.js';
import type { DesensitizedRecord } from '../../schema/desensitized.js';
import type { DaemonOptions } from '../../schema/node-config.js';
import { resolveSchema } from '../../schema/registry.js';
import { desensitizeDataset, loadKeyFile, loadPolicy, type FieldRule, type ResolvedPolicy } from '../../privacy/desensitize/index.js';
import { applyFeatureStep, featuredSchema } from '../../tasks/features/feature-step.js';
import { isHoldoutRow } from './holdout-split.js';
import { readAcceptedRecords, readMappingFile } from './read-records.js';

/** Where the bank's data and desensitisation settings live (absolute paths), plus the holdout share. */
export type LocalDataOptions = DaemonOptions['data'] & { readonly holdoutFraction: number };

/** What start-up produced: desensitised records only, split, plus a summary safe to log. */
export interface LocalData {
  /** The desensitised schema every record follows (the encoder builds its spec from it). */
  readonly schema: DatasetSchema;
  readonly train: readonly DesensitizedRecord[];
  readonly holdout: readonly DesensitizedRecord[];
  /** Identifies the dataset in the ledger: the dataset accountant spans every job on it. */
  readonly datasetId: string;
  readonly summary: DataSummary;
}

/** Counts only; never a value. */
export interface DataSummary {
  readonly rowsRead: number;
  readonly accepted: number;
  readonly rejected: number;
  readonly suppressed: number;
  readonly kTarget: number;
  readonly kReached: number;
  readonly train: number;
  readonly holdout: number;
}

/**
 * A federation needs one feature schema across banks, so the daemon never generalises beyond the
 * levels the policy names: every `maxLevel` is pinned to `level`, leaving suppression as the only lever.
 */
export function pinPolicyLevels(policy: ResolvedPolicy): ResolvedPolicy {
  const rules = new Map<string, FieldRule>();
  for (const [name, rule] of policy.rules) rules.set(name, 'level' in rule ? { ...rule, maxLevel: rule.level } : rule);
  return { ...policy, rules };
}

/**
 * Runs the whole pipeline once.
 * @throws FileError naming a missing data, mapping, policy or key file; ConfigError for invalid files;
 *   FedfinError('data-invalid') when rejects exceed `maxRejectFraction` (rows and fields named, values
 *   never) or when k (and l) cannot be reached within the policy's `maxSuppression`.
 */
export async function loadLocalData(o: LocalDataOptions, logger: Logger): Promise<LocalData> {
  const schema = resolveSchema(o.schema);
  const mapping = o.mappingFile === undefined ? undefined : readMappingFile(o.mappingFile);
  if (mapping && mapping.schema !== schema.id) throw new FedfinError('mapping-invalid', `mapping ${o.mappingFile}: maps onto schema ${mapping.schema}, but the config names ${schema.id}`);
  // Transaction schemas gain engineered fields (tasks/features/feature-step.ts); the policy sees them too.
  const policy = pinPolicyLevels(loadPolicy(o.policyFile, featuredSchema(schema)));
  const key = loadKeyFile(o.keyFile); // checked before any data is read
  try {
    const read = await readAcceptedRecords(o.file, schema, mapping, o.format);
    if (read.rowsRead === 0) throw new FedfinError('data-invalid', `${o.file}: the file has no data rows`);
    const rejectFraction = read.rejected / read.rowsRead;
    if (rejectFraction > o.maxRejectFraction) {
      const where = read.firstRejects.map((r) => `row ${r.row} (${r.field})`).join(', ');
      throw new FedfinError(
        'data-invalid',
        `${o.file}: ${read.rejected} of ${read.rowsRead} rows rejected (${(100 * rejectFraction).toFixed(2)}% > maxRejectFraction ${(100 * o.maxRejectFraction).toFixed(2)}%); first: ${where}. Run \`fedfin data validate\` on the file to see why.`,
      );
    }
    const result = desensitizeDataset(featuredSchema(schema), policy, key, applyFeatureStep(schema, policy, key, read.records));
    const suppressed = result.enforcement.suppressedRows;
    const allowed = Math.floor(policy.maxSuppression * read.records.length);
    const after = result.enforcement.after;
    const lShort = policy.l !== undefined && (after.l ?? 0) < policy.l;
    if (suppressed.length > allowed || after.k < policy.k || lShort) {
      throw new FedfinError(
        'data-invalid',
        `${o.policyFile}: k = ${policy.k}${policy.l === undefined ? '' : `, l = ${policy.l}`} cannot be reached at the policy's generalisation levels within maxSuppression ${policy.maxSuppression}: ${suppressed.length} of ${read.records.length} rows would be suppressed (allowed ${allowed}). Coarsen the policy's levels (the same for every bank) or raise maxSuppression.`,
      );
    }
    const suppressedSet = new Set(suppressed);
    const keptRows = read.rowNumbers.filter((_, i) => !suppressedSet.has(i));
    const train: DesensitizedRecord[] = [];
    const holdout: DesensitizedRecord[] = [];
    result.records.forEach((r, i) => (isHoldoutRow(key, keptRows[i]!, o.holdoutFraction) ? holdout : train).push(r));
    const summary: DataSummary = {
      rowsRead: read.rowsRead,
      accepted: read.records.length,
      rejected: read.rejected,
      suppressed: suppressed.length,
      kTarget: policy.k,
      kReached: after.k,
      train: train.length,
      holdout: holdout.length,
    };
    logger.info('data loaded', { ...summary, file: o.file, schema: schema.id });
    return { schema: result.schema, train, holdout, datasetId: `${schema.id}:${o.file}`, summary };
  } finally {
    key.fill(0);
  }
}
