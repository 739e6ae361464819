/** One SecAgg+ benchmark cell: n in-process banks and one coordinator over d parameters with a dropout fraction, CPU-timed per side, vs plain FedAvg. */
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { RandomReader } from '../common/random.js';
import { seededRandom } from '../common/seeded-random.js';
import type { Weights } from '../common/weights.js';
import { weightedMean } from '../coordinator/strategy/aggregate.js';
import { checkSecAggConfig, createSecAggClient, createSecAggServer, SECAGG_STAGES, type SecAggClient, type SecAggJobConfig } from '../privacy/secagg/protocol/index.js';

/** What one cell measures. */
export interface CellResult {
  readonly n: number;
  readonly d: number;
  readonly dropout: number;
  readonly modulus: number;
  readonly k: number;
  readonly t: number;
  /** Attempts until one completed (an aborted attempt is retried with fresh keys, as the coordinator does). */
  readonly attempts: number;
  readonly completed: boolean;
  readonly survivors: number;
  /** Mean CPU ms per bank for its four stages (client side). */
  readonly clientMs: number;
  /** Coordinator CPU ms for the completed attempt: every receive and close, then finish. */
  readonly coordinatorMs: number;
  /** The aggregation part of it: receiving (decoding) the masked vectors, summing, reconstructing, unmasking, dequantising. */
  readonly aggregationMs: number;
  /** Plain FedAvg CPU ms over the same survivors (weightedMean of float32 updates), mean of repeated runs. */
  readonly plainMs: number;
  /** aggregationMs / plainMs. */
  readonly timeRatio: number;
  /** coordinatorMs / plainMs. */
  readonly totalRatio: number;
  /** Bytes a surviving bank sends (all four messages) and receives. */
  readonly bytesUpPerBank: number;
  readonly bytesDownPerBank: number;
  /** The plain float32 update: 4·d bytes. */
  readonly plainBytes: number;
  readonly bytesRatio: number;
}

const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

// Ed25519 identity keys in tweetnacl's layout, derived with node:crypto.
function identity(seed: Uint8Array): { publicKey: Uint8Array; secretKey: Uint8Array } {
  const priv = createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]), format: 'der', type: 'pkcs8' });
  const publicKey = new Uint8Array(createPublicKey(priv).export({ format: 'der', type: 'spki' }).subarray(12));
  const secretKey = new Uint8Array(64);
  secretKey.set(seed);
  secretKey.set(publicKey, 32);
  return { publicKey, secretKey };
}

/**
 * The settings an operator would pick for an expected dropout fraction: the defaults up to 10 %; for 30 %
 * a wider graph, k = 10·⌈log2 n⌉, with the smallest secure threshold ⌊(k + 1)/2⌋ + 1 (docs/secagg-protocol.md).
 */
export function configFor(n: number, dropout: number, modulus?: number): SecAggJobConfig {
  const base: SecAggJobConfig = modulus === undefined ? {} : { modulus };
  if (dropout <= 0.1) return base;
  let k = Math.min(n - 1, 10 * Math.ceil(Math.log2(n)));
  if ((n * k) % 2 === 1) k = k + 1 <= n - 1 ? k + 1 : k - 1;
  return { ...base, neighbours: k, threshold: Math.floor((k + 1) / 2) + 1 };
}

/** Runs one cell; ⌊dropout·n⌋ banks chosen at random go silent after share keys (the costliest stage to drop at). */
export function runCell(n: number, d: number, dropout: number, seed: string, modulus?: number): CellResult {
  const config = configFor(n, dropout, modulus);
  const resolved = checkSecAggConfig(config, n, d);
  const rng = seededRandom(`${seed}/cohort`);
  const pool = Array.from({ length: 4 }, (_, p) => Float32Array.from({ length: d }, (_, j) => Math.sin(j * 0.001 + p) * 0.5));
  const banks = Array.from({ length: n }, (_, i) => {
    const s = new Uint8Array(32);
    rng.fill(s);
    const id = identity(s);
    return { memberId: `bank-${i + 1}`, numericId: i + 1, id, update: pool[i % 4]!, numExamples: 100 + ((i * 37) % 900) };
  });
  const members = banks.map((b) => ({ memberId: b.memberId, numericId: b.numericId, identityPublicKey: b.id.publicKey }));
  for (let attempt = 0; attempt < 5; attempt++) {
    const ctx = { jobId: 'bench', round: 1, attempt };
    const silent = new Set(new RandomReader(seededRandom(`${seed}/drop/${attempt}`)).shuffle(banks.map((b) => b.memberId)).slice(0, Math.floor(dropout * n)));
    let coordinator = 0;
    let aggregation = 0;
    let client = 0;
    const up = new Map<string, number>();
    const down = new Map<string, number>();
    let t0 = cpuMs();
    const server = createSecAggServer({ ...ctx, members, dimension: d, config, rng: seededRandom(`${seed}/server/${attempt}`) });
    coordinator += cpuMs() - t0;
    const clients = new Map<string, SecAggClient>(
      banks.map((b) => [b.memberId, createSecAggClient({ ...ctx, memberId: b.memberId, numericId: b.numericId, signingKey: b.id.secretKey, dimension: d, config, rng: seededRandom(`${seed}/bank/${b.memberId}/${attempt}`) })]),
    );
    let payloads: ReadonlyMap<string, Uint8Array> = new Map(banks.map((b) => [b.memberId, new Uint8Array(0)]));
    let done = false;
    for (const stage of SECAGG_STAGES) {
      // Each side is timed as one block per stage: cpuUsage ticks are too coarse for one message.
      const active = banks.filter((b) => payloads.has(b.memberId) && (stage === 'advertise' || stage === 'share-keys' || !silent.has(b.memberId)));
      t0 = cpuMs();
      const sent = active.map((b) => {
        const input = payloads.get(b.memberId)!;
        const c = clients.get(b.memberId)!;
        return stage === 'advertise' ? c.advertise() : stage === 'share-keys' ? c.shareKeys(input) : stage === 'masked-input' ? c.maskedInput(input, b.update, b.numExamples) : c.unmask(input);
      });
      client += cpuMs() - t0;
      t0 = cpuMs();
      active.forEach((b, i) => server.receive(stage, b.memberId, sent[i]!));
      const receiveMs = cpuMs() - t0;
      coordinator += receiveMs;
      if (stage === 'masked-input' || stage === 'unmask') aggregation += receiveMs;
      active.forEach((b, i) => {
        down.set(b.memberId, (down.get(b.memberId) ?? 0) + payloads.get(b.memberId)!.length);
        up.set(b.memberId, (up.get(b.memberId) ?? 0) + sent[i]!.length);
      });
      t0 = cpuMs();
      const outcome = server.close(stage);
      const closeMs = cpuMs() - t0;
      coordinator += closeMs;
      if (stage === 'masked-input' || stage === 'unmask') aggregation += closeMs;
      if (outcome.status === 'aborted') break;
      if (outcome.status === 'done') {
        done = true;
        break;
      }
      payloads = outcome.payloads;
    }
    if (!done) continue;
    t0 = cpuMs();
    const result = server.finish();
    coordinator += cpuMs() - t0;
    aggregation += cpuMs() - t0;
    const surviving = banks.filter((b) => result.survivors.includes(b.memberId));
    const plainMs = plainFedAvg(surviving.map((b) => b.update), surviving.map((b) => b.numExamples));
    const mean = (m: Map<string, number>) => surviving.reduce((a, b) => a + m.get(b.memberId)!, 0) / surviving.length;
    const perBankUp = mean(up);
    return {
      n,
      d,
      dropout,
      modulus: resolved.modulus,
      k: resolved.neighbours,
      t: resolved.threshold,
      attempts: attempt + 1,
      completed: true,
      survivors: result.numSurvivors,
      clientMs: client / n,
      coordinatorMs: coordinator,
      aggregationMs: aggregation,
      plainMs,
      timeRatio: aggregation / plainMs,
      totalRatio: coordinator / plainMs,
      bytesUpPerBank: perBankUp,
      bytesDownPerBank: mean(down),
      plainBytes: 4 * d,
      bytesRatio: perBankUp / (4 * d),
    };
  }
  return { n, d, dropout, modulus: resolved.modulus, k: resolved.neighbours, t: resolved.threshold, attempts: 5, completed: false, survivors: 0, clientMs: NaN, coordinatorMs: NaN, aggregationMs: NaN, plainMs: NaN, timeRatio: NaN, totalRatio: NaN, bytesUpPerBank: NaN, bytesDownPerBank: NaN, plainBytes: 4 * d, bytesRatio: NaN };
}

// Plain FedAvg's aggregation over the survivors' float32 updates (zero-copy views, as decoded from gRPC bytes).
function plainFedAvg(updates: readonly Float32Array[], weights: readonly number[]): number {
  const sets: Weights[] = updates.map((u) => [{ name: 'w', shape: [u.length], values: u }]);
  // Repeated until 200 ms of CPU have passed (at least 3 runs): small cells take well under one cpuUsage tick.
  let runs = 0;
  const t0 = cpuMs();
  while (runs < 3 || cpuMs() - t0 < 200) {
    weightedMean(sets, weights);
    runs++;
  }
  return (cpuMs() - t0) / runs;
}
