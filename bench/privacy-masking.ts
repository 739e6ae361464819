/** Mask expansion vs the raw AES-256-CTR keystream of node:crypto, and masking a 1,000,000-entry vector with 20 neighbours. */
import { createCipheriv, randomBytes } from 'node:crypto';
import { addMask, fillMask } from '../privacy/secagg/prg.js';
import { maskInput, type PairwiseKey } from '../privacy/secagg/masking.js';

const LENGTH = 1_000_000;
const NEIGHBOURS = 20;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function timeOnce(fn: () => unknown): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

/**
 * Times `subject` and `baseline` alternately, `runs` times each after warm-up, so load changes on a shared
 * machine hit both alike; returns the median times and the median of the per-pair ratios baseline/subject.
 */
function paired(subject: () => unknown, baseline: () => unknown, runs: number): { ms: number; baselineMs: number; ratio: number } {
  for (let i = 0; i < 3; i++) {
    subject();
    baseline();
  }
  const s: number[] = [];
  const b: number[] = [];
  const r: number[] = [];
  for (let i = 0; i < runs; i++) {
    const tb = timeOnce(baseline);
    const ts = timeOnce(subject);
    s.push(ts);
    b.push(tb);
    r.push(tb / ts);
  }
  return { ms: median(s), baselineMs: median(b), ratio: median(r) };
}

/**
 * Runs the benchmark and prints the figures (`--json` for JSON).
 * Baseline: one `cipher.update` of a preallocated zero buffer of 4·LENGTH bytes with a fresh AES-256-CTR
 * cipher — the bare keystream the masks are made of, measured in the same run.
 * (1) fillMask of a LENGTH-entry Uint32Array (M = 2^32, also 2^20 and a rejection-sampled prime modulus);
 * (2) maskInput with 20 pairwise keys + 1 self seed against 21 bare keystream expansions.
 */
export async function run(args: string[]): Promise<void> {
  const runs = args.includes('--quick') ? 3 : 9;
  const keys = Array.from({ length: NEIGHBOURS + 1 }, () => new Uint8Array(randomBytes(32)));
  const zero = Buffer.alloc(LENGTH * 4);
  const iv = Buffer.alloc(16);
  let sink = 0;
  let turn = 0;
  const rawOnce = (): void => {
    sink += createCipheriv('aes-256-ctr', keys[turn++ % keys.length]!, iv).update(zero)[0]!;
  };
  const out = new Uint32Array(LENGTH);
  const expand = (modulus: number): { ms: number; baselineMs: number; ratio: number } =>
    paired(() => fillMask(out, keys[turn++ % keys.length]!, modulus), rawOnce, runs * 2);
  const e32 = expand(2 ** 32);
  const e20 = expand(2 ** 20);
  const ePrime = expand(2 ** 31 + 11);
  const acc = new Uint32Array(LENGTH);
  const add = paired(() => addMask(acc, keys[turn++ % keys.length]!, 1, 2 ** 32), rawOnce, runs * 2);
  const input = Uint32Array.from({ length: LENGTH }, (_, i) => (i * 2654435761) >>> 0);
  const pairwise: PairwiseKey[] = keys.slice(1).map((key, j) => ({ peerId: j < 10 ? j : j + 1, key }));
  const mask = paired(
    () => (sink += maskInput(input, keys[0]!, pairwise, 10, 2 ** 32)[0]!),
    () => {
      for (let k = 0; k <= NEIGHBOURS; k++) rawOnce();
    },
    runs,
  );
  await Promise.resolve();
  const mbps = (ms: number): number => (LENGTH * 4) / 1e6 / (ms / 1000);
  const raw = e32.baselineMs;
  const result = {
    name: 'privacy-masking',
    length: LENGTH,
    neighbours: NEIGHBOURS,
    runs,
    rawKeystreamMs: raw,
    rawKeystreamMBps: mbps(raw),
    expandMs: { m2p32: e32.ms, m2p20: e20.ms, prime2p31plus11: ePrime.ms },
    expansionOverRaw: { m2p32: e32.ratio, m2p20: e20.ratio, prime2p31plus11: ePrime.ratio },
    addMaskMs: add.ms,
    addMaskOverRaw: add.ratio,
    maskInputMs: mask.ms,
    bare21KeystreamsMs: mask.baselineMs,
    maskingOverBare: mask.ratio,
    targets: { expansionOverRaw: 0.8, maskingOverBare: 0.7 },
    sink: sink % 2,
  };
  if (args.includes('--json')) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  process.stdout.write(
    `privacy-masking: raw AES-256-CTR keystream ${raw.toFixed(2)} ms per ${LENGTH} words (${result.rawKeystreamMBps.toFixed(0)} MB/s)\n` +
      `  mask expansion (median ratio raw/expansion) M=2^32 ${e32.ms.toFixed(2)} ms (${e32.ratio.toFixed(2)}), M=2^20 ${e20.ms.toFixed(2)} ms (${e20.ratio.toFixed(2)}), ` +
      `M=2^31+11 ${ePrime.ms.toFixed(2)} ms (${ePrime.ratio.toFixed(2)}); target ≥ 0.8\n` +
      `  addMask (expand + add in place) ${add.ms.toFixed(2)} ms (${add.ratio.toFixed(2)})\n` +
      `  maskInput ${LENGTH} entries, ${NEIGHBOURS} neighbours + self: ${mask.ms.toFixed(1)} ms vs 21 bare keystreams ${mask.baselineMs.toFixed(1)} ms → ${mask.ratio.toFixed(2)}; target ≥ 0.7\n`,
  );
}
