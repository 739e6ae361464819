/**
 * The long/flat backtest: a bank turns its holdout predictions into per-day sums over its own
 * instruments (no price leaves), the coordinator merges the days into the federation's equal-weight
 * portfolio and computes its performance against buy-and-hold.
 */
import type { BacktestDayData } from '../../schema/fleet.js';

/** Trading days per year for annualising (the usual equity convention). */
export const TRADING_DAYS_PER_YEAR = 252;

/** One holdout example as the backtest sees it, in date order per symbol. */
export interface BacktestExample {
  readonly symbol: number;
  /** The day the return is earned. */
  readonly date: string;
  /** Predicted next-day log return (its sign decides the position). */
  readonly predicted: number;
  /** Realised next-day log return. */
  readonly realised: number;
}

/**
 * Long when the prediction is positive, flat otherwise; the position is decided at day t's close
 * and earns day t+1's simple return e^r − 1. Every symbol starts flat before its first holdout day,
 * so entering counts as turnover 1. Costs: `costBps`/10⁴ per unit of position change, charged on
 * the day the new position earns. Buy-and-hold is fully invested every day, without costs.
 * @param examples grouped by symbol, each group in increasing date order (buildWindows' order).
 * @returns one entry per date, increasing.
 */
export function backtestDays(examples: readonly BacktestExample[], costBps = 0): BacktestDayData[] {
  const cost = costBps / 10_000;
  const byDate = new Map<string, { instruments: number; strategy: number; buyHold: number; turnover: number }>();
  const lastPosition = new Map<number, number>();
  for (const e of examples) {
    const position = e.predicted > 0 ? 1 : 0;
    const change = Math.abs(position - (lastPosition.get(e.symbol) ?? 0));
    lastPosition.set(e.symbol, position);
    const simple = Math.expm1(e.realised);
    let day = byDate.get(e.date);
    if (!day) byDate.set(e.date, (day = { instruments: 0, strategy: 0, buyHold: 0, turnover: 0 }));
    day.instruments += 1;
    day.strategy += position * simple - cost * change;
    day.buyHold += simple;
    day.turnover += change;
  }
  return [...byDate.entries()]
    .sort((a, b) => (a[0] < b[0] ? -1 : 1))
    .map(([date, d]) => ({ date, instruments: d.instruments, strategyReturnSum: d.strategy, buyHoldReturnSum: d.buyHold, turnoverSum: d.turnover }));
}

/** Adds the days of several banks date by date (the federation's portfolio). */
export function mergeBacktestDays(lists: readonly (readonly BacktestDayData[])[]): BacktestDayData[] {
  const byDate = new Map<string, { instruments: number; strategyReturnSum: number; buyHoldReturnSum: number; turnoverSum: number }>();
  for (const list of lists) {
    for (const d of list) {
      const m = byDate.get(d.date) ?? { instruments: 0, strategyReturnSum: 0, buyHoldReturnSum: 0, turnoverSum: 0 };
      byDate.set(d.date, { instruments: m.instruments + d.instruments, strategyReturnSum: m.strategyReturnSum + d.strategyReturnSum, buyHoldReturnSum: m.buyHoldReturnSum + d.buyHoldReturnSum, turnoverSum: m.turnoverSum + d.turnoverSum });
    }
  }
  return [...byDate.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([date, d]) => ({ date, ...d }));
}

/** Performance of a daily return series. */
export interface Performance {
  /** Geometric: (Π(1 + r_d))^(252/D) − 1. */
  readonly annualReturn: number;
  /** Sample standard deviation of daily returns × √252. */
  readonly annualVolatility: number;
  /** mean / sample std × √252, risk-free rate 0; NaN when the std is 0 or D < 2. */
  readonly sharpe: number;
  /** Largest peak-to-trough fall of the compounded equity curve, as a fraction (0.2 = −20 %). */
  readonly maxDrawdown: number;
  readonly days: number;
}

/** Performance of daily simple returns. */
export function performance(daily: readonly number[]): Performance {
  const n = daily.length;
  if (n === 0) return { annualReturn: Number.NaN, annualVolatility: Number.NaN, sharpe: Number.NaN, maxDrawdown: Number.NaN, days: 0 };
  let equity = 1;
  let peak = 1;
  let maxDrawdown = 0;
  let sum = 0;
  for (const r of daily) {
    equity *= 1 + r;
    peak = Math.max(peak, equity);
    maxDrawdown = Math.max(maxDrawdown, 1 - equity / peak);
    sum += r;
  }
  const mean = sum / n;
  let ss = 0;
  for (const r of daily) ss += (r - mean) * (r - mean);
  const std = n > 1 ? Math.sqrt(ss / (n - 1)) : Number.NaN;
  const root = Math.sqrt(TRADING_DAYS_PER_YEAR);
  return {
    annualReturn: equity > 0 ? equity ** (TRADING_DAYS_PER_YEAR / n) - 1 : -1,
    annualVolatility: std * root,
    sharpe: std > 0 ? (mean / std) * root : Number.NaN,
    maxDrawdown,
    days: n,
  };
}

/** The equal-weight portfolio's performance for the strategy and for buy-and-hold. */
export interface PortfolioReport {
  readonly strategy: Performance;
  readonly buyHold: Performance;
  /** Mean daily one-way turnover as a fraction of the portfolio (Σ|Δposition| / instruments per day). */
  readonly turnover: number;
}

/**
 * Each day the portfolio holds 1/N_d of its capital in each of the N_d instruments earning a return
 * that day (rebalanced daily; a flat instrument's share sits in cash at 0 %).
 */
export function portfolioReport(days: readonly BacktestDayData[]): PortfolioReport {
  const strategy = days.map((d) => d.strategyReturnSum / d.instruments);
  const buyHold = days.map((d) => d.buyHoldReturnSum / d.instruments);
  const turnover = days.length > 0 ? days.reduce((a, d) => a + d.turnoverSum / d.instruments, 0) / days.length : Number.NaN;
  return { strategy: performance(strategy), buyHold: performance(buyHold), turnover };
}
