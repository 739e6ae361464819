/** FedAvg aggregation (weightedMean) of 20 updates × 1M parameters vs a bare Float32Array sum loop over the same arrays. */
import type { Weights } from '../common/weights.js';
import { weightedMean } from '../coordinator/strategy/aggregate.js';
import { pairedAsync, type Paired } from './federation-timing.js';

/** Updates aggregated per measurement. */
export const AGG_UPDATES = 20;
/** Parameters per update: a logistic model over 1,000,000 features, split as the model declares it. */
export const AGG_PARAMETERS = 1_000_000;

/** What the aggregation benchmark reports. */
export interface AggregateResult {
  readonly updates: number;
  readonly parameters: number;
  readonly timing: Paired;
  /** Median per-pair ratio of bare-loop time to weightedMean time (target ≥ 0.5). */
  readonly ratio: number;
  /** Largest |weightedMean − float64 reference| seen on one check, in float32 ulps of the value. */
  readonly maxErrorUlps: number;
}

function makeUpdates(): { sets: Weights[]; weights: number[] } {
  const sets: Weights[] = [];
  const weights: number[] = [];
  for (let k = 0; k < AGG_UPDATES; k++) {
    const kernel = new Float32Array(AGG_PARAMETERS - 1);
    for (let i = 0; i < kernel.length; i++) kernel[i] = Math.sin(i * 0.001 + k) * 0.1;
    sets.push([
      { name: 'dense_0/kernel', shape: [AGG_PARAMETERS - 1, 1], values: kernel },
      { name: 'dense_0/bias', shape: [1], values: new Float32Array([k * 0.01]) },
    ]);
    weights.push(100 + 37 * k);
  }
  return { sets, weights };
}

/** Compares weightedMean's result with a plain float64 computation of the same mean. */
function maxErrorUlps(sets: readonly Weights[], weights: readonly number[], mean: Weights): number {
  const total = weights.reduce((a, b) => a + b, 0);
  let worst = 0;
  const values = mean[0]!.values;
  for (let i = 0; i < values.length; i += 997) {
    let ref = 0;
    for (let k = 0; k < sets.length; k++) ref += (weights[k]! / total) * sets[k]![0]!.values[i]!;
    const ulp = Math.max(Number.MIN_VALUE, Math.abs(Math.fround(ref)) * 2 ** -23);
    worst = Math.max(worst, Math.abs(values[i]! - ref) / ulp);
  }
  return worst;
}

/** acc = Σ arrays, tensor by tensor into consecutive slices of `acc`; returns one element so the work is kept. */
function bareSum(acc: Float32Array, arrays: readonly Float32Array[]): number {
  acc.fill(0);
  let off = 0;
  for (const v of arrays) {
    if (off + v.length > acc.length) off = 0;
    const dst = acc.subarray(off, off + v.length);
    for (let j = 0; j < v.length; j++) dst[j]! += v[j]!;
    off += v.length;
  }
  return acc[12345]!;
}

/**
 * Times weightedMean over 20 updates of 1,000,000 parameters (weights = example counts) against the
 * baseline a strategy cannot beat by much: a bare loop adding the same 20 Float32Arrays into one
 * Float32Array accumulator (no weights, no float64, no allocation), alternated pair by pair.
 * @param runs timed pairs.
 */
export async function benchAggregate(runs: number): Promise<AggregateResult> {
  const { sets, weights } = makeUpdates();
  const acc = new Float32Array(AGG_PARAMETERS);
  let sink = 0;
  const arrays = sets.flatMap((set) => set.map((t) => t.values));
  const bare = (): void => {
    sink += bareSum(acc, arrays);
  };
  let last: Weights = [];
  const mean = (): void => {
    last = weightedMean(sets, weights);
    sink += last[0]!.values[12345]!;
  };
  const timing = await pairedAsync(mean, bare, runs);
  if (Number.isNaN(sink)) throw new Error('bench aggregate: NaN sink');
  return { updates: AGG_UPDATES, parameters: AGG_PARAMETERS, timing, ratio: timing.ratio, maxErrorUlps: maxErrorUlps(sets, weights, last) };
}
