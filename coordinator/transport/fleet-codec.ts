/** Fleet wire ⇄ domain: generated proto types stop here. */
import type { Instruction } from '../../proto/generated/fedfin/v1/Instruction.js';
import type { ResultHeader__Output } from '../../proto/generated/fedfin/v1/ResultHeader.js';
import { decodeWeights, type TensorHeader } from '../../common/weights-codec.js';
import { shapeSize, type Weights } from '../../common/weights.js';
import type { InstructionInfo, ResultInfo } from '../../schema/fleet.js';
import { RpcError } from './status.js';
import * as grpc from '@grpc/grpc-js';

/** Domain instruction → wire message. */
export function instructionToWire(i: InstructionInfo): Instruction {
  return {
    instruction_id: i.instructionId,
    job_id: i.jobId,
    round: i.round,
    stage: i.stage,
    job_spec_json: i.jobSpecJson,
    round_config_json: JSON.stringify(i.roundConfig),
    model_bytes: i.modelBytes,
    num_banks: i.numBanks,
    deadline_unix_ms: i.deadlineUnixMs,
    encoding_stats_json: i.encodingStatsJson,
    secagg_payload: i.secaggPayload ? Buffer.from(i.secaggPayload) : Buffer.alloc(0),
  };
}

const STATUSES = new Set(['ok', 'refused', 'failed']);

/** Wire result header → domain; rejects malformed headers with INVALID_ARGUMENT. */
export function resultFromWire(h: ResultHeader__Output): ResultInfo {
  if (!STATUSES.has(h.status)) throw new RpcError(grpc.status.INVALID_ARGUMENT, `result status must be ok, refused or failed, got ${JSON.stringify(h.status.slice(0, 20))}`);
  const metrics: Record<string, number> = {};
  for (const [k, v] of Object.entries(h.metrics?.values ?? {})) {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new RpcError(grpc.status.INVALID_ARGUMENT, `metric ${JSON.stringify(k.slice(0, 40))} must be a finite number`);
    metrics[k] = v;
  }
  const hist = h.histogram;
  return {
    instructionId: h.instruction_id,
    status: h.status as ResultInfo['status'],
    reason: h.reason.slice(0, 2000),
    numExamples: h.num_examples,
    metrics,
    headers: h.headers.map((t) => ({ name: t.name, shape: [...t.shape] })),
    histogram:
      hist && hist.num_bins > 0
        ? {
            numBins: hist.num_bins,
            countsPos: hist.counts_pos.map(Number),
            countsNeg: hist.counts_neg.map(Number),
            sumLogLoss: hist.sum_log_loss,
            sumBrier: hist.sum_brier,
            numCorrect: hist.num_correct,
            numExamples: hist.num_examples,
            ...(hist.edges.length > 0 ? { edges: [...hist.edges] } : {}),
          }
        : undefined,
    privacy: h.privacy && h.privacy.accountant
      ? {
          accountant: h.privacy.accountant,
          epsilonRound: h.privacy.epsilon_round,
          epsilonTotal: h.privacy.epsilon_total,
          delta: h.privacy.delta,
          noiseMultiplier: h.privacy.noise_multiplier,
          sampleRate: h.privacy.sample_rate,
          steps: h.privacy.steps,
          unit: h.privacy.unit,
        }
      : undefined,
    encodingHash: h.encoding_hash,
    numFeatures: h.num_features,
    momentsJson: h.moments_json,
    ...(h.secagg_payload.length > 0 ? { secaggPayload: new Uint8Array(h.secagg_payload) } : {}),
    regression: h.regression ? regressionFromWire(h.regression) : undefined,
  };
}

/** Wire regression sums → domain; result-validation.ts checks the values. */
function regressionFromWire(g: NonNullable<ResultHeader__Output['regression']>): NonNullable<ResultInfo['regression']> {
  return {
    numExamples: g.num_examples, sumError: g.sum_error, sumSqError: g.sum_sq_error, sumAbsError: g.sum_abs_error, sumTarget: g.sum_target, sumSqTarget: g.sum_sq_target,
    directionCorrect: g.direction_correct, predictedUp: g.predicted_up, actualUp: g.actual_up,
    days: g.days.map((d) => ({ date: d.date, instruments: d.instruments, strategyReturnSum: d.strategy_return_sum, buyHoldReturnSum: d.buy_hold_return_sum, turnoverSum: d.turnover_sum })),
  };
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * An uploaded update's tensors as views of `bytes`, which the caller owns (the reassembly buffer): no copy
 * of the 4 MB a 1M-parameter update weighs. Same checks and errors as decodeWeights, which it falls back
 * to on a big-endian host or an unaligned buffer.
 * @throws RangeError for an invalid shape or a byte count that does not match the headers.
 */
export function updateFromBytes(headers: readonly TensorHeader[], bytes: Uint8Array): Weights {
  if (!LITTLE_ENDIAN || bytes.byteOffset % 4 !== 0) return decodeWeights(headers, bytes);
  let expected = 0;
  for (const h of headers) {
    if (!h.shape.every((d) => Number.isInteger(d) && d >= 0 && d <= 1e9)) throw new RangeError(`decodeWeights: tensor "${h.name}" has an invalid shape [${h.shape.join(', ')}]`);
    expected += shapeSize(h.shape);
  }
  if (bytes.length !== expected * 4) throw new RangeError(`decodeWeights: expected ${expected * 4} bytes for ${headers.length} tensors, got ${bytes.length}`);
  const all = new Float32Array(bytes.buffer, bytes.byteOffset, expected);
  let off = 0;
  return headers.map((h) => {
    const n = shapeSize(h.shape);
    const values = all.subarray(off, off + n);
    off += n;
    return { name: h.name, shape: [...h.shape], values };
  });
}
