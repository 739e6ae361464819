/** Deterministic feature encoding of desensitised records: a serialisable spec with a content hash, and the encoder. */
import { createHash } from 'node:crypto';
import { FedfinError } from '../common/errors.js';
import type { DesensitizedRecord } from './desensitized.js';
import type { DatasetSchema, FieldSpec } from './field.js';
import { assertFieldStats, clampToField, type EncodingStats } from './encoding-stats.js';

/** One encoded input field. Every kind ends with a missing-value column (`field:missing`). */
export type EncodedInput =
  /** One column per vocabulary entry (`field=value`), then `field:missing`. */
  | { readonly kind: 'one-hot'; readonly field: string; readonly vocabulary: readonly string[] }
  /** `(clamp(x, min, max) − mean) / std` (0 when missing), then `field:missing`. */
  | { readonly kind: 'numeric'; readonly field: string; readonly mean: number; readonly std: number; readonly min: number | null; readonly max: number | null }
  /** 1/0 (0 when missing), then `field:missing`. */
  | { readonly kind: 'boolean'; readonly field: string };

/**
 * A serialisable encoding spec. Two banks with equal `specHash` produce identical feature columns
 * for identical records. `specHash` is SHA-256 (hex) of `canonicalJson` of the spec without `specHash`.
 */
export interface EncodingSpec {
  readonly version: 1;
  readonly schemaId: string;
  /** Encoded fields in schema order. */
  readonly inputs: readonly EncodedInput[];
  /** The label field, or null when the schema has none. */
  readonly label: string | null;
  readonly numFeatures: number;
  readonly featureNames: readonly string[];
  readonly specHash: string;
}

/** Options of `createEncodingSpec`. */
export interface EncodingOptions {
  /** Encode `sensitive` fields too (off by default: fair-lending rules; see docs/decisions.md). @default false */
  readonly includeSensitive?: boolean;
  /** Fields to leave out although they would be encoded (a feature allow-list by exclusion). */
  readonly exclude?: readonly string[];
  /** Transforms that make string/date/timestamp fields encodable: one-hot over a given vocabulary. */
  readonly transforms?: Readonly<Record<string, { readonly kind: 'one-hot'; readonly vocabulary: readonly string[] }>>;
}

/** JSON with object keys sorted at every depth and no whitespace: the input of every content hash. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const obj = v as Record<string, unknown>;
    return Object.fromEntries(Object.keys(obj).sort().map((k) => [k, obj[k]]));
  });
}

function inputFor(field: FieldSpec, schema: DatasetSchema, stats: EncodingStats, options: EncodingOptions): EncodedInput | undefined {
  const transform = options.transforms?.[field.name];
  if (field.privacy === 'direct-identifier' || field.privacy === 'label' || field.name === schema.label) return undefined;
  if (field.privacy === 'sensitive' && !options.includeSensitive) return undefined;
  if (options.exclude?.includes(field.name)) return undefined;
  if (transform) return { kind: 'one-hot', field: field.name, vocabulary: [...transform.vocabulary] };
  switch (field.type) {
    case 'category':
      return { kind: 'one-hot', field: field.name, vocabulary: [...(field.categories ?? [])] };
    case 'boolean':
      return { kind: 'boolean', field: field.name };
    case 'number':
    case 'integer': {
      const s = stats[field.name];
      assertFieldStats('createEncodingSpec', field.name, s);
      return { kind: 'numeric', field: field.name, mean: s.mean, std: s.std, min: field.min ?? null, max: field.max ?? null };
    }
    default:
      return undefined;
  }
}

function columnNames(input: EncodedInput): string[] {
  const head = input.kind === 'one-hot' ? input.vocabulary.map((v) => `${input.field}=${v}`) : [input.field];
  return [...head, `${input.field}:missing`];
}

/**
 * Builds the encoding spec of a desensitised schema (from `desensitizedSchema`). In schema order:
 * category → one-hot over the schema's vocabulary + missing column; number/integer → standardised with
 * the GIVEN federation-wide `stats` after clamping to the schema range + missing indicator; boolean →
 * 0/1 + missing indicator. Excluded: direct identifiers (pseudonyms included), the label, sensitive
 * fields (unless `includeSensitive`), string/date/timestamp fields (unless a transform is given).
 * @throws TypeError/RangeError if a numeric field's stats are missing, not finite, or std ≤ 0.
 * @throws TypeError if a transform names a field not in the schema.
 * @example createEncodingSpec(schema, { age: { mean: 41, std: 12 } }).featureNames // ['age', 'age:missing', …]
 */
export function createEncodingSpec(schema: DatasetSchema, stats: EncodingStats, options: EncodingOptions = {}): EncodingSpec {
  for (const name of Object.keys(options.transforms ?? {})) {
    if (!schema.fields.some((f) => f.name === name)) throw new TypeError(`createEncodingSpec: "transforms.${name}" expected a field of ${schema.id}, got an unknown field`);
  }
  const inputs = schema.fields.map((f) => inputFor(f, schema, stats, options)).filter((x): x is EncodedInput => x !== undefined);
  const featureNames = inputs.flatMap(columnNames);
  const body = { version: 1 as const, schemaId: schema.id, inputs, label: schema.label ?? null, numFeatures: featureNames.length, featureNames };
  return { ...body, specHash: createHash('sha256').update(canonicalJson(body)).digest('hex') };
}

/**
 * Recomputes a spec's hash (e.g. after reading it from JSON) and compares.
 * @throws FedfinError('encoding-mismatch') if the spec was altered or `expectedHash` differs.
 */
export function verifyEncodingSpec(spec: EncodingSpec, expectedHash?: string): void {
  const { specHash, ...body } = spec;
  const actual = createHash('sha256').update(canonicalJson(body)).digest('hex');
  if (actual !== specHash) throw new FedfinError('encoding-mismatch', `encoding spec hash ${specHash.slice(0, 12)}… does not match its content (${actual.slice(0, 12)}…)`);
  if (expectedHash !== undefined && expectedHash !== specHash) throw new FedfinError('encoding-mismatch', `encoding spec ${specHash.slice(0, 12)}… differs from the federation's ${expectedHash.slice(0, 12)}…`);
}

interface Compiled {
  readonly index: readonly (ReadonlyMap<string, number> | undefined)[];
  readonly fields: ReadonlyMap<string, FieldSpec>;
}
const compiled = new WeakMap<EncodingSpec, Compiled>();

function compile(spec: EncodingSpec): Compiled {
  let c = compiled.get(spec);
  if (!c) {
    const index = spec.inputs.map((inp) => (inp.kind === 'one-hot' ? new Map(inp.vocabulary.map((v, i) => [v, i])) : undefined));
    const fields = new Map<string, FieldSpec>();
    for (const inp of spec.inputs) {
      if (inp.kind === 'numeric') fields.set(inp.field, { name: inp.field, type: 'number', description: '', required: false, min: inp.min ?? undefined, max: inp.max ?? undefined, privacy: 'feature' });
    }
    c = { index, fields };
    compiled.set(spec, c);
  }
  return c;
}

const bad = (field: string, what: string): FedfinError => new FedfinError('data-invalid', `encode: field "${field}" ${what}`);

/**
 * Writes one record's `spec.numFeatures` features into `out` starting at `offset`: the streaming
 * form of `encode`, allocation-free after the first call per spec.
 * @throws RangeError if `out` is too short; FedfinError('data-invalid') for a value the spec cannot encode
 *   (a category outside the vocabulary, a non-number in a numeric field). The value itself is not echoed.
 */
export function encodeInto(spec: EncodingSpec, record: DesensitizedRecord, out: Float32Array, offset: number): void {
  if (!Number.isInteger(offset) || offset < 0 || offset + spec.numFeatures > out.length) {
    throw new RangeError(`encodeInto: "offset" expected integer in [0, ${out.length - spec.numFeatures}], got ${offset}`);
  }
  const { index, fields } = compile(spec);
  let o = offset;
  spec.inputs.forEach((inp, j) => {
    const v = record[inp.field] ?? null;
    if (inp.kind === 'one-hot') {
      const n = inp.vocabulary.length;
      out.fill(0, o, o + n + 1);
      if (v === null) out[o + n] = 1;
      else {
        const at = (index[j] as ReadonlyMap<string, number>).get(String(v));
        if (at === undefined) throw bad(inp.field, 'has a value outside its vocabulary');
        out[o + at] = 1;
      }
      o += n + 1;
      return;
    }
    if (v === null) {
      out[o] = 0;
      out[o + 1] = 1;
    } else if (inp.kind === 'boolean') {
      if (typeof v !== 'boolean') throw bad(inp.field, `expected boolean, got ${typeof v}`);
      out[o] = v ? 1 : 0;
      out[o + 1] = 0;
    } else {
      if (typeof v !== 'number' || !Number.isFinite(v)) throw bad(inp.field, `expected finite number, got ${typeof v}`);
      out[o] = (clampToField(fields.get(inp.field) as FieldSpec, v) - inp.mean) / inp.std;
      out[o + 1] = 0;
    }
    o += 2;
  });
}

/** The encoded matrix: row-major features and one label per row (empty `labels` when the spec has no label). */
export interface EncodedDataset {
  readonly features: Float32Array;
  readonly labels: Float32Array;
  readonly numExamples: number;
  readonly numFeatures: number;
}

/**
 * Encodes desensitised records. Accepts only `DesensitizedRecord` (see schema/desensitized.ts): raw
 * canonical records do not type-check. Deterministic: equal specs and records give equal bytes.
 * @throws FedfinError('data-invalid') for a missing or non-numeric label, or a value the spec cannot encode.
 */
export function encode(spec: EncodingSpec, records: readonly DesensitizedRecord[]): EncodedDataset {
  const n = records.length;
  const features = new Float32Array(n * spec.numFeatures);
  const labels = new Float32Array(spec.label === null ? 0 : n);
  records.forEach((r, i) => {
    encodeInto(spec, r, features, i * spec.numFeatures);
    if (spec.label === null) return;
    const y = r[spec.label] ?? null;
    if (typeof y === 'number' && Number.isFinite(y)) labels[i] = y;
    else if (typeof y === 'boolean') labels[i] = y ? 1 : 0;
    else throw bad(spec.label, `(the label) expected a number or boolean in row ${i}, got ${y === null ? 'missing' : typeof y}`);
  });
  return { features, labels, numExamples: n, numFeatures: spec.numFeatures };
}
