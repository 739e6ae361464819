/** Per-field statistics over accepted records: missing rate, numeric range, most frequent categories. */
import type { CanonicalRecord, DatasetSchema, FieldSpec } from './field.js';

/** What was observed for one field over the accepted records. */
export interface FieldStats {
  readonly field: string;
  readonly type: FieldSpec['type'];
  /** Records where the field was null. */
  readonly missing: number;
  /** missing / accepted records (0 when there were none). */
  readonly missingRate: number;
  /** Smallest and largest value of a number/integer field, or of a date field (as text). */
  readonly min?: number | string;
  readonly max?: number | string;
  /** Up to 5 most frequent values of a category or boolean field, or of the label field, most frequent first. */
  readonly top?: readonly { readonly value: string; readonly count: number }[];
}

const TOP = 5;

/** Accumulates FieldStats record by record; one slot per field, no per-record allocation. */
export class StatsCollector {
  private readonly names: string[];
  private readonly kinds: ('num' | 'cat' | 'date' | 'none')[];
  private readonly missing: number[];
  private readonly mins: (number | string | undefined)[];
  private readonly maxs: (number | string | undefined)[];
  private readonly counts: (Map<string, number> | undefined)[];
  private records = 0;

  constructor(private readonly schema: DatasetSchema) {
    const f = schema.fields;
    this.names = f.map((x) => x.name);
    // The label is counted by value so that a report shows the class balance (German Credit: 300 defaults).
    this.kinds = f.map((x) =>
      x.name === schema.label || x.type === 'category' || x.type === 'boolean' ? 'cat' : x.type === 'number' || x.type === 'integer' ? 'num' : x.type === 'date' ? 'date' : 'none',
    );
    this.missing = f.map(() => 0);
    this.mins = f.map(() => undefined);
    this.maxs = f.map(() => undefined);
    this.counts = this.kinds.map((k) => (k === 'cat' ? new Map<string, number>() : undefined));
  }

  /** Adds one accepted record. */
  add(record: CanonicalRecord): void {
    this.records++;
    for (let i = 0; i < this.names.length; i++) {
      const v = record[this.names[i]!];
      if (v === null || v === undefined) {
        this.missing[i]!++;
        continue;
      }
      const kind = this.kinds[i];
      if (kind === 'num' || kind === 'date') {
        const lo = this.mins[i];
        const hi = this.maxs[i];
        if (lo === undefined || (v as number | string) < lo) this.mins[i] = v as number | string;
        if (hi === undefined || (v as number | string) > hi) this.maxs[i] = v as number | string;
      } else if (kind === 'cat') {
        const m = this.counts[i]!;
        const key = String(v);
        m.set(key, (m.get(key) ?? 0) + 1);
      }
    }
  }

  /** The statistics so far, in schema field order. */
  result(): FieldStats[] {
    return this.schema.fields.map((f, i) => {
      const base = { field: f.name, type: f.type, missing: this.missing[i]!, missingRate: this.records === 0 ? 0 : this.missing[i]! / this.records };
      const counts = this.counts[i];
      if (counts) {
        const top = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, TOP).map(([value, count]) => ({ value, count }));
        return { ...base, top };
      }
      if (this.mins[i] !== undefined) return { ...base, min: this.mins[i], max: this.maxs[i] };
      return base;
    });
  }
}
