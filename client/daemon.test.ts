/** The daemon against a fake Fleet server on localhost: stats → fit → evaluate, a re-offer answered from cache, a late coordinator. */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger, silentLogger } from '../common/log.js';
import { decodeWeights } from '../common/weights-codec.js';
import type { Instruction } from '../proto/generated/fedfin/v1/Instruction.js';
import { momentsToStats, type Moments } from '../schema/encoding-stats.js';
import { loadNodeConfig } from '../schema/node-config.js';
import { logisticSpec, mlpTemplate } from '../tasks/models/mlp.js';
import { createDaemon, type Daemon, type DaemonState } from './daemon.js';
import { openLedger } from './ledger/ledger.js';
import { makeBankFixture, type BankFixture } from './testing/bank-fixture.js';
import { freePort, startFakeFleet, type FakeFleet } from './testing/fake-fleet.js';

const JOB = {
  name: 'pd-model', task: 'credit-scoring', schema: 'credit.v1', model: { type: 'logistic' }, rounds: 3, batchSize: 32, localEpochs: 1, learningRate: 0.1,
  privacy: { mode: 'dp-sgd', noiseMultiplier: 1.0, clippingNorm: 1, delta: 1e-5, maxEpsilon: 50 },
};

function instruction(stage: 'stats' | 'fit' | 'evaluate', extra: Partial<Instruction> = {}): Instruction {
  return {
    instruction_id: `job-1/r1/a1/${stage}/bank-a`, job_id: 'job-1', round: 1, stage, job_spec_json: JSON.stringify(JOB), round_config_json: '{}',
    model_bytes: 0, num_banks: 3, deadline_unix_ms: Date.now() + 60_000, encoding_stats_json: '', ...extra,
  };
}

let bank: BankFixture | undefined;
let fleet: FakeFleet | undefined;
let daemon: Daemon | undefined;
afterEach(async () => {
  await daemon?.stop();
  await fleet?.close();
  bank?.cleanup();
  daemon = fleet = bank = undefined;
});

describe('createDaemon', () => {
  it('answers stats, fit and evaluate with only the expected fields, and a re-offered fit from cache, when served by a coordinator', async () => {
    // Prepare
    fleet = await startFakeFleet();
    bank = makeBankFixture(400);
    bank.writeConfig({ coordinator: `127.0.0.1:${fleet.port}`, sitePolicy: { acceptedTasks: ['credit-scoring'], maxEpsilon: 50, delta: 1e-5, minBanksPerRound: 2, requireDp: false } });
    const options = loadNodeConfig(bank.configFile);
    const states: DaemonState[] = [];
    daemon = createDaemon({ options, logger: silentLogger, onStateChange: (s) => states.push(s) });
    const running = daemon.run();

    // Execute + assert: stats
    fleet.offer(instruction('stats'), undefined);
    const stats = (await fleet.waitForPush(1)).header;
    expect(stats).toMatchObject({ status: 'ok', histogram: null, privacy: null, headers: [] });
    expect(stats.encoding_hash).toMatch(/^[0-9a-f]{64}$/);
    const moments = JSON.parse(stats.moments_json) as Moments;
    expect(Object.keys(moments).sort()).toContain('annual_income');
    expect(moments['annual_income']!.count).toBeLessThanOrEqual(stats.num_examples);
    const width = stats.num_features;

    // fit
    const statsJson = JSON.stringify(momentsToStats(Object.fromEntries(Object.entries(moments).filter(([, m]) => m.count > 0))));
    const fields = Object.keys(moments).filter((k) => moments[k]!.count === 0);
    const fullStats = JSON.stringify({ ...JSON.parse(statsJson), ...Object.fromEntries(fields.map((f) => [f, { mean: 0, std: 1 }])) });
    const model = mlpTemplate(logisticSpec(width));
    const modelBytes = model.reduce((n, t) => n + t.values.length * 4, 0);
    fleet.offer(instruction('fit', { model_bytes: modelBytes, encoding_stats_json: fullStats }), model);
    const fit = await fleet.waitForPush(2);
    expect(fit.header.status).toBe('ok');
    expect(fit.header.reason).toBe('');
    expect(fit.header.num_examples).toBeGreaterThan(200);
    expect(fit.header.privacy).toMatchObject({ accountant: 'rdp', delta: 1e-5, noise_multiplier: 1, unit: 'record' });
    expect(fit.header.privacy!.epsilon_round).toBeGreaterThan(0);
    expect(fit.header.privacy!.epsilon_total).toBeCloseTo(fit.header.privacy!.epsilon_round, 9);
    expect(Object.keys(fit.header.metrics!.values)).toEqual(['steps']);
    expect(fit.header.histogram).toBeNull();
    expect(fit.bytes.length).toBe(modelBytes);
    const update = decodeWeights(fit.header.headers.map((h) => ({ name: h.name, shape: h.shape })), new Uint8Array(fit.bytes));
    expect(update.map((t) => t.name)).toEqual(['dense_0/kernel', 'dense_0/bias']);

    // evaluate
    fleet.offer(instruction('evaluate', { model_bytes: modelBytes, encoding_stats_json: fullStats }), update);
    const ev = (await fleet.waitForPush(3)).header;
    expect(ev.status).toBe('ok');
    const h = ev.histogram!;
    const total = [...h.counts_pos, ...h.counts_neg].reduce((a, b) => a + b, 0);
    expect(total).toBe(ev.num_examples);
    expect(h.num_examples).toBe(ev.num_examples);
    expect(ev.num_examples).toBeGreaterThan(50);
    expect(ev.headers).toEqual([]);
    expect(ev.privacy).toBeNull();
    expect(Object.keys(ev.metrics!.values)).toEqual(['loss']);

    // re-offered fit: same bytes, no second spend
    fleet.offer(instruction('fit', { model_bytes: modelBytes, encoding_stats_json: fullStats }), model);
    const again = await fleet.waitForPush(4);
    expect(again.header).toEqual(fit.header);
    expect(again.bytes.equals(fit.bytes)).toBe(true);

    await daemon.stop();
    await running;
    expect(states).toEqual(expect.arrayContaining(['loading-data', 'connecting', 'idle', 'working', 'stopping', 'stopped']));
    const ledger = openLedger(options.ledgerFile);
    expect(ledger.spends()).toHaveLength(1);
    ledger.close();
  });

  it('refuses a fit with the reason and records no spend, when the round has too few banks', async () => {
    fleet = await startFakeFleet();
    bank = makeBankFixture(400);
    bank.writeConfig({ coordinator: `127.0.0.1:${fleet.port}` });
    const options = loadNodeConfig(bank.configFile);
    daemon = createDaemon({ options, logger: silentLogger });
    const running = daemon.run().catch((e: unknown) => e);
    fleet.offer(instruction('fit', { num_banks: 1, model_bytes: 4 }), mlpTemplate(logisticSpec(1)));
    const pushed = await fleet.waitForPush(1);
    expect(pushed.header).toMatchObject({ status: 'refused', num_examples: 0, headers: [] });
    expect(pushed.header.reason).toMatch(/the round has 1 banks; this bank requires at least 2/);
    expect(pushed.bytes.length).toBe(0);
    await daemon.stop();
    expect(await running).toBeUndefined();
    const ledger = openLedger(join(bank.dir, 'state', 'bank.db'));
    expect(ledger.spends()).toEqual([]);
    expect(ledger.auditEvents().map((e) => e.type)).toEqual(['refused']);
    ledger.close();
  });

  it('keeps retrying with backoff and joins once the coordinator appears, when it is down at start', async () => {
    const port = await freePort();
    bank = makeBankFixture(400);
    bank.writeConfig({ coordinator: `127.0.0.1:${port}` });
    const lines: string[] = [];
    daemon = createDaemon({ options: loadNodeConfig(bank.configFile), logger: createLogger({ write: (l) => lines.push(l) }), linkOptions: { callTimeoutMs: 300 } });
    const running = daemon.run().catch((e: unknown) => e);
    const until = async (cond: () => boolean, ms = 15_000): Promise<void> => {
      const end = Date.now() + ms;
      while (!cond()) {
        if (Date.now() > end) throw new Error('condition not met in time');
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    await until(() => lines.filter((l) => l.includes('coordinator not reachable')).length >= 2);
    expect(daemon.state).toBe('connecting');
    fleet = await startFakeFleet(port);
    await until(() => fleet!.joins.length > 0);
    expect(fleet.joins).toEqual(['bank-a']);
    await until(() => daemon!.state === 'idle');
    await daemon.stop();
    expect(await running).toBeUndefined();
  });
});
