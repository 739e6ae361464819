/** `inferSchema`: drafts a custom schema from a CSV file (or rows) for a human to review before use. */
import { closeSync, createReadStream, openSync, readSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { parse } from 'csv-parse';
import { FedfinError, FileError } from '../common/errors.js';
import { assertInt, describeValue } from '../common/assert.js';
import { DatasetSchemaSchema, makeSchema, type DatasetSchema } from './field.js';
import { ColumnProfile } from './infer-column.js';
import { draftField, type InferredColumn } from './infer-draft.js';
import { fieldNamesFor, toSnakeCase } from './infer-names.js';

export type { InferredColumn } from './infer-draft.js';

/** Options of `inferSchema`. */
export interface InferOptions {
  /** Source column (header text) holding the training target; it gets privacy `label`. */
  readonly label?: string;
  /** Schema name (snake_case); @default the file name in snake_case, or `custom` for rows. */
  readonly name?: string;
  /** Text columns with at most this many distinct values become categories. @default 20 */
  readonly categoryCap?: number;
  /** Read only the first N data rows. @default all rows */
  readonly sampleRows?: number;
  /** Names the input in messages when `input` is rows rather than a path. @default 'rows' */
  readonly source?: string;
}

/** The draft and what was learnt on the way. */
export interface InferredSchema {
  /** The drafted schema (version 1, kind `custom`), already validated like a schema file. */
  readonly schema: DatasetSchema;
  /** One entry per source column, in column order, with the reasons behind each privacy class. */
  readonly columns: readonly InferredColumn[];
  /** Data rows read. */
  readonly rows: number;
  /** The delimiter used (detected for files). */
  readonly delimiter?: string;
}

const DELIMITERS = [',', ';', '\t', '|'] as const;

/**
 * Picks the delimiter among `, ; \t |` that occurs most often in `firstLine` outside double quotes;
 * a comma when none occurs (a one-column file).
 */
export function detectDelimiter(firstLine: string): string {
  const counts = new Map<string, number>(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (const ch of firstLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
  }
  let best = ',';
  for (const d of DELIMITERS) if (counts.get(d)! > counts.get(best)!) best = d;
  return best;
}

function firstLineOf(path: string): string {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(64 * 1024);
    const n = readSync(fd, buf, 0, buf.length, 0);
    return buf.subarray(0, n).toString('utf8').replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  } finally {
    closeSync(fd);
  }
}

async function* csvRows(path: string, delimiter: string): AsyncGenerator<Record<string, string>> {
  const file = createReadStream(path);
  const parser = file.pipe(
    parse({
      delimiter,
      bom: true,
      trim: true,
      skip_empty_lines: true,
      columns: (header: string[]) => {
        const dup = header.find((h, i) => header.indexOf(h) !== i);
        if (dup !== undefined) throw new FedfinError('data-invalid', `${path}: column "${dup}" appears twice in the header`);
        return header;
      },
    }),
  );
  try {
    for await (const row of parser) yield row as Record<string, string>;
  } catch (err) {
    if (err instanceof FedfinError) throw err;
    throw new FedfinError('data-invalid', `${path}: cannot parse CSV (${(err as Error).message})`, { cause: err });
  } finally {
    // A consumer that stops early (sampleRows) must not leave the file open.
    file.destroy();
  }
}

function openCsv(path: string): { rows: AsyncIterable<Record<string, string>>; delimiter: string } {
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new FileError(path, 'not a regular file');
    size = st.size;
  } catch (err) {
    if (err instanceof FileError) throw err;
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    throw new FileError(path, missing ? 'no such file' : `cannot read (${(err as Error).message})`, missing ? 'file-not-found' : 'file-unreadable', { cause: err });
  }
  const header = size === 0 ? '' : firstLineOf(path);
  if (header.trim() === '') throw new FedfinError('data-invalid', `${path}: empty file (expected a header line and data rows)`);
  const delimiter = detectDelimiter(header);
  return { rows: csvRows(path, delimiter), delimiter };
}

function checkLabel(label: string | undefined, columns: readonly string[], source: string): void {
  if (label !== undefined && !columns.includes(label)) {
    throw new FedfinError('data-invalid', `${source}: label column "${label}" not found; columns are: ${columns.join(', ')}`);
  }
}

/**
 * Drafts a custom schema from a CSV file or from rows. Every value is profiled: each column's type
 * (integer, number, boolean, date, timestamp, category, string), observed min/max, categories, whether
 * any value was missing, and whether the column looks like an identifier or a protected attribute (by
 * its name and by value patterns: emails, IBANs, phone and card numbers). Column names become
 * snake_case field names; each description keeps the source column name. The draft is validated
 * exactly like a schema file, so it round-trips through `parseSchemaJson`.
 *
 * A draft is a starting point, not a policy: bounds are observed values, units are not inferred,
 * and the privacy classes need a human review (the `columns` reasons say why each was chosen).
 *
 * @param input a CSV path (delimiter detected among `, ; \t |` from the first line) or an async iterable of rows keyed by column.
 * @throws FileError when the file is missing or unreadable; FedfinError('data-invalid') when it is
 *   empty, has no data rows, cannot be parsed, or lacks the label column.
 * @throws RangeError for a bad `categoryCap`, `sampleRows` or `name`; TypeError for an input of another kind.
 */
export async function inferSchema(input: AsyncIterable<Record<string, string>> | string, options: InferOptions = {}): Promise<InferredSchema> {
  if (typeof input !== 'string' && (typeof input !== 'object' || input === null || !(Symbol.asyncIterator in input))) {
    throw new TypeError(`inferSchema: "input" expected a CSV path or an async iterable of rows, got ${describeValue(input)}`);
  }
  const categoryCap = options.categoryCap ?? 20;
  assertInt('inferSchema', 'categoryCap', categoryCap, 1, 10_000);
  if (options.sampleRows !== undefined) assertInt('inferSchema', 'sampleRows', options.sampleRows, 1);
  if (options.name !== undefined && !/^[a-z][a-z0-9_]*$/.test(options.name)) {
    throw new RangeError(`inferSchema: "name" expected snake_case name, got ${JSON.stringify(options.name)}`);
  }
  const source = typeof input === 'string' ? input : (options.source ?? 'rows');
  const opened = typeof input === 'string' ? openCsv(input) : { rows: input, delimiter: undefined };

  const columns: string[] = [];
  const profiles = new Map<string, ColumnProfile>();
  let rows = 0;
  for await (const row of opened.rows) {
    for (const key of Object.keys(row)) {
      if (!profiles.has(key)) {
        columns.push(key);
        // A column first seen late was missing from every earlier row.
        const p = new ColumnProfile();
        for (let i = 0; i < rows; i++) p.observe('');
        profiles.set(key, p);
      }
    }
    for (const key of columns) profiles.get(key)!.observe(row[key] ?? '');
    rows++;
    // A file's header is complete with its first row: fail before reading the rest.
    if (rows === 1 && typeof input === 'string') checkLabel(options.label, columns, source);
    if (options.sampleRows !== undefined && rows >= options.sampleRows) break;
  }
  if (rows === 0) throw new FedfinError('data-invalid', `${source}: no data rows (a header line alone cannot be profiled)`);
  checkLabel(options.label, columns, source);

  const names = fieldNamesFor(columns);
  const drafted = columns.map((column, i) =>
    draftField(profiles.get(column)!, { column, name: names[i]!, isLabel: column === options.label, categoryCap }),
  );
  const labelField = options.label === undefined ? undefined : names[columns.indexOf(options.label)];
  const name = options.name ?? (typeof input === 'string' ? toSnakeCase(basename(input).replace(/\.[^.]*$/, ''), 1) : 'custom');
  const sampled = options.sampleRows !== undefined && rows >= options.sampleRows ? ` (the first ${rows} rows)` : '';
  const raw = {
    name,
    version: 1,
    description: `Drafted by \`fedfin schema infer\` from ${basename(source)}${sampled}: ${rows} rows, ${columns.length} columns. Ranges and categories are what was observed, not policy; add units and review every privacy class before use.`,
    kind: 'custom' as const,
    ...(labelField !== undefined ? { label: labelField } : {}),
    fields: drafted.map((d) => d.field),
  };
  const parsed = DatasetSchemaSchema.safeParse(raw);
  // The draft is built to satisfy the schema-file rules; a failure here is a bug, not bad input.
  if (!parsed.success) throw new FedfinError('internal', `inferSchema: drafted schema is invalid: ${parsed.error.message}`);
  return { schema: makeSchema(parsed.data), columns: drafted, rows, ...(opened.delimiter !== undefined ? { delimiter: opened.delimiter } : {}) };
}
