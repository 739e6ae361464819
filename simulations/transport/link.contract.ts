/**
 * The coordinator-link contract: what the daemon's link must see from a real Coordinator, whatever carries
 * the bytes. Run against loopback gRPC (link-grpc.test.ts) and the in-process channel (in-process-channel.test.ts).
 */
import * as grpc from '@grpc/grpc-js';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../common/log.js';
import { encodeWeights } from '../../common/weights-codec.js';
import type { Weights } from '../../common/weights.js';
import { rpcCode, type GrpcLink, type GrpcLinkOptions, type JoinInfo } from '../../client/transport/grpc-link.js';
import { Coordinator } from '../../coordinator/coordinator.js';
import type { OpenInstruction } from '../../coordinator/fleet/dispatcher.js';
import { createSqliteStore } from '../../coordinator/store/sqlite-store.js';
import type { Store } from '../../coordinator/store/store.js';
import type { FleetStage, ResultInfo } from '../../schema/fleet.js';

/** A coordinator and a way to reach its Fleet service. */
export interface LinkHarness {
  readonly coordinator: Coordinator;
  /** A new daemon link to the coordinator. */
  link(options?: Omit<GrpcLinkOptions, 'client' | 'security'>): GrpcLink;
  close(): Promise<void>;
}

/** How a transport builds its harness around a coordinator that has not been started. */
export type HarnessFactory = (coordinator: Coordinator) => Promise<LinkHarness>;

const info = (memberId: string): JoinInfo => ({ memberId, acceptedTasks: ['credit-scoring'], tfBackend: 'cpu', softwareVersion: 'contract' });

/** 300,000 float32 (1.2 MB): more than one CHUNK_BYTES, so both directions are chunked. */
function model(fill: number): Weights {
  const n = 299_999;
  return [
    { name: 'dense_0/kernel', shape: [n, 1], values: new Float32Array(n).map((_, i) => fill + i * 1e-6) },
    { name: 'dense_0/bias', shape: [1], values: new Float32Array([fill]) },
  ];
}

const same = (a: Float32Array, b: Float32Array): boolean => Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

const SPEC = { name: 'contract', task: 'credit-scoring', schema: 'credit.v1', model: { type: 'logistic' }, rounds: 1, minBanks: 1000 };

/** Registers the contract suite for one transport. */
export function describeLinkContract(name: string, factory: HarnessFactory): void {
  describe(`coordinator link contract: ${name}`, () => {
    let store: Store;
    let h: LinkHarness;
    let jobId: string;
    const links: GrpcLink[] = [];
    const open = (): GrpcLink => {
      const l = h.link({ callTimeoutMs: 5000, pullGraceMs: 1000 });
      links.push(l);
      return l;
    };
    let n = 0;
    const offer = (memberId: string, stage: FleetStage, weights: Weights): OpenInstruction => {
      const { headers, bytes } = encodeWeights(weights);
      const ins: OpenInstruction = {
        memberId,
        headers,
        modelBytes: bytes,
        info: { instructionId: `${jobId}/r1/a1/${stage}/${memberId}/${++n}`, jobId, round: 1, stage, jobSpecJson: JSON.stringify(SPEC), roundConfig: { lr: 0.1, tag: 'x', on: true }, modelBytes: bytes.length, numBanks: 2, deadlineUnixMs: Date.now() + 30_000, encodingStatsJson: '{"a":{"mean":0,"std":1}}' },
      };
      h.coordinator.dispatcher.offer([ins]);
      return ins;
    };
    const result = (ins: OpenInstruction, extra: Partial<ResultInfo> = {}): ResultInfo => ({ instructionId: ins.info.instructionId, status: 'ok', reason: '', numExamples: 10, metrics: { loss: 0.5 }, headers: ins.headers, histogram: undefined, privacy: undefined, encodingHash: '', numFeatures: 0, momentsJson: '', ...extra });

    beforeEach(async () => {
      store = createSqliteStore(new Database(':memory:'));
      const coordinator = new Coordinator({ store, logger: silentLogger, address: '127.0.0.1:0', credentials: grpc.ServerCredentials.createInsecure(), heartbeatIntervalMs: 150, maxWaitMs: 400 });
      h = await factory(coordinator);
      jobId = (await coordinator.submit(JSON.stringify(SPEC), 'contract')).jobId;
    });
    afterEach(async () => {
      for (const l of links.splice(0)) l.close();
      await h.close();
      await store.close();
    });

    it('joins with the coordinator’s heartbeat and wait settings, and refuses a malformed member id', async () => {
      const s = await open().join(info('bank-a'));
      expect(s).toMatchObject({ heartbeatIntervalMs: 150, maxWaitMs: 400 });
      expect(s.sessionId).toMatch(/^[0-9a-f]{32}$/);
      const err = await open().join(info('bad id!')).catch((e: unknown) => e);
      expect(rpcCode(err)).toBe(grpc.status.INVALID_ARGUMENT);
    });

    it('a long-poll with nothing pending returns undefined; a replaced session is UNAUTHENTICATED', async () => {
      const a = open();
      await a.join(info('bank-a'));
      expect(await a.pull(100)).toBeUndefined();
      await open().join(info('bank-a')); // a new Join replaces the old session
      expect(rpcCode(await a.pull(100).catch((e: unknown) => e))).toBe(grpc.status.UNAUTHENTICATED);
    });

    it('wakes a waiting long-poll, streams the chunked model and accepts the chunked update once', async () => {
      const a = open();
      await a.join(info('bank-a'));
      const pending = a.pull(5000);
      await new Promise((r) => setTimeout(r, 50));
      const ins = offer('bank-a', 'fit', model(0.25));
      const got = await pending;
      expect(got).toEqual(ins.info);
      const w = await a.download(got!);
      expect(w.map((t) => t.name)).toEqual(['dense_0/kernel', 'dense_0/bias']);
      expect(same(w[0]!.values, model(0.25)[0]!.values)).toBe(true);
      const update = encodeWeights(model(0.5));
      expect(await a.push(result(ins), update.bytes)).toBe('accepted');
      expect(h.coordinator.dispatcher.status(ins.info.instructionId)).toBe('answered');
      const stored = await store.listResults(jobId, 1, 'fit');
      expect(stored).toHaveLength(1);
      expect(same(stored[0]!.weights![0]!.values, model(0.5)[0]!.values)).toBe(true);
      expect(await a.push(result(ins), update.bytes)).toBe('duplicate');
    });

    it('one offer wakes several waiting daemons: each gets its own instruction, model and accepted update', async () => {
      const banks = ['bank-a', 'bank-b', 'bank-c'];
      const ls = banks.map(() => open());
      for (const [i, l] of ls.entries()) await l.join(info(banks[i]!));
      const pending = ls.map((l) => l.pull(5000));
      await new Promise((r) => setTimeout(r, 50));
      const offered = banks.map((b, i) => {
        const { headers, bytes } = encodeWeights(model(i + 1));
        return { memberId: b, headers, modelBytes: bytes, info: { instructionId: `${jobId}/r1/a1/fit/${b}/many`, jobId, round: 1, stage: 'fit' as const, jobSpecJson: JSON.stringify(SPEC), roundConfig: {}, modelBytes: bytes.length, numBanks: 3, deadlineUnixMs: Date.now() + 30_000, encodingStatsJson: '' } };
      });
      h.coordinator.dispatcher.offer(offered);
      const outcomes = await Promise.all(
        ls.map(async (l, i) => {
          const got = await pending[i]!;
          expect(got).toEqual(offered[i]!.info);
          const w = await l.download(got!);
          expect(same(w[0]!.values, model(i + 1)[0]!.values)).toBe(true);
          return l.push(result(offered[i]!), encodeWeights(model(10 + i)).bytes);
        }),
      );
      expect(outcomes).toEqual(['accepted', 'accepted', 'accepted']);
      const stored = await store.listResults(jobId, 1, 'fit');
      expect(stored.map((r) => same(r.weights![0]!.values, model(10 + banks.indexOf(r.memberId))[0]!.values))).toEqual([true, true, true]);
    });

    it('refuses another member’s instruction, an unknown download and an invalid update', async () => {
      const a = open();
      const b = open();
      await a.join(info('bank-a'));
      await b.join(info('bank-b'));
      const ins = offer('bank-a', 'fit', model(0));
      expect(rpcCode(await b.push(result(ins), encodeWeights(model(1)).bytes).catch((e: unknown) => e))).toBe(grpc.status.PERMISSION_DENIED);
      expect(rpcCode(await b.download(ins.info).catch((e: unknown) => e))).toBe(grpc.status.NOT_FOUND);
      const bad = model(1);
      bad[1]!.values[0] = Number.NaN;
      expect(rpcCode(await a.push(result(ins), encodeWeights(bad).bytes).catch((e: unknown) => e))).toBe(grpc.status.INVALID_ARGUMENT);
      expect(h.coordinator.dispatcher.rejection(ins.info.instructionId)).toMatch(/NaN/);
    });

    it('a closed stage: the heartbeat cancels the instruction and a late result is discarded', async () => {
      const a = open();
      await a.join(info('bank-a'));
      const ins = offer('bank-a', 'evaluate', model(0));
      expect(await a.heartbeat(ins.info.instructionId)).toEqual([]);
      h.coordinator.dispatcher.close([ins.info.instructionId]);
      expect(await a.heartbeat(ins.info.instructionId)).toEqual([ins.info.instructionId]);
      expect(await a.push(result(ins, { headers: [] }), undefined)).toBe('closed');
    });

    it('an aborted long-poll rejects with the abort reason', async () => {
      const a = open();
      await a.join(info('bank-a'));
      const ac = new AbortController();
      const pending = a.pull(5000, ac.signal);
      setTimeout(() => ac.abort(new Error('stopping')), 30);
      await expect(pending).rejects.toThrow('stopping');
      expect(h.coordinator.registry.isOnline('bank-a')).toBe(true);
    });

    it('closing a link lets the call in flight finish and refuses later calls', async () => {
      const a = open();
      await a.join(info('bank-a'));
      const pending = a.pull(200);
      await new Promise((r) => setTimeout(r, 30));
      a.close();
      expect(await pending).toBeUndefined();
      await expect(a.heartbeat('x')).rejects.toThrow(/shut down/);
    });
  });
}
