/** Checks a bank's result against the instruction it answers, before it is stored: shapes, finiteness, histograms, moments. */
import { FedfinError } from '../common/errors.js';
import { allFinite, sameStructure, type Weights } from '../common/weights.js';
import { isSecAggStage, type ResultInfo } from '../schema/fleet.js';
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
      const h = r.histogram;
      if (!h) throw violation(m, 'an evaluate result carries a score histogram');
      if (h.numBins < 2 || h.numBins > 100_000 || h.countsPos.length !== h.numBins || h.countsNeg.length !== h.numBins) throw violation(m, `histogram must have num_bins in [2, 1e5] counts per label, got ${h.numBins}`);
      let total = 0;
      for (let i = 0; i < h.numBins; i++) {
        const a = h.countsPos[i]!;
        const b = h.countsNeg[i]!;
        if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b) || a < 0 || b < 0) throw violation(m, 'histogram counts must be non-negative integers');
        total += a + b;
      }
      if (total !== h.numExamples) throw violation(m, `histogram counts sum to ${total}, not num_examples ${h.numExamples}`);
      if (![h.sumLogLoss, h.sumBrier].every(Number.isFinite) || h.numCorrect > h.numExamples) throw violation(m, 'histogram sums must be finite and num_correct ≤ num_examples');
      return;
    }
  }
}
