/** Turns one column profile into a draft field: type, observed bounds, categories and privacy class, with the reasons. */
import type { FieldSpec, FieldType, PrivacyClass } from './field.js';
import { hintFromName, PII_LABEL } from './infer-names.js';
import type { ColumnProfile } from './infer-column.js';

/** A drafted field plus what the reviewer should know about it. */
export interface InferredColumn {
  /** Header text in the source file. */
  readonly column: string;
  readonly field: FieldSpec;
  /** Why the privacy class was chosen (empty for ordinary features). */
  readonly reasons: readonly string[];
  /** Things to review: ambiguous dates, identifier-like names with coded values, free text … */
  readonly notes: readonly string[];
}

/** What `draftField` needs besides the profile. */
export interface DraftContext {
  /** Header text in the source file. */
  readonly column: string;
  /** The snake_case field name chosen for it. */
  readonly name: string;
  readonly isLabel: boolean;
  /** Text columns with at most this many distinct values become categories. */
  readonly categoryCap: number;
}

const LENGTH_STEPS = [8, 16, 32, 64, 128, 256, 512, 1024, 4096, 65_536];

function privacyOf(p: ColumnProfile, ctx: DraftContext, type: FieldType, reasons: string[], notes: string[]): PrivacyClass {
  if (ctx.isLabel) {
    reasons.push('the --label column');
    return 'label';
  }
  // 'category' from valueType() means text that fits no narrower type: the only place PII patterns apply.
  const text = type === 'category';
  const pii = text ? p.dominantPii() : undefined;
  const lowCardinality = !p.overflow && p.distinct.size <= ctx.categoryCap;
  const hint = hintFromName(ctx.name);
  if (pii) {
    reasons.push(`values look like ${PII_LABEL[pii.pattern]} (${pii.hits} of ${p.count})`);
    return 'direct-identifier';
  }
  if (hint?.kind === 'identifier') {
    reasons.push(hint.reason);
    return 'direct-identifier';
  }
  if (hint?.kind === 'personal') {
    if (text && (!lowCardinality || p.unique())) {
      reasons.push(`${hint.reason} with free-form values`);
      return 'direct-identifier';
    }
    notes.push(`${hint.reason}, but it holds ${p.distinct.size} repeated code(s), not personal values: not flagged — review`);
  }
  if (hint?.kind === 'sensitive') {
    reasons.push(hint.reason);
    return 'sensitive';
  }
  if (hint?.kind === 'quasi-identifier') {
    reasons.push(hint.reason);
    return 'quasi-identifier';
  }
  if (text && p.unique() && p.count > ctx.categoryCap) {
    reasons.push(`unique per row (${p.count} distinct values in ${p.count} rows)`);
    return 'direct-identifier';
  }
  const { min, max } = p.range();
  if (type === 'integer' && p.unique() && p.count > ctx.categoryCap && max - min + 1 === p.count) {
    reasons.push('unique consecutive integers: a row or record number');
    return 'direct-identifier';
  }
  if (type === 'date' || type === 'timestamp') {
    reasons.push('a date: single dates identify people in combination with other fields');
    return 'quasi-identifier';
  }
  return 'feature';
}

/**
 * Drafts the field for one column once every row has been observed.
 *
 * Numbers get the observed min/max (said so in the description: they are not policy bounds);
 * text with at most `categoryCap` distinct values becomes a category (values most frequent first);
 * other text a string with `maxLength` rounded up from the longest value seen. Direct identifiers are
 * typed `string` whatever their values look like (except dates of birth), since they are dropped or
 * pseudonymised, never range-checked or encoded. `required` means no value was missing.
 * @returns the field with the reasons for its privacy class and notes for the reviewer.
 */
export function draftField(p: ColumnProfile, ctx: DraftContext): InferredColumn {
  const reasons: string[] = [];
  const notes: string[] = [];
  const vt = p.valueType();
  const privacy = privacyOf(p, ctx, vt.type, reasons, notes);
  let type: FieldType = vt.type;
  if (privacy === 'direct-identifier' && type !== 'date') type = 'string';
  if (type === 'category' && (p.overflow || p.distinct.size > ctx.categoryCap)) type = 'string';

  const parts = [`source column "${ctx.column}"`];
  const extra: { min?: number; max?: number; categories?: string[]; maxLength?: number } = {};
  if ((type === 'integer' || type === 'number') && p.count > 0) {
    const { min, max } = p.range();
    Object.assign(extra, { min, max });
    parts.push(`observed range ${min} to ${max} (not a policy bound: widen before use)`);
  } else if (type === 'category') {
    const cats = [...p.distinct.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([v]) => v);
    extra.categories = cats;
    parts.push(`${cats.length} values seen, most frequent first`);
  } else if (type === 'string') {
    extra.maxLength = LENGTH_STEPS.find((n) => n >= p.longest()) ?? LENGTH_STEPS[LENGTH_STEPS.length - 1]!;
    parts.push(`longest value seen ${p.longest()} characters`);
    if (p.overflow && privacy !== 'direct-identifier') notes.push('more than 20000 distinct values: free text or an identifier? review');
  } else if (type === 'date' && vt.layout) {
    parts.push(`source format ${vt.layout}`);
    if (vt.layout !== 'YYYY-MM-DD') notes.push(`dates are ${vt.layout}: map with parse "date:${vt.layout}"`);
    if (vt.ambiguous) notes.push('day and month order is ambiguous (every value fits DD/MM and MM/DD): check');
  }
  if (p.count === 0) notes.push('no values seen: type unknown, drafted as string');
  if (p.missing > 0) parts.push(`${p.missing} missing of ${p.count + p.missing}`);

  const field: FieldSpec = {
    name: ctx.name,
    type,
    description: parts.join('; '),
    required: p.missing === 0 && p.count > 0,
    ...extra,
    privacy,
  };
  return { column: ctx.column, field, reasons, notes };
}
