/** Measurement side of the fraud demo: the common test set through the bank's feature step, and rare-event scores of every model. */
import { createTfjsTrainer } from '../../client/trainer/tfjs-trainer.js';
import { pinPolicyLevels } from '../../client/data/local-data.js';
import { readAcceptedRecords, readMappingFile } from '../../client/data/read-records.js';
import { createRowPlan, desensitizedSchema, desensitizeRecord, loadKeyFile, loadPolicy } from '../../privacy/desensitize/index.js';
import { resolveSchema } from '../../schema/registry.js';
import { applyFeatureStep, featuredSchema } from '../../tasks/features/feature-step.js';
import { exactAveragePrecision, exactRecallAtFpr } from '../../tasks/metrics/exact-rank.js';
import { evaluationBinning } from '../../tasks/fraud-detection.js';
import { averagePrecision, precisionAtK, recallAtFpr } from '../../tasks/metrics/rare-event.js';
import { buildHistogram, metricsFromHistogram } from '../../tasks/metrics/score-histogram.js';
import { compareModels, type Comparison, type FinishedJob, type Party, type ScoreFn } from './measure.js';
import type { DemoBank } from './setup.js';
import type { DemoMetric } from './task-profile.js';

/** The fraud demo's columns; the headline (first) is PR-AUC. */
export const FRAUD_METRICS: readonly DemoMetric[] = [
  { key: 'prAuc', header: 'pr-auc' },
  { key: 'recallAtFpr', header: 'recall@1%fpr' },
  { key: 'precisionAtK', header: 'prec@top1%' },
  { key: 'auc', header: 'auc' },
];

/** The per-round progress line: the coordinator's pooled-holdout PR-AUC (headline), recall at 1 % FPR, AUC. */
export const FRAUD_ROUND_METRICS: readonly DemoMetric[] = [
  { key: 'prAuc', header: 'pr-auc' },
  { key: 'recallAtFpr', header: 'recall@1%fpr' },
  { key: 'auc', header: 'auc' },
];

/** The operating point of `recallAtFpr`. */
export const DEMO_FPR = 0.01;

/**
 * A bank's share of the common test set through the daemon's own steps — mapping, validation, the
 * feature step (history within the test accounts: they were carved out whole), the policy — record
 * by record, without k-anonymity suppression (these rows only measure).
 */
export async function fraudTestRows(bank: DemoBank): Promise<Party> {
  const schema = resolveSchema(bank.schema);
  const full = featuredSchema(schema);
  const policy = pinPolicyLevels(loadPolicy(bank.policyFile, full));
  const key = loadKeyFile(bank.keyFile);
  try {
    const read = await readAcceptedRecords(bank.testFile, schema, readMappingFile(bank.mappingFile), 'csv');
    const plan = createRowPlan(full, policy, key);
    const featured = applyFeatureStep(schema, policy, key, read.records);
    return { schema: desensitizedSchema(full, policy), records: featured.map((r) => desensitizeRecord(r, plan)) };
  } finally {
    key.fill(0);
  }
}

/**
 * Scores a model the way the coordinator measures a fraud round (the task's 1,000 logit-spaced bins,
 * pooled), plus the exact values from the scores and a 1,000 equal-width-bin histogram, to show what
 * binning costs.
 */
export const scoreFraud: ScoreFn = async (pipeline, weights, test) => {
  const out = await createTfjsTrainer({ model: pipeline.model }).evaluate(weights, test, {}, new AbortController().signal);
  const logit = buildHistogram(out.scores, test.labels, evaluationBinning('fraud-detection'));
  const equal = buildHistogram(out.scores, test.labels, 1000);
  const k = Math.max(1, Math.round(0.01 * test.numExamples));
  const base = metricsFromHistogram(logit);
  return {
    prAuc: averagePrecision(logit),
    recallAtFpr: recallAtFpr(logit, DEMO_FPR).recall,
    precisionAtK: precisionAtK(logit, k),
    auc: base.auc,
    logLoss: base.logLoss,
    positiveRate: base.positiveRate,
    prAucExact: exactAveragePrecision(out.scores, test.labels),
    prAucEqual: averagePrecision(equal),
    recallExact: exactRecallAtFpr(out.scores, test.labels, DEMO_FPR),
    recallEqual: recallAtFpr(equal, DEMO_FPR).recall,
  };
};

/** The comparison with the fraud test rows and scores, plus the binning check of the federated model. */
export async function compareFraudModels(banks: readonly DemoBank[], finished: FinishedJob, holdoutFraction: number, seed: number): Promise<Comparison> {
  const c = await compareModels(banks, finished, holdoutFraction, seed, { test: fraudTestRows, score: scoreFraud });
  const m = c.federated.metrics;
  return {
    ...c,
    extra: {
      fraudRate: m['positiveRate'],
      binningCheck: { prAucExact: m['prAucExact'], prAucLogit: m['prAuc'], prAucEqual: m['prAucEqual'], recallExact: m['recallExact'], recallLogit: m['recallAtFpr'], recallEqual: m['recallEqual'] },
    },
  };
}
