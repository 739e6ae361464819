/** The brand that marks a record as desensitised: the only record type feature encoders accept. */
import type { CanonicalRecord } from './field.js';

/**
 * Declared, never defined: the symbol exists only in the type system, so it costs nothing at run time
 * and no module can name it to forge the brand structurally.
 */
declare const DESENSITIZED: unique symbol;

/**
 * A canonical record that has been through `privacy/desensitize`: direct identifiers dropped or
 * replaced by keyed pseudonyms, quasi-identifiers generalised, rows of too-small equivalence classes
 * suppressed. Its fields are those of `desensitizedSchema(schema, policy)`.
 *
 * Only `privacy/desensitize` creates values of this type (one `as` cast in `desensitize.ts`).
 * Every feature encoder (`schema/encoding.ts` `encode`, `encodeInto`) accepts only this type, so a
 * plain `CanonicalRecord` straight from a reader is a compile error at the encoder's door:
 *
 * @example
 * ```ts
 * encode(spec, [raw]);            // ✗ type error: CanonicalRecord is not a DesensitizedRecord
 * encode(spec, result.records);   // ✓ records from desensitizeDataset()
 * ```
 *
 * Readers of this type must treat it as read-only; pseudonymised fields are still personal data
 * (GDPR Art. 4(5), Recital 26).
 */
export type DesensitizedRecord = Readonly<CanonicalRecord> & { readonly [DESENSITIZED]: true };
