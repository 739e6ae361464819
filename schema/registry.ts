/** Resolves a schema reference — a built-in id such as `credit.v1` or a path to a custom schema JSON file. */
import { readFileSync } from 'node:fs';
import { ConfigError, FedfinError, FileError } from '../common/errors.js';
import { DatasetSchemaSchema, makeSchema, type DatasetSchema } from './field.js';
import { CREDIT_V1 } from './builtin/credit-v1.js';

/** Built-in schemas by id. */
export const BUILTIN_SCHEMAS: ReadonlyMap<string, DatasetSchema> = new Map([[CREDIT_V1.id, CREDIT_V1]]);

/** Parses a custom schema from its JSON text; `source` names the file in errors. */
export function parseSchemaJson(text: string, source: string): DatasetSchema {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new FedfinError('schema-invalid', `${source}: not valid JSON (${(err as Error).message})`);
  }
  const parsed = DatasetSchemaSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(`schema ${source}`, parsed.error.issues);
  return makeSchema(parsed.data);
}

/**
 * `ref` is a built-in id (`credit.v1`) or a path to a `.json` file.
 * @throws FedfinError('schema-invalid') for an unknown id, FileError for an unreadable file, ConfigError for an invalid one.
 */
export function resolveSchema(ref: string): DatasetSchema {
  const builtin = BUILTIN_SCHEMAS.get(ref);
  if (builtin) return builtin;
  if (!ref.endsWith('.json')) {
    throw new FedfinError('schema-invalid', `unknown schema "${ref}": expected one of ${[...BUILTIN_SCHEMAS.keys()].join(', ')} or a path to a .json schema file`);
  }
  let text: string;
  try {
    text = readFileSync(ref, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'file-not-found' : 'file-unreadable';
    throw new FileError(ref, code === 'file-not-found' ? 'no such file' : `cannot read (${(err as Error).message})`, code, { cause: err });
  }
  return parseSchemaJson(text, ref);
}
