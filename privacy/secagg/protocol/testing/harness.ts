/** Test and bench harness: a cohort of in-process banks and one coordinator running a SecAgg+ round, with dropouts, tampering and a byte log. */
import { seededRandom } from '../../../../common/seeded-random.js';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import type { SigningKeyPair } from '../../signatures.js';
import { createSecAggClient } from '../client.js';
import { checkSecAggConfig } from '../config.js';
import { quantiseUpdate } from '../quantise-update.js';
import { createSecAggServer, restoreSecAggServer } from '../server.js';
import { SECAGG_STAGES, type ReceiveOutcome, type ResolvedSecAggConfig, type SecAggClient, type SecAggJobConfig, type SecAggMember, type SecAggResult, type SecAggServer, type SecAggStage } from '../types.js';

/** One simulated bank. */
export interface Bank {
  readonly member: SecAggMember;
  readonly signing: SigningKeyPair;
  readonly update: Float32Array;
  readonly numExamples: number;
  /** Seed of the bank's inputRng, so a test can recompute its quantised vector. */
  readonly inputSeed: string;
}

export interface Cohort {
  readonly jobId: string;
  readonly round: number;
  readonly attempt: number;
  readonly dimension: number;
  readonly config: SecAggJobConfig;
  readonly banks: readonly Bank[];
  readonly seed: string;
}

// Ed25519 identity keys in tweetnacl's layout (seed ‖ public key), derived with node:crypto (tweetnacl is ~100× slower).
function signingKeyPair(rng: { fill(out: Uint8Array): void }): SigningKeyPair {
  const seed = new Uint8Array(32);
  rng.fill(seed);
  const priv = createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]), format: 'der', type: 'pkcs8' });
  const publicKey = new Uint8Array(createPublicKey(priv).export({ format: 'der', type: 'spki' }).subarray(12));
  const secretKey = new Uint8Array(64);
  secretKey.set(seed);
  secretKey.set(publicKey, 32);
  return { publicKey, secretKey };
}

/** n banks with random updates in [−scale, scale] and random example counts. */
export function makeCohort(n: number, dimension: number, config: SecAggJobConfig, seed = 'cohort', scale = 1): Cohort {
  const rng = seededRandom(`${seed}/cohort`);
  const bytes = new Uint8Array(4);
  const uniform = (): number => {
    rng.fill(bytes);
    return new DataView(bytes.buffer).getUint32(0) / 2 ** 32;
  };
  const banks = Array.from({ length: n }, (_, i) => {
    const signing = signingKeyPair(rng);
    const update = new Float32Array(dimension);
    for (let j = 0; j < dimension; j++) update[j] = (2 * uniform() - 1) * scale;
    return {
      member: { memberId: `bank-${String(i + 1).padStart(3, '0')}`, numericId: BigInt(1000 + 7 * i), identityPublicKey: signing.publicKey },
      signing,
      update,
      numExamples: 1 + Math.floor(uniform() * 2000),
      inputSeed: `${seed}/input/${i}`,
    };
  });
  return { jobId: 'job-secagg', round: 3, attempt: 0, dimension, config, banks, seed };
}

/** Which members stay silent from which stage on (a member silent at a stage is silent afterwards too). */
export type DropPlan = Partial<Record<SecAggStage, ReadonlySet<string>>>;

export interface RunOptions {
  readonly drop?: DropPlan;
  /** Rewrites a message before the coordinator sees it (tampering); `undefined` = deliver as is. */
  readonly tamperUp?: (stage: SecAggStage, memberId: string, bytes: Uint8Array) => Uint8Array | undefined;
  /** Rewrites a payload before a bank sees it. */
  readonly tamperDown?: (stage: SecAggStage, memberId: string, bytes: Uint8Array) => Uint8Array | undefined;
  /** Round-trips the coordinator through toState/restore before and after every close. */
  readonly persist?: boolean;
  /** Extra deliveries after a stage closed (stragglers / replays): [afterStage, stage, memberId, bytes]. */
  readonly afterClose?: (stage: SecAggStage, server: SecAggServer, sent: ReadonlyMap<string, Uint8Array>) => void;
}

/** One message the coordinator received, with what it said. */
export interface Receipt {
  readonly stage: SecAggStage;
  readonly memberId: string;
  readonly bytes: Uint8Array;
  readonly outcome: ReceiveOutcome;
}

export interface RunResult {
  readonly status: 'done' | 'aborted';
  readonly reason?: string;
  readonly result?: SecAggResult;
  readonly receipts: readonly Receipt[];
  /** Errors banks raised (a bank that refuses a payload stays silent from then on). */
  readonly clientErrors: ReadonlyMap<string, unknown>;
  readonly clients: ReadonlyMap<string, SecAggClient>;
  readonly server: SecAggServer;
  /** The payload each bank was given per stage (after tamperDown). */
  readonly delivered: ReadonlyMap<SecAggStage, ReadonlyMap<string, Uint8Array>>;
}

/** Runs one round attempt in-process. */
export function runRound(cohort: Cohort, options: RunOptions = {}): RunResult {
  const { jobId, round, attempt, dimension, config } = cohort;
  const ctx = { jobId, round, attempt };
  let server = createSecAggServer({ ...ctx, members: cohort.banks.map((b) => b.member), dimension, config, rng: seededRandom(`${cohort.seed}/server`) });
  const reload = (): void => {
    if (options.persist) server = restoreSecAggServer(server.toState(), seededRandom(`${cohort.seed}/server/resumed`));
  };
  const clients = new Map<string, SecAggClient>();
  for (const b of cohort.banks) {
    clients.set(
      b.member.memberId,
      createSecAggClient({ ...ctx, memberId: b.member.memberId, numericId: b.member.numericId, signingKey: b.signing.secretKey, dimension, config, rng: seededRandom(`${cohort.seed}/bank/${b.member.memberId}`), inputRng: seededRandom(b.inputSeed) }),
    );
  }
  const receipts: Receipt[] = [];
  const clientErrors = new Map<string, unknown>();
  const silent = new Set<string>();
  const delivered = new Map<SecAggStage, Map<string, Uint8Array>>();
  let payloads: ReadonlyMap<string, Uint8Array> = new Map(cohort.banks.map((b) => [b.member.memberId, new Uint8Array(0)]));
  for (const stage of SECAGG_STAGES) {
    for (const id of options.drop?.[stage] ?? []) silent.add(id);
    const sent = new Map<string, Uint8Array>();
    delivered.set(stage, new Map());
    for (const b of cohort.banks) {
      const id = b.member.memberId;
      const down = payloads.get(id);
      if (down === undefined || silent.has(id)) continue;
      const c = clients.get(id)!;
      let bytes: Uint8Array;
      try {
        const input = options.tamperDown?.(stage, id, down) ?? down;
        delivered.get(stage)!.set(id, input);
        bytes = stage === 'advertise' ? c.advertise() : stage === 'share-keys' ? c.shareKeys(input) : stage === 'masked-input' ? c.maskedInput(input, b.update, b.numExamples) : c.unmask(input);
      } catch (err) {
        clientErrors.set(id, err);
        silent.add(id);
        continue;
      }
      const up = options.tamperUp?.(stage, id, bytes) ?? bytes;
      sent.set(id, up);
      receipts.push({ stage, memberId: id, bytes: up, outcome: server.receive(stage, id, up) });
    }
    reload();
    const outcome = server.close(stage);
    reload();
    options.afterClose?.(stage, server, sent);
    if (outcome.status === 'aborted') return { status: 'aborted', reason: outcome.reason, receipts, clientErrors, clients, server, delivered };
    if (outcome.status === 'done') return { status: 'done', result: server.finish(), receipts, clientErrors, clients, server, delivered };
    payloads = outcome.payloads;
  }
  throw new Error('runRound: unreachable');
}

/** The config the coordinator sized for the banks that advertised. */
export function resolvedFor(cohort: Cohort, numAdvertised: number): ResolvedSecAggConfig {
  return checkSecAggConfig(cohort.config, numAdvertised, cohort.dimension);
}

/** A bank's quantised (+ noised) vector exactly as its client computed it (same inputRng stream). */
export function quantisedInput(cohort: Cohort, memberId: string, config: ResolvedSecAggConfig): Uint32Array {
  const b = cohort.banks.find((x) => x.member.memberId === memberId)!;
  return quantiseUpdate(b.update, b.numExamples, config, seededRandom(b.inputSeed));
}

/** Σ of the given members' quantised vectors mod M: what the unmasked sum must equal bit for bit. */
export function plainSum(cohort: Cohort, memberIds: readonly string[], config: ResolvedSecAggConfig): Uint32Array {
  const out = new Uint32Array(cohort.dimension + 1);
  for (const id of memberIds) {
    const x = quantisedInput(cohort, id, config);
    for (let i = 0; i < out.length; i++) out[i] = (out[i]! + x[i]!) % config.modulus;
  }
  return out;
}
