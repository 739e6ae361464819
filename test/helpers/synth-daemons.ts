/** Test helper: one real bank daemon per synthetic bank (key, policy and node config written per bank), joined to a running coordinator. */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDaemon, type Daemon } from '../../client/daemon.js';
import { silentLogger } from '../../common/log.js';
import { loadNodeConfig } from '../../schema/node-config.js';
import type { SynthSummary } from '../../simulations/synth/index.js';

/** Options of {@link startSynthDaemons}. */
export interface SynthDaemonsOptions {
  /** The folder the synthetic banks were written to under `banks/` (synthesize's outDir = DIR/banks). */
  readonly dir: string;
  readonly coordinator: string;
  readonly synth: SynthSummary;
  readonly schema: string;
  readonly task: string;
  readonly holdoutFraction: number;
  /** The bank's desensitisation policy, given the policy domain `BANK/…`. */
  readonly policy: (bank: string) => Record<string, unknown>;
}

/**
 * Writes each bank's pseudonymisation key (0600), policy and node config (state in DIR/state-I, site
 * budget 50, two banks per round at least, short retries) and starts its daemon through the config
 * file, as `fedfin client start --insecure` would. Stop them with `Promise.all(daemons.map((d) => d.stop()))`.
 */
export function startSynthDaemons(o: SynthDaemonsOptions): { daemons: Daemon[]; runs: Promise<void>[] } {
  const daemons: Daemon[] = [];
  const runs: Promise<void>[] = [];
  o.synth.banks.forEach((b, i) => {
    writeFileSync(join(o.dir, `key-${i}`), randomBytes(32), { mode: 0o600 });
    writeFileSync(join(o.dir, `policy-${i}.json`), JSON.stringify(o.policy(b.bank)));
    const config = {
      memberId: b.bank,
      coordinator: o.coordinator,
      dataDir: `./state-${i}`,
      data: { file: `banks/${b.file}`, schema: o.schema, mapping: `banks/${b.mapping}`, policy: `policy-${i}.json`, keyFile: `key-${i}` },
      holdoutFraction: o.holdoutFraction,
      sitePolicy: { acceptedTasks: [o.task], maxEpsilon: 50, delta: 1e-5, minBanksPerRound: 2, requireDp: false },
      pullWaitMs: 500,
      retry: { initialMs: 100, maxMs: 500, factor: 2 },
    };
    const file = join(o.dir, `bank-${i}.json`);
    writeFileSync(file, JSON.stringify(config));
    const d = createDaemon({ options: loadNodeConfig(file), logger: silentLogger });
    daemons.push(d);
    runs.push(d.run());
  });
  return { daemons, runs };
}
