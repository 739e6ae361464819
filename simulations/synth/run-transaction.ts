/** transaction.v1 for `synthesize`: one bank's records, layout and mapping, and the run's section of truth.json. */
import type { BankProfile } from './bank-shapes.js';
import type { GeneratedBank } from './index.js';
import { roundTo, type Sampler } from './sampling.js';
import { FRAUD_PATTERNS, FRAUD_RATE, WINDOW, synthTransactionBank, type TransactionRecord } from './synth-transaction.js';
import { transactionMapping, transactionShape } from './transaction-shapes.js';

/** Generates one transaction bank. */
export function transactionBank(profile: BankProfile, rows: number, skew: number, rng: Sampler): GeneratedBank<TransactionRecord> {
  const records = synthTransactionBank(profile, rows, skew, rng);
  const byPattern: Record<string, number> = Object.fromEntries(Object.keys(FRAUD_PATTERNS).map((k) => [k, 0]));
  let fraud = 0;
  const accounts = new Set<string>();
  for (const r of records) {
    accounts.add(r.account_id);
    if (r.pattern !== null) {
      fraud++;
      byPattern[r.pattern] = (byPattern[r.pattern] ?? 0) + 1;
    }
  }
  return {
    profile,
    columns: transactionShape(profile).columns,
    records,
    mapping: transactionMapping(profile),
    truth: { rows, labelRate: roundTo(fraud / rows, 6), fraudTransactions: fraud, fraudByPattern: byPattern, accounts: accounts.size, targetFraudRate: roundTo((1 - skew) * FRAUD_RATE.shared + skew * FRAUD_RATE.own[profile.archetype]!, 6) },
  };
}

/** The transaction part of truth.json: window, patterns and fraud-rate settings. */
export function transactionTruth(): Record<string, unknown> {
  return {
    label: 'fraud',
    window: { start: new Date(WINDOW.start).toISOString(), days: WINDOW.days },
    fraudPatterns: FRAUD_PATTERNS,
    fraudRate: { note: 'per bank: (1 - skew) * shared + skew * own[archetype]', ...FRAUD_RATE },
    bayesAuc: null,
    bayesAucNote: 'not computed for transactions: fraud is injected by pattern, so there is no closed-form per-row probability',
  };
}
