/** A typed client of the Admin service's operator calls: model export (streamed), privacy ledger, audit tail. */
import * as grpc from '@grpc/grpc-js';
import { FedfinError } from '../common/errors.js';
import { decodeWeights } from '../common/weights-codec.js';
import type { Weights } from '../common/weights.js';
import { loadProtos } from '../proto/loader.js';
import type { AdminClient as WireAdminClient } from '../proto/generated/fedfin/v1/Admin.js';
import type { GetLedgerResponse__Output } from '../proto/generated/fedfin/v1/GetLedgerResponse.js';
import type { ModelExportMessage__Output } from '../proto/generated/fedfin/v1/ModelExportMessage.js';
import type { TailAuditResponse__Output } from '../proto/generated/fedfin/v1/TailAuditResponse.js';
import { parseAnyModelMetadata, type AnyModelMetadata } from '../tasks/model-package-kinds.js';
import { adminError } from './admin-client.js';

/** One bank's spend on one job, with what is left of the job's budget. */
export interface LedgerRowView {
  readonly jobId: string;
  readonly jobName: string;
  readonly schema: string;
  readonly memberId: string;
  readonly rounds: number;
  readonly lastRound: number;
  /** The bank's cumulative ε for the job after its last round. */
  readonly epsilon: number;
  readonly delta: number;
  readonly maxEpsilon: number;
  readonly epsilonLeft: number;
  readonly noiseMultipliers: readonly number[];
  readonly sampleRate: number;
  readonly accountant: string;
  readonly unit: string;
}

/** One audit entry; `detail` parsed from JSON. */
export interface AuditEntryView {
  readonly seq: number;
  readonly at: string;
  readonly type: string;
  readonly jobId: string;
  readonly memberId: string;
  readonly actor: string;
  readonly detail: Readonly<Record<string, unknown>>;
  readonly prevHash: string;
  readonly hash: string;
}

/** A page of the audit log with the chain status of the entries in it. */
export interface AuditTailView {
  readonly entries: readonly AuditEntryView[];
  readonly chainOk: boolean;
  readonly chainProblem: string;
  readonly lastSeq: number;
}

/** A downloaded model: its metadata and checkpoint weights. */
export interface ExportedModel {
  readonly metadata: AnyModelMetadata;
  readonly weights: Weights;
}

/** The operator calls over one gRPC channel. Call `close()` when done. */
export class AdminOpsClient {
  private readonly client: WireAdminClient;

  /** @param address `host:port` of the coordinator. */
  constructor(
    readonly address: string,
    private readonly callTimeoutMs = 10_000,
    credentials: grpc.ChannelCredentials = grpc.credentials.createInsecure(),
  ) {
    const Ctor = loadProtos().admin.fedfin.v1.Admin;
    this.client = new Ctor(address, credentials);
  }

  /**
   * Downloads a job's model: the final one of a completed job (`round` 0) or a chosen committed round.
   * @throws FedfinError('job-not-found'); FedfinError('config-invalid') for an unfinished job (the message names
   *   its last good round) or an unavailable round; FedfinError('protocol-violation') for a broken stream.
   */
  async exportModel(jobId: string, round = 0): Promise<ExportedModel> {
    const stream = this.client.ExportModel({ job_id: jobId, round }, { deadline: Date.now() + this.callTimeoutMs });
    let header: ModelExportMessage__Output['header'];
    let buf: Uint8Array | undefined;
    let received = 0;
    try {
      for await (const m of stream as AsyncIterable<ModelExportMessage__Output>) {
        if (m.header) {
          header = m.header;
          buf = new Uint8Array(Number(header.total_bytes));
        } else if (m.chunk) {
          const data = m.chunk.data;
          if (!buf || Number(m.chunk.offset) !== received || received + data.length > buf.length) throw new FedfinError('protocol-violation', `export of ${jobId}: chunk at ${String(m.chunk.offset)} out of order (expected ${received})`);
          buf.set(data, received);
          received += data.length;
        }
      }
    } catch (err) {
      if (err instanceof FedfinError) throw err;
      throw adminError(err, this.address, 'export model');
    }
    if (!header || !buf || received !== buf.length) throw new FedfinError('protocol-violation', `export of ${jobId}: the stream ended after ${received} of ${buf?.length ?? '?'} bytes`);
    const metadata = parseAnyModelMetadata(header.metadata_json, `model metadata of ${jobId}`);
    return { metadata, weights: decodeWeights(header.headers.map((h) => ({ name: h.name, shape: [...h.shape] })), buf) };
  }

  /** Privacy spend per job and bank (filters optional). @throws FedfinError('job-not-found') for an unknown job. */
  async ledger(filter: { jobId?: string; memberId?: string } = {}): Promise<LedgerRowView[]> {
    const res = await this.unary<GetLedgerResponse__Output>('ledger', (o, cb) => this.client.GetLedger({ job_id: filter.jobId ?? '', member_id: filter.memberId ?? '' }, o, cb));
    return res.rows.map((r) => ({
      jobId: r.job_id, jobName: r.job_name, schema: r.schema, memberId: r.member_id, rounds: r.rounds, lastRound: r.last_round,
      epsilon: r.epsilon, delta: r.delta, maxEpsilon: r.max_epsilon, epsilonLeft: r.epsilon_left, noiseMultipliers: [...r.noise_multipliers],
      sampleRate: r.sample_rate, accountant: r.accountant, unit: r.unit,
    }));
  }

  /**
   * Audit entries: the newest `last` (afterSeq 0) or those after `afterSeq`, oldest first, at most `limit`.
   */
  async tailAudit(options: { afterSeq?: number; last?: number; limit?: number }): Promise<AuditTailView> {
    const res = await this.unary<TailAuditResponse__Output>('audit tail', (o, cb) => this.client.TailAudit({ after_seq: options.afterSeq ?? 0, last: options.last ?? 0, limit: options.limit ?? 0 }, o, cb));
    return {
      entries: res.entries.map((e) => ({
        seq: Number(e.seq), at: e.at, type: e.type, jobId: e.job_id, memberId: e.member_id, actor: e.actor,
        detail: JSON.parse(e.detail_json) as Record<string, unknown>, prevHash: e.prev_hash, hash: e.hash,
      })),
      chainOk: res.chain_ok,
      chainProblem: res.chain_problem,
      lastSeq: Number(res.last_seq),
    };
  }

  /**
   * One page of raw audit rows (detail as stored, signature), oldest first, for client-side verification
   * (`fedfin admin audit verify`), which must not trust the coordinator's own chain check.
   */
  async auditPage(afterSeq: number, limit = 1000): Promise<{ rows: { seq: number; at: string; type: string; jobId: string; memberId: string; actor: string; detailJson: string; prevHash: string; hash: string; signature: string }[]; lastSeq: number }> {
    const res = await this.unary<TailAuditResponse__Output>('audit verify', (o, cb) => this.client.TailAudit({ after_seq: afterSeq, last: 0, limit }, o, cb));
    return {
      rows: res.entries.map((e) => ({ seq: Number(e.seq), at: e.at, type: e.type, jobId: e.job_id, memberId: e.member_id, actor: e.actor, detailJson: e.detail_json, prevHash: e.prev_hash, hash: e.hash, signature: e.signature })),
      lastSeq: Number(res.last_seq),
    };
  }

  /** Closes the channel. */
  close(): void {
    this.client.close();
  }

  private unary<Res>(what: string, invoke: (options: grpc.CallOptions, callback: (err: grpc.ServiceError | null, res?: Res) => void) => unknown): Promise<Res> {
    return new Promise((resolve, reject) => {
      invoke({ deadline: Date.now() + this.callTimeoutMs }, (err, res) => (err || res === undefined ? reject(adminError(err ?? new Error('empty response'), this.address, what)) : resolve(res)));
    });
  }
}
