/** Tests of the market demo profile: the history carve keeps the last share of each symbol's days, and the job it submits. */
import { describe, expect, it } from 'vitest';
import { parseJobSpec } from '../../schema/job-spec.js';
import { MARKET_MODEL } from '../synth/synth-market.js';
import { demoProfile } from './task-profiles.js';
import { MARKET_HOLDOUT_FRACTION, MARKET_LSTM_UNITS, MARKET_WINDOW_DAYS, marketDemoJobSpec, splitMarketRows } from './market-profile.js';

describe('market demo profile', () => {
  it('keeps the last share of every symbol\'s rows, in file order, and moves nothing to a test set', () => {
    const rows = ['A;1', 'A;2', 'A;3', 'A;4', 'B;1', 'B;2'];
    const s = splitMarketRows(`sym;d\n${rows.join('\n')}\n`, ';', 0.2, 0.5);
    expect(s.header).toBe('sym;d\n');
    expect(s.test).toEqual([]);
    expect(s.train).toEqual(['A;3\n', 'A;4\n', 'B;2\n']);
    expect(splitMarketRows(`sym;d\n${rows.join('\n')}\n`, ';', 0, 1).train).toHaveLength(6);
  });

  it('submits a valid LSTM job without DP, with windows, a time holdout and costs', () => {
    const job = parseJobSpec(marketDemoJobSpec({ rounds: 4, epsilon: 3, model: 'lstm', seed: 1, localEpochs: 1, learningRate: 0.005 }));
    expect(job.model).toMatchObject({ type: 'lstm', units: MARKET_LSTM_UNITS });
    expect(job.privacy.mode).toBe('none');
    expect(job.forecast).toEqual({ windowDays: MARKET_WINDOW_DAYS, holdoutFraction: MARKET_HOLDOUT_FRACTION, maxMissingWeekdays: 3, costBps: 5 });
    // The planted signal reads the last 5 days (synth-market.ts): the window must cover them.
    expect(MARKET_WINDOW_DAYS).toBeGreaterThanOrEqual(MARKET_MODEL.signal.reversalDays);
    expect(parseJobSpec(marketDemoJobSpec({ rounds: 4, epsilon: 3, model: 'mlp', seed: 1, localEpochs: 1, learningRate: 0.005 })).model.type).toBe('mlp');
  });

  it('is registered under its task, with directional accuracy as the headline metric', () => {
    const p = demoProfile('market-forecast');
    expect(p.metrics.map((m) => m.key)).toEqual(['directionalAccuracy', 'rmse', 'sharpe', 'annualReturn', 'maxDrawdown', 'turnover']);
    expect(p.defaults.model).toBe('lstm');
    // Equal, smaller banks: none alone holds a large share of the pooled training windows (docs/tasks.md).
    expect(p.defaults.rows).toBe(1600);
    expect(p.defaults.holdoutFraction).toBe(0.65);
    expect(p.defaults.bankFractions).toEqual([1, 1, 1]);
  });
});
