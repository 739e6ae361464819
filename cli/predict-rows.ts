/** Where `fedfin predict` gets its validated rows: streamed straight from the file, or (transaction models) read whole and run through the local feature step first. */
import { performance } from 'node:perf_hooks';
import { readAcceptedRecords, type RejectSite } from '../client/data/read-records.js';
import type { ResolvedPolicy } from '../privacy/desensitize/index.js';
import type { CanonicalRecord, DatasetSchema } from '../schema/field.js';
import { compileMapping } from '../schema/mapping.js';
import type { MappingSpec } from '../schema/mapping-spec.js';
import { isReject, openDataFile } from '../schema/readers/index.js';
import { compileValidator } from '../schema/validate.js';
import { applyFeatureStep } from '../tasks/features/feature-step.js';
import type { TransactionFeatureConfig } from '../tasks/features/transaction-features.js';

/** A row that passed mapping and validation: its 1-based data row and its canonical record (still raw). */
export interface ScorableRow {
  readonly row: number;
  readonly record: CanonicalRecord;
}

/** Counts a row source fills in as it goes (never a value). */
export interface RowCounts {
  rowsRead: number;
  rejected: number;
  readonly firstRejects: RejectSite[];
}

/** Milliseconds the row source spends, added to the caller's phase timers. */
export interface RowTimers {
  read: number;
  features: number;
}

const MAX_REJECT_SITES = 5;

/** Empty counts to pass to a row source. */
export function emptyRowCounts(): RowCounts {
  return { rowsRead: 0, rejected: 0, firstRejects: [] };
}

/**
 * Streams `file` through mapping and validation in the reader's batches: memory is bounded by a
 * batch, not the file (record-level models without a feature step, e.g. credit-scoring).
 */
export async function* streamRows(file: string, schema: DatasetSchema, mapping: MappingSpec | undefined, counts: RowCounts, t: RowTimers): AsyncGenerator<ScorableRow[]> {
  let c = performance.now();
  const reader = await openDataFile(file, { delimiter: mapping?.delimiter });
  const compiled = compileMapping(mapping, schema, reader.header, file);
  const validator = compileValidator(schema);
  for await (const batch of reader.batches()) {
    const out: ScorableRow[] = [];
    for (const item of batch) {
      counts.rowsRead++;
      const mapped = isReject(item) ? undefined : compiled.apply(item.values, item.row);
      const errs = mapped === undefined ? [{ field: '(row)' }] : mapped.record ? validator.validate(mapped.record, item.row) : mapped.errors;
      if (errs && errs.length > 0) {
        counts.rejected++;
        if (counts.firstRejects.length < MAX_REJECT_SITES) counts.firstRejects.push({ row: item.row, field: errs[0]!.field });
      } else if (mapped?.record) out.push({ row: item.row, record: mapped.record });
    }
    t.read += performance.now() - c;
    yield out;
    c = performance.now();
  }
  t.read += performance.now() - c;
}

/** What the feature step needs at predict time: the configuration the model recorded, the bank's policy and key. */
export interface PredictFeatureStep {
  readonly config: TransactionFeatureConfig;
  readonly policy: ResolvedPolicy;
  readonly key: Uint8Array;
}

/**
 * Reads every valid row of `file`, runs the feature step exactly as the daemon does before training
 * (per-account history keyed by the account's keyed pseudonym, each row seeing only the file's
 * EARLIER rows of its account: smaller timestamp, or equal and earlier in the file), then yields
 * the featured rows in steps of `stepRows`. Rejected rows are neither scored nor part of any history,
 * as in training. The whole file is held in memory: history needs every earlier row, in time order.
 */
export async function* featuredRows(file: string, schema: DatasetSchema, mapping: MappingSpec | undefined, step: PredictFeatureStep, counts: RowCounts, t: RowTimers, stepRows: number): AsyncGenerator<ScorableRow[]> {
  let c = performance.now();
  const read = await readAcceptedRecords(file, schema, mapping, undefined);
  counts.rowsRead = read.rowsRead;
  counts.rejected = read.rejected;
  counts.firstRejects.push(...read.firstRejects);
  const now = performance.now();
  t.read += now - c;
  const featured = applyFeatureStep(schema, step.policy, step.key, read.records, step.config);
  c = performance.now();
  t.features += c - now;
  for (let i = 0; i < featured.length; i += stepRows) {
    const out = featured.slice(i, i + stepRows).map((record, j) => ({ row: read.rowNumbers[i + j]!, record }));
    yield out;
  }
}
