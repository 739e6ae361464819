/** Parquet reader (hyparquet): reads one row group at a time so memory is bounded by the largest group. */
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects, parquetSchema, type FileMetaData } from 'hyparquet';
import { FedfinError } from '../../common/errors.js';
import { batched, type DataReader, type SourceItem } from './index.js';

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

/**
 * Opens a Parquet file and reads its footer (schema and row groups). Columns are the top-level
 * fields; row numbers are 1-based over the whole file.
 * @throws FedfinError('data-invalid') when the footer cannot be read (not a Parquet file, truncated).
 */
export async function openParquet(file: string): Promise<DataReader> {
  const buffer = await asyncBufferFromFile(file);
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
    for (const group of metadata.row_groups) {
      const end = start + Number(group.num_rows);
      let objects: Record<string, unknown>[];
      try {
        objects = await parquetReadObjects({ file: buffer, metadata, rowStart: start, rowEnd: end });
      } catch (err) {
        throw new FedfinError('data-invalid', `${file}: rows ${start + 1}–${end}: cannot decode the row group (${(err as Error).message})`, { cause: err });
      }
      for (const obj of objects) {
        row++;
        const values: (string | null)[] = new Array<string | null>(header.length);
        let bad: string | undefined;
        for (let i = 0; i < header.length; i++) {
          const t = parquetValueText(obj[header[i]!]);
          if (t === undefined) {
            bad = header[i];
            break;
          }
          values[i] = t;
        }
        yield bad === undefined ? { row, values } : { row, reject: `row ${row}: column ${bad} holds a nested value, expected a scalar` };
      }
      start = end;
    }
  }
  return { file, format: 'parquet', header, rows, batches: () => batched(rows()) };
}
