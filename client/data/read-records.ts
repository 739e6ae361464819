/** Reads a bank extract through its mapping and schema validation, keeping accepted records and only the row/field of rejects. */
import { readFileSync } from 'node:fs';
import { ConfigError, FedfinError, FileError } from '../../common/errors.js';
import type { CanonicalRecord, DatasetSchema } from '../../schema/field.js';
import { compileMapping } from '../../schema/mapping.js';
import { MappingSpecSchema, type MappingSpec } from '../../schema/mapping-spec.js';
import { isReject, openDataFile, type DataFormat } from '../../schema/readers/index.js';
import { compileValidator } from '../../schema/validate.js';

/** Where a rejected row failed. Deliberately without the message: validation messages quote values. */
export interface RejectSite {
  readonly row: number;
  /** The first failing field, or `(row)` for a row the reader could not split. */
  readonly field: string;
}

/** Accepted records with their 1-based data-row numbers, plus counts. */
export interface ReadResult {
  readonly records: CanonicalRecord[];
  /** `rowNumbers[i]` is the data row `records[i]` came from (stable while the file is unchanged). */
  readonly rowNumbers: number[];
  readonly rowsRead: number;
  readonly rejected: number;
  /** The first few rejects, for the refusal message. */
  readonly firstRejects: readonly RejectSite[];
}

const MAX_REJECT_SITES = 5;

/**
 * Reads and validates a mapping file.
 * @throws FileError naming a missing/unreadable file; ConfigError for bad JSON or an invalid mapping.
 */
export function readMappingFile(file: string): MappingSpec {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    throw new FileError(file, missing ? 'no such mapping file' : `cannot read the mapping file (${(err as Error).message})`, missing ? 'file-not-found' : 'file-unreadable', { cause: err });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new FedfinError('mapping-invalid', `mapping ${file}: not valid JSON (${(err as Error).message})`);
  }
  const parsed = MappingSpecSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(`mapping ${file}`, parsed.error.issues);
  return parsed.data;
}

/**
 * Streams `file` through `mapping` and `schema` validation in one pass.
 * @throws FileError / FedfinError('mapping-invalid') as the readers and compileMapping do.
 */
export async function readAcceptedRecords(file: string, schema: DatasetSchema, mapping: MappingSpec | undefined, format: DataFormat | undefined): Promise<ReadResult> {
  const reader = await openDataFile(file, { format, delimiter: mapping?.delimiter });
  const compiled = compileMapping(mapping, schema, reader.header, file);
  const validator = compileValidator(schema);
  const records: CanonicalRecord[] = [];
  const rowNumbers: number[] = [];
  const firstRejects: RejectSite[] = [];
  let rowsRead = 0;
  let rejected = 0;
  const reject = (site: RejectSite): void => {
    rejected++;
    if (firstRejects.length < MAX_REJECT_SITES) firstRejects.push(site);
  };
  for await (const batch of reader.batches()) {
    for (const item of batch) {
      rowsRead++;
      if (isReject(item)) {
        reject({ row: item.row, field: '(row)' });
        continue;
      }
      const mapped = compiled.apply(item.values, item.row);
      const errs = mapped.record ? validator.validate(mapped.record, item.row) : mapped.errors;
      if (errs && errs.length > 0) reject({ row: item.row, field: errs[0]!.field });
      else if (mapped.record) {
        records.push(mapped.record);
        rowNumbers.push(item.row);
      }
    }
  }
  return { records, rowNumbers, rowsRead, rejected, firstRejects };
}
