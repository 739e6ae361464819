/** The Admin service's operator handlers: export a job's model with its privacy statement, the privacy ledger, the audit tail. */
import * as grpc from '@grpc/grpc-js';
import { createHash } from 'node:crypto';
import type { Logger } from '../../common/log.js';
import { encodeWeights } from '../../common/weights-codec.js';
import type { Weights } from '../../common/weights.js';
import type { AdminHandlers } from '../../proto/generated/fedfin/v1/Admin.js';
import type { AuditEntry } from '../../proto/generated/fedfin/v1/AuditEntry.js';
import type { LedgerRow } from '../../proto/generated/fedfin/v1/LedgerRow.js';
import { parseEncodingStats } from '../../schema/encoding-stats.js';
import { canonicalJson } from '../../schema/encoding.js';
import { CHUNK_BYTES } from '../../schema/fleet.js';
import { parseJobSpec } from '../../schema/job-spec.js';
import { resolveSchema } from '../../schema/registry.js';
import { privacyStatement, PACKAGE_VERSION, type BankSpend, type ModelMetadata } from '../../tasks/model-package.js';
import type { MarketModelMetadata } from '../../tasks/market-forecast/package.js';
import { getTask } from '../../tasks/registry.js';
import { featureStepRecord } from '../../tasks/features/model-feature-step.js';
import { auditHash, GENESIS_HASH } from '../store/audit-chain.js';
import type { AuditEvent, JobRecord, LedgerEntry, Store } from '../store/store.js';
import { marketExportMetadata } from './export-market.js';
import { RpcError, toServiceError, unary } from './status.js';

/** The handlers this file adds to the Admin service. */
export type AdminOpsHandlers = Pick<AdminHandlers, 'ExportModel' | 'GetLedger' | 'TailAudit'>;

/** What the operator handlers need from the coordinator. */
export interface AdminOpsBackend {
  readonly store: Store;
  /**
   * The checkpoint of an earlier round. Optional because the Store contract only exposes the latest
   * checkpoint: without it, only the newest committed round can be exported.
   */
  readonly checkpointAt?: (jobId: string, round: number) => Promise<Weights | undefined>;
  /** The authenticated admin of a call (its certificate's CN), recorded as the actor of audit entries. @default 'admin' */
  readonly actorOf?: (call: object) => string;
}

const MAX_AUDIT = 1000;

/** Per bank, the newest ledger row of a job (its cumulative ε) and how many rounds it spent in. */
export function lastPerBank(entries: readonly LedgerEntry[]): Map<string, { last: LedgerEntry; rounds: number; noise: Set<number> }> {
  const out = new Map<string, { last: LedgerEntry; rounds: number; noise: Set<number> }>();
  for (const e of entries) {
    const cur = out.get(e.memberId);
    if (!cur) out.set(e.memberId, { last: e, rounds: 1, noise: new Set([e.noiseMultiplier]) });
    else {
      cur.rounds++;
      cur.noise.add(e.noiseMultiplier);
      if (e.round > cur.last.round) cur.last = e;
    }
  }
  return out;
}

async function jobOrThrow(store: Store, jobId: string): Promise<JobRecord> {
  const j = await store.getJob(jobId);
  if (!j) throw new RpcError(grpc.status.NOT_FOUND, `no job ${JSON.stringify(jobId.slice(0, 80))}`);
  return j;
}

/** Chooses the round to export and loads its weights, refusing unfinished jobs unless a round is chosen. */
async function exportedCheckpoint(backend: AdminOpsBackend, job: JobRecord, requested: number): Promise<{ round: number; weights: Weights }> {
  const latest = await backend.store.latestCheckpoint(job.jobId);
  const lastGood = latest?.round ?? 0;
  if (lastGood === 0) throw new RpcError(grpc.status.FAILED_PRECONDITION, `job ${job.jobId} is ${job.status} and has no committed round to export`);
  if (requested === 0) {
    if (job.status !== 'completed') {
      throw new RpcError(grpc.status.FAILED_PRECONDITION, `job ${job.jobId} is ${job.status}, not completed (${job.roundsDone}/${job.roundsTotal} rounds${job.reason ? `: ${job.reason}` : ''}); its last good round is ${lastGood}: export it with --round ${lastGood}`);
    }
    return { round: latest!.round, weights: latest!.weights };
  }
  if (requested > lastGood) throw new RpcError(grpc.status.FAILED_PRECONDITION, `job ${job.jobId} has committed rounds 1..${lastGood}; round ${requested} does not exist`);
  if (requested === lastGood) return { round: lastGood, weights: latest!.weights };
  const w = await backend.checkpointAt?.(job.jobId, requested);
  if (!w) throw new RpcError(grpc.status.FAILED_PRECONDITION, `round ${requested} of job ${job.jobId} cannot be exported by this coordinator: only its newest round (${lastGood}) is available`);
  return { round: requested, weights: w };
}

/**
 * The metadata of an exported model: task, schema id and hash, the model shape, the encoding
 * statistics with the federation's feature hash (the coordinator has no bank policy, so no full
 * EncodingSpec: `fedfin predict` rebuilds it at the bank), rounds, the round's metrics, the privacy statement.
 */
export async function exportMetadata(store: Store, job: JobRecord, round: number, now = new Date()): Promise<ModelMetadata | MarketModelMetadata> {
  const spec = parseJobSpec(job.specJson, `job spec of ${job.jobId}`);
  const schema = resolveSchema(spec.schema);
  if (!job.encodingStatsJson || !job.featureHash) throw new RpcError(grpc.status.FAILED_PRECONDITION, `job ${job.jobId} has no encoding statistics yet`);
  const stats = parseEncodingStats(JSON.parse(job.encodingStatsJson), `encoding stats of ${job.jobId}`);
  const rounds = await store.listRounds(job.jobId);
  const latest = await store.latestCheckpoint(job.jobId);
  const numFeatures = latest?.weights[0]?.shape[0] ?? 0;
  // Tasks that build their own examples (market-forecast windows) export a regression package.
  if (getTask(job.task).examples) return marketExportMetadata(store, job, round, now);
  const mlp = getTask(job.task).modelSpec(spec, numFeatures);
  if (mlp.kind === 'lstm') throw new RpcError(grpc.status.FAILED_PRECONDITION, `job ${job.jobId}: LSTM models cannot be exported yet`);
  const ledger = (await store.ledger({ jobId: job.jobId })).filter((e) => e.round <= round);
  const spends: BankSpend[] = [...lastPerBank(ledger).values()].map((b) => ({ memberId: b.last.memberId, epsilon: b.last.epsilonTotal, rounds: b.rounds, noiseMultiplier: b.last.noiseMultiplier }));
  const dp = spec.privacy.mode === 'dp-sgd' ? { delta: spec.privacy.delta, maxEpsilon: spec.privacy.maxEpsilon, clippingNorm: spec.privacy.clippingNorm } : undefined;
  return {
    format: 'fedfin-model',
    version: PACKAGE_VERSION,
    jobId: job.jobId,
    jobName: job.name,
    task: job.task,
    schema: { id: schema.id, hash: createHash('sha256').update(canonicalJson(schema)).digest('hex') },
    model: { kind: 'mlp', numFeatures: mlp.numFeatures, hiddenUnits: [...mlp.hiddenUnits], activation: mlp.activation, output: 'logit' },
    encoding: { schemaId: schema.id, featureHash: job.featureHash, numFeatures, includeSensitive: spec.encoding.includeSensitive, stats: { ...stats }, spec: null },
    features: featureStepRecord(schema),
    round,
    roundsCompleted: job.roundsDone,
    roundsTotal: job.roundsTotal,
    jobStatus: job.status,
    metrics: { ...(rounds.find((r) => r.round === round)?.metrics ?? {}) },
    privacy: privacyStatement(dp, spends),
    exportedAt: now.toISOString(),
  };
}

/** Ledger rows per (job, bank) with the job's budget. */
async function ledgerRows(store: Store, filter: { jobId?: string; memberId?: string }): Promise<LedgerRow[]> {
  const entries = await store.ledger(filter);
  const byJob = new Map<string, LedgerEntry[]>();
  for (const e of entries) byJob.set(e.jobId, [...(byJob.get(e.jobId) ?? []), e]);
  const rows: LedgerRow[] = [];
  for (const [jobId, es] of byJob) {
    const job = await store.getJob(jobId);
    const spec = job ? parseJobSpec(job.specJson, `job spec of ${jobId}`) : undefined;
    const max = spec?.privacy.mode === 'dp-sgd' ? spec.privacy.maxEpsilon : 0;
    for (const b of lastPerBank(es).values()) {
      const l = b.last;
      rows.push({
        job_id: jobId, job_name: job?.name ?? '', schema: spec?.schema ?? '', member_id: l.memberId, rounds: b.rounds, last_round: l.round,
        epsilon: l.epsilonTotal, delta: l.delta, max_epsilon: max, epsilon_left: Math.max(max - l.epsilonTotal, 0),
        noise_multipliers: [...b.noise].sort((x, y) => x - y), sample_rate: l.sampleRate, accountant: l.accountant, unit: l.unit,
      });
    }
  }
  return rows;
}

/** Checks each entry's hash and its link to the one before (`before`: the entry preceding the first, if any). */
export function checkChain(entries: readonly AuditEvent[], before: AuditEvent | undefined): { ok: boolean; problem: string } {
  let prev = before;
  for (const e of entries) {
    if (!prev && e.seq === 1 && e.prevHash !== GENESIS_HASH) return { ok: false, problem: 'entry 1 does not start from the genesis hash' };
    if (prev && e.prevHash !== prev.hash) return { ok: false, problem: `entry ${e.seq} does not link to entry ${prev.seq} (prevHash differs)` };
    if (auditHash(e.prevHash, e) !== e.hash) return { ok: false, problem: `entry ${e.seq}: its hash does not match its content` };
    prev = e;
  }
  return { ok: true, problem: '' };
}

const auditToWire = (e: AuditEvent): AuditEntry => ({
  seq: e.seq, at: e.at, type: e.type, job_id: e.jobId ?? '', member_id: e.memberId ?? '', actor: e.actor ?? '',
  detail_json: JSON.stringify(e.detail), prev_hash: e.prevHash, hash: e.hash, signature: e.signature ?? '',
});

/** Builds the ExportModel, GetLedger and TailAudit handlers; merge them into the Admin service's. */
export function createAdminOpsService(backend: AdminOpsBackend, logger: Logger): AdminOpsHandlers {
  const { store } = backend;
  return {
    ExportModel: (call) => {
      void (async () => {
        try {
          const job = await jobOrThrow(store, call.request.job_id);
          const { round, weights } = await exportedCheckpoint(backend, job, call.request.round);
          const meta = await exportMetadata(store, job, round);
          const { headers, bytes } = encodeWeights(weights);
          call.write({ header: { metadata_json: JSON.stringify(meta), headers: headers.map((h) => ({ name: h.name, shape: [...h.shape] })), total_bytes: bytes.length } });
          for (let off = 0; off < bytes.length; off += CHUNK_BYTES) {
            const end = Math.min(bytes.length, off + CHUNK_BYTES);
            call.write({ chunk: { offset: off, data: Buffer.from(bytes.buffer, bytes.byteOffset + off, end - off) } });
          }
          await store.appendAudit({ type: 'model-exported', jobId: job.jobId, actor: backend.actorOf?.(call) ?? 'admin', detail: { round, epsilon: meta.privacy.epsilon, featureHash: meta.encoding.featureHash } });
          call.end();
        } catch (err) {
          // emit('error'), not destroy(): only the 'error' handler sends the status (see fleet-service DownloadModel).
          call.emit('error', Object.assign(new Error('export failed'), toServiceError(err, logger, 'ExportModel')));
        }
      })();
    },
    GetLedger: unary(logger, 'GetLedger', async (req) => {
      if (req.job_id) await jobOrThrow(store, req.job_id);
      return { rows: await ledgerRows(store, { ...(req.job_id ? { jobId: req.job_id } : {}), ...(req.member_id ? { memberId: req.member_id } : {}) }) };
    }),
    TailAudit: unary(logger, 'TailAudit', async (req) => {
      const limit = Math.min(req.limit > 0 ? req.limit : MAX_AUDIT, MAX_AUDIT);
      const newest = await store.latestAuditSeq();
      const after = req.after_seq === 0 && req.last > 0 ? Math.max(newest - Math.min(req.last, limit), 0) : req.after_seq;
      const entries = await store.listAudit({ afterSeq: after, limit });
      const before = after > 0 ? (await store.listAudit({ afterSeq: after - 1, limit: 1 }))[0] : undefined;
      const chain = checkChain(entries, before);
      return { entries: entries.map(auditToWire), chain_ok: chain.ok, chain_problem: chain.problem, last_seq: newest };
    }),
  };
}
