/** Opens a bank extract (CSV, Parquet, JSON Lines) as a header plus a stream of raw text rows. */
import { statSync } from 'node:fs';
import { extname } from 'node:path';
import { FedfinError, FileError } from '../../common/errors.js';
import { openCsv } from './csv-reader.js';
import { openParquet } from './parquet-reader.js';
import { openJsonl } from './jsonl-reader.js';

/** The file formats fedfin reads. */
export const DATA_FORMATS = ['csv', 'parquet', 'jsonl'] as const;
export type DataFormat = (typeof DATA_FORMATS)[number];

/**
 * One data row. `row` is 1-based and counts data rows only (the CSV header is not a row).
 * `values[i]` is the text of column `header[i]`; `null` means the source had no value at all
 * (a Parquet/JSON null or an absent JSON key). Positional rather than keyed, so the mapping
 * resolves each column to an index once and a row costs one array, not one object per row.
 */
export interface RawRow {
  readonly row: number;
  readonly values: readonly (string | null)[];
}

/** A row the reader could not turn into values (wrong column count, malformed JSON line). */
export interface RowReject {
  readonly row: number;
  /** Full message, e.g. `row 7: expected 21 columns, got 3`. */
  readonly reject: string;
}

export type SourceItem = RawRow | RowReject;

/** An opened data file: the column names are known before the first row is read. */
export interface DataReader {
  readonly file: string;
  readonly format: DataFormat;
  readonly header: readonly string[];
  /** The CSV delimiter used (given or detected); undefined for other formats. */
  readonly delimiter?: string;
  /**
   * Streams the rows once, in file order, with bounded memory.
   * @throws FedfinError('data-invalid') for a fatal problem (invalid UTF-8, a field over the size limit).
   */
  rows(): AsyncIterable<SourceItem>;
  /** The same rows in batches (one await per batch, cheaper for bulk work). Use rows() or batches(), once. */
  batches(): AsyncIterable<readonly SourceItem[]>;
}

/** Flattens batches into single items. */
export async function* flatten<T>(batches: AsyncIterable<readonly T[]>): AsyncGenerator<T> {
  for await (const b of batches) yield* b;
}

/** Groups single items into batches of up to `size`. */
export async function* batched<T>(items: AsyncIterable<T>, size = 1024): AsyncGenerator<T[]> {
  let b: T[] = [];
  for await (const it of items) {
    b.push(it);
    if (b.length === size) {
      yield b;
      b = [];
    }
  }
  if (b.length > 0) yield b;
}

/** Options shared by all readers. */
export interface ReaderOptions {
  /** Overrides the choice by file extension. */
  readonly format?: DataFormat;
  /** CSV delimiter; detected among `,` `;` tab `|` when absent. */
  readonly delimiter?: string;
  /** Largest field (CSV) or line (JSON Lines) accepted, in bytes. @default 1_048_576 */
  readonly maxFieldBytes?: number;
}

export const DEFAULT_MAX_FIELD_BYTES = 1_048_576;

/** True when the item is a reject rather than a row. */
export function isReject(item: SourceItem): item is RowReject {
  return 'reject' in item;
}

/**
 * The format for a file name: `.csv`/`.tsv`/`.txt` → csv, `.parquet` → parquet, `.jsonl`/`.ndjson` → jsonl.
 * @throws FedfinError('usage') for another extension.
 */
export function formatFor(file: string): DataFormat {
  const ext = extname(file).toLowerCase();
  if (ext === '.csv' || ext === '.tsv' || ext === '.txt') return 'csv';
  if (ext === '.parquet') return 'parquet';
  if (ext === '.jsonl' || ext === '.ndjson') return 'jsonl';
  throw new FedfinError('usage', `${file}: cannot tell the format from the extension "${ext}"; pass --format csv|parquet|jsonl`);
}

/**
 * Opens `file` and reads its header.
 * @throws FileError('file-not-found') when it does not exist, FileError('file-unreadable') for a
 *   directory or a read failure, FedfinError('data-invalid') for an empty file or a bad header.
 */
export async function openDataFile(file: string, options: ReaderOptions = {}): Promise<DataReader> {
  let size: number;
  try {
    const st = statSync(file);
    if (st.isDirectory()) throw new FileError(file, 'is a directory, expected a data file');
    // A pipe or device reports size 0; only a regular file can be judged empty before reading.
    size = st.isFile() ? st.size : -1;
  } catch (err) {
    if (err instanceof FileError) throw err;
    const code = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'file-not-found' : 'file-unreadable';
    throw new FileError(file, code === 'file-not-found' ? 'no such file' : `cannot read (${(err as Error).message})`, code, { cause: err });
  }
  if (size === 0) throw new FedfinError('data-invalid', `${file}: empty file, expected a header row`);
  const format = options.format ?? formatFor(file);
  const maxFieldBytes = options.maxFieldBytes ?? DEFAULT_MAX_FIELD_BYTES;
  if (format === 'csv') return openCsv(file, options.delimiter, maxFieldBytes);
  if (format === 'parquet') return openParquet(file);
  return openJsonl(file, maxFieldBytes);
}
