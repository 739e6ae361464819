/** Shared by the fit and evaluate handlers: the job spec, the federation's encoding statistics, and the encoded splits. */
import { FedfinError } from '../../common/errors.js';
import type { Weights } from '../../common/weights.js';
import { parseEncodingStats } from '../../schema/encoding-stats.js';
import { createEncodingSpec, encode, type EncodingSpec } from '../../schema/encoding.js';
import type { DesensitizedRecord } from '../../schema/desensitized.js';
import type { DatasetSchema } from '../../schema/field.js';
import type { InstructionInfo } from '../../schema/fleet.js';
import { parseJobSpec, type JobSpec } from '../../schema/job-spec.js';
import type { Dataset, RoundConfig } from '../trainer/trainer.js';

// A job's instructions all carry the same job spec and encoding statistics: parse and hash them once
// (bounded: a daemon runs a few jobs, each with one of each).
const MEMO_LIMIT = 16;
function memo<V>(cache: Map<string, V>, key: string, make: () => V): V {
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const v = make();
  if (cache.size >= MEMO_LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(key, v);
  return v;
}
const jobSpecs = new Map<string, JobSpec>();

/** The instruction's job spec. @throws ConfigError naming the instruction. */
export function jobOf(instruction: InstructionInfo): JobSpec {
  return memo(jobSpecs, instruction.jobSpecJson, () => parseJobSpec(instruction.jobSpecJson, `job spec of ${instruction.instructionId}`));
}

/**
 * The encoding spec built from the federation-wide statistics the instruction carries.
 * @throws ConfigError for malformed statistics; TypeError/RangeError when a numeric field has none.
 */
export function federationSpec(instruction: InstructionInfo, schema: DatasetSchema, job: JobSpec): EncodingSpec {
  let bySchema = encodingSpecs.get(schema);
  if (!bySchema) encodingSpecs.set(schema, (bySchema = { sensitive: new Map(), plain: new Map() }));
  // Keyed by the statistics string itself: prefixing it would copy the (large) JSON once per instruction.
  const cache = job.encoding.includeSensitive ? bySchema.sensitive : bySchema.plain;
  return memo(cache, instruction.encodingStatsJson, () => buildFederationSpec(instruction, schema, job));
}
const encodingSpecs = new WeakMap<DatasetSchema, { readonly sensitive: Map<string, EncodingSpec>; readonly plain: Map<string, EncodingSpec> }>();

function buildFederationSpec(instruction: InstructionInfo, schema: DatasetSchema, job: JobSpec): EncodingSpec {
  let raw: unknown;
  try {
    raw = JSON.parse(instruction.encodingStatsJson);
  } catch {
    throw new FedfinError('protocol-violation', `instruction ${instruction.instructionId}: encoding_stats_json is not JSON`);
  }
  return createEncodingSpec(schema, parseEncodingStats(raw, `encoding stats of ${instruction.instructionId}`), { includeSensitive: job.encoding.includeSensitive });
}

/**
 * Checks the downloaded model's input width against the encoding.
 * @throws FedfinError('encoding-mismatch') when they differ.
 */
export function assertModelWidth(weights: Weights, spec: EncodingSpec): void {
  const first = weights[0];
  const width = first && first.shape.length === 2 ? first.shape[0] : undefined;
  if (width !== spec.numFeatures) throw new FedfinError('encoding-mismatch', `the model expects ${String(width)} input features; this bank's encoding has ${spec.numFeatures}`);
}

// A bank's splits are loaded once and a job's encoding statistics stay fixed, so every round of a job
// encodes the same rows the same way: keep the latest encoding per split (keyed by the records array).
const encodedSplits = new WeakMap<readonly DesensitizedRecord[], { readonly specHash: string; readonly data: Dataset }>();

/**
 * Encodes a split into the trainer's Dataset: the same object again for the same records and spec
 * (trainers read a Dataset, never write it).
 */
export function encodeSplit(spec: EncodingSpec, records: readonly DesensitizedRecord[]): Dataset {
  const hit = encodedSplits.get(records);
  if (hit && hit.specHash === spec.specHash && hit.data.numExamples === records.length) return hit.data;
  const e = encode(spec, records);
  const data: Dataset = { features: e.features, labels: e.labels, numExamples: e.numExamples, numFeatures: e.numFeatures };
  encodedSplits.set(records, { specHash: spec.specHash, data });
  return data;
}

/**
 * The trainer's round config from the job (learning rate, epochs, batch size, optimiser, L1/L2) and
 * the instruction's round config (FedProx μ, and anything the coordinator varies per round).
 */
export function trainConfigFor(job: JobSpec, instruction: InstructionInfo, dp: { noiseMultiplier: number; clippingNorm: number } | undefined): RoundConfig {
  const rc = instruction.roundConfig;
  const mu = typeof rc['proximalMu'] === 'number' ? rc['proximalMu'] : job.strategy.name === 'fedprox' ? job.strategy.proximalMu : 0;
  return {
    learningRate: typeof rc['learningRate'] === 'number' ? rc['learningRate'] : job.learningRate,
    localEpochs: job.localEpochs,
    batchSize: job.batchSize,
    optimizer: job.optimizer,
    l1: job.model.l1,
    l2: job.model.l2,
    proximalMu: mu,
    dpSgd: dp !== undefined,
    ...(dp ? { noiseMultiplier: dp.noiseMultiplier, clippingNorm: dp.clippingNorm } : {}),
  };
}
