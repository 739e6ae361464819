/** The per-account history walk behind the engineered fraud features: one pass in time order, state per account key. */
import type { CanonicalRecord } from '../../schema/field.js';
import { FEATURE_PREFIX, timeOf, type TransactionFeatureConfig } from './transaction-features.js';

/** What one account's earlier transactions leave behind. */
interface AccountState {
  /** Earlier transactions in time order (ms, amount), for the sliding windows. */
  readonly times: number[];
  readonly amounts: number[];
  /** Earlier amounts sorted ascending, for the running median. */
  readonly sorted: number[];
  /** Per window, index of the oldest transaction still inside it (windows only move forward). */
  readonly windowStart: number[];
  readonly windowSum: number[];
  sumLog: number;
  sumSqLog: number;
  readonly seen: Set<string>[];
}

const STD_FLOOR = 0.25;

function insertSorted(a: number[], x: number): void {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  a.splice(lo, 0, x);
}

function median(a: readonly number[]): number {
  const m = a.length >> 1;
  return a.length % 2 === 1 ? a[m]! : (a[m - 1]! + a[m]!) / 2;
}

/**
 * Returns the records with the engineered fields (`engineeredFields(c)`) added, in input order.
 *
 * "Earlier" is the order (timestamp, input position): a transaction sees only transactions with a
 * smaller timestamp, or an equal one earlier in the input, of the same account — so appending later
 * transactions never changes an earlier transaction's features (no leakage from the future, and the
 * training rows' features equal what a live scorer would have seen).
 *
 * @param accountKey maps the raw account value to the key history is kept under; the daemon passes the
 *   bank's keyed pseudonym, so the feature state never holds a raw id. A missing account has no history.
 * @throws FedfinError('data-invalid') for an unparsable timestamp (validation normally rejects those first).
 */
export function engineerTransactionFeatures(records: readonly CanonicalRecord[], c: TransactionFeatureConfig, accountKey: (raw: string) => string = (r) => r): CanonicalRecord[] {
  const n = records.length;
  const times = records.map((r) => timeOf(String(r[c.timestamp])));
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => times[a]!.ms - times[b]!.ms || a - b);
  const states = new Map<string, AccountState>();
  const out: CanonicalRecord[] = new Array<CanonicalRecord>(n);
  const p = FEATURE_PREFIX;
  for (const i of order) {
    const r = records[i]!;
    const { ms, localHour } = times[i]!;
    const amount = Math.max(0, Number(r[c.amount] ?? 0));
    const logAmount = Math.log1p(amount);
    const raw = r[c.account];
    const key = raw === null || raw === undefined || raw === '' ? undefined : accountKey(String(raw));
    let s = key === undefined ? undefined : states.get(key);
    if (key !== undefined && !s) {
      s = { times: [], amounts: [], sorted: [], windowStart: c.windows.map(() => 0), windowSum: c.windows.map(() => 0), sumLog: 0, sumSqLog: 0, seen: c.novelty.map(() => new Set<string>()) };
      states.set(key, s);
    }
    const h = s?.times.length ?? 0;
    const f: CanonicalRecord = { ...r };
    f[`${p}log_amount`] = logAmount;
    if (s && h >= 2) {
      const mean = s.sumLog / h;
      const std = Math.max(STD_FLOOR, Math.sqrt(Math.max(0, s.sumSqLog / h - mean * mean)));
      f[`${p}amount_z`] = (logAmount - mean) / std;
    } else f[`${p}amount_z`] = null;
    f[`${p}amount_vs_median`] = s && h > 0 ? logAmount - Math.log1p(median(s.sorted)) : null;
    f[`${p}hour_sin`] = Math.sin((2 * Math.PI * localHour) / 24);
    f[`${p}hour_cos`] = Math.cos((2 * Math.PI * localHour) / 24);
    f[`${p}log_history`] = Math.log1p(h);
    f[`${p}log_gap_s`] = s && h > 0 ? Math.log1p(Math.max(0, ms - s.times[h - 1]!) / 1000) : null;
    c.novelty.forEach((field, j) => {
      const v = r[field];
      f[`${p}new_${field}`] = v === null || v === undefined ? null : s?.seen[j]!.has(String(v)) ? 0 : 1;
    });
    c.windows.forEach((w, j) => {
      let count = 0;
      let sum = 0;
      if (s) {
        // Drop transactions that fell out of (ms − w, ms]; the window start only moves forward in time order.
        while (s.windowStart[j]! < h && s.times[s.windowStart[j]!]! <= ms - w.ms) {
          s.windowSum[j]! -= s.amounts[s.windowStart[j]!]!;
          s.windowStart[j]!++;
        }
        count = h - s.windowStart[j]!;
        sum = count > 0 ? Math.max(0, s.windowSum[j]!) : 0;
      }
      f[`${p}count_${w.name}`] = Math.log1p(count);
      f[`${p}sum_${w.name}`] = Math.log1p(sum);
    });
    out[i] = f;
    if (s) {
      s.times.push(ms);
      s.amounts.push(amount);
      insertSorted(s.sorted, amount);
      s.sumLog += logAmount;
      s.sumSqLog += logAmount * logAmount;
      for (let j = 0; j < c.windows.length; j++) s.windowSum[j]! += amount;
      c.novelty.forEach((field, j) => {
        const v = r[field];
        if (v !== null && v !== undefined) s.seen[j]!.add(String(v));
      });
    }
  }
  return out;
}
