/** market.v1 for `synthesize`: one bank's bars, layout and mapping, and the run's section of truth.json. */
import type { BankProfile } from './bank-shapes.js';
import type { GeneratedBank } from './index.js';
import { marketMapping, marketShape } from './market-shapes.js';
import type { Sampler } from './sampling.js';
import { MARKET_MODEL, marketFactors, synthMarketBank, type MarketFactors, type MarketRecord } from './synth-market.js';

/** Generates one market bank; the shared factors come from the run seed so banks' series are correlated. */
export function marketBank(profile: BankProfile, rows: number, skew: number, rng: Sampler, factors: MarketFactors): GeneratedBank<MarketRecord> {
  const records = synthMarketBank(profile, rows, skew, factors, rng);
  const symbols = [...new Set(records.map((r) => r.symbol))];
  return {
    profile,
    columns: marketShape(profile).columns,
    records,
    mapping: marketMapping(profile),
    truth: { rows, labelRate: null, symbols, firstDate: records[0]?.date ?? null, lastDate: MARKET_MODEL.endDate },
  };
}

/** Shared factors for a run: as many business days as the longest series can need. */
export function runFactors(seed: number | string, rows: number): MarketFactors {
  return marketFactors(seed, rows);
}

/** The market part of truth.json: the factor model and its GARCH parameters. */
export function marketTruth(): Record<string, unknown> {
  return {
    label: null,
    model: 'r[i,t] = bm_i * f_t + bs_i * ((1 - skew) * s_t + skew * s[a]_t) + m_a * e[i,t]; f, s, s[a], e GARCH(1,1) with Gaussian innovations; m_a = 1 + skew * (volMultiplier[a] - 1)',
    parameters: MARKET_MODEL,
    bayesAuc: null,
  };
}
