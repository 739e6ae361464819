/** Mask expansion vs the raw AES-256-CTR keystream of node:crypto, and masking a 1,000,000-entry vector with 20 neighbours. */
import { createCipheriv, randomBytes } from 'node:crypto';
import { addKernel } from '../privacy/secagg/add-kernel.js';
import { addMask, fillMask } from '../privacy/secagg/prg.js';
import { maskInput, type PairwiseKey } from '../privacy/secagg/masking.js';
import type { PartResult } from './summary.js';

const LENGTH = 1_000_000;
const NEIGHBOURS = 20;
// The masks' own chunk size (privacy/secagg/prg.ts): the fair baseline asks node:crypto for keystream the same way.
const CHUNK_BYTES = 1 << 16;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

// CPU time of this process in ms: on a shared, loaded machine it moves far less than wall time, and both sides of
// every ratio are single-threaded synchronous work on the main thread, so it counts the same work for both.
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function timeOnce(fn: () => unknown): { cpu: number; wall: number } {
  const c0 = cpuMs();
  const w0 = performance.now();
  fn();
  return { wall: performance.now() - w0, cpu: cpuMs() - c0 };
}

interface Paired {
  readonly ms: number;
  readonly baselineMs: number;
  readonly wallMs: number;
  readonly ratio: number;
}

/**
 * Times `subject` and `baseline` alternately, `runs` times each after warm-up, so load changes hit both alike;
 * returns median CPU times, the median wall time of the subject and the median of the per-pair ratios baseline/subject.
 */
function paired(subject: () => unknown, baseline: () => unknown, runs: number): Paired {
  for (let i = 0; i < 3; i++) {
    subject();
    baseline();
  }
  const s: number[] = [];
  const b: number[] = [];
  const w: number[] = [];
  const r: number[] = [];
  for (let i = 0; i < runs; i++) {
    const tb = timeOnce(baseline);
    const ts = timeOnce(subject);
    s.push(ts.cpu);
    b.push(tb.cpu);
    w.push(ts.wall);
    r.push(tb.cpu / ts.cpu);
  }
  return { ms: median(s), baselineMs: median(b), wallMs: median(w), ratio: median(r) };
}

/**
 * Measures and returns the figures. Baselines, measured in the same run:
 * - raw keystream, chunked: a fresh AES-256-CTR cipher, `cipher.update` of a 64 KiB zero buffer until 4·LENGTH bytes
 *   (the same chunking the masks use, and the faster way to get keystream from node:crypto);
 * - raw keystream, one shot: one `cipher.update` of a 4·LENGTH-byte zero buffer (reported for reference).
 * Subjects: fillMask of a LENGTH-entry vector (M = 2^32, 2^20 and a prime), addMask, and maskInput with 20 pairwise
 * keys + 1 self seed against 21 chunked raw keystreams.
 */
export async function measure(args: string[]): Promise<PartResult> {
  const runs = args.includes('--quick') ? 5 : 11;
  const keys = Array.from({ length: NEIGHBOURS + 1 }, () => new Uint8Array(randomBytes(32)));
  const zeroAll = Buffer.alloc(LENGTH * 4);
  const zeroChunk = Buffer.alloc(CHUNK_BYTES);
  const iv = Buffer.alloc(16);
  let sink = 0;
  let turn = 0;
  const rawChunked = (): void => {
    const c = createCipheriv('aes-256-ctr', keys[turn++ % keys.length]!, iv);
    for (let off = 0; off < LENGTH * 4; off += CHUNK_BYTES) sink += c.update(off + CHUNK_BYTES <= LENGTH * 4 ? zeroChunk : zeroChunk.subarray(0, LENGTH * 4 - off))[0]!;
  };
  const rawOneShot = (): void => {
    sink += createCipheriv('aes-256-ctr', keys[turn++ % keys.length]!, iv).update(zeroAll)[0]!;
  };
  const out = new Uint32Array(LENGTH);
  const expand = (modulus: number): Paired => paired(() => fillMask(out, keys[turn++ % keys.length]!, modulus), rawChunked, runs * 2);
  const e32 = expand(2 ** 32);
  const e20 = expand(2 ** 20);
  const ePrime = expand(2 ** 31 + 11);
  const oneShot = paired(rawOneShot, rawChunked, runs);
  const acc = new Uint32Array(LENGTH);
  const add = paired(() => addMask(acc, keys[turn++ % keys.length]!, 1, 2 ** 32), rawChunked, runs * 2);
  const input = Uint32Array.from({ length: LENGTH }, (_, i) => (i * 2654435761) >>> 0);
  const pairwise: PairwiseKey[] = keys.slice(1).map((key, j) => ({ peerId: j < 10 ? j : j + 1, key }));
  const mask = paired(
    () => (sink += maskInput(input, keys[0]!, pairwise, 10, 2 ** 32)[0]!),
    () => {
      for (let k = 0; k <= NEIGHBOURS; k++) rawChunked();
    },
    runs,
  );
  await Promise.resolve();
  const mbps = (ms: number): number => (LENGTH * 4) / 1e6 / (ms / 1000);
  const raw = e32.baselineMs;
  const result = {
    name: 'privacy-masking',
    clock: 'process CPU time (user + system)',
    addKernel: addKernel().kind,
    length: LENGTH,
    neighbours: NEIGHBOURS,
    runs,
    rawKeystreamMs: raw,
    rawKeystreamMBps: mbps(raw),
    oneShotKeystreamMs: oneShot.ms,
    expandMs: { m2p32: e32.ms, m2p20: e20.ms, prime2p31plus11: ePrime.ms },
    expansionOverRaw: { m2p32: e32.ratio, m2p20: e20.ratio, prime2p31plus11: ePrime.ratio },
    addMaskMs: add.ms,
    addMaskOverRaw: add.ratio,
    maskInputMs: mask.ms,
    maskInputWallMs: mask.wallMs,
    bare21KeystreamsMs: mask.baselineMs,
    maskingOverBare: mask.ratio,
    targets: { expansionOverRaw: 0.8, maskingOverBare: 0.7 },
    sink: sink % 2,
  };
  const text =
    `privacy-masking (CPU ms, add kernel ${result.addKernel}): raw AES-256-CTR keystream ${raw.toFixed(2)} ms per ${LENGTH} words in 64 KiB updates ` +
    `(${result.rawKeystreamMBps.toFixed(0)} MB/s; one 4 MB update ${oneShot.ms.toFixed(2)} ms)\n` +
    `  mask expansion (median ratio raw/expansion) M=2^32 ${e32.ms.toFixed(2)} ms (${e32.ratio.toFixed(2)}), M=2^20 ${e20.ms.toFixed(2)} ms (${e20.ratio.toFixed(2)}), ` +
    `M=2^31+11 ${ePrime.ms.toFixed(2)} ms (${ePrime.ratio.toFixed(2)})\n` +
    `  addMask (expand + add in place) ${add.ms.toFixed(2)} ms (${add.ratio.toFixed(2)})\n` +
    `  maskInput ${LENGTH} entries, ${NEIGHBOURS} neighbours + self: ${mask.ms.toFixed(1)} ms CPU (${mask.wallMs.toFixed(1)} ms wall) vs 21 raw keystreams ${mask.baselineMs.toFixed(1)} ms`;
  return {
    result,
    text,
    rows: [
      { metric: 'mask expansion M=2^32 / raw keystream', value: e32.ratio, unit: 'x', target: '>= 0.8', ok: e32.ratio >= 0.8 },
      { metric: 'maskInput 1e6 x 20 neighbours / 21 raw keystreams', value: mask.ratio, unit: 'x', target: '>= 0.7', ok: mask.ratio >= 0.7 },
    ],
  };
}
