/** Accountant latency: ε of 10,000 equal steps over the 156 default orders, cold (fresh accountant) and cached, against a bare-loop baseline. */
import { DEFAULT_RDP_ORDERS } from '../privacy/accounting/orders.js';
import { RdpAccountant } from '../privacy/accounting/rdp-accountant.js';
import type { PartResult } from './summary.js';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Median wall time in ms of `fn` over `runs` calls, after `warmup` unmeasured calls. */
function timeMs(fn: (i: number) => unknown, runs: number, warmup = 5): number {
  for (let i = 0; i < warmup; i++) fn(i);
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn(i);
    t.push(performance.now() - t0);
  }
  return median(t);
}

/**
 * Measures and returns the figures plus the summary row (bench/privacy.ts prints them).
 * Cold: a fresh RdpAccountant per call, 10,000 steps of q = 0.01, σ = 1.1 (σ nudged per call so no
 * cache anywhere can help), then ε at δ = 1e-5. Cached: ε again on one accountant. Baseline: one loop
 * over the 156 orders computing α/(2σ²), the cheapest possible per-order work, measured in the same run.
 */
export async function measure(args: string[]): Promise<PartResult> {
  const runs = args.includes('--quick') ? 21 : 41;
  let sink = 0;
  const cold = timeMs((i) => {
    const acc = new RdpAccountant();
    acc.step({ noiseMultiplier: 1.1 + i * 1e-12, sampleRate: 0.01 }, 10_000);
    sink += acc.epsilon(1e-5).epsilon;
  }, runs);
  const shared = new RdpAccountant();
  shared.step({ noiseMultiplier: 1.1, sampleRate: 0.01 }, 10_000);
  const cached = timeMs(() => (sink += shared.epsilon(1e-5).epsilon), runs);
  const baseline = timeMs(() => {
    for (let r = 0; r < 1000; r++) for (const a of DEFAULT_RDP_ORDERS) sink += a / (2 * 1.1 ** 2);
  }, runs) / 1000;
  const result = {
    name: 'privacy-accountant',
    orders: DEFAULT_RDP_ORDERS.length,
    steps: 10_000,
    coldMedianMs: cold,
    cachedMedianMs: cached,
    baselineLoopMs: baseline,
    coldOverBaseline: cold / baseline,
    targetColdMs: 5,
  };
  if (sink === 42) process.stdout.write(''); // keep the work observable
  await Promise.resolve();
  const text =
    `privacy-accountant: epsilon of ${result.steps} steps over ${result.orders} orders: cold ${cold.toFixed(3)} ms median ` +
    `(target < 5 ms), cached ${cached.toFixed(4)} ms; baseline loop alpha/(2 sigma^2) ${baseline.toFixed(5)} ms ` +
    `(cold = ${result.coldOverBaseline.toFixed(0)}x baseline)`;
  return { result, rows: [{ metric: 'accountant: cold epsilon, 10,000 steps, 156 orders', value: cold, unit: 'ms', target: '< 5', ok: cold < 5 }], text };
}
