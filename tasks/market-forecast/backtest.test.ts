/** The long/flat backtest and its performance figures against values computed by hand. */
import { describe, expect, it } from 'vitest';
import { backtestDays, mergeBacktestDays, performance, portfolioReport } from './backtest.js';

const r = (simple: number) => Math.log1p(simple);
// Two symbols over three days; symbol 0 predicted up, down, up; symbol 1 down, up, up.
const EXAMPLES = [
  { symbol: 0, date: '2024-01-02', predicted: 0.01, realised: r(0.01) },
  { symbol: 0, date: '2024-01-03', predicted: -0.01, realised: r(-0.02) },
  { symbol: 0, date: '2024-01-04', predicted: 0.02, realised: r(0.03) },
  { symbol: 1, date: '2024-01-02', predicted: -0.01, realised: r(0.02) },
  { symbol: 1, date: '2024-01-03', predicted: 0.01, realised: r(0.01) },
  { symbol: 1, date: '2024-01-04', predicted: 0.01, realised: r(-0.01) },
];

describe('backtest', () => {
  it('sums positions × simple returns, costs and turnover per day, entering from flat', () => {
    const days = backtestDays(EXAMPLES, 10);
    expect(days.map((d) => d.date)).toEqual(['2024-01-02', '2024-01-03', '2024-01-04']);
    expect(days.map((d) => d.instruments)).toEqual([2, 2, 2]);
    // day 1: +0.01 − 0.001 (enter 0); day 2: −0.001 (exit 0) + 0.01 − 0.001 (enter 1); day 3: 0.03 − 0.001 (enter 0) − 0.01
    expect(days.map((d) => d.strategyReturnSum)).toEqual([expect.closeTo(0.009, 12), expect.closeTo(0.008, 12), expect.closeTo(0.019, 12)]);
    expect(days.map((d) => d.buyHoldReturnSum)).toEqual([expect.closeTo(0.03, 12), expect.closeTo(-0.01, 12), expect.closeTo(0.02, 12)]);
    expect(days.map((d) => d.turnoverSum)).toEqual([1, 2, 1]);
  });

  it('computes the equal-weight portfolio: Sharpe, volatility, annual return, drawdown, turnover', () => {
    const p = portfolioReport(backtestDays(EXAMPLES, 10));
    // strategy daily returns 0.0045, 0.004, 0.0095: mean 0.006, sample std √(9.25e-6)
    expect(p.strategy.sharpe).toBeCloseTo(31.317036, 5);
    expect(p.strategy.annualVolatility).toBeCloseTo(0.0482804, 6);
    expect(p.strategy.annualReturn).toBeCloseTo(3.5118856, 5);
    expect(p.strategy.maxDrawdown).toBe(0);
    // buy and hold 0.015, −0.005, 0.01: equity 1.015 → 1.009925, a 0.5 % drawdown
    expect(p.buyHold.sharpe).toBeCloseTo(10.167823, 5);
    expect(p.buyHold.annualVolatility).toBeCloseTo(0.1652271, 6);
    expect(p.buyHold.maxDrawdown).toBeCloseTo(0.005, 12);
    expect(p.turnover).toBeCloseTo(2 / 3, 12);
  });

  it('measures the drawdown from the highest peak and reports NaN Sharpe for a flat series', () => {
    expect(performance([0.1, -0.5, 0.2, 0.5, -0.1]).maxDrawdown).toBeCloseTo(0.5, 12);
    const flat = performance([0, 0, 0]);
    expect(flat.sharpe).toBeNaN();
    expect(flat.annualReturn).toBe(0);
    expect(performance([]).days).toBe(0);
  });

  it('merges banks day by day, so split books give the same portfolio as one book', () => {
    const whole = backtestDays(EXAMPLES, 5);
    const split = mergeBacktestDays([backtestDays(EXAMPLES.filter((e) => e.symbol === 0), 5), backtestDays(EXAMPLES.filter((e) => e.symbol === 1).slice(1), 5)]);
    expect(split.map((d) => d.instruments)).toEqual([1, 2, 2]);
    expect(mergeBacktestDays([backtestDays(EXAMPLES.filter((e) => e.symbol === 0), 5), backtestDays(EXAMPLES.filter((e) => e.symbol === 1), 5)])).toEqual(
      whole.map((d) => ({ ...d, strategyReturnSum: expect.closeTo(d.strategyReturnSum, 12), buyHoldReturnSum: expect.closeTo(d.buyHoldReturnSum, 12) })),
    );
  });
});
