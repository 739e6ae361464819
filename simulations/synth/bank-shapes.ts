/** Per-bank extract conventions (locale, delimiter, decimal mark, date and boolean styles, code styles) and the formatting they imply. */
import type { ColumnMapping, FieldMapping, MappingSpec } from '../../schema/mapping-spec.js';

/** Faker locale keys we use; each bank's PII comes from one. */
export type LocaleKey = 'nl' | 'de' | 'en_GB' | 'fr' | 'es';
/** How a bank writes dates; each has a matching `parse` pattern for the mapping file. */
export type DateStyle = 'YYYY-MM-DD' | 'DD.MM.YYYY' | 'DD/MM/YYYY' | 'DD-MM-YYYY';
/** How a bank writes booleans: the pair [true text, false text]. */
export type BoolStyle = readonly [string, string];

/** The conventions of one bank's extracts. */
export interface BankProfile {
  /** 1-based bank number; files are `bank-<index>.*`. */
  readonly index: number;
  /** Which of the five archetypes (0–4) this bank follows; banks past 5 reuse them in turn. */
  readonly archetype: number;
  readonly locale: LocaleKey;
  /** ISO 3166 alpha-2 country of the bank. */
  readonly country: string;
  readonly delimiter: ',' | ';';
  readonly decimal: '.' | ',';
  readonly dateStyle: DateStyle;
  readonly bools: BoolStyle;
}

const ARCHETYPES: readonly Omit<BankProfile, 'index' | 'archetype'>[] = [
  { locale: 'nl', country: 'NL', delimiter: ',', decimal: '.', dateStyle: 'DD-MM-YYYY', bools: ['Y', 'N'] },
  { locale: 'de', country: 'DE', delimiter: ';', decimal: ',', dateStyle: 'DD.MM.YYYY', bools: ['J', 'N'] },
  { locale: 'en_GB', country: 'GB', delimiter: ',', decimal: '.', dateStyle: 'DD/MM/YYYY', bools: ['true', 'false'] },
  { locale: 'fr', country: 'FR', delimiter: ';', decimal: ',', dateStyle: 'DD/MM/YYYY', bools: ['1', '0'] },
  { locale: 'es', country: 'ES', delimiter: ',', decimal: '.', dateStyle: 'YYYY-MM-DD', bools: ['S', 'N'] },
];

/** Number of distinct bank archetypes; bank i follows archetype (i − 1) mod ARCHETYPE_COUNT. */
export const ARCHETYPE_COUNT = ARCHETYPES.length;

/** The profile of bank `index` (1-based). */
export function bankProfile(index: number): BankProfile {
  const archetype = (index - 1) % ARCHETYPE_COUNT;
  return { index, archetype, ...ARCHETYPES[archetype]! };
}

/** Formats a number with fixed decimals and the bank's decimal mark (never a thousands separator). */
export function formatNumber(value: number, decimals: number, decimal: '.' | ','): string {
  const text = value.toFixed(decimals);
  return decimal === ',' ? text.replace('.', ',') : text;
}

/** Formats a canonical `YYYY-MM-DD` date in the bank's style. */
export function formatDate(iso: string, style: DateStyle): string {
  const [y, m, d] = iso.split('-') as [string, string, string];
  switch (style) {
    case 'YYYY-MM-DD':
      return iso;
    case 'DD.MM.YYYY':
      return `${d}.${m}.${y}`;
    case 'DD/MM/YYYY':
      return `${d}/${m}/${y}`;
    case 'DD-MM-YYYY':
      return `${d}-${m}-${y}`;
  }
}

/** One CSV column of a bank extract, built from a record of type R, with the mapping entry that reads it back. */
export interface ColumnSpec<R> {
  readonly header: string;
  /** The cell text for record `r`, the `i`-th row of the file. */
  readonly format: (r: R, i: number) => string;
  /** Canonical field this column maps onto, or undefined for a source column used by a derivation or ignored. */
  readonly field?: string;
  readonly mapping?: ColumnMapping;
}

/** A bank's full extract layout plus the derived and constant fields of its mapping file. */
export interface BankShape<R> {
  readonly columns: readonly ColumnSpec<R>[];
  /** Canonical fields computed from several columns (e.g. age from two dates). */
  readonly derived?: Readonly<Record<string, FieldMapping>>;
  /** Source columns deliberately not mapped. */
  readonly ignore?: readonly string[];
}

/**
 * Builds the mapping file (valid against MappingSpecSchema) for one bank shape.
 * @param schemaId e.g. `credit.v1`.
 */
export function mappingFor<R>(schemaId: string, profile: BankProfile, shape: BankShape<R>, description: string): MappingSpec {
  const fields: Record<string, FieldMapping> = {};
  for (const col of shape.columns) {
    if (col.field !== undefined) fields[col.field] = col.mapping ?? { column: col.header };
  }
  Object.assign(fields, shape.derived ?? {});
  const spec: MappingSpec = { schema: schemaId, description, delimiter: profile.delimiter, fields };
  return shape.ignore && shape.ignore.length > 0 ? { ...spec, ignore: [...shape.ignore] } : spec;
}

/** The mapping `parse` value for a date column in this bank's style. */
export function dateParse(profile: BankProfile): string {
  return `date:${profile.dateStyle}`;
}

/** The mapping entry for a numeric column written in this bank's decimal style. */
export function numberMapping(profile: BankProfile, column: string, extra: Partial<ColumnMapping> = {}): ColumnMapping {
  return profile.decimal === ',' ? { column, parse: 'number', decimal: ',', ...extra } : { column, ...extra };
}

/** The mapping entry for a boolean column in this bank's style. */
export function boolMapping(profile: BankProfile, column: string): ColumnMapping {
  return { column, parse: 'boolean', trueValues: [profile.bools[0]], falseValues: [profile.bools[1]] };
}

/** How a bank encodes a category: canonical names, upper case, 1-based numbers, or `A<field><n>` codes. */
export type CodeStyle = 'canonical' | 'upper' | 'numeric' | 'a-codes';

/**
 * A bank's code for each canonical category, given a style and optional hand-written overrides
 * (e.g. `{ own: 'O', rent: 'R' }`). Codes are unique per field.
 */
export function codeTable(style: CodeStyle, fieldNumber: number, categories: readonly string[], overrides: Readonly<Record<string, string>> = {}): Map<string, string> {
  const table = new Map<string, string>();
  categories.forEach((c, i) => {
    const code =
      overrides[c] ??
      (style === 'canonical' ? c : style === 'upper' ? c.toUpperCase() : style === 'numeric' ? String(i + 1) : `A${fieldNumber}${i + 1}`);
    table.set(c, code);
  });
  if (new Set(table.values()).size !== table.size) throw new Error(`codeTable: duplicate codes for field ${fieldNumber}`);
  return table;
}

/** The mapping `codes` object (bank code → canonical value) for a code table. */
export function invertCodes(table: ReadonlyMap<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [canonical, code] of table) out[code] = canonical;
  return out;
}
