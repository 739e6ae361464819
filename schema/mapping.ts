/** Applies a mapping file (schema/mapping-spec.ts) to raw rows: checked once against schema and header, then a fast per-row function. */
import { FedfinError } from '../common/errors.js';
import { CONVERSIONS, type ColumnMapping, type FieldMapping, type MappingSpec } from './mapping-spec.js';
import { compileExpression, ExprEvalError } from './mapping-expr.js';
import { CANDIDATE_DELIMITERS } from './readers/csv-reader.js';
import { describeValue, quoteValue, type MessageOptions } from './message-values.js';
import type { CanonicalRecord, CanonicalValue, DatasetSchema, FieldSpec } from './field.js';

/** One problem with one field of one row. `message` is complete: `row 17, field income: expected number, got "abc"`. */
export interface FieldError {
  readonly field: string;
  /** The source column, when the field is read from one column with another name. */
  readonly column?: string;
  readonly message: string;
}

/** What the per-row function returns: the canonical record, or why the row was rejected. */
export type MapResult = { readonly record: CanonicalRecord; readonly errors?: undefined } | { readonly record?: undefined; readonly errors: FieldError[] };

/** A mapping checked against one schema and one file header. */
export interface CompiledMapping {
  readonly schema: DatasetSchema;
  readonly header: readonly string[];
  /** Header columns neither used by a field nor listed in `ignore` (a warning, not an error). */
  readonly unmappedColumns: readonly string[];
  /** Field → the one source column it is read from (fields with a column mapping only). */
  readonly columnOf: ReadonlyMap<string, string>;
  /** Maps one row's positional values (aligned with `header`); `row` is used in messages only. */
  apply(values: readonly (string | null)[], row: number): MapResult;
}

export const DEFAULT_MISSING = ['', 'NA', 'N/A', 'null', 'NULL'] as const;
const TRUE_VALUES = ['true', '1', 'yes', 'y', 't'];
const FALSE_VALUES = ['false', '0', 'no', 'n', 'f'];

/** Marks a value that could not be produced; carries the message tail after `field X: `. */
class Invalid {
  constructor(readonly why: string) {}
}
type Getter = (values: readonly (string | null)[]) => CanonicalValue | Invalid;


/** Strict decimal number: digits, one sign, one point, an exponent; no hex, no "Infinity". */
export function parseDecimal(text: string, decimal: '.' | ',' = '.'): number | undefined {
  let s = text.trim();
  if (decimal === ',') s = s.replaceAll('.', '').replace(',', '.');
  if (s.length === 0) return undefined;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // 0-9 . + - e E
    if (!((c >= 48 && c <= 57) || c === 46 || c === 43 || c === 45 || c === 101 || c === 69)) return undefined;
  }
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}

/** Compiles `date:PATTERN` (tokens YYYY, MM, DD; other characters literal) to a parser returning YYYY-MM-DD. */
export function compileDatePattern(pattern: string): (text: string) => string | undefined {
  const y = pattern.indexOf('YYYY');
  const m = pattern.indexOf('MM');
  const d = pattern.indexOf('DD');
  if (y === -1 || m === -1 || d === -1) throw new FedfinError('mapping-invalid', `date pattern "${pattern}" needs YYYY, MM and DD`);
  const literal = [...pattern].map((c, i) => ((i >= y && i < y + 4) || (i >= m && i < m + 2) || (i >= d && i < d + 2) ? '' : c));
  return (text) => {
    const t = text.trim();
    if (t.length !== pattern.length) return undefined;
    for (let i = 0; i < t.length; i++) {
      const lit = literal[i]!;
      const c = t.charCodeAt(i);
      if (lit === '' ? c < 48 || c > 57 : t[i] !== lit) return undefined;
    }
    const yy = t.slice(y, y + 4);
    const mm = t.slice(m, m + 2);
    const dd = t.slice(d, d + 2);
    return isRealDate(+yy, +mm, +dd) ? `${yy}-${mm}-${dd}` : undefined;
  };
}

/** True for a calendar date that exists (Gregorian, leap years). */
export function isRealDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const days = [31, y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return d <= days[m - 1]!;
}

const isoDate = compileDatePattern('YYYY-MM-DD');
/** ISO date, or the date part of an ISO timestamp. */
function parseIsoDate(text: string): string | undefined {
  const t = text.trim();
  return t.length > 10 && (t[10] === 'T' || t[10] === ' ') ? isoDate(t.slice(0, 10)) : isoDate(t);
}

/** The text → value step of a column mapping, from `parse` or the field type. */
function textParser(field: FieldSpec, m: ColumnMapping): { parse: (t: string) => CanonicalValue | undefined; expected: string } {
  const parse = m.parse ?? (field.type === 'number' || field.type === 'integer' ? 'number' : field.type === 'boolean' ? 'boolean' : field.type === 'date' ? 'date' : field.type === 'timestamp' ? 'timestamp' : 'text');
  if (parse === 'number') {
    const dec = m.decimal ?? '.';
    return { parse: (t) => parseDecimal(t, dec), expected: dec === ',' ? 'number (decimal ",")' : 'number' };
  }
  if (parse === 'boolean') {
    const yes = new Set((m.trueValues ?? TRUE_VALUES).map((s) => s.toLowerCase()));
    const no = new Set((m.falseValues ?? FALSE_VALUES).map((s) => s.toLowerCase()));
    return { parse: (t) => (yes.has(t.trim().toLowerCase()) ? true : no.has(t.trim().toLowerCase()) ? false : undefined), expected: `boolean (${[...yes].join('/')} or ${[...no].join('/')})` };
  }
  if (parse === 'date') return { parse: parseIsoDate, expected: 'date YYYY-MM-DD' };
  if (parse.startsWith('date:')) return { parse: compileDatePattern(parse.slice(5)), expected: `date ${parse.slice(5)}` };
  if (parse === 'timestamp') {
    return { parse: (t) => { const ms = Date.parse(t); return Number.isNaN(ms) ? undefined : new Date(ms).toISOString(); }, expected: 'ISO-8601 timestamp' };
  }
  if (parse === 'text' || parse === 'string') return { parse: (t) => t, expected: 'text' };
  throw new FedfinError('mapping-invalid', `field ${field.name}: unknown parse "${parse}" (expected number, boolean, date, date:PATTERN, timestamp or text)`);
}

function checkScalarFits(field: FieldSpec, value: CanonicalValue, what: string): void {
  if (value === null) return;
  const ok =
    field.type === 'category' ? typeof value === 'string' && field.categories!.includes(value)
    : field.type === 'boolean' ? typeof value === 'boolean' || typeof value === 'string'
    : field.type === 'number' || field.type === 'integer' ? typeof value === 'number' || (typeof value === 'string' && parseDecimal(value) !== undefined)
    : typeof value === 'string';
  if (!ok) {
    const expected = field.type === 'category' ? `one of ${field.categories!.join(', ')}` : field.type;
    throw new FedfinError('mapping-invalid', `field ${field.name}: ${what} ${JSON.stringify(value)} does not fit (expected ${expected})`);
  }
}

function columnGetter(field: FieldSpec, m: ColumnMapping, idx: number, quote: (v: string) => string): Getter {
  const missing = new Set(m.missing ?? DEFAULT_MISSING);
  const codes = m.codes;
  const otherwise = m.otherwise;
  if (codes) for (const [k, v] of Object.entries(codes)) checkScalarFits(field, v, `code "${k}" maps to`);
  if (otherwise !== undefined) checkScalarFits(field, otherwise, '"otherwise"');
  const { parse, expected } = textParser(field, m);
  const numeric = m.convert !== undefined || m.multiply !== undefined || m.add !== undefined || m.round === true;
  const factor = (m.convert ? CONVERSIONS[m.convert] : 1) * (m.multiply ?? 1);
  const offset = m.add ?? 0;
  const round = m.round === true;
  return (values) => {
    const raw = values[idx];
    if (raw === null || raw === undefined || missing.has(raw)) return null;
    let v: CanonicalValue;
    if (codes) {
      const hit = Object.hasOwn(codes, raw) ? codes[raw]! : otherwise;
      if (hit === undefined) return new Invalid(`code ${quote(raw)} is not in the code table`);
      if (hit === null) return null;
      v = typeof hit === 'string' && field.type !== 'category' && field.type !== 'string' ? (parse(hit) ?? hit) : hit;
    } else {
      const p = parse(raw);
      if (p === undefined) return new Invalid(`expected ${expected}, got ${quote(raw)}`);
      v = p;
    }
    if (numeric && typeof v === 'number') {
      v = v * factor + offset;
      if (round) v = Math.round(v);
    }
    return v;
  };
}

function deriveGetter(field: FieldSpec, m: { derive: string; codes?: Record<string, CanonicalValue> }, resolve: (c: string) => number, withhold: (column: string) => boolean): Getter {
  // Evaluation errors quote input values; an expression reading an identifier column must not.
  let hides = withhold('');
  const expr = compileExpression(m.derive, (c) => { hides ||= withhold(c); return resolve(c); }, new Set(DEFAULT_MISSING));
  const quote = hides ? describeValue : quoteValue;
  const codes = m.codes;
  if (codes) for (const [k, v] of Object.entries(codes)) checkScalarFits(field, v, `code "${k}" maps to`);
  return (values) => {
    let r: CanonicalValue;
    try {
      r = expr.evaluate(values);
    } catch (err) {
      if (err instanceof ExprEvalError) return new Invalid(`cannot compute "${m.derive}"${hides ? '' : `: ${err.message}`}`);
      throw err;
    }
    if (r === null || !codes) return r;
    const key = String(r);
    return Object.hasOwn(codes, key) ? codes[key]! : new Invalid(`derived value ${quote(key)} is not in the code table`);
  };
}

/** A header of one column that contains another delimiter almost always means the wrong delimiter. */
function delimiterHint(header: readonly string[], expected: number): string {
  if (header.length !== 1) return '';
  const d = CANDIDATE_DELIMITERS.find((c) => header[0]!.includes(c));
  return d === undefined ? '' : ` (1 column found, expected ${expected}; is the delimiter ${JSON.stringify(d)}?)`;
}

/**
 * Checks `spec` against `schema` and `header` once and returns the per-row function.
 * Without a spec the identity mapping is used: columns named like schema fields map to them.
 * @param source the data file name, for messages.
 * @param options `redactValues` withholds every value from row messages; values of direct-identifier
 *   fields (and of columns mapped onto one) are withheld whatever it says.
 * @throws FedfinError('mapping-invalid') for a spec for another schema, an unknown canonical field,
 *   a column missing from the header (with a delimiter hint), a code outside a field's categories,
 *   an unknown parse or a bad derive expression, and for a required field no column provides.
 */
export function compileMapping(spec: MappingSpec | undefined, schema: DatasetSchema, header: readonly string[], source = 'the data file', options?: MessageOptions): CompiledMapping {
  if (spec && spec.schema !== schema.id) throw new FedfinError('mapping-invalid', `the mapping is for schema ${spec.schema}, not ${schema.id}`);
  const index = new Map<string, number>();
  header.forEach((h, i) => { if (!index.has(h)) index.set(h, i); });
  const used = new Set<string>(spec?.ignore ?? []);
  const mapped = spec ? Object.keys(spec.fields).length : schema.fields.length;
  const resolve = (column: string): number => {
    const i = index.get(column);
    if (i === undefined) throw new FedfinError('mapping-invalid', `column ${JSON.stringify(column)} is not in the header of ${source}${delimiterHint(header, mapped)}`);
    used.add(column);
    return i;
  };
  const byName = new Map(schema.fields.map((f) => [f.name, f]));
  const columnOf = new Map<string, string>();
  const idColumns = new Set<string>();
  for (const f of schema.fields) {
    const m = spec ? spec.fields[f.name] : index.has(f.name) ? { column: f.name } : undefined;
    if (m && 'column' in m) {
      columnOf.set(f.name, m.column);
      if (f.privacy === 'direct-identifier') idColumns.add(m.column);
    }
  }
  const redactAll = options?.redactValues === true;
  const withhold = (column: string): boolean => redactAll || idColumns.has(column);
  if (spec) {
    for (const name of Object.keys(spec.fields)) {
      if (!byName.has(name)) throw new FedfinError('mapping-invalid', `unknown field ${JSON.stringify(name)}: schema ${schema.id} has no such field`);
    }
  }
  const all: (Getter | undefined)[] = schema.fields.map((field): Getter | undefined => {
    const m: FieldMapping | undefined = spec ? spec.fields[field.name] : index.has(field.name) ? { column: field.name } : undefined;
    if (m === undefined) {
      if (field.required) throw new FedfinError('mapping-invalid', `required field ${field.name} is not provided: ${spec ? 'the mapping has no entry for it' : `${source} has no column ${field.name}`}${delimiterHint(header, schema.fields.filter((f) => f.required).length)}`);
      return undefined;
    }
    if ('constant' in m) {
      checkScalarFits(field, m.constant, 'constant');
      const c = m.constant;
      return () => c;
    }
    if ('derive' in m) return deriveGetter(field, m, resolve, (c) => field.privacy === 'direct-identifier' || withhold(c));
    const quote = field.privacy === 'direct-identifier' || withhold(m.column) ? describeValue : quoteValue;
    return columnGetter(field, m, resolve(m.column), quote);
  });
  // Records start as a copy of an all-null template (one fast shallow clone, no shape transitions)
  // and only the fields some column provides are computed per row.
  const template: CanonicalRecord = Object.fromEntries(schema.fields.map((f) => [f.name, null]));
  const active = all.flatMap((g, i) => (g ? [i] : []));
  const getters = active.map((i) => all[i]!);
  const names = active.map((i) => schema.fields[i]!.name);
  const columns = names.map((n) => (columnOf.get(n) === n ? undefined : columnOf.get(n)));
  const labels = names.map((n, i) => (columns[i] === undefined ? n : `${n} (column ${columns[i]!})`));
  const unmappedColumns = header.filter((h) => !used.has(h));

  return {
    schema,
    header,
    unmappedColumns,
    columnOf,
    apply(values, row) {
      const record: CanonicalRecord = { ...template };
      let errors: FieldError[] | undefined;
      for (let i = 0; i < getters.length; i++) {
        const v = getters[i]!(values);
        if (v instanceof Invalid) (errors ??= []).push({ field: names[i]!, ...(columns[i] !== undefined ? { column: columns[i] } : {}), message: `row ${row}, field ${labels[i]!}: ${v.why}` });
        else record[names[i]!] = v;
      }
      return errors ? { errors } : { record };
    },
  };
}
