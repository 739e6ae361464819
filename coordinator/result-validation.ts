/** Checks a bank's result against the instruction it answers, before it is stored: shapes, finiteness, histograms, moments. */
import { boundedMemo } from '../common/bounded-memo.js';
import { FedfinError } from '../common/errors.js';
import { allFinite, sameStructure, type Weights } from '../common/weights.js';
import { isSecAggStage, type ResultInfo } from '../schema/fleet.js';
import { evaluationBinning } from '../tasks/fraud-detection.js';
import type { OpenInstruction } from './fleet/dispatcher.js';

const violation = (member: string, what: string) => new FedfinError('protocol-violation', `result from ${member}: ${what}`);

/**
 * Throws FedfinError('protocol-violation') naming the member when an `ok` result cannot be used.
 * Refusals and failures carry no payload and always pass.
 * @param requireDp the job runs record-level DP: a fit result must report its privacy spend.
 */
export function validateResult(open: OpenInstruction, r: ResultInfo, weights: Weights | undefined, requireDp: boolean, masked?: Uint8Array): void {
  const m = open.memberId;
  if (r.status !== 'ok') return;
  if (isSecAggStage(open.info.stage)) {
    // The protocol bytes themselves (signatures, boxes, vector length, replays) are checked by the SecAgg server.
    if (open.info.stage === 'secagg-masked-input') {
      if (!masked) throw violation(m, 'a masked-input result carries the masked vector');
      if (requireDp && !r.privacy) throw violation(m, 'the job runs DP-SGD but the result reports no privacy spend');
    } else if (!r.secaggPayload || r.secaggPayload.length === 0) throw violation(m, `a ${open.info.stage} result carries its stage message (secagg_payload)`);
    if (weights) throw violation(m, 'a secure-aggregation result never carries weights');
    return;
  }
  if (!Number.isSafeInteger(r.numExamples) || r.numExamples < 0) throw violation(m, `num_examples must be a non-negative integer, got ${r.numExamples}`);
  switch (open.info.stage) {
    case 'stats': {
      if (!Number.isInteger(r.numFeatures) || r.numFeatures < 1 || r.numFeatures > 1_000_000) throw violation(m, `num_features must be in [1, 1e6], got ${r.numFeatures}`);
      if (!/^[0-9a-f]{64}$/.test(r.encodingHash)) throw violation(m, 'encoding_hash must be 64 hex characters');
      let moments: unknown;
      try {
        moments = JSON.parse(r.momentsJson);
      } catch {
        throw violation(m, 'moments_json is not JSON');
      }
      if (typeof moments !== 'object' || moments === null || Array.isArray(moments)) throw violation(m, 'moments_json must be an object of {count, sum, sumSq}');
      for (const [field, v] of Object.entries(moments as Record<string, unknown>)) {
        const o = v as Record<string, unknown>;
        if (typeof o !== 'object' || o === null || ![o['count'], o['sum'], o['sumSq']].every((x) => typeof x === 'number' && Number.isFinite(x)) || (o['count'] as number) < 0) {
          throw violation(m, `moments for ${JSON.stringify(field.slice(0, 40))} must be finite {count ≥ 0, sum, sumSq}`);
        }
      }
      return;
    }
    case 'fit': {
      if (!weights) throw violation(m, 'a fit result carries the update');
      const template = open.headers.map((h) => ({ name: h.name, shape: h.shape, values: new Float32Array(0) }));
      if (!sameStructure(weights, template)) throw violation(m, 'the update does not have the model\'s tensor names and shapes');
      if (!allFinite(weights)) throw violation(m, 'the update contains NaN or infinite values');
      if (r.numExamples < 1) throw violation(m, 'a fit result needs num_examples ≥ 1');
      if (requireDp) {
        const p = r.privacy;
        if (!p) throw violation(m, 'the job runs DP-SGD but the result reports no privacy spend');
        if (![p.epsilonRound, p.epsilonTotal, p.delta, p.noiseMultiplier, p.sampleRate].every(Number.isFinite) || p.epsilonTotal < 0) throw violation(m, 'privacy spend must be finite and non-negative');
      }
      return;
    }
    case 'evaluate': {
      if (r.regression && !r.histogram) return validateRegression(m, r.regression, r.numExamples);
      const h = r.histogram;
      if (!h) throw violation(m, 'an evaluate result carries a score histogram (or, for regression tasks, regression sums)');
      if (h.numBins < 2 || h.numBins > 100_000 || h.countsPos.length !== h.numBins || h.countsNeg.length !== h.numBins) throw violation(m, `histogram must have num_bins in [2, 1e5] counts per label, got ${h.numBins}`);
      let total = 0;
      for (let i = 0; i < h.numBins; i++) {
        const a = h.countsPos[i]!;
        const b = h.countsNeg[i]!;
        if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b) || a < 0 || b < 0) throw violation(m, 'histogram counts must be non-negative integers');
        total += a + b;
      }
      if (total !== h.numExamples) throw violation(m, `histogram counts sum to ${total}, not num_examples ${h.numExamples}`);
      checkBinning(m, h, open.info.jobSpecJson);
      if (![h.sumLogLoss, h.sumBrier].every(Number.isFinite) || h.numCorrect > h.numExamples) throw violation(m, 'histogram sums must be finite and num_correct ≤ num_examples');
      return;
    }
  }
}

/** The task a job spec names ('' when it names none); memoised per spec JSON, as every result of a job carries the same. */
const specTasks = boundedMemo<string>(16);
function taskOfSpec(jobSpecJson: string): string {
  try {
    const t = (JSON.parse(jobSpecJson) as { task?: unknown }).task;
    return typeof t === 'string' ? t : '';
  } catch {
    // The coordinator wrote this spec; an unparsable one cannot name a task with explicit edges.
    return '';
  }
}

/** The histogram is binned as the job's task bins (tasks/fraud-detection.ts evaluationBinning), so every bank's pools. */
function checkBinning(m: string, h: NonNullable<ResultInfo['histogram']>, jobSpecJson: string): void {
  const task = specTasks.get(jobSpecJson, taskOfSpec);
  const want = evaluationBinning(task);
  const edges = typeof want === 'number' ? undefined : want.edges;
  if (!edges) {
    if (h.edges !== undefined) throw violation(m, `histogram must use equal-width bins for task ${task}, got explicit edges`);
    return;
  }
  if (h.numBins !== edges.length - 1 || !h.edges || h.edges.length !== edges.length || h.edges.some((e, i) => e !== edges[i])) {
    throw violation(m, `histogram must use the ${edges.length - 1} logit-spaced bins of task ${task}`);
  }
}

/** Regression sums: counts consistent, sums finite, days unique, dated and ordered. */
function validateRegression(m: string, g: NonNullable<ResultInfo['regression']>, numExamples: number): void {
  const n = g.numExamples;
  if (!Number.isSafeInteger(n) || n < 1 || n !== numExamples) throw violation(m, `regression num_examples must equal the result's (${numExamples}) and be ≥ 1, got ${n}`);
  for (const [k, v] of [['direction_correct', g.directionCorrect], ['predicted_up', g.predictedUp], ['actual_up', g.actualUp]] as const) {
    if (!Number.isSafeInteger(v) || v < 0 || v > n) throw violation(m, `regression ${k} must be an integer in [0, num_examples], got ${v}`);
  }
  if (![g.sumError, g.sumSqError, g.sumAbsError, g.sumTarget, g.sumSqTarget].every(Number.isFinite) || g.sumSqError < 0 || g.sumAbsError < 0 || g.sumSqTarget < 0) {
    throw violation(m, 'regression sums must be finite (squares and absolute values non-negative)');
  }
  let prev = '';
  for (const d of g.days) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(d.date) || d.date <= prev) throw violation(m, `backtest days must be YYYY-MM-DD in increasing order, got ${JSON.stringify(d.date.slice(0, 20))} after ${JSON.stringify(prev)}`);
    prev = d.date;
    if (!Number.isSafeInteger(d.instruments) || d.instruments < 1) throw violation(m, `backtest day ${d.date}: instruments must be ≥ 1`);
    if (![d.strategyReturnSum, d.buyHoldReturnSum, d.turnoverSum].every(Number.isFinite) || d.turnoverSum < 0 || d.turnoverSum > d.instruments) {
      throw violation(m, `backtest day ${d.date}: sums must be finite and turnover in [0, instruments]`);
    }
  }
}
