/** Daily features of a symbol's bars and the windows the models read: features up to day t, target the return of day t+1, time split per symbol. */
import type { EncodingStats, Moments } from '../../schema/encoding-stats.js';
import type { SymbolSeries } from './series.js';

/**
 * The per-day inputs, in this order within a step: log return ln(C_t/C_{t−1}), log volume change
 * ln((V_t+1)/(V_{t−1}+1)), log range ln(H_t/L_t), log body ln(C_t/O_t). Every one is scale-free, so
 * banks with instruments at any price level or volume share one model.
 */
export const DAY_FEATURES = ['logReturn', 'logVolumeChange', 'logRange', 'logBody'] as const;
export const FEATURES_PER_STEP = DAY_FEATURES.length;

/** A symbol's day features: `values[t·F + f]` for day t (day 0 has no previous close and is NaN). */
export function dayFeatures(s: SymbolSeries): Float64Array {
  const n = s.dates.length;
  const F = FEATURES_PER_STEP;
  const out = new Float64Array(n * F).fill(Number.NaN);
  for (let t = 1; t < n; t++) {
    out[t * F] = Math.log(s.close[t]! / s.close[t - 1]!);
    out[t * F + 1] = Math.log((s.volume[t]! + 1) / (s.volume[t - 1]! + 1));
    out[t * F + 2] = Math.log(s.high[t]! / s.low[t]!);
    out[t * F + 3] = Math.log(s.close[t]! / s.open[t]!);
  }
  return out;
}

/**
 * The first window's last day is `windowDays` (days 1…windowDays have features); the last example's
 * day is n−2 (its target is day n−1). Example k of a symbol ends on day `windowDays + k`.
 */
export function exampleCount(numDays: number, windowDays: number): number {
  return Math.max(0, numDays - 1 - windowDays);
}

/** How many of a symbol's `count` examples (the LAST ones) are holdout: round(fraction·count), at least 1 when count ≥ 2. */
export function holdoutCount(count: number, fraction: number): number {
  if (count < 2 || fraction <= 0) return 0;
  return Math.min(count - 1, Math.max(1, Math.round(fraction * count)));
}

/**
 * Moments of each day feature over the days that train examples read or predict (days 1 … last train
 * target), each day counted once — the stats stage's reply, pooled by the coordinator into
 * standardisation statistics. Holdout-only days are excluded, so the holdout never shapes the scaling.
 */
export function trainMoments(series: readonly SymbolSeries[], windowDays: number, holdoutFraction: number): Moments {
  const acc = DAY_FEATURES.map(() => ({ count: 0, sum: 0, sumSq: 0 }));
  for (const s of series) {
    const count = exampleCount(s.dates.length, windowDays);
    const trainCount = count - holdoutCount(count, holdoutFraction);
    if (trainCount <= 0) continue;
    const lastDay = windowDays + trainCount; // the last train example's target day
    const v = dayFeatures(s);
    for (let t = 1; t <= lastDay; t++) {
      for (let f = 0; f < FEATURES_PER_STEP; f++) {
        const x = v[t * FEATURES_PER_STEP + f]!;
        if (!Number.isFinite(x)) continue;
        const m = acc[f]!;
        m.count++;
        m.sum += x;
        m.sumSq += x * x;
      }
    }
  }
  return Object.fromEntries(DAY_FEATURES.map((name, f) => [name, acc[f]!]));
}

/** Windows of one split, row-major, plus what evaluation needs per example (never sent). */
export interface WindowSet {
  /** numExamples × (windowDays·F), step-major, standardised with the federation's statistics. */
  readonly features: Float32Array;
  /** Target: next-day log return divided by the federation's logReturn std (no centring: its sign is the direction). */
  readonly labels: Float32Array;
  readonly numExamples: number;
  readonly numFeatures: number;
  /** Index into the series array of each example's symbol. */
  readonly symbolIndex: Int32Array;
  /** Each example's target day (when the return is earned), YYYY-MM-DD. */
  readonly targetDates: readonly string[];
  /** Next-day log return in return units (unscaled). */
  readonly targetReturns: Float64Array;
}

/** Train and holdout windows of a bank, and the target scale (multiply a prediction by it for a log return). */
export interface MarketExamples {
  readonly train: WindowSet;
  readonly holdout: WindowSet;
  readonly targetScale: number;
}

/**
 * Builds every window: example k of a symbol reads days k+1 … k+windowDays (nothing later) and
 * predicts day k+windowDays+1. The last `holdoutCount` examples of each symbol are the holdout, so
 * every holdout target is later than every train target of that symbol.
 * @param stats the federation's {mean, std} per DAY_FEATURES name.
 */
export function buildWindows(series: readonly SymbolSeries[], windowDays: number, holdoutFraction: number, stats: EncodingStats): MarketExamples {
  const F = FEATURES_PER_STEP;
  const width = windowDays * F;
  const scale = DAY_FEATURES.map((name) => stats[name] ?? { mean: 0, std: 1 });
  const targetScale = scale[0]!.std;
  const parts = { train: [] as [number, number][], holdout: [] as [number, number][] };
  series.forEach((s, si) => {
    const count = exampleCount(s.dates.length, windowDays);
    const h = holdoutCount(count, holdoutFraction);
    for (let k = 0; k < count; k++) (k < count - h ? parts.train : parts.holdout).push([si, k]);
  });
  const feats = series.map(dayFeatures);
  const make = (list: readonly [number, number][]): WindowSet => {
    const n = list.length;
    const features = new Float32Array(n * width);
    const labels = new Float32Array(n);
    const symbolIndex = new Int32Array(n);
    const targetDates: string[] = [];
    const targetReturns = new Float64Array(n);
    list.forEach(([si, k], i) => {
      const v = feats[si]!;
      for (let t = 0; t < windowDays; t++) {
        for (let f = 0; f < F; f++) features[i * width + t * F + f] = (v[(k + 1 + t) * F + f]! - scale[f]!.mean) / scale[f]!.std;
      }
      const targetDay = k + windowDays + 1;
      const r = v[targetDay * F]!;
      labels[i] = r / targetScale;
      symbolIndex[i] = si;
      targetDates.push(series[si]!.dates[targetDay]!);
      targetReturns[i] = r;
    });
    return { features, labels, numExamples: n, numFeatures: width, symbolIndex, targetDates, targetReturns };
  };
  return { train: make(parts.train), holdout: make(parts.holdout), targetScale };
}
