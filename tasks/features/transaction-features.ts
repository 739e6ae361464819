/**
 * Engineered fraud features computed at the bank from raw transactions, per account and only from
 * EARLIER transactions: amount against the account's own history, time of day, novelty of merchant
 * category / country / device, and velocity over sliding windows.
 */
import { FedfinError } from '../../common/errors.js';
import type { DatasetSchema, FieldSpec } from '../../schema/field.js';

/** Which fields of a transaction schema play which role. */
export interface TransactionFeatureConfig {
  /** The account reference grouping a history (pseudonymised before it ever leaves; see `accountKey`). */
  readonly account: string;
  /** ISO-8601 timestamp with offset; time of day is read in the offset's local time. */
  readonly timestamp: string;
  /** Non-negative amount (one currency). */
  readonly amount: string;
  /** Fields whose first appearance in an account's history is a feature (`new_<field>`). */
  readonly novelty: readonly string[];
  /** Sliding windows for velocity: `count_<name>` and `sum_<name>` of the account's earlier transactions. */
  readonly windows: readonly { readonly name: string; readonly ms: number }[];
}

/**
 * Name and version of the feature step, recorded in an exported model (`features` of fedfin-model.json)
 * so `fedfin predict` runs the same step. Bump the version whenever any engineered value changes.
 */
export const FEATURE_STEP = { name: 'transaction-history', version: 1 } as const;

/** transaction.v1's roles: velocity over 1 h, 24 h and 7 d; novelty of MCC, merchant country and device. */
export const TRANSACTION_V1_FEATURES: TransactionFeatureConfig = {
  account: 'account_id',
  timestamp: 'timestamp',
  amount: 'amount',
  novelty: ['merchant_category_code', 'merchant_country', 'device_id'],
  windows: [
    { name: '1h', ms: 3_600_000 },
    { name: '24h', ms: 86_400_000 },
    { name: '7d', ms: 7 * 86_400_000 },
  ],
};

/** Prefix of every engineered field, so they never collide with a bank's own columns. */
export const FEATURE_PREFIX = 'fx_';

const num = (name: string, description: string, unit?: string): FieldSpec => ({ name: `${FEATURE_PREFIX}${name}`, type: 'number', description, required: false, privacy: 'feature', ...(unit ? { unit } : {}) });

/** The engineered fields, in the order they are appended to the schema. Missing (null) means "no history". */
export function engineeredFields(c: TransactionFeatureConfig): FieldSpec[] {
  return [
    num('log_amount', 'ln(1 + amount)'),
    num('amount_z', "z-score of ln(1 + amount) against the account's earlier transactions (std floored at 0.25); missing before 2 earlier ones"),
    num('amount_vs_median', "ln(1 + amount) − ln(1 + median of the account's earlier amounts); missing without history"),
    num('hour_sin', 'sin(2π · local hour of day / 24)'),
    num('hour_cos', 'cos(2π · local hour of day / 24)'),
    num('log_history', "ln(1 + number of the account's earlier transactions)"),
    num('log_gap_s', 'ln(1 + seconds since the account\'s previous transaction); missing without history', 's'),
    ...c.novelty.map((f) => num(`new_${f}`, `1 when ${f} never appeared in the account's earlier transactions, else 0`)),
    ...c.windows.flatMap((w) => [
      num(`count_${w.name}`, `ln(1 + earlier transactions of the account in the preceding ${w.name})`),
      num(`sum_${w.name}`, `ln(1 + amount summed over those transactions)`),
    ]),
  ];
}

/**
 * `schema` with the engineered fields appended (same id: a policy written for the schema still applies,
 * and the engineered fields default to `keep` as privacy class `feature`).
 * @throws FedfinError('schema-invalid') when a role names a field the schema lacks, or an engineered name is taken.
 */
export function withEngineeredFields(schema: DatasetSchema, c: TransactionFeatureConfig): DatasetSchema {
  const names = new Set(schema.fields.map((f) => f.name));
  for (const [role, field] of [['account', c.account], ['timestamp', c.timestamp], ['amount', c.amount], ...c.novelty.map((f) => ['novelty', f])] as const) {
    if (!names.has(field)) throw new FedfinError('schema-invalid', `fraud features: the ${role} field "${field}" is not in schema ${schema.id}`);
  }
  const extra = engineeredFields(c);
  const clash = extra.find((f) => names.has(f.name));
  if (clash) throw new FedfinError('schema-invalid', `fraud features: schema ${schema.id} already has a field "${clash.name}"`);
  return { ...schema, fields: [...schema.fields, ...extra] };
}

/** Parses an ISO-8601 timestamp into epoch ms and the local hour (with minutes) of its own offset. */
export function timeOf(iso: string): { ms: number; localHour: number } {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) throw new FedfinError('data-invalid', `fraud features: timestamp "${iso.slice(0, 40)}" is not ISO-8601`);
  const m = /([+-])(\d{2}):?(\d{2})$/.exec(iso);
  const offsetMin = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
  const local = new Date(ms + offsetMin * 60_000);
  return { ms, localHour: local.getUTCHours() + local.getUTCMinutes() / 60 + local.getUTCSeconds() / 3600 };
}
