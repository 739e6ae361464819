/** Exports a DatasetSchema as a JSON Schema (draft 2020-12) describing one canonical record. */
import type { DatasetSchema, FieldSpec } from './field.js';

/** The dialect every export declares. */
export const JSON_SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';

/** One property of the exported JSON Schema (the subset of keywords fedfin emits). */
export interface JsonSchemaProperty {
  readonly type: string | readonly string[];
  readonly description: string;
  readonly format?: 'date' | 'date-time';
  readonly enum?: readonly (string | null)[];
  readonly minimum?: number;
  readonly maximum?: number;
  readonly maxLength?: number;
  /** fedfin's privacy class of the field (`direct-identifier`, `quasi-identifier`, `sensitive`, `feature`, `label`). */
  readonly 'x-privacy': string;
  /** Unit of a numeric value, when the schema declares one. */
  readonly 'x-unit'?: string;
}

/** The exported document. */
export interface JsonSchemaDocument {
  readonly $schema: typeof JSON_SCHEMA_DIALECT;
  readonly $id: string;
  readonly title: string;
  readonly description: string;
  readonly type: 'object';
  readonly properties: Readonly<Record<string, JsonSchemaProperty>>;
  readonly required: readonly string[];
  readonly additionalProperties: false;
  /** The schema id, kind and label field, so a reader can go back from the export to the fedfin schema. */
  readonly 'x-fedfin-schema': string;
  readonly 'x-fedfin-kind': string;
  readonly 'x-label'?: string;
}

const BASE_TYPE: Record<FieldSpec['type'], string> = {
  number: 'number',
  integer: 'integer',
  boolean: 'boolean',
  category: 'string',
  string: 'string',
  date: 'string',
  timestamp: 'string',
};

function property(f: FieldSpec): JsonSchemaProperty {
  const base = BASE_TYPE[f.type];
  // A canonical record writes a missing optional value as null, so optional fields admit null.
  const type = f.required ? base : [base, 'null'];
  return {
    type,
    description: f.description,
    ...(f.type === 'date' ? { format: 'date' as const } : {}),
    ...(f.type === 'timestamp' ? { format: 'date-time' as const } : {}),
    ...(f.categories ? { enum: f.required ? [...f.categories] : [...f.categories, null] } : {}),
    ...(f.min !== undefined ? { minimum: f.min } : {}),
    ...(f.max !== undefined ? { maximum: f.max } : {}),
    ...(f.maxLength !== undefined ? { maxLength: f.maxLength } : {}),
    'x-privacy': f.privacy,
    ...(f.unit !== undefined ? { 'x-unit': f.unit } : {}),
  };
}

/**
 * Describes one canonical record of `schema` as a JSON Schema, draft 2020-12.
 *
 * Mapping: `date` → string with `format: date`, `timestamp` → string with `format: date-time`,
 * `category` → string with `enum`, `number`/`integer` → `minimum`/`maximum`, `string` → `maxLength`.
 * Required fields are listed in `required` and are not nullable; optional fields also accept `null`
 * (a missing value in a canonical record). Every property carries `x-privacy`, and `x-unit` where the
 * field has a unit. No other properties are allowed. Formats are annotations in 2020-12, so a
 * validator checks date syntax only when told to assert formats.
 *
 * @param schema a built-in or custom schema.
 * @returns a JSON-safe object; field order follows the schema.
 * @example toJsonSchema(CREDIT_V1).properties.age
 *   // { type: 'integer', description: 'Applicant age at application', minimum: 18, maximum: 100,
 *   //   'x-privacy': 'quasi-identifier', 'x-unit': 'years' }
 */
export function toJsonSchema(schema: DatasetSchema): JsonSchemaDocument {
  return {
    $schema: JSON_SCHEMA_DIALECT,
    $id: `urn:fedfin:schema:${schema.id}`,
    title: schema.id,
    description: schema.description,
    type: 'object',
    properties: Object.fromEntries(schema.fields.map((f) => [f.name, property(f)])),
    required: schema.fields.filter((f) => f.required).map((f) => f.name),
    additionalProperties: false,
    'x-fedfin-schema': schema.id,
    'x-fedfin-kind': schema.kind,
    ...(schema.label !== undefined ? { 'x-label': schema.label } : {}),
  };
}
