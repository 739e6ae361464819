/** Statistics for numeric standardisation: per-bank moments, pooling of moments across banks, and moments → {mean, std}. */
import { z } from 'zod';
import { assertFinite, assertNonNegative, assertPositive, describeValue } from '../common/assert.js';
import { ConfigError } from '../common/errors.js';
import type { CanonicalRecord, DatasetSchema, FieldSpec } from './field.js';

/** Federation-wide statistics of one numeric field; every bank standardises with the same values. */
export interface FieldStats {
  readonly mean: number;
  /** Population standard deviation; > 0. */
  readonly std: number;
}
/** Field name → statistics. */
export type EncodingStats = Readonly<Record<string, FieldStats>>;

/** Sufficient statistics of one numeric field: additive, so banks can pool them (or sum them under secure aggregation). */
export interface FieldMoments {
  readonly count: number;
  readonly sum: number;
  readonly sumSq: number;
}
export type Moments = Readonly<Record<string, FieldMoments>>;

/** The zod schema for a stats JSON file (`{ "age": { "mean": 41.2, "std": 11.9 } }`). */
export const EncodingStatsSchema = z.record(z.string(), z.object({ mean: z.number().finite(), std: z.number().finite().positive() }).strict());

/**
 * Parses statistics at the edge.
 * @throws ConfigError naming the field whose mean/std is missing, not finite, or std ≤ 0.
 */
export function parseEncodingStats(raw: unknown, source = 'encoding stats'): EncodingStats {
  const parsed = EncodingStatsSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(source, parsed.error.issues);
  return parsed.data;
}

/** Numeric fields moments are collected for: every number/integer field except identifiers and the label. */
export function momentFields(schema: DatasetSchema): FieldSpec[] {
  return schema.fields.filter((f) => (f.type === 'number' || f.type === 'integer') && f.privacy !== 'direct-identifier' && f.privacy !== 'label');
}

/** Clamps to the field's schema range, as the encoder does, so moments describe what gets encoded. */
export function clampToField(field: FieldSpec, value: number): number {
  if (field.min !== undefined && value < field.min) return field.min;
  if (field.max !== undefined && value > field.max) return field.max;
  return value;
}

/**
 * Per numeric field, the count, sum and sum of squares of the non-missing values (clamped to the
 * schema range). Pool across banks with `mergeMoments`, then turn into stats with `momentsToStats`.
 * @example computeMoments([{ age: 30 }, { age: 50 }, { age: null }], schema).age // { count: 2, sum: 80, sumSq: 3400 }
 */
export function computeMoments(records: readonly Readonly<CanonicalRecord>[], schema: DatasetSchema): Moments {
  const out: Record<string, FieldMoments> = {};
  for (const field of momentFields(schema)) {
    let count = 0;
    let sum = 0;
    let sumSq = 0;
    for (const r of records) {
      const v = r[field.name];
      if (typeof v !== 'number' || !Number.isFinite(v)) continue;
      const x = clampToField(field, v);
      count += 1;
      sum += x;
      sumSq += x * x;
    }
    out[field.name] = { count, sum, sumSq };
  }
  return out;
}

/** Adds moments field by field; a field present in only one side is copied. Commutative and associative. */
export function mergeMoments(a: Moments, b: Moments): Moments {
  const out: Record<string, FieldMoments> = { ...a };
  for (const [name, m] of Object.entries(b)) {
    const prev = out[name];
    out[name] = prev ? { count: prev.count + m.count, sum: prev.sum + m.sum, sumSq: prev.sumSq + m.sumSq } : m;
  }
  return out;
}

/**
 * Mean and population standard deviation from pooled moments. A constant field (variance 0) gets
 * std 1 so standardisation stays finite (the feature is then just centred); a field no bank has a
 * value for (count 0) gets { mean: 0, std: 1 }.
 * Precision: `sumSq/count − mean²` loses digits when |mean| ≫ std; values are clamped to the schema
 * range, which keeps this well inside double precision for financial magnitudes.
 * @throws RangeError if a count is negative or a sum is not finite.
 */
export function momentsToStats(moments: Moments): EncodingStats {
  const out: Record<string, FieldStats> = {};
  for (const [name, m] of Object.entries(moments)) {
    assertNonNegative('momentsToStats', `${name}.count`, m.count);
    assertFinite('momentsToStats', `${name}.sum`, m.sum);
    assertFinite('momentsToStats', `${name}.sumSq`, m.sumSq);
    if (m.count === 0) {
      // No bank has a value: the column encodes as 0 and only its missing indicator carries information.
      out[name] = { mean: 0, std: 1 };
      continue;
    }
    const mean = m.sum / m.count;
    const variance = Math.max(0, m.sumSq / m.count - mean * mean);
    const std = Math.sqrt(variance);
    out[name] = { mean, std: std > 1e-12 * Math.max(1, Math.abs(mean)) ? std : 1 };
  }
  return out;
}

/** Guards one field's stats for a pure function: TypeError/RangeError saying what was expected. */
export function assertFieldStats(ctx: string, name: string, stats: unknown): asserts stats is FieldStats {
  if (stats === null || typeof stats !== 'object') throw new TypeError(`${ctx}: "stats.${name}" expected {mean, std}, got ${describeValue(stats)}`);
  const s = stats as Record<string, unknown>;
  assertFinite(ctx, `stats.${name}.mean`, s['mean']);
  assertPositive(ctx, `stats.${name}.std`, s['std']);
}
