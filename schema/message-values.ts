/** How validation messages word a field's rules and a rejected value: quoted for the operator, or withheld (kind and length only). */
import type { CanonicalValue, FieldSpec } from './field.js';

/** Options shared by compileMapping and compileValidator. */
export interface MessageOptions {
  /**
   * Withhold every value from messages (`got a text of 12 characters` instead of `got "abc…"`).
   * Values of `direct-identifier` fields are withheld whatever this says.
   * @default false
   */
  readonly redactValues?: boolean;
}

/** How a field's rules read in messages: `number ≥ 0`, `integer in [18, 100]`, `one of a, b`. */
export function expectation(f: FieldSpec): string {
  if (f.type === 'number' || f.type === 'integer') {
    if (f.min !== undefined && f.max !== undefined) return `${f.type} in [${f.min}, ${f.max}]`;
    if (f.min !== undefined) return `${f.type} ≥ ${f.min}`;
    if (f.max !== undefined) return `${f.type} ≤ ${f.max}`;
    return f.type;
  }
  if (f.type === 'category') return `one of ${f.categories!.join(', ')}`;
  if (f.type === 'string') return f.maxLength !== undefined ? `text of at most ${f.maxLength} characters` : 'text';
  if (f.type === 'date') return 'date YYYY-MM-DD';
  if (f.type === 'timestamp') return 'ISO-8601 timestamp';
  return 'boolean';
}

/** Longest quoted excerpt; a 10 MB cell must not become a 10 MB message. */
const MAX_QUOTED = 60;

/** Quotes a value for a message, cut to 60 characters. */
export function quoteValue(v: CanonicalValue): string {
  if (typeof v === 'string') return JSON.stringify(v.length > MAX_QUOTED ? `${v.slice(0, MAX_QUOTED)}…` : v);
  return String(v);
}

/** Describes a value without revealing it: its kind and, for text, its length. */
export function describeValue(v: CanonicalValue): string {
  if (typeof v === 'string') return v.length === 0 ? 'an empty text' : `a text of ${v.length} character${v.length === 1 ? '' : 's'} (value withheld)`;
  if (typeof v === 'number') return 'a number (value withheld)';
  if (typeof v === 'boolean') return 'a boolean (value withheld)';
  return 'nothing';
}

/** True when messages about `field` must not quote its values. */
export function mustWithhold(field: FieldSpec, options: MessageOptions | undefined): boolean {
  return options?.redactValues === true || field.privacy === 'direct-identifier';
}

/**
 * The renderer of rejected values for one field: quoting, or describing when the field is a direct
 * identifier or `redactValues` is set.
 */
export function valueRenderer(field: FieldSpec, options: MessageOptions | undefined): (v: CanonicalValue) => string {
  return mustWithhold(field, options) ? describeValue : quoteValue;
}
