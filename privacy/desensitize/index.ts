/** Public surface of privacy/desensitize: policies, keyed pseudonyms, generalisation, k-anonymity, the dataset pass and its report. */
export { PolicySchema, FieldRuleSchema, CANONICAL_FORMS, defaultRule, resolvePolicy, loadPolicy } from './policy.js';
export type { CanonicalForm, FieldRule, GeneralizeRule, PolicyFile, ResolvedPolicy } from './policy.js';
export { MIN_KEY_BYTES, PSEUDONYM_HEX_LENGTH, KeyFileInsecureError, KeyInvalidError, canonicalizeIdentifier, pseudonymize, loadKeyFile } from './pseudonym.js';
export { FULLY_GENERALIZED, bandEdges, bandLabel, makeGeneralizer, levelCap } from './generalize.js';
export type { Generalizer } from './generalize.js';
export { measureClasses, enforceAnonymity } from './k-anonymity.js';
export type { AnonymityTarget, ClassMeasure, EnforcementResult, QiColumn } from './k-anonymity.js';
export { OTHER_CATEGORY, DESENSITIZED_ID_SUFFIX, desensitizedSchema, policyLevels } from './output-schema.js';
export { createRowPlan, desensitizeRecord, desensitizeDataset } from './desensitize.js';
export type { DesensitizationResult, RowPlan } from './desensitize.js';
export { LEGAL_NOTICE, buildReport } from './report.js';
export type { DesensitizationReport, GeneralizedField, ReportInput } from './report.js';
