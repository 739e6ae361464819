/** The market-forecast demo: market.v1 banks, an LSTM job without DP, RMSE / directional accuracy / backtest Sharpe against the baselines and buy-and-hold. */
import { parse } from 'csv-parse/sync';
import type { JobSpecInput } from '../../schema/job-spec.js';
import { prepareDemoData, type CsvSplit, type DemoDataLayout } from './setup.js';
import { compareMarketModels } from './market-measure.js';
import type { DemoJobOptions, DemoMetric, DemoTaskProfile } from './task-profile.js';

/** The demo job's window (the planted signal reads 5 days; 10 leave the LSTM room), LSTM width and time holdout (the last 65 % of each symbol's windows). */
export const MARKET_WINDOW_DAYS = 10;
export const MARKET_LSTM_UNITS = 16;
export const MARKET_HOLDOUT_FRACTION = 0.65;

/** The market demo's columns: the headline (first) is directional accuracy, where higher is better. */
export const MARKET_METRICS: readonly DemoMetric[] = [
  { key: 'directionalAccuracy', header: 'direction' },
  { key: 'rmse', header: 'rmse', digits: 5 },
  { key: 'sharpe', header: 'sharpe', digits: 2 },
  { key: 'annualReturn', header: 'ann.return' },
  { key: 'maxDrawdown', header: 'max dd' },
  { key: 'turnover', header: 'turnover' },
];

/** Market bars are not personal data: the policy keeps every field and enforces nothing (k = 1). */
export function marketDemoPolicy(domain: string): Record<string, unknown> {
  return { schema: 'market.v1', domain, k: 1, maxSuppression: 0, fields: {} };
}

/**
 * Keeps the LAST `keep` share of each symbol's days (a smaller bank has a shorter history, never
 * holes) and moves nothing to a common test set: each bank is evaluated on the last part of its own
 * instruments' period, as in the federation. The synthesiser writes rows by symbol then date, and
 * every layout has the symbol in its first column.
 */
export function splitMarketRows(text: string, delimiter: string, _testFraction: number, keep: number): CsvSplit {
  const rows = parse(text, { delimiter, raw: true, relax_column_count: true }) as unknown as { raw: string; record: string[] }[];
  const [head, ...data] = rows;
  if (!head) throw new RangeError('splitMarketRows: "text" expected a CSV with a header row, got an empty text');
  const bySymbol = new Map<string, string[]>();
  for (const r of data) {
    const line = r.raw.endsWith('\n') ? r.raw : `${r.raw}\n`;
    const s = r.record[0] ?? '';
    bySymbol.set(s, [...(bySymbol.get(s) ?? []), line]);
  }
  const train = [...bySymbol.values()].flatMap((lines) => lines.slice(lines.length - Math.ceil(keep * lines.length)));
  return { header: head.raw.endsWith('\n') ? head.raw : `${head.raw}\n`, test: [], train };
}

export const MARKET_LAYOUT: DemoDataLayout = { schema: 'market.v1', policy: marketDemoPolicy, split: (text, delimiter, testFraction, keep) => splitMarketRows(text, delimiter, testFraction, keep) };

/** The market demo's job: an LSTM (or the MLP baseline) on MARKET_WINDOW_DAYS-day windows, Adam, batch 32, no record-level DP. */
export function marketDemoJobSpec(o: DemoJobOptions): JobSpecInput {
  return {
    name: 'demo-market-forecast',
    task: 'market-forecast',
    schema: 'market.v1',
    model: o.model === 'lstm' ? { type: 'lstm', units: MARKET_LSTM_UNITS } : o.model === 'logistic' ? { type: 'logistic' } : { type: 'mlp', hidden: [32], activation: 'tanh' },
    rounds: o.rounds,
    minBanks: 3,
    localEpochs: o.localEpochs,
    batchSize: 32,
    learningRate: o.learningRate,
    optimizer: 'adam',
    forecast: { windowDays: MARKET_WINDOW_DAYS, holdoutFraction: MARKET_HOLDOUT_FRACTION, maxMissingWeekdays: 3, costBps: 5 },
    timeouts: { fitMs: 180_000, evaluateMs: 60_000 },
    maxRoundAttempts: 3,
    seed: o.seed,
  };
}

export const MARKET_DEMO: DemoTaskProfile = {
  task: 'market-forecast',
  schema: 'market.v1',
  noun: 'market',
  defaults: {
    // Three equal banks of 1,600 rows with a 65 % holdout (≈ 535 training windows each): each bank
    // alone is data-starved next to the pool of ≈ 1,600, and ≈ 3,000 holdout windows keep one
    // standard error of a directional accuracy below a point (docs/tasks.md).
    rows: 1600,
    rounds: 12,
    epsilon: 3,
    model: 'lstm',
    localEpochs: 1,
    learningRate: 0.005,
    skew: 0.3,
    bankFractions: [1, 1, 1],
    testFraction: 0,
    holdoutFraction: MARKET_HOLDOUT_FRACTION,
  },
  metrics: MARKET_METRICS,
  jobSpec: marketDemoJobSpec,
  prepare: (o) => prepareDemoData(o, MARKET_LAYOUT),
  compare: (banks, finished, _holdoutFraction, seed) => compareMarketModels(banks, finished, seed),
  extras(c) {
    const b = (c.extra?.['buyAndHold'] ?? {}) as Record<string, number>;
    const o = (c.extra?.['oracle'] ?? {}) as Record<string, number>;
    const r4 = (x: number | undefined): number => Math.round((x ?? Number.NaN) * 10_000) / 10_000;
    const f = (x: number | undefined, digits: number): string => (x ?? Number.NaN).toFixed(digits);
    return {
      json: {
        buyAndHold: { sharpe: r4(b['sharpe']), annualReturn: r4(b['annualReturn']), annualVolatility: r4(b['annualVolatility']), maxDrawdown: r4(b['maxDrawdown']) },
        oracle: { directionalAccuracy: r4(o['directionalAccuracy']), rmse: r4(o['rmse']), sharpe: r4(o['sharpe']), annualReturn: r4(o['annualReturn']), maxDrawdown: r4(o['maxDrawdown']) },
      },
      lines: [
        `Buy-and-hold on the same holdout days (equal weight): sharpe ${f(b['sharpe'], 2)}, ann.return ${f(b['annualReturn'], 3)}, max dd ${f(b['maxDrawdown'], 3)}.`,
        `Oracle (the generator's own expected return, truth.json) on the same windows: direction ${f(o['directionalAccuracy'], 3)}, rmse ${f(o['rmse'], 5)}, sharpe ${f(o['sharpe'], 2)} — the ceiling.`,
        `Evaluation: every model is scored on the last ${Math.round(100 * MARKET_HOLDOUT_FRACTION)} % of each bank's own instruments' period (no common test set; prices never pooled for the federated figures).`,
        'The synthetic market plants a volume-conditioned momentum/reversal signal common to every instrument (truth.json); real daily returns are far less predictable.',
      ],
      testSetLine: `No common test set: every model is scored on each bank's own holdout windows (${c.testRows} windows pooled).`,
    };
  },
};
