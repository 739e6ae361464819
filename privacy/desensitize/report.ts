/** The desensitisation report (`OUT.report.json`): what was dropped, pseudonymised and generalised, and the k reached — never key material or raw values. */
import type { CanonicalRecord, DatasetSchema } from '../../schema/field.js';
import type { EnforcementResult } from './k-anonymity.js';
import type { ResolvedPolicy } from './policy.js';
import { assertObject } from './guard.js';

/** The plain statement every report carries. */
export const LEGAL_NOTICE =
  'Desensitisation is not anonymisation. Pseudonymised fields are still personal data: GDPR Art. 4(5) defines ' +
  'pseudonymisation as processing after which data can no longer be attributed to a person without additional ' +
  'information kept separately (here, the bank-held key), and Recital 26 says pseudonymised data should be ' +
  'considered information on an identifiable natural person. Keep the key out of the FL runtime, restrict and ' +
  'log its use, and cover this dataset in the DPIA (Art. 35).';

/** One generalised field in the report. */
export interface GeneralizedField {
  readonly field: string;
  readonly method: 'bands' | 'prefix' | 'date' | 'timestamp';
  /** Level the policy started at, and the level reached by enforcement. */
  readonly baseLevel: number;
  readonly level: number;
}

/** The report, JSON-serialisable. Field names only; no values, no key bytes. */
export interface DesensitizationReport {
  readonly version: 1;
  readonly schema: string;
  readonly outputSchema: string;
  readonly policyHash: string;
  readonly rows: { readonly in: number; readonly out: number; readonly suppressed: number };
  readonly fields: {
    readonly dropped: readonly string[];
    readonly pseudonymized: readonly string[];
    readonly generalized: readonly GeneralizedField[];
    readonly rareSuppressed: readonly { readonly field: string; readonly minCount: number; readonly distinctValuesReplaced: number; readonly rowsAffected: number }[];
    readonly kept: readonly string[];
    /** Sensitive fields kept for l-diversity and fairness reporting; not model inputs by default. */
    readonly sensitiveFlagged: readonly string[];
  };
  readonly kAnonymity: {
    readonly quasiIdentifiers: readonly string[];
    readonly target: number;
    /** Smallest class at the policy's starting levels, before enforcement. */
    readonly before: number;
    /** Smallest class over the rows kept (0 when no row is kept). */
    readonly reached: number;
    readonly classes: number;
    readonly satisfied: boolean;
    readonly maxSuppression: number;
  };
  readonly lDiversity: { readonly field: string; readonly target: number | null; readonly before: number; readonly reached: number } | null;
  readonly warnings: readonly string[];
  readonly legalNotice: string;
}

/** Inputs to `buildReport`, gathered by `desensitizeDataset`. */
export interface ReportInput {
  readonly schema: DatasetSchema;
  readonly outSchema: DatasetSchema;
  readonly policy: ResolvedPolicy;
  readonly levels: ReadonlyMap<string, number>;
  readonly enforcement: EnforcementResult;
  readonly rare: ReadonlyMap<string, ReadonlySet<string>>;
  readonly records: readonly Readonly<CanonicalRecord>[];
  readonly rowsIn: number;
  readonly rowsOut: number;
  readonly qiFields: readonly string[];
}

const METHOD = { generalize: 'bands', 'generalize-prefix': 'prefix', 'generalize-date': 'date', 'generalize-timestamp': 'timestamp' } as const;

/** Builds the report. Pure; lists field names and counts only. */
export function buildReport(input: ReportInput): DesensitizationReport {
  assertObject('buildReport', 'input', input);
  const { schema, policy, enforcement } = input;
  const dropped: string[] = [];
  const pseudonymized: string[] = [];
  const generalized: GeneralizedField[] = [];
  const rareSuppressed: DesensitizationReport['fields']['rareSuppressed'][number][] = [];
  const kept: string[] = [];
  const warnings: string[] = [];
  for (const field of schema.fields) {
    const rule = policy.rules.get(field.name);
    if (!rule) continue;
    if (rule.action === 'drop') dropped.push(field.name);
    else if (rule.action === 'pseudonymize') pseudonymized.push(field.name);
    else if (rule.action === 'keep') kept.push(field.name);
    else if (rule.action === 'suppress-rare') {
      const rare = input.rare.get(field.name) ?? new Set<string>();
      const rowsAffected = input.records.filter((r) => {
        const v = r[field.name] ?? null;
        return v !== null && rare.has(String(v));
      }).length;
      rareSuppressed.push({ field: field.name, minCount: rule.minCount, distinctValuesReplaced: rare.size, rowsAffected });
    } else {
      generalized.push({ field: field.name, method: METHOD[rule.action], baseLevel: rule.level, level: input.levels.get(field.name) ?? rule.level });
    }
    if (field.privacy === 'quasi-identifier' && rule.action === 'keep' && input.records.some((r) => (r[field.name] ?? null) !== null)) {
      warnings.push(`quasi-identifier "${field.name}" is kept as is: it has no hierarchy, so k is enforced on it by suppression only`);
    }
  }
  const suppressed = enforcement.suppressedRows.length;
  if (suppressed > 0) warnings.push(`${suppressed} row(s) suppressed to reach k=${policy.k}${policy.l === undefined ? '' : ` and l=${policy.l}`}`);
  if (input.rowsOut === 0 && input.rowsIn > 0) warnings.push('every row was suppressed: the policy cannot reach its k on this data');
  const sensitiveFlagged = schema.fields.filter((f) => f.privacy === 'sensitive' && policy.rules.get(f.name)?.action === 'keep').map((f) => f.name);
  const { before, after } = enforcement;
  return {
    version: 1,
    schema: schema.id,
    outputSchema: input.outSchema.id,
    policyHash: policy.hash,
    rows: { in: input.rowsIn, out: input.rowsOut, suppressed },
    fields: { dropped, pseudonymized, generalized, rareSuppressed, kept, sensitiveFlagged },
    kAnonymity: {
      quasiIdentifiers: input.qiFields,
      target: policy.k,
      before: before.k,
      reached: after.k,
      classes: after.classes,
      satisfied: input.rowsOut === 0 || after.k >= policy.k,
      maxSuppression: policy.maxSuppression,
    },
    lDiversity: policy.sensitive === undefined ? null : { field: policy.sensitive, target: policy.l ?? null, before: before.l ?? 0, reached: after.l ?? 0 },
    warnings,
    legalNotice: LEGAL_NOTICE,
  };
}
