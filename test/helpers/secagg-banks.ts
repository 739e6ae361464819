/**
 * Test support for secure aggregation: in-process bank daemons (real data, real tfjs training, real gRPC)
 * with a test-only probe of each bank's own update, a per-bank "die at this stage" switch, and gates that
 * hold a stage's answer; plus the plain weighted mean the unmasked sum must equal.
 */
import { createLogger, silentLogger } from '../../common/log.js';
import { createDaemon, type Daemon } from '../../client/daemon.js';
import type { SecAggUpdateProbe } from '../../client/handlers/secagg-session.js';
import type { Middleware, Outcome } from '../../client/handlers/types.js';
import { makeBankFixture, type BankFixture } from '../../client/testing/bank-fixture.js';
import { loadNodeConfig } from '../../schema/node-config.js';
import type { FleetStage } from '../../schema/fleet.js';

/** One in-process bank. */
export interface SecAggBank {
  readonly memberId: string;
  readonly daemon: Daemon;
  readonly fixture: BankFixture;
  /** Instructions this bank received, in order (stage and round). */
  readonly seen: { stage: FleetStage; round: number; attempt: string }[];
}

export interface SecAggBanks {
  readonly banks: readonly SecAggBank[];
  /** Every update handed to a masking client, by `${round}/${memberId}` (last attempt wins). */
  readonly updates: Map<string, SecAggUpdateProbe>;
  /** Makes `memberId` die (stop, never answering) when it receives `stage` of `round`. */
  dieAt(memberId: string, stage: FleetStage, round: number): void;
  /** Makes `memberId` send a tampered answer to `stage` of `round` (a malicious bank). */
  tamper(memberId: string, stage: FleetStage, round: number, change: (o: Outcome) => Outcome): void;
  /** Holds every bank's answer to `stage` of `round` until the returned release() is called; `reached` counts arrivals. */
  hold(stage: FleetStage, round: number): { release: () => void; reached: () => number };
  stopAll(): Promise<void>;
}

/** Starts `count` banks (`bank-1` …) against `address`, each with `rows` synthetic rows. */
export function startSecAggBanks(address: string, count: number, rows: number): SecAggBanks {
  const updates = new Map<string, SecAggUpdateProbe>();
  const deaths = new Map<string, string>();
  const tampers = new Map<string, (o: Outcome) => Outcome>();
  const holds = new Map<string, { gate: Promise<void>; arrived: number }>();
  const banks: SecAggBank[] = [];
  const logger = process.env['FEDFIN_TEST_LOG'] ? createLogger({ level: 'debug' }) : silentLogger;
  for (let i = 1; i <= count; i++) {
    const memberId = `bank-${i}`;
    const fixture = makeBankFixture(rows, i);
    fixture.writeConfig({ memberId, coordinator: address, pullWaitMs: 400, retry: { initialMs: 20, maxMs: 300, factor: 2 }, sitePolicy: { acceptedTasks: ['credit-scoring'], maxEpsilon: 50, delta: 1e-5, minBanksPerRound: 2, requireDp: false } });
    const seen: SecAggBank['seen'] = [];
    // eslint-disable-next-line prefer-const -- the middleware needs the daemon it belongs to
    let daemon: Daemon;
    const chaos: Middleware = async (ins, ctx, next) => {
      seen.push({ stage: ins.stage, round: ins.round, attempt: /\/(a\d+)\//.exec(ins.instructionId)?.[1] ?? '' });
      if (deaths.get(`${memberId}/${ins.stage}/${ins.round}`)) {
        void daemon.stop(); // "killed": this instruction is never answered and the session lapses
        return new Promise((_, reject) => {
          if (ctx.signal.aborted) reject(ctx.signal.reason as Error);
          else ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason as Error), { once: true });
        });
      }
      const change = tampers.get(`${memberId}/${ins.stage}/${ins.round}`);
      const out = change ? change(await next()) : await next();
      const h = holds.get(`${ins.stage}/${ins.round}`);
      if (h) {
        h.arrived++;
        await h.gate;
      }
      return out;
    };
    daemon = createDaemon({ options: loadNodeConfig(fixture.configFile), logger: logger.child({ bank: memberId }), middleware: [chaos], secagg: { probe: (p) => updates.set(`${p.round}/${p.memberId}`, p) } });
    void daemon.run().catch(() => undefined);
    banks.push({ memberId, daemon, fixture, seen });
  }
  return {
    banks,
    updates,
    dieAt: (memberId, stage, round) => void deaths.set(`${memberId}/${stage}/${round}`, 'die'),
    tamper: (memberId, stage, round, change) => void tampers.set(`${memberId}/${stage}/${round}`, change),
    hold(stage, round) {
      let release!: () => void;
      const entry = { gate: new Promise<void>((r) => (release = r)), arrived: 0 };
      holds.set(`${stage}/${round}`, entry);
      return { release: () => (holds.delete(`${stage}/${round}`), release()), reached: () => entry.arrived };
    },
    async stopAll() {
      await Promise.all(banks.map((b) => b.daemon.stop()));
      for (const b of banks) b.fixture.cleanup();
    },
  };
}

/**
 * The plain weighted mean the secure sum must reproduce: each survivor's update clipped to [−c, c],
 * weighted by q = max(1, round(min(n/maxWeight, 1)·T)) with T = 2^bits − 1.
 */
export function plainWeightedMean(updates: readonly SecAggUpdateProbe[], c: number, maxWeight: number, bits: number): Float64Array {
  const T = 2 ** bits - 1;
  const d = updates[0]!.update.length;
  const acc = new Float64Array(d);
  let total = 0;
  for (const u of updates) {
    const q = Math.max(1, Math.round(Math.min(u.numExamples / maxWeight, 1) * T));
    total += q;
    for (let j = 0; j < d; j++) acc[j]! += q * Math.min(c, Math.max(-c, u.update[j]!));
  }
  for (let j = 0; j < d; j++) acc[j]! /= total;
  return acc;
}
