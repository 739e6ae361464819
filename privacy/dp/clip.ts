/** L2 clipping of model updates: flat (one norm for the whole update) and per-layer (one norm per tensor). */
import { assertPositive, describeValue } from '../../common/assert.js';
import type { Tensor, Weights } from '../../common/weights.js';

/** The result of clipping one flat vector. */
export interface ClippedVector {
  /** A new array: a bit-identical copy when `scale === 1`. */
  readonly values: Float32Array;
  /** L2 norm of the input, before clipping (float64 accumulation). */
  readonly norm: number;
  /** The factor applied: 1 when the input was already inside the norm, else < 1. */
  readonly scale: number;
}

/** The result of clipping a whole update. */
export interface ClippedWeights {
  /** New tensors; a tensor left untouched is a bit-identical copy. */
  readonly weights: Weights;
  /** L2 norm of the whole update before clipping. */
  readonly norm: number;
  /** L2 norm of each tensor before clipping. */
  readonly layerNorms: readonly number[];
  /** Factor applied to each tensor (all equal in flat mode). */
  readonly scales: readonly number[];
  /** True when any tensor was scaled down. */
  readonly clipped: boolean;
}

// Summation order matters for the ≤ guarantee: this must add squares exactly as common/weights l2Norm does.
function sumSquares(values: Float32Array, ctx: string, name: string, acc = 0): number {
  let s = acc;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!Number.isFinite(v)) throw new RangeError(`${ctx}: "${name}" expected finite values, got ${describeValue(v)} at index ${i}`);
    s += v * v;
  }
  return s;
}

function scaleInto(src: Float32Array, dst: Float32Array, scale: number, acc = 0): number {
  let s = acc;
  for (let i = 0; i < src.length; i++) {
    const v = Math.fround((src[i] as number) * scale);
    dst[i] = v;
    s += v * v;
  }
  return s;
}

/**
 * Scales `src` into `dst` so that the float32 result has L2 norm ≤ `bound`.
 * Rounding each product to float32 can push the norm a few ulps above the bound; shrink the factor
 * by a few float32 ulps and retry (one retry is almost always enough; the loop ends because a small
 * enough factor rounds everything towards zero).
 */
function scaleWithin(src: Float32Array, dst: Float32Array, norm: number, bound: number): number {
  let scale = bound / norm;
  for (let attempt = 0; attempt < 64; attempt++) {
    if (Math.sqrt(scaleInto(src, dst, scale)) <= bound) return scale;
    scale *= 1 - 2 ** -21;
  }
  dst.fill(0);
  return 0;
}

function checkVector(ctx: string, name: string, values: unknown): asserts values is Float32Array {
  if (!(values instanceof Float32Array)) throw new TypeError(`${ctx}: "${name}" expected Float32Array, got ${describeValue(values)}`);
}

/**
 * Clips a flat update to L2 norm `clippingNorm`: `v · min(1, C/‖v‖₂)`.
 * After the call `‖values‖₂ ≤ clippingNorm` holds for the float32 result; an input already inside
 * the norm is returned as a bit-identical copy with `scale = 1`.
 * @throws TypeError when `values` is not a Float32Array; RangeError on NaN/∞ in `values` or a
 *   non-positive/non-finite `clippingNorm`.
 */
export function clipL2(values: Float32Array, clippingNorm: number): ClippedVector {
  checkVector('clipL2', 'values', values);
  assertPositive('clipL2', 'clippingNorm', clippingNorm);
  const norm = Math.sqrt(sumSquares(values, 'clipL2', 'values'));
  if (norm <= clippingNorm) return { values: values.slice(), norm, scale: 1 };
  const out = new Float32Array(values.length);
  const scale = scaleWithin(values, out, norm, clippingNorm);
  return { values: out, norm, scale };
}

/**
 * Like {@link clipL2} but overwrites `values` (for per-example clipping in hot loops).
 * @returns the norm before clipping and the factor applied.
 */
export function clipL2InPlace(values: Float32Array, clippingNorm: number): { readonly norm: number; readonly scale: number } {
  checkVector('clipL2InPlace', 'values', values);
  assertPositive('clipL2InPlace', 'clippingNorm', clippingNorm);
  const norm = Math.sqrt(sumSquares(values, 'clipL2InPlace', 'values'));
  if (norm <= clippingNorm) return { norm, scale: 1 };
  const src = values.slice();
  return { norm, scale: scaleWithin(src, values, norm, clippingNorm) };
}

function checkWeights(ctx: string, weights: unknown): asserts weights is Weights {
  if (!Array.isArray(weights)) throw new TypeError(`${ctx}: "weights" expected Weights (array of tensors), got ${describeValue(weights)}`);
  weights.forEach((t: unknown, i) => {
    const values = typeof t === 'object' && t !== null ? (t as { values?: unknown }).values : undefined;
    if (!(values instanceof Float32Array)) throw new TypeError(`${ctx}: "weights[${i}].values" expected Float32Array, got ${describeValue(values)}`);
  });
}

function tensorLabel(t: Tensor, i: number): string {
  return `weights[${i}] (${t.name})`;
}

/**
 * Clips a whole update.
 * - `clippingNorm: number` — flat clipping: one factor `min(1, C/‖Δ‖₂)` for all tensors, so the
 *   update's overall L2 norm is ≤ C.
 * - `clippingNorm: number[]` (one per tensor) — per-layer clipping: tensor j is clipped to C_j on
 *   its own; the overall norm is then ≤ sqrt(Σ C_j²), which is the sensitivity to use for noise.
 * Untouched tensors are bit-identical copies; the input is never modified.
 * @throws TypeError for a wrong-typed argument; RangeError on NaN/∞ in a tensor (naming it), a
 *   non-positive norm, or a per-layer list whose length differs from the number of tensors.
 */
export function clipWeights(weights: Weights, clippingNorm: number | readonly number[]): ClippedWeights {
  checkWeights('clipWeights', weights);
  const perLayer = Array.isArray(clippingNorm);
  if (perLayer) {
    if (clippingNorm.length !== weights.length) {
      throw new RangeError(`clipWeights: "clippingNorm" expected ${weights.length} per-layer norms, got array(${clippingNorm.length})`);
    }
    clippingNorm.forEach((c, j) => assertPositive('clipWeights', `clippingNorm[${j}]`, c));
  } else {
    assertPositive('clipWeights', 'clippingNorm', clippingNorm);
  }
  const layerNorms = weights.map((t, i) => Math.sqrt(sumSquares(t.values, 'clipWeights', tensorLabel(t, i))));
  let total = 0;
  for (const t of weights) total = sumSquares(t.values, 'clipWeights', 'weights', total);
  const norm = Math.sqrt(total);

  if (perLayer) {
    const scales: number[] = [];
    const out = weights.map((t, j) => {
      const c = clippingNorm[j] as number;
      const n = layerNorms[j] as number;
      if (n <= c) {
        scales.push(1);
        return { name: t.name, shape: [...t.shape], values: t.values.slice() };
      }
      const values = new Float32Array(t.values.length);
      scales.push(scaleWithin(t.values, values, n, c));
      return { name: t.name, shape: [...t.shape], values };
    });
    return { weights: out, norm, layerNorms, scales, clipped: scales.some((s) => s < 1) };
  }

  const c = clippingNorm as number;
  if (norm <= c) {
    const copy = weights.map((t) => ({ name: t.name, shape: [...t.shape], values: t.values.slice() }));
    return { weights: copy, norm, layerNorms, scales: weights.map(() => 1), clipped: false };
  }
  // Flat clipping over several tensors: scale all by one factor, checked against the joint norm.
  let scale = c / norm;
  const outs = weights.map((t) => new Float32Array(t.values.length));
  for (let attempt = 0; ; attempt++) {
    let s = 0;
    weights.forEach((t, j) => (s = scaleInto(t.values, outs[j] as Float32Array, scale, s)));
    if (Math.sqrt(s) <= c) break;
    if (attempt === 64) {
      outs.forEach((o) => o.fill(0));
      scale = 0;
      break;
    }
    scale *= 1 - 2 ** -21;
  }
  const out = weights.map((t, j) => ({ name: t.name, shape: [...t.shape], values: outs[j] as Float32Array }));
  return { weights: out, norm, layerNorms, scales: weights.map(() => scale), clipped: true };
}
