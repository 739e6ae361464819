/** The link contract over the in-process channel (no socket), and the channel's depth-first delivery order. */
import * as grpc from '@grpc/grpc-js';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../common/log.js';
import { encodeWeights } from '../../common/weights-codec.js';
import { Coordinator } from '../../coordinator/coordinator.js';
import type { OpenInstruction } from '../../coordinator/fleet/dispatcher.js';
import { createSqliteStore } from '../../coordinator/store/sqlite-store.js';
import { describeLinkContract } from './link.contract.js';
import { InProcessFleetChannel } from './in-process-channel.js';
import type { DeliverySchedulerOptions } from './delivery-scheduler.js';

describeLinkContract('in-process channel', async (coordinator) => {
  const channel = new InProcessFleetChannel(coordinator.fleetHandlers);
  return {
    coordinator,
    link: (options) => channel.link(options),
    close: () => coordinator.stop(200),
  };
});

const SPEC = { name: 'order', task: 'credit-scoring', schema: 'credit.v1', model: { type: 'logistic' }, rounds: 1, minBanks: 1000 };

/**
 * Four daemons wait in a long-poll; one offer wakes them all; each downloads its (two-chunk) model as soon as its
 * pull returns. Returns the order in which the pulls returned and the downloads ended.
 */
async function wakeAll(scheduling: DeliverySchedulerOptions): Promise<string[]> {
  const store = createSqliteStore(new Database(':memory:'));
  const coordinator = new Coordinator({ store, logger: silentLogger, address: '127.0.0.1:0', credentials: grpc.ServerCredentials.createInsecure(), heartbeatIntervalMs: 1000, maxWaitMs: 5000 });
  const channel = new InProcessFleetChannel(coordinator.fleetHandlers, scheduling);
  const banks = ['bank-a', 'bank-b', 'bank-c', 'bank-d'];
  const links = banks.map(() => channel.link({ callTimeoutMs: 5000 }));
  try {
    const jobId = (await coordinator.submit(JSON.stringify(SPEC), 'order')).jobId;
    for (const [i, l] of links.entries()) await l.join({ memberId: banks[i]!, acceptedTasks: ['credit-scoring'], tfBackend: 'cpu', softwareVersion: 'order' });
    const log: string[] = [];
    const served = links.map(async (l, i) => {
      const ins = await l.pull(5000);
      log.push(`pulled ${banks[i]}`);
      await l.download(ins!);
      log.push(`downloaded ${banks[i]}`);
    });
    await new Promise((r) => setTimeout(r, 50)); // every pull is waiting in the dispatcher
    const { headers, bytes } = encodeWeights([{ name: 'w', shape: [300_000], values: new Float32Array(300_000).fill(0.5) }]);
    const offers: OpenInstruction[] = banks.map((memberId) => ({
      memberId,
      headers,
      modelBytes: bytes,
      info: { instructionId: `${jobId}/r1/a1/fit/${memberId}`, jobId, round: 1, stage: 'fit', jobSpecJson: JSON.stringify(SPEC), roundConfig: {}, modelBytes: bytes.length, numBanks: 4, deadlineUnixMs: Date.now() + 30_000, encodingStatsJson: '' },
    }));
    coordinator.dispatcher.offer(offers);
    await Promise.all(served);
    return log;
  } finally {
    for (const l of links) l.close();
    await coordinator.stop(200);
    await store.close();
  }
}

describe('in-process channel delivery order', () => {
  it('depth-first: a woken daemon’s download ends before the next daemon’s pull returns', async () => {
    const log = await wakeAll({});
    expect(log).toHaveLength(8);
    // Which daemon goes first depends on which lane ran last; each one's chain then runs through before the next.
    for (let i = 0; i < 8; i += 2) expect(log[i + 1]).toBe(log[i]!.replace('pulled', 'downloaded'));
  });

  it('with a run length of 1 the lanes take turns hop by hop (the old breadth-first lockstep)', async () => {
    const log = await wakeAll({ maxRunLength: 1 });
    expect(log.slice(0, 4)).toEqual(['pulled bank-a', 'pulled bank-b', 'pulled bank-c', 'pulled bank-d']);
    expect(log.slice(4).sort()).toEqual(['downloaded bank-a', 'downloaded bank-b', 'downloaded bank-c', 'downloaded bank-d']);
  });
});
