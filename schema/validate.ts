/** Record validation against a dataset schema, and `validateData`: read → map → validate a whole file, with statistics. */
import { FedfinError } from '../common/errors.js';
import { isRealDate, compileMapping, type CompiledMapping, type FieldError } from './mapping.js';
import { openDataFile, isReject, type DataFormat, type DataReader } from './readers/index.js';
import { StatsCollector, type FieldStats } from './validate-stats.js';
import { expectation, valueRenderer, type MessageOptions } from './message-values.js';
import type { CanonicalRecord, CanonicalValue, DatasetSchema, FieldSpec } from './field.js';
import type { MappingSpec } from './mapping-spec.js';

export { expectation } from './message-values.js';

/** Returns the message tail (`expected …, got …`) when `v` (never null) breaks the field's rules. */
type Check = (v: CanonicalValue) => string | undefined;

function isIsoDate(s: string): boolean {
  if (s.length !== 10 || s[4] !== '-' || s[7] !== '-') return false;
  const y = +s.slice(0, 4);
  const m = +s.slice(5, 7);
  const d = +s.slice(8, 10);
  return Number.isInteger(y) && Number.isInteger(m) && Number.isInteger(d) && isRealDate(y, m, d);
}

/**
 * Compiles the rule check of one field once; the closure does no allocation on valid values.
 * Messages quote the value unless the field is a direct identifier or `options.redactValues` is set.
 */
export function compileCheck(f: FieldSpec, options?: MessageOptions): Check {
  const want = `expected ${expectation(f)}, got `;
  const show = valueRenderer(f, options);
  const bad = (v: CanonicalValue): string => want + show(v);
  switch (f.type) {
    case 'number':
    case 'integer': {
      const lo = f.min ?? -Infinity;
      const hi = f.max ?? Infinity;
      const int = f.type === 'integer';
      return (v) => (typeof v !== 'number' || !Number.isFinite(v) || v < lo || v > hi || (int && !Number.isInteger(v)) ? bad(v) : undefined);
    }
    case 'category': {
      const allowed = new Set(f.categories);
      return (v) => (typeof v === 'string' && allowed.has(v) ? undefined : bad(v));
    }
    case 'boolean':
      return (v) => (typeof v === 'boolean' ? undefined : bad(v));
    case 'string': {
      const max = f.maxLength ?? Infinity;
      return (v) => (typeof v === 'string' && v.length <= max ? undefined : typeof v === 'string' ? `${want}${v.length} characters` : bad(v));
    }
    case 'date':
      return (v) => (typeof v === 'string' && isIsoDate(v) ? undefined : bad(v));
    default:
      return (v) => (typeof v === 'string' && !Number.isNaN(Date.parse(v)) ? undefined : bad(v));
  }
}

/** A compiled record validator for one schema. */
export interface RecordValidator {
  /** The errors of one record (empty when valid); `row` is used in messages. */
  validate(record: CanonicalRecord, row: number): FieldError[] | undefined;
}

/** Options of compileValidator. */
export interface ValidatorOptions extends MessageOptions {
  /** Source column of each field (CompiledMapping.columnOf), named in messages when it differs from the field. */
  readonly columnOf?: ReadonlyMap<string, string>;
}

/** Precompiles every field's check once. */
export function compileValidator(schema: DatasetSchema, options?: ValidatorOptions): RecordValidator {
  const names = schema.fields.map((f) => f.name);
  const columns = names.map((n) => {
    const c = options?.columnOf?.get(n);
    return c === n ? undefined : c;
  });
  const labels = names.map((n, i) => (columns[i] === undefined ? n : `${n} (column ${columns[i]!})`));
  const required = schema.fields.map((f) => f.required);
  const checks = schema.fields.map((f) => compileCheck(f, options));
  const wants = schema.fields.map((f) => `expected ${expectation(f)}, got nothing (the field is required)`);
  return {
    validate(record, row) {
      let errors: FieldError[] | undefined;
      for (let i = 0; i < names.length; i++) {
        const v = record[names[i]!];
        const why = v === null || v === undefined ? (required[i] ? wants[i] : undefined) : checks[i]!(v);
        if (why !== undefined) (errors ??= []).push({ field: names[i]!, ...(columns[i] !== undefined ? { column: columns[i] } : {}), message: `row ${row}, field ${labels[i]!}: ${why}` });
      }
      return errors;
    },
  };
}

/** One rejected row's problem. `field` is `(row)` for reader-level rejects (wrong column count …). */
export interface RowError {
  readonly row: number;
  readonly field: string;
  /** The source column the field was read from, when it is one column with another name. */
  readonly column?: string;
  readonly message: string;
}

/** Options of validateData / acceptedRecords. */
export interface ValidateOptions {
  readonly file: string;
  readonly schema: DatasetSchema;
  /** Without a mapping the identity mapping is used. */
  readonly mapping?: MappingSpec;
  /** Rejected rows tolerated. validateData sets `ok`; acceptedRecords throws past it. @default 0 */
  readonly maxReject?: number;
  readonly format?: DataFormat;
  /** Overrides the mapping's delimiter and detection. */
  readonly delimiter?: string;
  readonly maxFieldBytes?: number;
  /**
   * Withhold all values from messages (they name row, field, column and the expectation only).
   * Values of direct-identifier fields are never quoted, whatever this says.
   * @default false for validateData (the bank's own operator reads it), true for acceptedRecords
   *   (its error travels into logs and daemon refusals)
   */
  readonly redactValues?: boolean;
}

/** The outcome of validating a whole file. */
export interface ValidationReport {
  readonly file: string;
  readonly format: DataFormat;
  readonly rows: number;
  readonly accepted: number;
  readonly rejected: number;
  /** rejected ≤ maxReject */
  readonly ok: boolean;
  /** The first 100 errors (a row may contribute several). */
  readonly errors: readonly RowError[];
  readonly fields: readonly FieldStats[];
  readonly unmappedColumns: readonly string[];
}

export const MAX_REPORTED_ERRORS = 100;

async function prepare(o: ValidateOptions, redactValues: boolean): Promise<{ reader: DataReader; mapping: CompiledMapping; validator: RecordValidator }> {
  const reader = await openDataFile(o.file, { format: o.format, delimiter: o.delimiter ?? o.mapping?.delimiter, maxFieldBytes: o.maxFieldBytes });
  const mapping = compileMapping(o.mapping, o.schema, reader.header, o.file, { redactValues });
  return { reader, mapping, validator: compileValidator(o.schema, { redactValues, columnOf: mapping.columnOf }) };
}

/** Streams rows through mapping and validation; calls `onRecord` for accepted and `onError` for each problem. */
async function pump(o: ValidateOptions, onRecord: (r: CanonicalRecord) => void, onReject: (errs: readonly RowError[]) => void): Promise<{ rows: number; reader: DataReader; mapping: CompiledMapping }> {
  const { reader, mapping, validator } = await prepare(o, o.redactValues ?? false);
  let rows = 0;
  for await (const batch of reader.batches()) for (const item of batch) {
    rows++;
    if (isReject(item)) {
      onReject([{ row: item.row, field: '(row)', message: item.reject }]);
      continue;
    }
    const mapped = mapping.apply(item.values, item.row);
    const errs = mapped.record ? validator.validate(mapped.record, item.row) : mapped.errors;
    if (errs) onReject(errs.map((e) => ({ row: item.row, field: e.field, ...(e.column !== undefined ? { column: e.column } : {}), message: e.message })));
    else onRecord(mapped.record!);
  }
  return { rows, reader, mapping };
}

/**
 * Reads, maps and validates a whole file in one streaming pass.
 * @returns counts, the first 100 errors, per-field statistics and the unmapped columns.
 * @throws FileError / FedfinError('data-invalid') for an unreadable file, FedfinError('mapping-invalid')
 *   when the mapping does not fit the schema or the header.
 */
export async function validateData(o: ValidateOptions): Promise<ValidationReport> {
  const stats = new StatsCollector(o.schema);
  const errors: RowError[] = [];
  let accepted = 0;
  let rejected = 0;
  const { rows, reader, mapping } = await pump(
    o,
    (r) => { accepted++; stats.add(r); },
    (errs) => {
      rejected++;
      for (const e of errs) if (errors.length < MAX_REPORTED_ERRORS) errors.push(e);
    },
  );
  return { file: o.file, format: reader.format, rows, accepted, rejected, ok: rejected <= (o.maxReject ?? 0), errors, fields: stats.result(), unmappedColumns: mapping.unmappedColumns };
}

/**
 * The accepted canonical records of a file, streamed (for the daemon and `data desensitize`).
 * @throws FedfinError('data-invalid') as soon as more than `maxReject` rows are rejected, naming the
 *   latest reject's row, field and expectation (values withheld unless `redactValues: false`).
 */
export async function* acceptedRecords(o: ValidateOptions): AsyncGenerator<CanonicalRecord> {
  const { reader, mapping, validator } = await prepare(o, o.redactValues ?? true);
  const max = o.maxReject ?? 0;
  let rejected = 0;
  for await (const batch of reader.batches()) for (const item of batch) {
    let why: string | undefined;
    if (isReject(item)) why = item.reject;
    else {
      const mapped = mapping.apply(item.values, item.row);
      const errs = mapped.record ? validator.validate(mapped.record, item.row) : mapped.errors;
      if (!errs) {
        yield mapped.record!;
        continue;
      }
      why = errs[0]!.message;
    }
    if (++rejected > max) throw new FedfinError('data-invalid', `${o.file}: more than ${max} rejected rows; latest: ${why}`);
  }
}
