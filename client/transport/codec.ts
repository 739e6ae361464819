/** Fleet wire ⇄ domain on the bank side: generated proto types stop here. */
import { FedfinError } from '../../common/errors.js';
import type { Instruction__Output } from '../../proto/generated/fedfin/v1/Instruction.js';
import type { ResultHeader } from '../../proto/generated/fedfin/v1/ResultHeader.js';
import { FLEET_STAGES, type FleetStage, type InstructionInfo, type ResultInfo, type RoundConfigValues } from '../../schema/fleet.js';

const violation = (what: string): FedfinError => new FedfinError('protocol-violation', `instruction from the coordinator: ${what}`);

function roundConfigFrom(json: string): RoundConfigValues {
  if (json === '') return {};
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw violation('round_config_json is not JSON');
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw violation('round_config_json must be an object of scalars');
  const out: Record<string, number | string | boolean> = {};
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') out[k] = v;
    else throw violation(`round config key ${JSON.stringify(k.slice(0, 40))} is not a scalar`);
  }
  return out;
}

/**
 * Wire instruction → domain.
 * @throws FedfinError('protocol-violation') for an unknown stage or a malformed round config.
 */
export function instructionFromWire(w: Instruction__Output): InstructionInfo {
  if (!FLEET_STAGES.includes(w.stage as FleetStage)) throw violation(`unknown stage ${JSON.stringify(w.stage.slice(0, 20))}`);
  if (w.instruction_id === '') throw violation('empty instruction_id');
  return {
    instructionId: w.instruction_id,
    jobId: w.job_id,
    round: w.round,
    stage: w.stage as FleetStage,
    jobSpecJson: w.job_spec_json,
    roundConfig: roundConfigFrom(w.round_config_json),
    modelBytes: w.model_bytes,
    numBanks: w.num_banks,
    deadlineUnixMs: w.deadline_unix_ms,
    encodingStatsJson: w.encoding_stats_json,
    ...(w.secagg_payload.length > 0 ? { secaggPayload: new Uint8Array(w.secagg_payload) } : {}),
  };
}

/** Domain result → wire header for `sessionId`. Absent parts stay absent (no empty histogram, no zero spend). */
export function resultToWire(r: ResultInfo, sessionId: string): ResultHeader {
  const h = r.histogram;
  const p = r.privacy;
  return {
    session_id: sessionId,
    instruction_id: r.instructionId,
    status: r.status,
    reason: r.reason,
    num_examples: r.numExamples,
    metrics: { values: { ...r.metrics } },
    headers: r.headers.map((t) => ({ name: t.name, shape: [...t.shape] })),
    histogram: h
      ? { num_bins: h.numBins, counts_pos: [...h.countsPos], counts_neg: [...h.countsNeg], sum_log_loss: h.sumLogLoss, sum_brier: h.sumBrier, num_correct: h.numCorrect, num_examples: h.numExamples, edges: h.edges ? [...h.edges] : [] }
      : null,
    privacy: p
      ? { accountant: p.accountant, epsilon_round: p.epsilonRound, epsilon_total: p.epsilonTotal, delta: p.delta, noise_multiplier: p.noiseMultiplier, sample_rate: p.sampleRate, steps: p.steps, unit: p.unit }
      : null,
    encoding_hash: r.encodingHash,
    num_features: r.numFeatures,
    moments_json: r.momentsJson,
    secagg_payload: r.secaggPayload ? Buffer.from(r.secaggPayload) : Buffer.alloc(0),
    regression: regressionToWire(r.regression),
  };
}

/** Regression sums → wire (absent stays absent). */
function regressionToWire(g: ResultInfo['regression']): ResultHeader['regression'] {
  if (!g) return null;
  return {
    num_examples: g.numExamples, sum_error: g.sumError, sum_sq_error: g.sumSqError, sum_abs_error: g.sumAbsError, sum_target: g.sumTarget, sum_sq_target: g.sumSqTarget,
    direction_correct: g.directionCorrect, predicted_up: g.predictedUp, actual_up: g.actualUp,
    days: g.days.map((d) => ({ date: d.date, instruments: d.instruments, strategy_return_sum: d.strategyReturnSum, buy_hold_return_sum: d.buyHoldReturnSum, turnover_sum: d.turnoverSum })),
  };
}
