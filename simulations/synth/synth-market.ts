/** Synthetic market.v1 daily bars: a two-factor GARCH(1,1) model plus a planted volume-conditioned momentum/reversal signal, business days only, consistent OHLCV. */
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
  /** Daily log-return drift of every instrument (≈ 10 % a year); with the signal's small positive mean, buy-and-hold's long-run Sharpe ≈ 0.5–1. */
  drift: 0.0004,
  marketFactor: { omega: 2e-6, alpha: 0.08, beta: 0.9 },
  sectorFactor: { omega: 1.5e-6, alpha: 0.06, beta: 0.92 },
  idiosyncratic: { omega: 3e-6, alpha: 0.05, beta: 0.93 },
  marketBeta: { mean: 1, sd: 0.25 },
  sectorBeta: { mean: 0.6, sd: 0.2 },
  /**
   * The planted, learnable part (`marketSignal`): the same function of an instrument's own last
   * days for every instrument of every bank. A move on rising volume continues the next day, a move
   * on falling volume reverses (`continuation`), and the last `reversalDays` days' return reverts a
   * little (`reversal`). Its size — a directional-accuracy ceiling near 0.6 — is deliberately far
   * above anything real daily returns offer (a few tenths of a point above a coin).
   */
  signal: { returnScale: 0.015, volumeScale: 0.25, continuation: 0.6, reversal: 0.15, reversalDays: 5 },
  /** Idiosyncratic volatility multiplier per archetype at skew 1. */
  volMultiplier: [1, 0.8, 1.1, 1.5, 1.2],
  symbolsPerBank: [6, 8, 5, 10, 7],
  exchangeSuffix: ['AS', 'DE', 'L', 'PA', 'MC'],
  endDate: '2024-06-28',
} as const;

/**
 * The generating process's expected log return of day t+1 in excess of the drift, from what the
 * instrument's own bars show up to day t — exactly the market-forecast task's day features
 * (tasks/market-forecast/windows.ts), so the oracle can be evaluated on any window:
 * m = S·[c·tanh(x_t/S)·tanh(v_t/V) − ρ·tanh(Σ_{k<K} x_{t−k} / (S·√K))].
 * @param logReturns ln(C_t/C_{t−1}) per day, index `t` the last day seen (NaN/undefined days count 0).
 * @param logVolumeChanges ln((V_t+1)/(V_{t−1}+1)) per day, same indexing.
 */
export function marketSignal(logReturns: ArrayLike<number>, logVolumeChanges: ArrayLike<number>, t: number): number {
  const { returnScale: S, volumeScale: V, continuation, reversal, reversalDays: K } = MARKET_MODEL.signal;
  const at = (xs: ArrayLike<number>, i: number): number => (i >= 0 && Number.isFinite(xs[i]) ? xs[i]! : 0);
  let recent = 0;
  for (let k = 0; k < K; k++) recent += at(logReturns, t - k);
  return S * (continuation * Math.tanh(at(logReturns, t) / S) * Math.tanh(at(logVolumeChanges, t) / V) - reversal * Math.tanh(recent / (S * Math.sqrt(K))));
}

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
  return {
    market: garchPath(MARKET_MODEL.marketFactor, days, rng),
    commonSector: garchPath(MARKET_MODEL.sectorFactor, days, rng),
    sectors: MARKET_MODEL.volMultiplier.map(() => garchPath(MARKET_MODEL.sectorFactor, days, rng)),
  };
}

/**
 * Generates exactly `rows` daily bars for one bank's own symbols, ordered by symbol then date.
 * Return of symbol i on day t: r = μ + m_{i,t} + β_m·f_t + β_s·((1 − skew)·s_t + skew·s^(a)_t) + m_a·ε_{i,t},
 * each of f, s, ε a GARCH(1,1) path and m the planted signal (`marketSignal`) of the symbol's
 * published bars up to day t−1.
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
    // The published (rounded) bars' features, which the signal reads: what a model can see.
    const logReturns = new Float64Array(days).fill(Number.NaN);
    const logVolumeChanges = new Float64Array(days).fill(Number.NaN);
    for (let d = 0; d < days; d++) {
      const t = totalDays - days + d;
      const sector = (1 - skew) * factors.commonSector[t]! + skew * factors.sectors[a]![t]!;
      const r = MARKET_MODEL.drift + marketSignal(logReturns, logVolumeChanges, d - 1) + bm * factors.market[t]! + bs * sector + volMult * eps[d]!;
      const sigma = Math.max(0.005, Math.abs(r));
      const open = Math.max(0.01, roundTo(prevClose * Math.exp(rng.normal(0, 0.3 * sigma)), 2));
      const closeRaw = prevClose * Math.exp(r);
      const close = Math.max(0.01, roundTo(closeRaw, 2));
      const high = Math.max(open, close, roundTo(Math.max(open, close) * Math.exp(Math.abs(rng.normal(0, 0.5 * sigma))), 2));
      const low = Math.max(0.01, Math.min(open, close, roundTo(Math.min(open, close) * Math.exp(-Math.abs(rng.normal(0, 0.5 * sigma))), 2)));
      const volume = Math.round(baseVolume * rng.logNormal(0, 0.3) * (1 + 20 * Math.abs(r)));
      const prev = out.at(-1);
      if (d > 0 && prev) {
        logReturns[d] = Math.log(close / prev.close);
        logVolumeChanges[d] = Math.log((volume + 1) / (prev.volume + 1));
      }
      out.push({ symbol, date: dates[d]!, open, high, low, close, volume });
      prevClose = closeRaw;
    }
  });
  return out;
}
