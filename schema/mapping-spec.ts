/**
 * The mapping file format: how one bank's extract (its column names, codes and units) maps onto a
 * unified schema. Parsed with zod at the edge; `schema/mapping.ts` applies it row by row.
 */
import { z } from 'zod';

const Scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** Named unit conversions; `multiply`/`add` cover the rest. */
export const CONVERSIONS = {
  'monthly-to-yearly': 12,
  'yearly-to-monthly': 1 / 12,
  'cents-to-units': 0.01,
  'thousands-to-units': 1000,
  'months-to-years': 1 / 12,
  'days-to-years': 1 / 365.25,
  'percent-to-ratio': 0.01,
} as const;
export type ConversionName = keyof typeof CONVERSIONS;

/**
 * One canonical field, taken from a source column:
 * - `column`: the source column name (exact, case-sensitive).
 * - `codes`: a code table applied to the raw text first (`"A11": "lt_0"`); a value not in the table is a
 *   reject unless `otherwise` is given.
 * - `parse`: how to read the text: `number` (default for numeric fields; `decimal: ","` for 1.234,5),
 *   `boolean` (with `trueValues`/`falseValues`), or a date pattern such as `date:DD.MM.YYYY`.
 * - `convert` / `multiply` / `add`: unit conversion, applied in that order after parsing.
 * - `missing`: source strings meaning "no value" (default `["", "NA", "N/A", "null", "NULL"]`).
 */
export const ColumnMappingSchema = z
  .object({
    column: z.string().min(1),
    codes: z.record(z.string(), Scalar).optional(),
    otherwise: Scalar.optional(),
    parse: z.string().optional(),
    decimal: z.enum(['.', ',']).optional(),
    trueValues: z.array(z.string()).optional(),
    falseValues: z.array(z.string()).optional(),
    convert: z.enum(Object.keys(CONVERSIONS) as [ConversionName, ...ConversionName[]]).optional(),
    multiply: z.number().finite().optional(),
    add: z.number().finite().optional(),
    round: z.boolean().optional(),
    missing: z.array(z.string()).optional(),
  })
  .strict();

/** A constant for every row (e.g. the bank's `region` when the extract has one region). */
export const ConstantMappingSchema = z.object({ constant: Scalar }).strict();

/**
 * A derived field: an arithmetic/comparison expression over source columns, e.g.
 * `"monthly_debt / monthly_income"`, `"class == 2"` (→ 1 or 0), `"years_between(dob, app_date)"`.
 * Functions: `min`, `max`, `abs`, `round`, `floor`, `years_between(date, date)`. Comparisons yield 1/0.
 * Column names that are not identifiers are written in backticks.
 */
export const DerivedMappingSchema = z.object({ derive: z.string().min(1), codes: z.record(z.string(), Scalar).optional() }).strict();

export const FieldMappingSchema = z.union([ColumnMappingSchema, ConstantMappingSchema, DerivedMappingSchema]);

/**
 * A whole mapping file. `fields` maps canonical field name → how to get it. Canonical fields not listed
 * are missing (a reject if required). Source columns neither used nor listed in `ignore` are reported
 * as unmapped (a warning, not a reject).
 */
export const MappingSpecSchema = z
  .object({
    schema: z.string().min(1).describe('the schema id this maps onto, e.g. credit.v1'),
    description: z.string().optional(),
    delimiter: z.string().length(1).optional(),
    fields: z.record(z.string(), FieldMappingSchema),
    ignore: z.array(z.string()).optional(),
  })
  .strict();

export type ColumnMapping = z.output<typeof ColumnMappingSchema>;
export type FieldMapping = z.output<typeof FieldMappingSchema>;
export type MappingSpec = z.output<typeof MappingSpecSchema>;
