/**
 * Secure aggregation end to end over real gRPC with 5 in-process bank daemons (real data, tfjs training,
 * SQLite on disk): a bank dying during share-keys and one after its masked input, the round still
 * yields the survivors' exact weighted mean; the coordinator stopping mid-unmask resumes the round from
 * its persisted stage state; its database never holds an individual update.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { flatten } from '../../common/weights.js';
import { RdpAccountant } from '../../privacy/accounting/rdp-accountant.js';
import { startCoordinator, submitJob, tempDir, waitFor, waitForJobEnd, jobSpec, type RunningCoordinator } from '../helpers/coordinator-harness.js';
import { plainWeightedMean, startSecAggBanks, type SecAggBanks } from '../helpers/secagg-banks.js';

const C = 1;
const MAX_WEIGHT = 400;
const BITS = 16;

let coord: RunningCoordinator | undefined;
let fed: SecAggBanks | undefined;
let scratch: { dir: string; cleanup: () => void } | undefined;
afterEach(async () => {
  await fed?.stopAll();
  await coord?.stop();
  scratch?.cleanup();
  coord = fed = scratch = undefined;
});

/** Whether any 16-byte window of `needle` occurs in `hay` (a float32 update leaking into the database). */
function containsWindow(hay: Buffer, needle: Float32Array): boolean {
  const bytes = Buffer.from(needle.buffer, needle.byteOffset, needle.byteLength);
  let checked = 0;
  for (let i = 0; i + 4 <= needle.length; i += 4) {
    // Only distinctive windows: four different non-zero values (zeros and repeats occur everywhere).
    const w = Array.from(needle.subarray(i, i + 4));
    if (w.some((x) => x === 0) || new Set(w).size < 4) continue;
    checked++;
    if (hay.includes(bytes.subarray(4 * i, 4 * i + 16))) return true;
  }
  if (checked === 0) throw new Error('no distinctive window to look for');
  return false;
}

const dbBytes = (dir: string): Buffer => Buffer.concat(['coordinator.db', 'coordinator.db-wal'].map((f) => join(dir, f)).filter(existsSync).map((f) => readFileSync(f)));

describe('secure aggregation over gRPC with 5 bank daemons', () => {
  it('completes a round with dropouts at share-keys and after masked input, recovers a coordinator stop mid-unmask, and never stores an update', async () => {
    // Prepare
    scratch = tempDir('fedfin-secagg-');
    coord = await startCoordinator(scratch.dir, 0, 1500);
    const port = Number(coord.address.split(':')[1]);
    fed = startSecAggBanks(coord.address, 5, 300);
    fed.dieAt('bank-4', 'secagg-share-keys', 1);
    fed.dieAt('bank-5', 'secagg-unmask', 1);
    const held = fed.hold('secagg-unmask', 2);
    await waitFor(() => coord!.coordinator.registry.online().length === 5, 30_000, '5 banks online');
    const spec = jobSpec({ rounds: 2, minBanks: 3, learningRate: 0.1, timeouts: { fitMs: 30_000, evaluateMs: 6_000 }, maxRoundAttempts: 3, secureAggregation: { enabled: true, clippingRange: C, maxWeight: MAX_WEIGHT, bits: BITS } });
    const job = await submitJob(coord.admin, spec);

    // Execute: round 1 runs with its two deaths; in round 2 every answer to unmask is held until the
    // coordinator has been stopped and started again on the same data dir and port.
    await waitFor(async () => held.reached() >= 1 && (await coord!.store.getStagePlan(job.job_id, 2, 'secagg-unmask')) !== undefined, 60_000, 'round 2 at unmask');
    const midRound = dbBytes(scratch.dir);
    await coord.stop();
    coord = await startCoordinator(scratch.dir, port, 1500);
    held.release();
    const final = await waitForJobEnd(coord.store, job.job_id, 60_000);

    // Assert: the job finished both rounds.
    expect(final.status, final.reason).toBe('completed');
    const rounds = await coord.store.listRounds(job.job_id);
    expect(rounds.map((r) => r.round)).toEqual([1, 2]);
    // Round 1: bank-4 dropped at share-keys (excluded, masks recovered); bank-5 died after its masked input,
    // so its input is in the sum (its self mask was rebuilt from its neighbours' shares).
    const r1 = rounds[0]!;
    expect([...r1.participants].sort()).toEqual(['bank-1', 'bank-2', 'bank-3', 'bank-5']);
    expect(r1.dropped.map((d) => `${d.memberId}@${d.stage}`)).toEqual(['bank-4@share-keys']);
    expect(r1.metrics['secaggSurvivors']).toBe(4);
    // The committed model is global + the survivors' exact weighted mean (up to stochastic rounding).
    const cp0 = flatten((await coord.store.checkpoint(job.job_id, 0))!.weights);
    const cp1 = flatten((await coord.store.checkpoint(job.job_id, 1))!.weights);
    const survivors = r1.participants.map((m) => fed!.updates.get(`1/${m}`)!);
    const expected = plainWeightedMean(survivors, C, MAX_WEIGHT, BITS);
    const err = Math.max(...Array.from(expected, (e, j) => Math.abs(cp1[j]! - cp0[j]! - e)));
    expect(err).toBeLessThan(2e-3);
    // …and not the mean of any other set of banks (e.g. without bank-5).
    const without5 = plainWeightedMean(survivors.filter((u) => u.memberId !== 'bank-5'), C, MAX_WEIGHT, BITS);
    expect(Math.max(...Array.from(without5, (e, j) => Math.abs(cp1[j]! - cp0[j]! - e)))).toBeGreaterThan(10 * err);
    // Round 2: the three living banks, resumed after the stop (same attempt, not a retry).
    const r2 = rounds[1]!;
    expect([...r2.participants].sort()).toEqual(['bank-1', 'bank-2', 'bank-3']);
    const audit = await coord.store.listAudit();
    expect(audit.filter((e) => e.type === 'round-retry' && e.detail['round'] === 2)).toHaveLength(0);
    const cp2 = flatten((await coord.store.checkpoint(job.job_id, 2))!.weights);
    const expected2 = plainWeightedMean(r2.participants.map((m) => fed!.updates.get(`2/${m}`)!), C, MAX_WEIGHT, BITS);
    expect(Math.max(...Array.from(expected2, (e, j) => Math.abs(cp2[j]! - cp1[j]! - e)))).toBeLessThan(2e-3);
    // The coordinator's SQLite (mid-round, with every masked vector stored, and at the end) holds no bank's update.
    const finalBytes = dbBytes(scratch.dir);
    for (const u of fed.updates.values()) {
      expect(containsWindow(midRound, u.update), `update of ${u.memberId} round ${u.round} stored mid-round`).toBe(false);
      expect(containsWindow(finalBytes, u.update), `update of ${u.memberId} round ${u.round} stored`).toBe(false);
    }
    // The detector works: the committed global model itself is found.
    expect(containsWindow(finalBytes, cp1)).toBe(true);
  }, 150_000);

  it('records every bank\'s distributed-DP ε in its ledger next to its DP-SGD ε, and the realised ε with the round, when distributed DP and DP-SGD are both on', async () => {
    // Prepare
    scratch = tempDir('fedfin-secagg-ddp-');
    coord = await startCoordinator(scratch.dir, 0, 1500);
    fed = startSecAggBanks(coord.address, 3, 300);
    await waitFor(() => coord!.coordinator.registry.online().length === 3, 30_000, '3 banks online');
    const spec = jobSpec({
      rounds: 1, minBanks: 3, learningRate: 0.1, timeouts: { fitMs: 30_000, evaluateMs: 6_000 },
      privacy: { mode: 'dp-sgd', noiseMultiplier: 1, clippingNorm: 1, delta: 1e-5, maxEpsilon: 40 },
      secureAggregation: { enabled: true, distributedDp: { mechanism: 'skellam', noiseMultiplier: 2, minSurvivors: 3 } },
    });
    const job = await submitJob(coord.admin, spec);

    // Execute
    const final = await waitForJobEnd(coord.store, job.job_id, 60_000);

    // Assert
    expect(final.status, final.reason).toBe('completed');
    const [round] = await coord.store.listRounds(job.job_id);
    const z = round!.metrics['ddpNoiseMultiplier']!;
    expect(z).toBeGreaterThanOrEqual(2);
    const acc = new RdpAccountant();
    acc.step({ noiseMultiplier: z, sampleRate: 1 }, 1);
    expect(round!.epsilon).toBeCloseTo(acc.epsilon(1e-5).epsilon, 9);
    expect(round!.metrics['dpSgdEpsilon']).toBeGreaterThan(0);
    for (const b of fed.banks) {
      const ledger = new Database(join(b.fixture.dir, 'state', 'bank.db'), { readonly: true });
      const spends = ledger.prepare('SELECT instruction_id, noise_multiplier, sample_rate, steps FROM spends WHERE job_id = ? ORDER BY instruction_id').all(job.job_id) as { instruction_id: string; noise_multiplier: number; sample_rate: number; steps: number }[];
      ledger.close();
      // DP-SGD's record-level spend and, apart, the distributed-DP step planned at minSurvivors.
      expect(spends.map((x) => x.instruction_id)).toEqual([`${job.job_id}/r1/a1/secagg-masked-input/${b.memberId}`, `${job.job_id}/r1/a1/secagg-masked-input/${b.memberId}#ddp`]);
      expect(spends[1]).toMatchObject({ sample_rate: 1, steps: 1 });
      expect(spends[1]!.noise_multiplier).toBeCloseTo(z, 6);
    }
    const entries = await coord.store.ledger({ jobId: job.job_id });
    expect(entries.map((e) => `${e.memberId}:${e.unit}`)).toEqual(['bank-1:record', 'bank-2:record', 'bank-3:record']);
  }, 120_000);

  it('names and excludes a bank that sends a masked vector of the wrong length, and one that corrupts a share box, and still completes each round', async () => {
    // Prepare
    scratch = tempDir('fedfin-secagg-tamper-');
    coord = await startCoordinator(scratch.dir, 0, 1500);
    fed = startSecAggBanks(coord.address, 5, 300);
    // Round 1: bank-5 drops the last 4 bytes of its masked vector (header and chunks agree, the protocol does not).
    fed.tamper('bank-5', 'secagg-masked-input', 1, (o) => {
      const b = o.bytes!.subarray(0, o.bytes!.length - 4);
      return { result: { ...o.result, headers: [{ name: 'secagg/masked', shape: [b.length] }] }, bytes: b };
    });
    // Round 2: bank-4 flips the last byte of its share-keys message (inside the last box's GCM tag).
    fed.tamper('bank-4', 'secagg-share-keys', 2, (o) => {
      const p = Uint8Array.from(o.result.secaggPayload!);
      p[p.length - 1]! ^= 0xff;
      return { ...o, result: { ...o.result, secaggPayload: p } };
    });
    await waitFor(() => coord!.coordinator.registry.online().length === 5, 30_000, '5 banks online');
    const job = await submitJob(coord.admin, jobSpec({ rounds: 2, minBanks: 3, learningRate: 0.1, timeouts: { fitMs: 30_000, evaluateMs: 6_000 }, secureAggregation: { enabled: true, clippingRange: C, maxWeight: MAX_WEIGHT } }));

    // Execute
    const final = await waitForJobEnd(coord.store, job.job_id, 90_000);

    // Assert: each offender named in the audit and left out of its round's sum; the others' mean is exact.
    expect(final.status, final.reason).toBe('completed');
    const [r1, r2] = await coord.store.listRounds(job.job_id);
    const offences = (await coord.store.listAudit()).filter((e) => e.type === 'secagg-offence').map((e) => `${String(e.detail['round'])}:${e.memberId}`);
    expect([...r1!.participants].sort()).toEqual(['bank-1', 'bank-2', 'bank-3', 'bank-4']);
    expect(r1!.dropped.map((d) => `${d.memberId}@${d.stage}:${d.kind}`)).toEqual(['bank-5@masked-input:invalid']);
    expect(offences).toContain('1:bank-5');
    expect(r2!.participants).not.toContain('bank-4');
    expect(r2!.dropped.map((d) => `${d.memberId}:${d.kind}`)).toEqual(['bank-4:invalid']);
    expect(offences).toContain('2:bank-4');
    const cp0 = flatten((await coord.store.checkpoint(job.job_id, 0))!.weights);
    const cp1 = flatten((await coord.store.checkpoint(job.job_id, 1))!.weights);
    const expected = plainWeightedMean(r1!.participants.map((m) => fed!.updates.get(`1/${m}`)!), C, MAX_WEIGHT, BITS);
    expect(Math.max(...Array.from(expected, (e, j) => Math.abs(cp1[j]! - cp0[j]! - e)))).toBeLessThan(2e-3);
  }, 120_000);
});
