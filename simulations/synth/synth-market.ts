/** Synthetic market.v1 daily bars: a two-factor model with GARCH(1,1) volatilities, business days only, consistent OHLCV. */
import type { BankProfile } from './bank-shapes.js';
import { Sampler, roundTo } from './sampling.js';

/** One canonical market.v1 record. */
export interface MarketRecord {
  readonly symbol: string;
  readonly date: string;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

/** GARCH(1,1) parameters: σ²_t = ω + α·r²_{t−1} + β·σ²_{t−1}. */
export interface Garch {
  readonly omega: number;
  readonly alpha: number;
  readonly beta: number;
}

/** Parameters of the market model, written to truth.json. */
export const MARKET_MODEL = {
  marketFactor: { omega: 2e-6, alpha: 0.08, beta: 0.9 },
  /**
   * AR(1) coefficient φ of the market factor, f_t = φ·f_{t−1} + e_t: a deliberate, unrealistically
   * strong momentum so that the forecasting demo has something learnable (real daily index returns
   * have |φ| of a few hundredths at most). 0 gives a martingale nobody can forecast.
   */
  marketMomentum: 0.4,
  sectorFactor: { omega: 1.5e-6, alpha: 0.06, beta: 0.92 },
  idiosyncratic: { omega: 4e-6, alpha: 0.05, beta: 0.93 },
  marketBeta: { mean: 1, sd: 0.25 },
  sectorBeta: { mean: 0.6, sd: 0.2 },
  /** Idiosyncratic volatility multiplier per archetype at skew 1. */
  volMultiplier: [1, 0.8, 1.1, 1.5, 1.2],
  symbolsPerBank: [6, 8, 5, 10, 7],
  exchangeSuffix: ['AS', 'DE', 'L', 'PA', 'MC'],
  endDate: '2024-06-28',
} as const;

/** A GARCH(1,1) return path of length n with Gaussian innovations, started at the unconditional variance. */
export function garchPath(g: Garch, n: number, rng: Sampler): Float64Array {
  const out = new Float64Array(n);
  let v = g.omega / (1 - g.alpha - g.beta);
  let prev = 0;
  for (let t = 0; t < n; t++) {
    v = g.omega + g.alpha * prev * prev + g.beta * v;
    prev = Math.sqrt(v) * rng.normal();
    out[t] = prev;
  }
  return out;
}

/** The last `n` business days (Mon–Fri) up to and including `end`, oldest first, as YYYY-MM-DD. */
export function businessDays(end: string, n: number): string[] {
  const out: string[] = [];
  let ms = Date.parse(`${end}T00:00:00Z`);
  while (out.length < n) {
    const dow = new Date(ms).getUTCDay();
    if (dow !== 0 && dow !== 6) out.push(new Date(ms).toISOString().slice(0, 10));
    ms -= 86_400_000;
  }
  return out.reverse();
}

/** Run-wide factor paths shared by every bank: one market factor and one sector factor per archetype plus a common sector. */
export interface MarketFactors {
  readonly market: Float64Array;
  readonly commonSector: Float64Array;
  readonly sectors: readonly Float64Array[];
}

/** Draws the shared factors for `days` business days from a run-level stream. */
export function marketFactors(seed: number | string, days: number): MarketFactors {
  const rng = new Sampler(`${String(seed)}:market.v1:factors`);
  const market = garchPath(MARKET_MODEL.marketFactor, days, rng);
  for (let t = 1; t < days; t++) market[t] = MARKET_MODEL.marketMomentum * market[t - 1]! + market[t]!;
  return {
    market,
    commonSector: garchPath(MARKET_MODEL.sectorFactor, days, rng),
    sectors: MARKET_MODEL.volMultiplier.map(() => garchPath(MARKET_MODEL.sectorFactor, days, rng)),
  };
}

/**
 * Generates exactly `rows` daily bars for one bank's own symbols, ordered by symbol then date.
 * Return of symbol i on day t: r = β_m·f_t + β_s·((1 − skew)·s_t + skew·s^(a)_t) + m_a·ε_{i,t}, each of f, s, ε a GARCH(1,1) path.
 */
export function synthMarketBank(profile: BankProfile, rows: number, skew: number, factors: MarketFactors, rng: Sampler): MarketRecord[] {
  const a = profile.archetype;
  const k = Math.min(rows, MARKET_MODEL.symbolsPerBank[a]!);
  const base = Math.floor(rows / k);
  const extra = rows % k;
  const totalDays = factors.market.length;
  const volMult = 1 + skew * (MARKET_MODEL.volMultiplier[a]! - 1);
  const symbols = new Set<string>();
  while (symbols.size < k) symbols.add(`${rng.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZ', 3 + rng.int(2))}.${MARKET_MODEL.exchangeSuffix[a]!}${profile.index > 5 ? String(profile.index) : ''}`);
  const out: MarketRecord[] = [];
  [...symbols].forEach((symbol, i) => {
    const days = base + (i < extra ? 1 : 0);
    const dates = businessDays(MARKET_MODEL.endDate, days);
    const bm = rng.normal(MARKET_MODEL.marketBeta.mean, MARKET_MODEL.marketBeta.sd);
    const bs = rng.normal(MARKET_MODEL.sectorBeta.mean, MARKET_MODEL.sectorBeta.sd);
    const eps = garchPath(MARKET_MODEL.idiosyncratic, days, rng);
    const baseVolume = rng.logNormal(Math.log(200_000), 1);
    let prevClose = rng.logNormal(Math.log(50), 0.8);
    for (let d = 0; d < days; d++) {
      const t = totalDays - days + d;
      const sector = (1 - skew) * factors.commonSector[t]! + skew * factors.sectors[a]![t]!;
      const r = bm * factors.market[t]! + bs * sector + volMult * eps[d]!;
      const sigma = Math.max(0.005, Math.abs(r));
      const open = Math.max(0.01, roundTo(prevClose * Math.exp(rng.normal(0, 0.3 * sigma)), 2));
      const closeRaw = prevClose * Math.exp(r);
      const close = Math.max(0.01, roundTo(closeRaw, 2));
      const high = Math.max(open, close, roundTo(Math.max(open, close) * Math.exp(Math.abs(rng.normal(0, 0.5 * sigma))), 2));
      const low = Math.max(0.01, Math.min(open, close, roundTo(Math.min(open, close) * Math.exp(-Math.abs(rng.normal(0, 0.5 * sigma))), 2)));
      const volume = Math.round(baseVolume * rng.logNormal(0, 0.3) * (1 + 20 * Math.abs(r)));
      out.push({ symbol, date: dates[d]!, open, high, low, close, volume });
      prevClose = closeRaw;
    }
  });
  return out;
}
