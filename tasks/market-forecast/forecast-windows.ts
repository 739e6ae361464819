/** Every window of a bank's series for scoring with an exported model: the job's train and holdout windows (target known) and each symbol's latest window (the forecast). */
import type { EncodingStats } from '../../schema/encoding-stats.js';
import type { SymbolSeries } from './series.js';
import { dayFeatures, exampleCount, FEATURES_PER_STEP, holdoutCount, DAY_FEATURES } from './windows.js';

/** Which part of a symbol's history a window belongs to. */
export type WindowSplit = 'train' | 'holdout' | 'forecast';

/** All windows, grouped by symbol in series order, oldest first within a symbol. */
export interface ScoringWindows {
  /** numWindows × (windowDays·F), step-major, standardised exactly as buildWindows does. */
  readonly features: Float32Array;
  readonly numWindows: number;
  readonly numFeatures: number;
  readonly symbolIndex: Int32Array;
  /** The window's last day: the forecast is made with data up to this date. */
  readonly asOfDates: readonly string[];
  /** The next bar's date (when the predicted return is earned), or null for a symbol's latest window. */
  readonly targetDates: readonly (string | null)[];
  /** The next day's log return, NaN when not yet known. */
  readonly realised: Float64Array;
  /** train / holdout as the job's time split assigned them (buildWindows' order), forecast for the latest window. */
  readonly split: readonly WindowSplit[];
  /** Multiply a model output by this for a log return (the federation's logReturn std). */
  readonly targetScale: number;
}

/**
 * The windows buildWindows builds (same features, same standardisation, same per-symbol time split)
 * plus, per symbol, the window ending on its last day, whose next-day return is the actual forecast.
 * A symbol needs windowDays + 1 days for a forecast window (day 0 has no return).
 * @param stats the model's {mean, std} per DAY_FEATURES name.
 */
export function scoringWindows(series: readonly SymbolSeries[], windowDays: number, holdoutFraction: number, stats: EncodingStats): ScoringWindows {
  const F = FEATURES_PER_STEP;
  const width = windowDays * F;
  const scale = DAY_FEATURES.map((name) => stats[name] ?? { mean: 0, std: 1 });
  const targetScale = scale[0]!.std;
  const list: { si: number; k: number; split: WindowSplit }[] = [];
  series.forEach((s, si) => {
    if (s.dates.length < windowDays + 1) return;
    const count = exampleCount(s.dates.length, windowDays);
    const h = holdoutCount(count, holdoutFraction);
    for (let k = 0; k < count; k++) list.push({ si, k, split: k < count - h ? 'train' : 'holdout' });
    list.push({ si, k: count, split: 'forecast' });
  });
  const feats = series.map(dayFeatures);
  const n = list.length;
  const features = new Float32Array(n * width);
  const symbolIndex = new Int32Array(n);
  const realised = new Float64Array(n).fill(Number.NaN);
  const asOfDates: string[] = [];
  const targetDates: (string | null)[] = [];
  list.forEach(({ si, k, split }, i) => {
    const v = feats[si]!;
    for (let t = 0; t < windowDays; t++) {
      for (let f = 0; f < F; f++) features[i * width + t * F + f] = (v[(k + 1 + t) * F + f]! - scale[f]!.mean) / scale[f]!.std;
    }
    symbolIndex[i] = si;
    const dates = series[si]!.dates;
    asOfDates.push(dates[k + windowDays]!);
    if (split === 'forecast') targetDates.push(null);
    else {
      targetDates.push(dates[k + windowDays + 1]!);
      realised[i] = v[(k + windowDays + 1) * F]!;
    }
  });
  return { features, numWindows: n, numFeatures: width, symbolIndex, asOfDates, targetDates, realised, split: list.map((w) => w.split), targetScale };
}
