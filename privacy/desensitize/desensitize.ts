/** Desensitisation: the pure row function and the whole-dataset pass that measures and enforces k-anonymity. */
import type { CanonicalRecord, CanonicalValue, DatasetSchema, FieldSpec } from '../../schema/field.js';
import type { DesensitizedRecord } from '../../schema/desensitized.js';
import { assertBytes } from '../../common/assert.js';
import { assertArray, assertObject, assertSchema } from './guard.js';
import { makeGeneralizer, levelCap, type Generalizer } from './generalize.js';
import { enforceAnonymity, type EnforcementResult, type QiColumn } from './k-anonymity.js';
import { desensitizedSchema, OTHER_CATEGORY, policyLevels } from './output-schema.js';
import type { ResolvedPolicy } from './policy.js';
import { MIN_KEY_BYTES, pseudonymize } from './pseudonym.js';
import { buildReport, type DesensitizationReport } from './report.js';

/**
 * Everything the row function needs, fixed for a dataset: policy, key, generalisation levels and the
 * rare values to suppress. Build with `createRowPlan`.
 */
export interface RowPlan {
  readonly schema: DatasetSchema;
  readonly policy: ResolvedPolicy;
  readonly key: Uint8Array;
  readonly levels: ReadonlyMap<string, number>;
  /** Per `suppress-rare` field, the raw values (as strings) that occur fewer than `minCount` times. */
  readonly rare: ReadonlyMap<string, ReadonlySet<string>>;
  readonly generalizers: ReadonlyMap<string, Generalizer>;
}

/** Builds a RowPlan; `levels` default to the policy's, `rare` to none. */
export function createRowPlan(
  schema: DatasetSchema,
  policy: ResolvedPolicy,
  key: Uint8Array,
  options: { levels?: ReadonlyMap<string, number>; rare?: ReadonlyMap<string, ReadonlySet<string>> } = {},
): RowPlan {
  assertSchema('createRowPlan', schema);
  assertObject('createRowPlan', 'policy', policy);
  assertBytes('createRowPlan', 'key', key);
  assertObject('createRowPlan', 'options', options);
  if (key.length < MIN_KEY_BYTES) throw new RangeError(`createRowPlan: "key" expected at least ${MIN_KEY_BYTES} bytes, got ${key.length}`);
  if (policy.schemaId !== schema.id) throw new RangeError(`createRowPlan: "policy" expected a policy for ${schema.id}, got one for ${policy.schemaId}`);
  const generalizers = new Map<string, Generalizer>();
  for (const field of schema.fields) {
    const rule = policy.rules.get(field.name);
    if (rule && 'level' in rule) generalizers.set(field.name, makeGeneralizer(field, rule));
  }
  return { schema, policy, key, levels: options.levels ?? policyLevels(policy), rare: options.rare ?? new Map(), generalizers };
}

function suppressRare(plan: RowPlan, field: FieldSpec, value: CanonicalValue): CanonicalValue {
  const rule = plan.policy.rules.get(field.name);
  if (rule?.action !== 'suppress-rare' || value === null) return value;
  return plan.rare.get(field.name)?.has(String(value)) ? (rule.replacement === null ? null : OTHER_CATEGORY) : value;
}

/** One field's output value, or undefined when the field is dropped. */
function fieldValue(plan: RowPlan, field: FieldSpec, value: CanonicalValue): CanonicalValue | undefined {
  const rule = plan.policy.rules.get(field.name);
  switch (rule?.action) {
    case undefined:
    case 'drop':
      return undefined;
    case 'keep':
      return value;
    case 'pseudonymize':
      return pseudonymize(plan.key, plan.policy.domain, value, rule.canonical);
    case 'suppress-rare':
      return suppressRare(plan, field, value);
    default:
      return (plan.generalizers.get(field.name) as Generalizer).generalize(value, plan.levels.get(field.name) ?? 0);
  }
}

/**
 * The pure row function: drops, pseudonymises, generalises and suppresses rare values of one record
 * according to `plan`, producing the fields of `desensitizedSchema(schema, policy, plan.levels)` in
 * schema order. It does not enforce k-anonymity (that needs the whole dataset: `desensitizeDataset`).
 * Values missing from `record` are treated as null.
 */
export function desensitizeRecord(record: Readonly<CanonicalRecord>, plan: RowPlan): DesensitizedRecord {
  assertObject('desensitizeRecord', 'record', record);
  assertObject('desensitizeRecord', 'plan', plan);
  const out: CanonicalRecord = {};
  for (const field of plan.schema.fields) {
    const v = fieldValue(plan, field, record[field.name] ?? null);
    if (v !== undefined) out[field.name] = v;
  }
  // The one place a DesensitizedRecord is made: see schema/desensitized.ts.
  return out as DesensitizedRecord;
}

/** The result of a whole-dataset pass. */
export interface DesensitizationResult {
  /** The rows kept, desensitised, in input order. */
  readonly records: readonly DesensitizedRecord[];
  /** Their schema (levels reached applied). */
  readonly schema: DatasetSchema;
  readonly report: DesensitizationReport;
  readonly enforcement: EnforcementResult;
}

function rareValues(schema: DatasetSchema, policy: ResolvedPolicy, records: readonly Readonly<CanonicalRecord>[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const field of schema.fields) {
    const rule = policy.rules.get(field.name);
    if (rule?.action !== 'suppress-rare') continue;
    const counts = new Map<string, number>();
    for (const r of records) {
      const v = r[field.name] ?? null;
      if (v !== null) counts.set(String(v), (counts.get(String(v)) ?? 0) + 1);
    }
    out.set(field.name, new Set([...counts].filter(([, c]) => c < rule.minCount).map(([v]) => v)));
  }
  return out;
}

/**
 * Desensitises a whole dataset: suppresses rare categories, measures k-anonymity over the kept
 * quasi-identifiers (and l-diversity of `policy.sensitive`), generalises further and suppresses rows
 * until `policy.k` (and `policy.l`) hold, then applies the row function to the kept rows.
 * Deterministic for a given key, policy and input order.
 * @param records validated canonical records of `schema`.
 * @param key the bank's pseudonymisation key (≥ 32 bytes), e.g. from `loadKeyFile`.
 * @throws RangeError if the policy was resolved for another schema or the key is too short.
 */
export function desensitizeDataset(schema: DatasetSchema, policy: ResolvedPolicy, key: Uint8Array, records: readonly Readonly<CanonicalRecord>[]): DesensitizationResult {
  assertSchema('desensitizeDataset', schema);
  assertObject('desensitizeDataset', 'policy', policy);
  assertBytes('desensitizeDataset', 'key', key);
  if (key.length < MIN_KEY_BYTES) throw new RangeError(`desensitizeDataset: "key" expected at least ${MIN_KEY_BYTES} bytes, got ${key.length}`);
  assertArray('desensitizeDataset', 'records', records);
  const rare = rareValues(schema, policy, records);
  const base = createRowPlan(schema, policy, key, { rare });
  const qiFields = schema.fields.filter((f) => f.privacy === 'quasi-identifier' && policy.rules.get(f.name)?.action !== 'drop');
  const columns: QiColumn[] = qiFields.map((field) => {
    const rule = policy.rules.get(field.name);
    const gen = base.generalizers.get(field.name);
    const start = rule && 'level' in rule ? rule.level : 0;
    const cache = new Map<number, CanonicalValue[]>();
    return {
      field: field.name,
      level: start,
      maxLevel: gen && rule && 'level' in rule ? Math.max(start, levelCap(gen, rule)) : start,
      at(level) {
        let col = cache.get(level);
        if (!col) {
          const plan = { ...base, levels: new Map([[field.name, level]]) };
          col = records.map((r) => fieldValue(plan, field, r[field.name] ?? null) ?? null);
          cache.set(level, col);
        }
        return col;
      },
    };
  });
  const sensitive = policy.sensitive === undefined ? undefined : records.map((r) => r[policy.sensitive as string] ?? null);
  const enforcement = enforceAnonymity(columns, sensitive, records.length, { k: policy.k, l: policy.l, maxSuppression: policy.maxSuppression });
  const levels = new Map(policyLevels(policy));
  for (const [f, lv] of enforcement.levels) levels.set(f, lv);
  const plan = { ...base, levels };
  const suppressed = new Set(enforcement.suppressedRows);
  const out: DesensitizedRecord[] = [];
  records.forEach((r, i) => {
    if (!suppressed.has(i)) out.push(desensitizeRecord(r, plan));
  });
  const outSchema = desensitizedSchema(schema, policy, levels);
  const report = buildReport({ schema, outSchema, policy, levels, enforcement, rare, records, rowsIn: records.length, rowsOut: out.length, qiFields: qiFields.map((f) => f.name) });
  return { records: out, schema: outSchema, report, enforcement };
}
