/** The shared Store test suite: every Store implementation runs it. */
import { describe, expect, it } from 'vitest';
import type { Weights } from '../../common/weights.js';
import type { RoundCommit, Store } from './store.js';

const w = (v: number): Weights => [{ name: 'dense/kernel', shape: [2], values: Float32Array.of(v, -v) }];
const job = { jobId: 'job-1', name: 'credit', task: 'credit-scoring', specJson: '{}', roundsTotal: 3, createdAt: '2026-01-01T00:00:00.000Z' };
const commit = (round: number): RoundCommit => ({
  jobId: 'job-1',
  round,
  attempt: 1,
  weights: w(round),
  strategyStateJson: undefined,
  participants: ['bank-a', 'bank-b'],
  dropped: [{ memberId: 'bank-c', kind: 'timeout', reason: 'no reply' }],
  metrics: { auc: 0.7 + round / 100 },
  ledger: ['bank-a', 'bank-b'].map((m) => ({ jobId: 'job-1', memberId: m, round, epsilonRound: 0.1, epsilonTotal: 0.1 * round, delta: 1e-5, noiseMultiplier: 1.1, sampleRate: 0.01, steps: 10, accountant: 'rdp', unit: 'record' })),
  epsilon: 0.1 * round,
  delta: 1e-5,
  trainMs: 10,
  evaluateMs: 5,
  completedAt: new Date().toISOString(),
});

/** Runs the contract; `open` returns a fresh, empty store. */
export function storeContract(name: string, open: () => Store | Promise<Store>): void {
  describe(`${name} (Store contract)`, () => {
    it('keeps the initial model as checkpoint 0, when a job is created', async () => {
      const s = await open();
      await s.createJob(job);
      await s.initializeJob('job-1', '{}', 'h', w(0));
      const cp = await s.latestCheckpoint('job-1');
      expect(cp?.round).toBe(0);
      expect(Array.from(cp!.weights[0]!.values)).toEqual([0, -0]);
      expect((await s.getJob('job-1'))?.status).toBe('running');
      expect((await s.getJob('job-1'))?.featureHash).toBe('h');
      await s.close();
    });

    it('commits a round with checkpoint, ledger and roundsDone together', async () => {
      const s = await open();
      await s.createJob(job);
      await s.initializeJob('job-1', '{}', 'h', w(0));
      await s.commitRound(commit(1));
      expect((await s.getJob('job-1'))?.roundsDone).toBe(1);
      expect((await s.latestCheckpoint('job-1'))?.round).toBe(1);
      expect(await s.ledger({ jobId: 'job-1' })).toHaveLength(2);
      expect((await s.checkpoint('job-1', 0))?.weights[0]?.values[0]).toBe(0);
      expect((await s.checkpoint('job-1', 1))?.weights[0]?.values[0]).toBe(1);
      expect(await s.checkpoint('job-1', 2)).toBeUndefined();
      const rounds = await s.listRounds('job-1');
      expect(rounds[0]?.dropped[0]?.memberId).toBe('bank-c');
      await s.close();
    });

    it('refuses to commit the same round twice and leaves nothing half-written', async () => {
      const s = await open();
      await s.createJob(job);
      await s.initializeJob('job-1', '{}', 'h', w(0));
      await s.commitRound(commit(1));
      await expect(s.commitRound(commit(1))).rejects.toThrow();
      expect(await s.ledger({ jobId: 'job-1' })).toHaveLength(2);
      expect(await s.listRounds('job-1')).toHaveLength(1);
      await expect(s.commitRound(commit(3))).rejects.toThrow(/out of order/);
      expect((await s.latestCheckpoint('job-1'))?.round).toBe(1);
      await s.close();
    });

    it('stores each result once, when a bank sends a duplicate', async () => {
      const s = await open();
      await s.createJob(job);
      await s.initializeJob('job-1', '{}', 'h', w(0));
      const r = { instructionId: 'i-1', jobId: 'job-1', round: 1, stage: 'fit', memberId: 'bank-a', headerJson: '{}', weights: w(1), receivedAt: 'now' };
      expect(await s.saveResult(r)).toBe(true);
      expect(await s.saveResult(r)).toBe(false);
      expect(await s.listResults('job-1', 1, 'fit')).toHaveLength(1);
      await s.commitRound(commit(1));
      expect(await s.listResults('job-1', 1, 'fit')).toHaveLength(0);
      await s.close();
    });

    it('persists a stage plan with its weights', async () => {
      const s = await open();
      await s.createJob(job);
      await s.initializeJob('job-1', '{}', 'h', w(0));
      await s.saveStagePlan({ jobId: 'job-1', round: 1, attempt: 2, stage: 'fit', instructions: { 'bank-a': { instructionId: 'i-1', config: { learningRate: 0.1 } } }, startedAt: 'now', deadlineMs: 123, weights: w(7) });
      const p = await s.getStagePlan('job-1', 1, 'fit');
      expect(p?.attempt).toBe(2);
      expect(p?.instructions).toEqual({ 'bank-a': { instructionId: 'i-1', config: { learningRate: 0.1 } } });
      expect(p?.weights?.[0]?.values[0]).toBe(7);
      await s.clearRound('job-1', 1);
      expect(await s.getStagePlan('job-1', 1, 'fit')).toBeUndefined();
      await s.close();
    });

    it('persists a secure-aggregation stage plan with its server state and payloads in one row, and results with their stage message', async () => {
      const s = await open();
      await s.createJob(job);
      await s.initializeJob('job-1', '{}', 'h', w(0));
      const state = Uint8Array.from([1, 2, 3, 250]);
      await s.saveStagePlan({ jobId: 'job-1', round: 1, attempt: 3, stage: 'secagg-share-keys', instructions: { 'bank-a': { instructionId: 'i-a', config: { secaggDimension: 4 }, payload: 'AAEC' } }, startedAt: 'now', deadlineMs: 9, weights: undefined, secaggState: state });
      const p = await s.getStagePlan('job-1', 1, 'secagg-share-keys');
      expect(p?.attempt).toBe(3);
      expect(Array.from(p!.secaggState!)).toEqual([1, 2, 3, 250]);
      expect(p?.instructions['bank-a']?.payload).toBe('AAEC');
      expect(await s.getStagePlan('job-1', 1, 'secagg-unmask')).toBeUndefined();
      const masked = Uint8Array.from([9, 8, 7, 6, 5]);
      expect(await s.saveResult({ instructionId: 'i-a', jobId: 'job-1', round: 1, stage: 'secagg-masked-input', memberId: 'bank-a', headerJson: '{}', weights: undefined, payload: masked, receivedAt: 'now' })).toBe(true);
      const [r] = await s.listResults('job-1', 1, 'secagg-masked-input');
      expect(Array.from(r!.payload!)).toEqual([9, 8, 7, 6, 5]);
      expect(r!.weights).toBeUndefined();
      await s.clearRound('job-1', 1);
      expect(await s.getStagePlan('job-1', 1, 'secagg-share-keys')).toBeUndefined();
      expect(await s.listResults('job-1', 1, 'secagg-masked-input')).toHaveLength(0);
      await s.close();
    });

    it('chains audit events by hash', async () => {
      const s = await open();
      const a = await s.appendAudit({ type: 'member-joined', memberId: 'bank-a', detail: { backend: 'wasm' } });
      const b = await s.appendAudit({ type: 'job-submitted', jobId: 'job-1', actor: 'cli', detail: {} });
      expect(b.seq).toBe(a.seq + 1);
      expect(b.prevHash).toBe(a.hash);
      expect(await s.latestAuditSeq()).toBe(b.seq);
      expect((await s.listAudit()).map((e) => e.type)).toEqual(['member-joined', 'job-submitted']);
      await s.close();
    });
  });
}
