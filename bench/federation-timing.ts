/** Timing helpers shared by the federation benchmarks: medians, paired async timing, MB/s, table rows. */

/** Median of a non-empty list (mean of the two middle values for an even count). */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) throw new RangeError('median: "xs" expected a non-empty list, got array(0)');
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Result of a paired measurement: median times and the median of the per-pair ratios baseline/subject. */
export interface Paired {
  readonly ms: number;
  readonly baselineMs: number;
  /** Median over pairs of baselineMs / ms: 1 means as fast as the baseline, 0.5 means twice as slow. */
  readonly ratio: number;
  readonly runs: number;
}

async function timeOnce(fn: () => unknown): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

/**
 * Times `subject` and `baseline` alternately (baseline first in each pair) after `warmup` untimed pairs,
 * so load changes on a shared machine hit both alike. Either function may be async.
 * @param runs timed pairs (≥ 1).
 */
export async function pairedAsync(subject: () => unknown, baseline: () => unknown, runs: number, warmup = 2): Promise<Paired> {
  for (let i = 0; i < warmup; i++) {
    await baseline();
    await subject();
  }
  const s: number[] = [];
  const b: number[] = [];
  const r: number[] = [];
  for (let i = 0; i < runs; i++) {
    const tb = await timeOnce(baseline);
    const ts = await timeOnce(subject);
    s.push(ts);
    b.push(tb);
    r.push(tb / ts);
  }
  return { ms: median(s), baselineMs: median(b), ratio: median(r), runs };
}

/** Throughput in MB/s (10^6 bytes) for `bytes` moved in `ms`. */
export function mbPerSecond(bytes: number, ms: number): number {
  return bytes / 1e6 / (ms / 1000);
}

/** Formats a number with fixed decimals, right-aligned to `width`. */
export function cell(value: number | string, width: number, decimals = 1): string {
  const text = typeof value === 'number' ? value.toFixed(decimals) : value;
  return text.padStart(width);
}

/** `pass`/`BELOW` against a minimum ratio. */
export function verdict(ratio: number, target: number): string {
  return ratio >= target ? 'meets target' : 'BELOW target';
}
