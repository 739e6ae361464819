/** Tests of the per-schema generators: PII checksums, market bar consistency, transaction windows and fraud rates, credit skew. */
import { describe, expect, it } from 'vitest';
import { bankProfile } from './bank-shapes.js';
import { PiiGenerator, ibanValid } from './pii.js';
import { Sampler } from './sampling.js';
import { synthCreditBank } from './synth-credit.js';
import { businessDays, marketFactors, synthMarketBank } from './synth-market.js';
import { marketOracle } from './market-shapes.js';
import { directionalHitRate } from './truth.js';
import { WINDOW, synthTransactionBank } from './synth-transaction.js';

describe('PiiGenerator', () => {
  it.each(['nl', 'de', 'en_GB', 'fr', 'es'] as const)('issues IBANs that pass mod-97 and ASCII emails, for locale %s', (locale) => {
    const pii = new PiiGenerator(locale, new Sampler(locale));
    for (let i = 0; i < 200; i++) {
      const p = pii.person();
      expect(ibanValid(p.iban), p.iban).toBe(true);
      expect(p.email).toMatch(/^[a-z0-9._]+@[a-z0-9.-]+\.[a-z]+$/);
    }
  });

  it('issues Dutch BSNs that pass the elfproef, when the locale is nl', () => {
    const pii = new PiiGenerator('nl', new Sampler(1));
    for (let i = 0; i < 200; i++) {
      const d = [...pii.nationalId()].map(Number);
      const sum = d.slice(0, 8).reduce((s, x, k) => s + x * (9 - k), 0) - d[8]!;
      expect(sum % 11).toBe(0);
    }
  });

  it('detects a corrupted IBAN, when one digit changes', () => {
    expect(ibanValid('DE89370400440532013000')).toBe(true);
    expect(ibanValid('DE89370400440532013001')).toBe(false);
  });
});

describe('synthMarketBank', () => {
  it('writes consistent bars on business days only, for every bank archetype', () => {
    const factors = marketFactors(3, 500);
    for (let b = 1; b <= 5; b++) {
      const bars = synthMarketBank(bankProfile(b), 500, 0.8, factors, new Sampler(b));
      expect(bars).toHaveLength(500);
      for (const r of bars) {
        expect(r.low).toBeLessThanOrEqual(Math.min(r.open, r.close));
        expect(r.high).toBeGreaterThanOrEqual(Math.max(r.open, r.close));
        expect(r.low).toBeGreaterThan(0);
        expect(r.volume).toBeGreaterThanOrEqual(0);
        expect([0, 6]).not.toContain(new Date(`${r.date}T00:00:00Z`).getUTCDay());
      }
    }
  });

  it('lists business days ending on the given date, oldest first', () => {
    expect(businessDays('2024-06-03', 3)).toEqual(['2024-05-30', '2024-05-31', '2024-06-03']);
  });

  it('correlates symbols of different banks through the shared market factor', () => {
    const factors = marketFactors(9, 400);
    const a = synthMarketBank(bankProfile(1), 400, 0, factors, new Sampler('a')).filter((r, _i, all) => r.symbol === all[0]!.symbol);
    const b = synthMarketBank(bankProfile(2), 400, 0, factors, new Sampler('b')).filter((r, _i, all) => r.symbol === all[0]!.symbol);
    const ret = (xs: typeof a): number[] => xs.slice(1).map((r, i) => Math.log(r.close / xs[i]!.close));
    const n = Math.min(a.length, b.length) - 1;
    const x = ret(a).slice(-n);
    const y = ret(b).slice(-n);
    const mean = (v: number[]): number => v.reduce((s, t) => s + t, 0) / v.length;
    const mx = mean(x);
    const my = mean(y);
    const cov = x.reduce((s, xi, i) => s + (xi - mx) * (y[i]! - my), 0);
    const corr = cov / Math.sqrt(x.reduce((s, xi) => s + (xi - mx) ** 2, 0) * y.reduce((s, yi) => s + (yi - my) ** 2, 0));
    expect(corr).toBeGreaterThan(0.3);
  });

  it('plants a forecastable signal: the oracle calls > 55 % of directions at a daily volatility of 1–2.5 %, for every archetype', () => {
    const factors = marketFactors(5, 1200);
    for (let b = 1; b <= 5; b++) {
      const { predicted, realised } = marketOracle(synthMarketBank(bankProfile(b), 1200, 0.3, factors, new Sampler(`o${b}`)));
      expect(directionalHitRate(predicted, realised)).toBeGreaterThan(0.55);
      // A forecast that ignores the bars (always up) stays near a coin.
      expect(directionalHitRate(realised.map(() => 1), realised)).toBeLessThan(0.55);
      const sd = Math.sqrt(realised.reduce((s, r) => s + r * r, 0) / realised.length);
      expect(sd).toBeGreaterThan(0.01);
      expect(sd).toBeLessThan(0.025);
    }
  });
});

describe('synthTransactionBank', () => {
  it('keeps timestamps in the window and the fraud rate between 0.2 % and 2 %, for every archetype at full skew', () => {
    for (let b = 1; b <= 5; b++) {
      const txs = synthTransactionBank(bankProfile(b), 2000, 1, new Sampler(b));
      expect(txs).toHaveLength(2000);
      const rate = txs.filter((t) => t.fraud === 1).length / txs.length;
      expect(rate).toBeGreaterThanOrEqual(0.002);
      expect(rate).toBeLessThanOrEqual(0.02);
      for (const t of txs) {
        expect(t.ms).toBeGreaterThanOrEqual(WINDOW.start);
        expect(t.ms).toBeLessThan(WINDOW.start + WINDOW.days * 86_400_000 + 86_400_000);
        expect(t.merchant_category_code).toMatch(/^\d{4}$/);
      }
      expect(txs.map((t) => t.ms)).toEqual([...txs.map((t) => t.ms)].sort((x, y) => x - y));
    }
  });

  it('makes fraud look different from genuine activity, when comparing night-time card-not-present shares', () => {
    const txs = synthTransactionBank(bankProfile(4), 20000, 1, new Sampler('fraud-shape'));
    const share = (xs: typeof txs): number => xs.filter((t) => !t.card_present && new Date(t.ms).getUTCHours() < 5).length / xs.length;
    expect(share(txs.filter((t) => t.fraud === 1))).toBeGreaterThan(3 * share(txs.filter((t) => t.fraud === 0)));
  });
});

describe('synthCreditBank', () => {
  it('keeps age consistent with date of birth and application date', () => {
    for (const r of synthCreditBank(bankProfile(5), 500, 0.5, new Sampler(2))) {
      const dob = new Date(`${r.date_of_birth}T00:00:00Z`);
      const app = new Date(`${r.application_date}T00:00:00Z`);
      let years = app.getUTCFullYear() - dob.getUTCFullYear();
      if (app.getUTCMonth() < dob.getUTCMonth() || (app.getUTCMonth() === dob.getUTCMonth() && app.getUTCDate() < dob.getUTCDate())) years--;
      expect(years).toBe(r.age);
    }
  });

  it('makes banks differ more in default rate and age, when skew is 1 than when it is 0', () => {
    const spread = (skew: number): { rate: number; age: number } => {
      const stats = [1, 2, 3, 4, 5].map((b) => {
        const rs = synthCreditBank(bankProfile(b), 3000, skew, new Sampler(`skew-${b}`));
        return { rate: rs.reduce((s, r) => s + r.pTrue, 0) / rs.length, age: rs.reduce((s, r) => s + r.age, 0) / rs.length };
      });
      const range = (v: number[]): number => Math.max(...v) - Math.min(...v);
      return { rate: range(stats.map((s) => s.rate)), age: range(stats.map((s) => s.age)) };
    };
    const iid = spread(0);
    const skewed = spread(1);
    expect(skewed.rate).toBeGreaterThan(2 * iid.rate);
    expect(skewed.age).toBeGreaterThan(2 * iid.age);
  });
});
