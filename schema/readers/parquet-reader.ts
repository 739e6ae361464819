/** Parquet reader (hyparquet): reads one row group at a time so memory is bounded by the largest group. */
import { asyncBufferFromFile, parquetMetadataAsync, parquetSchema, type FileMetaData } from 'hyparquet';
import { FedfinError } from '../../common/errors.js';
import { batched, type DataReader, type SourceItem } from './index.js';
import { decodeRowGroup } from './parquet-decoder.js';
import { checkRowGroupPages } from './parquet-guard.js';

/**
 * Parquet values become the same text a CSV would hold, so one mapping serves both:
 * dates at midnight UTC as `YYYY-MM-DD`, other instants as ISO-8601, bigints in decimal.
 * Nested values (lists, structs) yield undefined and reject the row.
 */
export function parquetValueText(v: unknown): string | null | undefined {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) return null;
    const iso = v.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
  }
  return undefined;
}

/** Numbers each opening (the decoding thread keys its footer cache by it). */
let openings = 0;

/**
 * Opens a Parquet file and reads its footer (schema and row groups). Columns are the top-level
 * fields; row numbers are 1-based over the whole file. Row groups are checked page header by page
 * header (parquet-guard.ts), then decoded one at a time on the decoding thread (parquet-decoder.ts).
 * @param options.decodeTimeoutMs the deadline of one row group's decoding (default: by its size).
 * @throws FedfinError('data-invalid') when the footer cannot be read (not a Parquet file, truncated);
 *   reading rows throws it too, naming the rows, for a corrupt row group.
 */

export async function openParquet(file: string, options: { readonly decodeTimeoutMs?: number } = {}): Promise<DataReader> {
  const buffer = await asyncBufferFromFile(file);
  const openingId = ++openings;
  let metadata: FileMetaData;
  let header: string[];
  try {
    metadata = await parquetMetadataAsync(buffer);
    header = parquetSchema(metadata).children.map((c) => c.element.name);
  } catch (err) {
    throw new FedfinError('data-invalid', `${file}: not a readable Parquet file (${(err as Error).message})`, { cause: err });
  }

  async function* rows(): AsyncGenerator<SourceItem> {
    let start = 0;
    let row = 0;
    for (const [g, group] of metadata.row_groups.entries()) {
      const end = start + Number(group.num_rows);
      await checkRowGroupPages(file, buffer, metadata, g, start);
      const decoded = await decodeRowGroup(file, openingId, start, end, header, options.decodeTimeoutMs);
      for (const cells of decoded) {
        row++;
        const bad = cells.indexOf(undefined);
        yield bad < 0 ? { row, values: cells as (string | null)[] } : { row, reject: `row ${row}: column ${header[bad]} holds a nested value, expected a scalar` };
      }
      start = end;
    }
  }
  return { file, format: 'parquet', header, rows, batches: () => batched(rows()) };
}
