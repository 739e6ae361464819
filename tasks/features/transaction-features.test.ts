/** Tests of the engineered fraud features: hand-computed values, and the no-leakage property (appending later transactions changes nothing earlier). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TRANSACTION_V1 } from '../../schema/builtin/transaction-v1.js';
import type { CanonicalRecord } from '../../schema/field.js';
import { engineerTransactionFeatures, engineeredFields, timeOf, TRANSACTION_V1_FEATURES as C, withEngineeredFields } from './index.js';

const tx = (account: string | null, iso: string, amount: number, mcc = '5411', country = 'NL', device = 'd1'): CanonicalRecord => ({
  account_id: account,
  timestamp: iso,
  amount,
  merchant_category_code: mcc,
  merchant_country: country,
  device_id: device,
  fraud: 0,
});

describe('engineerTransactionFeatures', () => {
  const rows = [
    tx('A', '2024-05-01T10:00:00Z', 10),
    tx('B', '2024-05-01T10:10:00Z', 1000, '7995', 'US'),
    tx('A', '2024-05-01T10:30:00Z', 30),
    tx('A', '2024-05-01T12:00:00+02:00', 20, '5411', 'DE'), // 10:00Z: before the 10:30Z row although listed after it
    tx('A', '2024-05-02T10:20:00Z', 100, '5999', 'US', 'd2'),
  ];
  const out = engineerTransactionFeatures(rows, C);

  it('gives the first transaction of an account no history: missing ratios, everything new, empty windows', () => {
    expect(out[0]).toMatchObject({ fx_amount_z: null, fx_amount_vs_median: null, fx_log_gap_s: null, fx_log_history: 0, fx_new_merchant_country: 1, fx_count_1h: 0, fx_sum_7d: 0 });
    expect(out[0]!['fx_log_amount']).toBeCloseTo(Math.log1p(10), 12);
  });

  it('orders by time, not by row: the 12:00+02:00 row sees only the 10:00Z one, with equal timestamps in input order', () => {
    const r = out[3]!;
    expect(r['fx_log_history']).toBeCloseTo(Math.log1p(1), 12);
    expect(r['fx_count_1h']).toBeCloseTo(Math.log1p(1), 12); // 10:00Z is exactly 0 ms earlier: inside (t − 1h, t]
    expect(r['fx_sum_1h']).toBeCloseTo(Math.log1p(10), 12);
    expect(r['fx_new_merchant_country']).toBe(1);
    expect(r['fx_new_merchant_category_code']).toBe(0);
    expect(r['fx_amount_vs_median']).toBeCloseTo(Math.log1p(20) - Math.log1p(10), 12);
    expect(r['fx_hour_sin']).toBeCloseTo(Math.sin((2 * Math.PI * 12) / 24), 12); // local 12:00
    expect(r['fx_log_gap_s']).toBeCloseTo(0, 12);
  });

  it('computes the z-score, the running median and the 1 h / 24 h / 7 d windows from earlier rows only', () => {
    const r = out[4]!; // earlier A rows: 10, 20 (10:00Z), 30 (10:30Z); 24 h ago is 2024-05-01T10:20Z
    const logs = [10, 20, 30].map(Math.log1p);
    const mean = logs.reduce((a, b) => a + b) / 3;
    const std = Math.max(0.25, Math.sqrt(logs.reduce((a, b) => a + b * b, 0) / 3 - mean * mean));
    expect(r['fx_amount_z']).toBeCloseTo((Math.log1p(100) - mean) / std, 12);
    expect(r['fx_amount_vs_median']).toBeCloseTo(Math.log1p(100) - Math.log1p(20), 12);
    expect(r['fx_count_1h']).toBe(0);
    expect(r['fx_count_24h']).toBeCloseTo(Math.log1p(1), 12); // only the 10:30Z row
    expect(r['fx_sum_24h']).toBeCloseTo(Math.log1p(30), 12);
    expect(r['fx_count_7d']).toBeCloseTo(Math.log1p(3), 12);
    expect(r['fx_sum_7d']).toBeCloseTo(Math.log1p(60), 12);
    expect(r).toMatchObject({ fx_new_device_id: 1, fx_new_merchant_category_code: 1, fx_new_merchant_country: 1 });
  });

  it('keeps accounts apart and keys history by accountKey (the daemon passes the pseudonym)', () => {
    expect(out[1]!['fx_log_history']).toBe(0);
    const merged = engineerTransactionFeatures(rows, C, () => 'same');
    expect(merged[2]!['fx_log_history']).toBeCloseTo(Math.log1p(3), 12); // A 10:00Z, A 12:00+02:00, B 10:10Z
  });

  it('treats a transaction without an account as having no history', () => {
    const r = engineerTransactionFeatures([tx(null, '2024-05-01T10:00:00Z', 5), tx(null, '2024-05-01T10:01:00Z', 5)], C);
    expect(r[1]).toMatchObject({ fx_log_history: 0, fx_new_device_id: 1 });
  });

  it('never lets a later transaction change an earlier one (fast-check: features of a prefix equal those computed on the prefix alone)', () => {
    const t0 = Date.UTC(2024, 4, 1);
    const arbTx = fc.record({
      account: fc.constantFrom('A', 'B', 'C', null),
      offsetMs: fc.integer({ min: 0, max: 10 * 86_400_000 }),
      amount: fc.double({ min: 0, max: 5000, noNaN: true }),
      mcc: fc.constantFrom('5411', '5999', '6011'),
      country: fc.constantFrom('NL', 'US', null),
    });
    fc.assert(
      fc.property(fc.array(arbTx, { maxLength: 40 }), fc.array(fc.tuple(arbTx, fc.nat({ max: 86_400_000 })), { maxLength: 20 }), (base, later) => {
        const rowsOf = (xs: typeof base, shift: number[]) =>
          xs.map((x, i) => ({ ...tx(x.account, new Date(t0 + x.offsetMs + (shift[i] ?? 0)).toISOString(), x.amount, x.mcc), merchant_country: x.country }));
        const prefix = rowsOf(base, []);
        const last = Math.max(0, ...base.map((b) => b.offsetMs));
        // Appended transactions are no earlier than the latest existing one (equal times allowed).
        const appended = later.map(([x, d]) => ({ ...tx(x.account, new Date(t0 + last + d).toISOString(), x.amount, x.mcc), merchant_country: x.country }));
        const alone = engineerTransactionFeatures(prefix, C);
        const extended = engineerTransactionFeatures([...prefix, ...appended], C);
        expect(extended.slice(0, prefix.length)).toEqual(alone);
      }),
      { numRuns: 150 },
    );
  });
});

describe('withEngineeredFields', () => {
  it('appends every engineered field to transaction.v1 as a non-required feature, keeping the schema id', () => {
    const s = withEngineeredFields(TRANSACTION_V1, C);
    expect(s.id).toBe('transaction.v1');
    expect(s.fields.slice(TRANSACTION_V1.fields.length).map((f) => f.name)).toEqual(engineeredFields(C).map((f) => f.name));
    expect(engineeredFields(C).every((f) => f.privacy === 'feature' && !f.required && f.type === 'number')).toBe(true);
  });

  it('names the role and the field when a custom schema lacks one', () => {
    expect(() => withEngineeredFields(TRANSACTION_V1, { ...C, amount: 'amt' })).toThrow('fraud features: the amount field "amt" is not in schema transaction.v1');
  });
});

describe('timeOf', () => {
  it('reads the local hour in the timestamp\'s own offset', () => {
    expect(timeOf('2024-05-01T23:30:00-05:00').localHour).toBeCloseTo(23.5, 12);
    expect(timeOf('2024-05-01T23:30:00Z').ms).toBe(Date.UTC(2024, 4, 1, 23, 30));
  });
});
