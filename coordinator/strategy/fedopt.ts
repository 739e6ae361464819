/**
 * The server-optimiser core shared by FedAvgM, FedAdagrad, FedAdam and FedYogi (Reddi et al. 2021,
 * https://arxiv.org/abs/2003.00295): the pseudo-gradient, per-parameter moment state, and its checkpoint.
 */
import { z } from 'zod';
import { ConfigError, FedfinError } from '../../common/errors.js';
import { sameStructure, type Weights } from '../../common/weights.js';
import { createStrategy, type FedAvgOptions } from './fedavg.js';
import type { FitReply, Strategy } from './strategy.js';

/**
 * One server optimiser: how the moment vectors ("slots") and the model move given a pseudo-gradient.
 * Implementations are pure over the arrays they are handed.
 */
export interface ServerOptimizer {
  /** Names of the per-parameter state vectors, e.g. ['m', 'v']. */
  readonly slots: readonly string[];
  /** Hyper-parameters, recorded in the saved state for the audit trail. */
  readonly params: Readonly<Record<string, number>>;
  /**
   * One round for one tensor. `x` holds the current parameters and is updated in place; `delta` is
   * the pseudo-gradient Δ = mean(w_i) − x (float64); `prev` are the slots after the previous round
   * (zeros before the first) and must not be modified; `next` receive the new slots.
   */
  step(x: Float64Array, delta: Float64Array, prev: readonly Float64Array[], next: readonly Float64Array[]): void;
}

/** Moment state after `round` (0 = nothing folded in yet); `tensors` is empty until the first round. */
interface OptState {
  readonly round: number;
  readonly tensors: readonly { readonly name: string; readonly shape: readonly number[]; readonly slots: readonly Float64Array[] }[];
}

const STATE_FORMAT = 'fedfin.server-opt/1';

const SavedStateSchema = z
  .object({
    format: z.literal(STATE_FORMAT),
    strategy: z.string(),
    round: z.number().int().min(0),
    params: z.record(z.string(), z.number()),
    tensors: z.array(
      z
        .object({
          name: z.string(),
          shape: z.array(z.number().int().min(0)),
          slots: z.record(z.string(), z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'expected base64')),
        })
        .strict(),
    ),
  })
  .strict();

/**
 * The example-weighted mean of the replies minus `current`, in float64 per tensor: Δ of Reddi et al.
 * (the negative of FedAvgM's pseudo-gradient).
 */
export function pseudoGradient(current: Weights, replies: readonly FitReply[]): Float64Array[] {
  const total = replies.reduce((a, r) => a + r.numExamples, 0);
  return current.map((tensor, ti) => {
    const acc = new Float64Array(tensor.values.length);
    for (const r of replies) {
      const v = r.weights[ti]!.values;
      const w = r.numExamples;
      for (let j = 0; j < acc.length; j++) acc[j]! += w * v[j]!;
    }
    // Dividing once at the end keeps identical replies exact (Δ = 0 when they equal x).
    for (let j = 0; j < acc.length; j++) acc[j] = acc[j]! / total - tensor.values[j]!;
    return acc;
  });
}

/**
 * Builds a server-optimiser strategy: FedAvg's selection, then x ← opt(x, Δ) with persistent moments.
 * Aggregating the same round twice starts again from the state before that round (a retried
 * aggregation never counts a round twice). saveState/loadState carry the moments as base64 float64,
 * so a restarted coordinator continues bit for bit.
 */
export function createServerOptStrategy(name: string, options: FedAvgOptions, optimizer: ServerOptimizer): Strategy {
  let state: OptState = { round: 0, tensors: [] };
  let before: OptState | undefined;
  const base = createStrategy(name, options, {}, (round, current, replies) => {
    let from = state;
    if (round === state.round && before) from = before;
    else if (round <= state.round) throw new FedfinError('aggregation-failed', `${name}: round ${round} is not after the state's round ${state.round}`);
    const slotsOf = checkStructure(name, optimizer.slots.length, from, current);
    const delta = pseudoGradient(current, replies);
    const tensors = current.map((t, ti) => {
      const x = Float64Array.from(t.values);
      const next = optimizer.slots.map(() => new Float64Array(x.length));
      optimizer.step(x, delta[ti]!, slotsOf(ti), next);
      return { out: { name: t.name, shape: [...t.shape], values: Float32Array.from(x) }, slots: next };
    });
    before = from;
    state = { round, tensors: current.map((t, ti) => ({ name: t.name, shape: [...t.shape], slots: tensors[ti]!.slots })) };
    let sq = 0;
    for (const d of delta) for (let j = 0; j < d.length; j++) sq += d[j]! * d[j]!;
    return { weights: tensors.map((t) => t.out), metrics: { pseudoGradientNorm: Math.sqrt(sq) } };
  });
  return {
    ...base,
    saveState: () => saveState(name, optimizer, state),
    loadState(raw: unknown) {
      state = loadState(name, optimizer, raw);
      before = undefined;
    },
  };
}

/** Returns the slots of tensor `ti` to start from (zeros before the first round). */
function checkStructure(name: string, numSlots: number, from: OptState, current: Weights): (ti: number) => readonly Float64Array[] {
  if (from.tensors.length === 0) return (ti) => Array.from({ length: numSlots }, () => new Float64Array(current[ti]!.values.length));
  if (!sameStructure(from.tensors.map((t) => ({ ...t, values: new Float32Array(0) })), current)) {
    throw new FedfinError('aggregation-failed', `${name}: the optimiser state does not match the model's tensor names and shapes`);
  }
  return (ti) => from.tensors[ti]!.slots;
}

function saveState(name: string, optimizer: ServerOptimizer, state: OptState): z.input<typeof SavedStateSchema> {
  return {
    format: STATE_FORMAT,
    strategy: name,
    round: state.round,
    params: { ...optimizer.params },
    tensors: state.tensors.map((t) => ({
      name: t.name,
      shape: [...t.shape],
      // Node runs little-endian on every supported platform; the bytes are the float64 values as-is.
      slots: Object.fromEntries(optimizer.slots.map((s, i) => [s, Buffer.from(t.slots[i]!.buffer, t.slots[i]!.byteOffset, t.slots[i]!.byteLength).toString('base64')])),
    })),
  };
}

function loadState(name: string, optimizer: ServerOptimizer, raw: unknown): OptState {
  const source = `${name} strategy state`;
  const r = SavedStateSchema.safeParse(raw);
  if (!r.success) throw new ConfigError(source, r.error.issues);
  const s = r.data;
  const issue = (path: (string | number)[], message: string) => new ConfigError(source, [{ code: 'custom', path, message, input: raw } as z.core.$ZodIssue]);
  if (s.strategy !== name) throw issue(['strategy'], `state was written by '${s.strategy}', not '${name}'`);
  const tensors = s.tensors.map((t, ti) => {
    const size = t.shape.reduce((a, b) => a * b, 1);
    const slots = optimizer.slots.map((slot) => {
      const b64 = t.slots[slot];
      if (b64 === undefined) throw issue(['tensors', ti, 'slots', slot], 'missing');
      const bytes = Buffer.from(b64, 'base64');
      if (bytes.length !== size * 8) throw issue(['tensors', ti, 'slots', slot], `expected ${size} float64 values, got ${bytes.length} bytes`);
      const out = new Float64Array(size);
      new Uint8Array(out.buffer).set(bytes);
      return out;
    });
    return { name: t.name, shape: t.shape, slots };
  });
  return { round: s.round, tensors };
}
