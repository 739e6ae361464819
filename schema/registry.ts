/** Resolves a schema reference — a built-in id such as `credit.v1` or a path to a custom schema JSON file. */
import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { ConfigError, FedfinError, FileError } from '../common/errors.js';
import { DatasetSchemaSchema, makeSchema, type DatasetSchema } from './field.js';
import { CREDIT_V1 } from './builtin/credit-v1.js';
import { TRANSACTION_V1 } from './builtin/transaction-v1.js';
import { MARKET_V1 } from './builtin/market-v1.js';

/** Built-in schemas by id. An id is immutable: a changed schema is registered under a new version. */
export const BUILTIN_SCHEMAS: ReadonlyMap<string, DatasetSchema> = new Map([CREDIT_V1, TRANSACTION_V1, MARKET_V1].map((s) => [s.id, s] as const));

/** The built-in schemas, sorted by id. */
export function listBuiltinSchemas(): readonly DatasetSchema[] {
  return [...BUILTIN_SCHEMAS.values()].sort((a, b) => a.id.localeCompare(b.id));
}

/** The JSON form of a schema file: what `parseSchemaJson` reads (a DatasetSchema without its derived `id`). */
export type DatasetSchemaJson = z.input<typeof DatasetSchemaSchema>;

/**
 * The schema as a custom-schema JSON object (keys in a stable, readable order), so that
 * `parseSchemaJson(JSON.stringify(schemaToJson(s)))` gives back an equal schema.
 * @param schema any schema, built-in or custom.
 * @returns a plain JSON-safe object without the derived `id`.
 */
export function schemaToJson(schema: DatasetSchema): DatasetSchemaJson {
  return {
    name: schema.name,
    version: schema.version,
    description: schema.description,
    kind: schema.kind,
    ...(schema.label !== undefined ? { label: schema.label } : {}),
    ...(schema.roles !== undefined ? { roles: { ...schema.roles } } : {}),
    fields: schema.fields.map((f) => ({
      name: f.name,
      type: f.type,
      description: f.description,
      ...(f.unit !== undefined ? { unit: f.unit } : {}),
      required: f.required,
      ...(f.min !== undefined ? { min: f.min } : {}),
      ...(f.max !== undefined ? { max: f.max } : {}),
      ...(f.categories !== undefined ? { categories: [...f.categories] } : {}),
      ...(f.maxLength !== undefined ? { maxLength: f.maxLength } : {}),
      privacy: f.privacy,
    })),
  };
}

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
