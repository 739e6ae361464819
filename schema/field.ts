/**
 * The field model every dataset schema is made of — built-in (`credit.v1` …) or custom JSON —
 * with the zod schema that validates custom schema files at the edge.
 */
import { z } from 'zod';

/** What a canonical value is. Dates are `YYYY-MM-DD` strings, timestamps ISO-8601 strings. */
export const FIELD_TYPES = ['number', 'integer', 'boolean', 'category', 'string', 'date', 'timestamp'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/**
 * How a field is treated for privacy:
 * - `direct-identifier`: names a person or account (name, national id, IBAN, email …). Dropped or
 *   pseudonymised by desensitisation; never reaches the encoder.
 * - `quasi-identifier`: identifies in combination (age, postcode, region …). Generalised; k-anonymity is
 *   measured over these. May be a model feature after generalisation.
 * - `sensitive`: a protected or special-category attribute (sex, nationality …). Not a model feature by
 *   default; used for l-diversity and fairness reporting.
 * - `feature`: an ordinary model input.
 * - `label`: the training target.
 */
export const PRIVACY_CLASSES = ['direct-identifier', 'quasi-identifier', 'sensitive', 'feature', 'label'] as const;
export type PrivacyClass = (typeof PRIVACY_CLASSES)[number];

/**
 * Roles a field can play for a task beyond its privacy class (`roles` of a schema). The fraud feature
 * step (tasks/features/) finds its inputs by role: `account` groups a history, `timestamp` orders it,
 * `amount` is measured against it, and `merchantCategory`, `merchantCountry`, `device` are checked for
 * novelty. A transaction schema that declares no role for one falls back to transaction.v1's field name.
 */
export const FIELD_ROLES = ['account', 'timestamp', 'amount', 'merchantCategory', 'merchantCountry', 'device'] as const;
export type FieldRole = (typeof FIELD_ROLES)[number];

/** The field types each role accepts (a role absent here accepts any type). */
export const ROLE_TYPES: Readonly<Partial<Record<FieldRole, readonly FieldType[]>>> = {
  account: ['string', 'category', 'integer'],
  timestamp: ['timestamp'],
  amount: ['number', 'integer'],
};

/** One field of a dataset schema. */
export interface FieldSpec {
  /** snake_case canonical name, unique in the schema. */
  readonly name: string;
  readonly type: FieldType;
  readonly description: string;
  /** Unit of a numeric value, e.g. `EUR`, `EUR/year`, `years`, `months`, `ratio`, `count`. */
  readonly unit?: string;
  /** A record missing a required field is rejected. */
  readonly required: boolean;
  /** Inclusive bounds for `number`/`integer`. */
  readonly min?: number;
  readonly max?: number;
  /** Allowed values for `category` (the one-hot vocabulary, in order). */
  readonly categories?: readonly string[];
  /** Maximum length of a `string`. */
  readonly maxLength?: number;
  readonly privacy: PrivacyClass;
}

/** A versioned dataset schema. `id` is `name.vVERSION`, e.g. `credit.v1`. */
export interface DatasetSchema {
  readonly id: string;
  readonly name: string;
  readonly version: number;
  readonly description: string;
  /** Which kind of data this is; tasks declare the kinds they accept. */
  readonly kind: 'credit' | 'transaction' | 'market' | 'custom';
  readonly fields: readonly FieldSpec[];
  /** Name of the label field, if the schema has one. */
  readonly label?: string;
  /** Role → field name (see FIELD_ROLES), e.g. `{ account: 'acct_ref', amount: 'amt_eur' }`. */
  readonly roles?: Readonly<Partial<Record<FieldRole, string>>>;
}

/** A canonical record: field name → value; `null` means missing. */
export type CanonicalValue = number | string | boolean | null;
export type CanonicalRecord = Record<string, CanonicalValue>;

const NAME = /^[a-z][a-z0-9_]*$/;

export const FieldSpecSchema = z
  .object({
    name: z.string().regex(NAME, 'expected snake_case name'),
    type: z.enum(FIELD_TYPES),
    description: z.string().default(''),
    unit: z.string().optional(),
    required: z.boolean().default(false),
    min: z.number().optional(),
    max: z.number().optional(),
    categories: z.array(z.string()).min(1).optional(),
    maxLength: z.number().int().positive().optional(),
    privacy: z.enum(PRIVACY_CLASSES),
  })
  .strict()
  .superRefine((f, ctx) => {
    if (f.type === 'category' && !f.categories) ctx.addIssue({ code: 'custom', message: 'a category field needs "categories"', path: ['categories'] });
    if (f.type !== 'category' && f.categories) ctx.addIssue({ code: 'custom', message: 'only category fields take "categories"', path: ['categories'] });
    if (f.min !== undefined && f.max !== undefined && f.min > f.max) ctx.addIssue({ code: 'custom', message: 'min must be ≤ max', path: ['min'] });
    if (f.categories && new Set(f.categories).size !== f.categories.length) ctx.addIssue({ code: 'custom', message: 'categories must be unique', path: ['categories'] });
  });

export const DatasetSchemaSchema = z
  .object({
    name: z.string().regex(NAME, 'expected snake_case name'),
    version: z.number().int().positive(),
    description: z.string().default(''),
    kind: z.enum(['credit', 'transaction', 'market', 'custom']).default('custom'),
    fields: z.array(FieldSpecSchema).min(1),
    label: z.string().optional(),
    roles: z.object(Object.fromEntries(FIELD_ROLES.map((r) => [r, z.string().optional()])) as Record<FieldRole, z.ZodOptional<z.ZodString>>).strict().optional(),
  })
  .strict()
  .superRefine((s, ctx) => {
    const seen = new Set<string>();
    s.fields.forEach((f, i) => {
      if (seen.has(f.name)) ctx.addIssue({ code: 'custom', message: `duplicate field "${f.name}"`, path: ['fields', i, 'name'] });
      seen.add(f.name);
    });
    if (s.label !== undefined) {
      const lf = s.fields.find((f) => f.name === s.label);
      if (!lf) ctx.addIssue({ code: 'custom', message: `label "${s.label}" is not a field`, path: ['label'] });
      else if (lf.privacy !== 'label') ctx.addIssue({ code: 'custom', message: `label field "${s.label}" must have privacy "label"`, path: ['label'] });
    }
    for (const [role, name] of Object.entries(s.roles ?? {}) as [FieldRole, string | undefined][]) {
      if (name === undefined) continue;
      const f = s.fields.find((x) => x.name === name);
      const types = ROLE_TYPES[role];
      if (!f) ctx.addIssue({ code: 'custom', message: `role ${role}: "${name}" is not a field`, path: ['roles', role] });
      else if (types && !types.includes(f.type)) ctx.addIssue({ code: 'custom', message: `role ${role}: field "${name}" is ${f.type}, expected ${types.join(' or ')}`, path: ['roles', role] });
    }
  });

/** Builds a DatasetSchema (adds `id`) from its parsed JSON form. */
export function makeSchema(raw: z.output<typeof DatasetSchemaSchema>): DatasetSchema {
  return { ...raw, id: `${raw.name}.v${raw.version}` };
}

/** The field named `name`, or undefined. */
export function fieldOf(schema: DatasetSchema, name: string): FieldSpec | undefined {
  return schema.fields.find((f) => f.name === name);
}
