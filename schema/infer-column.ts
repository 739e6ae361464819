/** One column's running profile during `schema infer`, and the field drafted from it once all rows are seen. */
import type { FieldType } from './field.js';
import { PII_PATTERNS, piiPatternOf, type PiiPattern } from './infer-names.js';

/** Source strings that mean "no value" (the mapping file's default `missing` list). */
export const MISSING_TOKENS: ReadonlySet<string> = new Set(['', 'NA', 'N/A', 'na', 'n/a', 'null', 'NULL', 'None', 'NaN']);
/** Distinct values tracked per column; past this, uniqueness and categories are no longer known. */
export const DISTINCT_LIMIT = 20_000;

const TRUE_FALSE = new Set(['true', 'false', 'yes', 'no', 'y', 'n', 't', 'f']);
const INTEGER = /^[+-]?\d+$/;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const LEADING_ZERO = /^[+-]?0\d/;
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/** Date layouts recognised, in order of preference; a column is a date when one layout fits every value. */
const DATE_LAYOUTS = [
  { layout: 'YYYY-MM-DD', re: /^(\d{4})-(\d{2})-(\d{2})$/, ymd: [1, 2, 3] },
  { layout: 'YYYY/MM/DD', re: /^(\d{4})\/(\d{2})\/(\d{2})$/, ymd: [1, 2, 3] },
  { layout: 'DD.MM.YYYY', re: /^(\d{2})\.(\d{2})\.(\d{4})$/, ymd: [3, 2, 1] },
  { layout: 'DD/MM/YYYY', re: /^(\d{2})\/(\d{2})\/(\d{4})$/, ymd: [3, 2, 1] },
  { layout: 'MM/DD/YYYY', re: /^(\d{2})\/(\d{2})\/(\d{4})$/, ymd: [3, 1, 2] },
] as const;

function validDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}

function matchesLayout(value: string, i: number): boolean {
  const { re, ymd } = DATE_LAYOUTS[i]!;
  const m = re.exec(value);
  return m !== null && validDate(Number(m[ymd[0]]), Number(m[ymd[1]]), Number(m[ymd[2]]));
}

/** Accumulates what one column's values look like; `observe` every raw cell, then `draftField`. */
export class ColumnProfile {
  count = 0;
  missing = 0;
  private allIntegers = true;
  private allNumbers = true;
  private allBooleans = true;
  private allTimestamps = true;
  private dateLayouts = new Set(DATE_LAYOUTS.map((_, i) => i));
  private min = Infinity;
  private max = -Infinity;
  private maxLength = 0;
  readonly distinct = new Map<string, number>();
  overflow = false;
  private piiCounted = false;
  readonly pii: Record<PiiPattern, number> = { email: 0, iban: 0, phone: 0, card: 0 };

  /** Records one raw cell (trimmed here; missing tokens count as missing). */
  observe(raw: string): void {
    const v = raw.trim();
    if (MISSING_TOKENS.has(v)) {
      this.missing++;
      return;
    }
    this.count++;
    this.maxLength = Math.max(this.maxLength, v.length);
    if (this.overflow) {
      // Past the limit every value is checked; below it, once per distinct value (in dominantPii).
      this.countPii(v, 1);
    } else {
      this.distinct.set(v, (this.distinct.get(v) ?? 0) + 1);
      if (this.distinct.size > DISTINCT_LIMIT) {
        for (const [value, times] of this.distinct) this.countPii(value, times);
        this.overflow = true;
        this.distinct.clear();
      }
    }
    // Leading zeros (postcodes, account numbers) would be lost as numbers: such columns are text.
    // Whole numbers of more than 15 digits do not survive a double (card and long account numbers): text.
    const numeric = NUMBER.test(v) && !LEADING_ZERO.test(v) && !(INTEGER.test(v) && v.replace(/^[+-]/, '').length > 15);
    if (this.allIntegers && !(numeric && INTEGER.test(v) && Number.isSafeInteger(Number(v)))) this.allIntegers = false;
    if (this.allNumbers && !(numeric && Number.isFinite(Number(v)))) this.allNumbers = false;
    if (numeric) {
      const n = Number(v);
      if (n < this.min) this.min = n;
      if (n > this.max) this.max = n;
    }
    if (this.allBooleans && !TRUE_FALSE.has(v.toLowerCase())) this.allBooleans = false;
    if (this.allTimestamps) {
      const m = TIMESTAMP.exec(v);
      if (!m || !validDate(Number(m[1]), Number(m[2]), Number(m[3])) || Number(m[4]) > 23 || Number(m[5]) > 59) this.allTimestamps = false;
    }
    for (const i of this.dateLayouts) if (!matchesLayout(v, i)) this.dateLayouts.delete(i);
  }

  private countPii(value: string, times: number): void {
    const pii = piiPatternOf(value);
    if (pii) this.pii[pii] += times;
  }

  /** The value type every non-missing value fits, with the date layout when it is a date. */
  valueType(): { type: FieldType; layout?: string; ambiguous?: boolean } {
    if (this.count === 0) return { type: 'string' };
    if (this.allBooleans) return { type: 'boolean' };
    if (this.allIntegers) return { type: 'integer' };
    if (this.allNumbers) return { type: 'number' };
    const layouts = [...this.dateLayouts].sort((a, b) => a - b);
    if (layouts.length > 0) return { type: 'date', layout: DATE_LAYOUTS[layouts[0]!]!.layout, ambiguous: layouts.length > 1 && layouts[0] !== 0 };
    if (this.allTimestamps) return { type: 'timestamp' };
    return { type: 'category' };
  }

  /** Observed numeric bounds (meaningful only for number/integer columns). */
  range(): { min: number; max: number } {
    return { min: this.min, max: this.max };
  }

  longest(): number {
    return this.maxLength;
  }

  /** True when every non-missing value is different (and there are at least two). */
  unique(): boolean {
    return !this.overflow && this.count >= 2 && this.distinct.size === this.count;
  }

  /** The dominant personal-data pattern if at least half of the values match it. */
  dominantPii(): { pattern: PiiPattern; hits: number } | undefined {
    if (!this.overflow && !this.piiCounted) {
      for (const [value, times] of this.distinct) this.countPii(value, times);
      this.piiCounted = true;
    }
    const best = PII_PATTERNS.map((p) => ({ pattern: p, hits: this.pii[p] })).sort((a, b) => b.hits - a.hits)[0]!;
    return best.hits > 0 && best.hits * 2 >= this.count ? best : undefined;
  }
}
