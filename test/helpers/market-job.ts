/** Test support: a committed market-forecast job in a coordinator Store (real job spec, statistics and feature hash), and market.v1 CSV bars. */
import { RandomReader } from '../../common/random.js';
import { seededRandom } from '../../common/seeded-random.js';
import type { Weights } from '../../common/weights.js';
import type { Store } from '../../coordinator/store/store.js';
import { parseJobSpec } from '../../schema/job-spec.js';
import { marketFeatureHash } from '../../tasks/market-forecast/package.js';
import { FEATURES_PER_STEP } from '../../tasks/market-forecast/windows.js';
import { initModelWeights } from '../../tasks/models/model-spec.js';
import { getTask } from '../../tasks/registry.js';

/** Day-feature statistics as a federation would pool them. */
export const MARKET_STATS = { logReturn: { mean: 0.0004, std: 0.018 }, logVolumeChange: { mean: 0, std: 0.35 }, logRange: { mean: 0.025, std: 0.012 }, logBody: { mean: 0, std: 0.013 } };

/** What the job trains and how it accounted privacy. */
export interface MarketJobOptions {
  readonly jobId: string;
  readonly model: { type: 'lstm'; units: number } | { type: 'mlp'; hidden: readonly number[] } | { type: 'logistic' };
  readonly windowDays: number;
  readonly dp: boolean;
  /** Completed rounds to commit (each with the same weights and one ledger row per bank). @default 2 */
  readonly rounds?: number;
  readonly status?: 'completed' | 'running';
}

/**
 * Creates the job, initialises it with MARKET_STATS and the real feature hash of its forecast
 * settings, and commits `rounds` rounds with seeded weights and regression metrics.
 * @returns the committed weights.
 */
export async function marketJobInStore(store: Store, o: MarketJobOptions): Promise<Weights> {
  const rounds = o.rounds ?? 2;
  const privacy = o.dp ? { mode: 'dp-sgd', noiseMultiplier: 1.2, clippingNorm: 1, delta: 1e-5, maxEpsilon: 8 } : { mode: 'none' };
  const raw = { name: o.jobId, task: 'market-forecast', schema: 'market.v1', model: o.model, rounds, privacy, forecast: { windowDays: o.windowDays, holdoutFraction: 0.25, maxMissingWeekdays: 3, costBps: 5 } };
  const spec = parseJobSpec(JSON.stringify(raw), 'test job');
  await store.createJob({ jobId: o.jobId, name: o.jobId, task: 'market-forecast', specJson: JSON.stringify(raw), roundsTotal: rounds, createdAt: '2026-01-01T00:00:00Z' });
  const w = initModelWeights(getTask('market-forecast').modelSpec(spec, o.windowDays * FEATURES_PER_STEP), seededRandom(`${o.jobId}-weights`));
  await store.initializeJob(o.jobId, JSON.stringify(MARKET_STATS), marketFeatureHash(spec.forecast), w, ['bank-a', 'bank-b']);
  for (let r = 1; r <= rounds; r++) {
    const ledger = o.dp
      ? ['bank-a', 'bank-b'].map((m, i) => ({ jobId: o.jobId, memberId: m, round: r, epsilonRound: 0.4 + i * 0.1, epsilonTotal: r * (0.4 + i * 0.1), delta: 1e-5, noiseMultiplier: 1.2, sampleRate: 0.05, steps: 20, accountant: 'rdp', unit: 'record' }))
      : [];
    await store.commitRound({
      jobId: o.jobId, round: r, attempt: 1, weights: w, strategyStateJson: undefined, participants: ['bank-a', 'bank-b'], dropped: [],
      metrics: { rmse: 0.02 - r * 0.001, directionalAccuracy: 0.5 + r * 0.01, sharpe: 0.3 * r, numExamples: 100 }, ledger, epsilon: undefined, delta: undefined,
      trainMs: 1, evaluateMs: 1, completedAt: `2026-01-01T00:0${r}:00Z`,
    });
  }
  if ((o.status ?? 'completed') === 'completed') await store.setJobStatus(o.jobId, 'completed');
  return w;
}

/**
 * market.v1 CSV (canonical column names) of `symbols` instruments over `days` consecutive weekdays
 * from 2024-01-01, a seeded random walk.
 */
export function marketCsv(symbols: readonly string[], days: number, seed: string): string {
  const r = new RandomReader(seededRandom(seed));
  const lines = ['symbol,date,open,high,low,close,volume'];
  for (const s of symbols) {
    let close = 20 + 80 * r.uniform();
    let day = Date.UTC(2024, 0, 1);
    for (let d = 0; d < days; d++) {
      while ([0, 6].includes(new Date(day).getUTCDay())) day += 86_400_000;
      const open = close * (1 + 0.01 * (r.uniform() - 0.5));
      close = open * (1 + 0.03 * (r.uniform() - 0.5));
      const high = Math.max(open, close) * (1 + 0.01 * r.uniform());
      const low = Math.min(open, close) * (1 - 0.01 * r.uniform());
      lines.push(`${s},${new Date(day).toISOString().slice(0, 10)},${open.toFixed(4)},${high.toFixed(4)},${low.toFixed(4)},${close.toFixed(4)},${Math.round(1e5 * (0.5 + r.uniform()))}`);
      day += 86_400_000;
    }
  }
  return `${lines.join('\n')}\n`;
}
