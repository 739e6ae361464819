/** The desensitisation policy file (zod-validated) and its resolution against a schema, with defaults from privacy classes. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError, FedfinError, FileError } from '../../common/errors.js';
import type { DatasetSchema, FieldSpec } from '../../schema/field.js';
import { canonicalJson } from '../../schema/encoding.js';
import { assertSchema, assertObject } from './guard.js';
import { assertString } from '../../common/assert.js';

const Level = z.number().int().min(0);
const LevelOptions = { level: Level.default(0), maxLevel: Level.optional() };

/** How a pseudonymised value is canonicalised before hashing, so `DE89 3704` and `de893704` can link. */
export const CANONICAL_FORMS = ['exact', 'trim', 'casefold', 'alnum'] as const;
export type CanonicalForm = (typeof CANONICAL_FORMS)[number];

const Increasing = z
  .array(z.number().finite())
  .min(2)
  .refine((a) => a.every((v, i) => i === 0 || v > (a[i - 1] as number)), 'band edges must be strictly increasing');

/** One field's rule. `generalize` takes exactly one of `bands`, `prefix`, `date`, `timestamp`. */
export const FieldRuleSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('drop') }).strict(),
  z.object({ action: z.literal('keep') }).strict(),
  z.object({ action: z.literal('pseudonymize'), canonical: z.enum(CANONICAL_FORMS).default('casefold') }).strict(),
  z.object({ action: z.literal('generalize'), bands: Increasing, ...LevelOptions }).strict(),
  z.object({ action: z.literal('generalize-prefix'), prefix: z.number().int().min(1), ...LevelOptions }).strict(),
  z.object({ action: z.literal('generalize-date'), to: z.enum(['month', 'year']), ...LevelOptions }).strict(),
  z.object({ action: z.literal('generalize-timestamp'), to: z.enum(['hour', 'day']), ...LevelOptions }).strict(),
  z.object({ action: z.literal('suppress-rare'), minCount: z.number().int().min(2), replacement: z.union([z.literal('other'), z.null()]).default('other') }).strict(),
]);
export type FieldRule = z.output<typeof FieldRuleSchema>;
export type GeneralizeRule = Extract<FieldRule, { level: number }>;

/** A whole policy file. See docs/desensitization.md for every key. */
export const PolicySchema = z
  .object({
    schema: z.string().min(1).describe('schema id the policy applies to, e.g. credit.v1'),
    domain: z.string().min(1).max(200).describe('per-bank pseudonym domain, so pseudonyms do not link across banks'),
    k: z.number().int().min(1).default(5).describe('k-anonymity target over the quasi-identifiers'),
    maxSuppression: z.number().min(0).max(1).default(0.01).describe('share of rows that may be suppressed before generalising further'),
    sensitive: z.string().optional().describe('sensitive field for l-diversity'),
    l: z.number().int().min(1).optional().describe('minimum distinct sensitive values per class (needs "sensitive")'),
    fields: z.record(z.string(), FieldRuleSchema).default({}),
  })
  .strict();
export type PolicyFile = z.output<typeof PolicySchema>;

/** A policy checked against its schema: one rule for every schema field, in schema order. */
export interface ResolvedPolicy {
  readonly schemaId: string;
  readonly domain: string;
  readonly k: number;
  readonly maxSuppression: number;
  readonly sensitive?: string;
  readonly l?: number;
  readonly rules: ReadonlyMap<string, FieldRule>;
  /** SHA-256 (hex) of the canonical JSON of the parsed policy file, defaults filled. */
  readonly hash: string;
}

/** The rule a field gets when the policy does not name it: identifiers dropped, everything else kept. */
export function defaultRule(field: FieldSpec): FieldRule {
  assertObject('defaultRule', 'field', field);
  return field.privacy === 'direct-identifier' ? { action: 'drop' } : { action: 'keep' };
}

function ruleIssue(field: FieldSpec, rule: FieldRule, schema: DatasetSchema): string | undefined {
  const numeric = field.type === 'number' || field.type === 'integer';
  if (field.privacy === 'direct-identifier' && rule.action !== 'drop' && rule.action !== 'pseudonymize') return 'a direct identifier must be dropped or pseudonymised';
  if (field.name === schema.label && rule.action !== 'keep') return 'the label field can only be kept';
  if (rule.action === 'generalize' && !numeric) return `bands need a number or integer field, "${field.name}" is ${field.type}`;
  if (rule.action === 'generalize-prefix' && field.type !== 'string') return `prefix generalisation needs a string field, "${field.name}" is ${field.type}`;
  if (rule.action === 'generalize-date' && field.type !== 'date') return `date generalisation needs a date field, "${field.name}" is ${field.type}`;
  if (rule.action === 'generalize-timestamp' && field.type !== 'timestamp') return `timestamp generalisation needs a timestamp field, "${field.name}" is ${field.type}`;
  if (rule.action === 'suppress-rare' && field.type !== 'category' && field.type !== 'string') return `suppress-rare needs a category or string field, "${field.name}" is ${field.type}`;
  if ('maxLevel' in rule && rule.maxLevel !== undefined && rule.maxLevel < rule.level) return 'maxLevel must be ≥ level';
  return undefined;
}

/**
 * Validates a parsed policy against `schema` and fills defaults from the privacy classes.
 * @param raw the policy as parsed JSON.
 * @param source names the file in errors.
 * @throws ConfigError naming every bad key: unknown fields, wrong schema, rules that do not fit a field's type.
 */
export function resolvePolicy(raw: unknown, schema: DatasetSchema, source = 'policy'): ResolvedPolicy {
  assertSchema('resolvePolicy', schema);
  assertString('resolvePolicy', 'source', source);
  const parsed = PolicySchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(source, parsed.error.issues);
  const p = parsed.data;
  const issues: z.core.$ZodIssue[] = [];
  const add = (path: PropertyKey[], message: string): void => void issues.push({ code: 'custom', path, message });
  if (p.schema !== schema.id) add(['schema'], `policy is for schema "${p.schema}", data is "${schema.id}"`);
  for (const name of Object.keys(p.fields)) {
    if (!schema.fields.some((f) => f.name === name)) add(['fields', name], `unknown field "${name}": not in schema ${schema.id}`);
  }
  const rules = new Map<string, FieldRule>();
  for (const field of schema.fields) {
    const rule = p.fields[field.name] ?? defaultRule(field);
    const problem = ruleIssue(field, rule, schema);
    if (problem) add(['fields', field.name], problem);
    rules.set(field.name, rule);
  }
  if (p.l !== undefined && p.sensitive === undefined) add(['l'], '"l" needs "sensitive" to name the sensitive field');
  if (p.sensitive !== undefined) {
    const sf = schema.fields.find((f) => f.name === p.sensitive);
    if (!sf) add(['sensitive'], `unknown field "${p.sensitive}": not in schema ${schema.id}`);
    else if (rules.get(sf.name)?.action !== 'keep') add(['sensitive'], `sensitive field "${sf.name}" must be kept to measure l-diversity`);
  }
  if (issues.length > 0) throw new ConfigError(source, issues);
  const hash = createHash('sha256').update(canonicalJson(p)).digest('hex');
  return { schemaId: p.schema, domain: p.domain, k: p.k, maxSuppression: p.maxSuppression, sensitive: p.sensitive, l: p.l, rules, hash };
}

/**
 * Reads and resolves a policy JSON file.
 * @throws FileError if unreadable, FedfinError('policy-invalid') if not JSON, ConfigError if invalid.
 */
export function loadPolicy(path: string, schema: DatasetSchema): ResolvedPolicy {
  assertString('loadPolicy', 'path', path);
  assertSchema('loadPolicy', schema);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    throw new FileError(path, missing ? 'no such file' : `cannot read (${(err as Error).message})`, missing ? 'file-not-found' : 'file-unreadable', { cause: err });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new FedfinError('policy-invalid', `${path}: not valid JSON (${(err as Error).message})`);
  }
  return resolvePolicy(raw, schema, `policy ${path}`);
}
