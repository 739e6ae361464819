import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../common/seeded-random.js';
import { financeMetrics, pooledFinanceMetrics } from './index.js';
import { buildHistogram, mergeHistograms } from './score-histogram.js';
import { rawKs, rawRecallAtFpr, simulateScores } from './testing/brute-force.js';

describe('financeMetrics', () => {
  it('returns every documented metric consistent with its table, for a credit-like population', () => {
    // Prepare: 20,000 applicants, 8 % defaults.
    const d = simulateScores(seededRandom('finance'), 20_000, 0.08, { mean: -3, sd: 1 }, { mean: -1.5, sd: 1 });
    const h = buildHistogram(d.scores, d.labels, 1000);
    // Execute
    const r = financeMetrics(h);
    // Assert
    const m = r.metrics;
    expect(Object.keys(m).sort()).toEqual(
      [
        'accuracy', 'auc', 'brier', 'ece', 'gainTop10', 'gainTop20', 'gainTop30', 'gini', 'hosmerLemeshow', 'ks', 'ksThreshold', 'liftTop10',
        'logLoss', 'mce', 'meanPredictedMinusObserved', 'numExamples', 'positiveRate', 'prAuc', 'precisionAtK', 'precisionAtKCount',
        'recallAtFpr', 'recallAtFprTarget',
      ].sort(),
    );
    expect(m['gini']).toBeCloseTo(2 * m['auc']! - 1, 12);
    expect(m['liftTop10']).toBe(r.deciles[0]!.lift);
    expect(m['gainTop30']).toBe(r.deciles[2]!.cumulativeGain);
    expect(m['precisionAtKCount']).toBe(200);
    expect(Math.abs(m['ks']! - rawKs(d.scores, d.labels))).toBeLessThan(0.01);
    expect(Math.abs(m['recallAtFpr']! - rawRecallAtFpr(d.scores, d.labels, 0.01))).toBeLessThan(0.01);
    expect(m['liftTop10']).toBeGreaterThan(2);
    expect(r.deciles).toHaveLength(10);
    expect(r.calibration).toHaveLength(10);
  });

  it('rejects an FPR target outside [0, 1]', () => {
    expect(() => financeMetrics(buildHistogram([0.5], [1], 10), { fpr: -0.1 })).toThrow(/financeMetrics: "fpr" expected number in \[0, 1\], got -0.1/);
  });
});

describe('pooledFinanceMetrics', () => {
  it('equals the metrics of the merged histogram plus stability per bank, for three banks', () => {
    const rng = seededRandom('pooled');
    const replies = ['north', 'south', 'east'].map((memberId, i) => {
      const d = simulateScores(rng, 5000, 0.05 + 0.02 * i, { mean: -3 + 0.3 * i, sd: 1 }, { mean: -1, sd: 1 });
      return { memberId, histogram: buildHistogram(d.scores, d.labels, 1000) };
    });
    const r = pooledFinanceMetrics(replies);
    const single = financeMetrics(mergeHistograms(replies.map((x) => x.histogram)));
    expect(r.metrics['auc']).toBe(single.metrics['auc']);
    expect(r.metrics['prAuc']).toBe(single.metrics['prAuc']);
    expect(r.metrics['evalBanks']).toBe(3);
    expect(r.stability.map((s) => s.bank)).toEqual(['north', 'south', 'east']);
    expect(r.metrics['psiMax']).toBe(Math.max(...r.stability.map((s) => s.psi)));
    expect(() => pooledFinanceMetrics([])).toThrow(/expected at least one reply, got 0/);
  });
});
