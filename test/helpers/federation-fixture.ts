/** Test support: a synthetic federation on disk (banks, policies, keys, configs) and spawned fedfin processes. */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { synthesize } from '../../simulations/synth/index.js';

export const REPO = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const FEDFIN = join(REPO, 'bin/fedfin.mjs');

/** A free TCP port on 127.0.0.1 (closed again before returning). */
export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => res(port));
    });
  });
}

/**
 * Writes `banks` synthetic credit banks under `dir` with a shared policy (per-bank domain), 0600 keys and
 * daemon configs pointing at `coordinator`. Returns the config paths.
 */
export async function writeFederation(dir: string, options: { banks: number; rows: number; seed: number; coordinator: string }): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  await synthesize({ schema: 'credit.v1', banks: options.banks, rows: options.rows, seed: options.seed, skew: 0.3, outDir: join(dir, 'banks') });
  const configs: string[] = [];
  for (let i = 1; i <= options.banks; i++) {
    const key = join(dir, `key-${i}`);
    writeFileSync(key, randomBytes(32), { mode: 0o600 });
    chmodSync(key, 0o600);
    const policy = {
      schema: 'credit.v1',
      domain: `bank-${i}`,
      k: 3,
      maxSuppression: 0.05,
      fields: {
        age: { action: 'generalize', bands: [18, 25, 35, 45, 55, 65, 101], level: 0, maxLevel: 0 },
        postcode: { action: 'drop' },
        region: { action: 'drop' },
        application_date: { action: 'drop' },
      },
    };
    writeFileSync(join(dir, `policy-${i}.json`), JSON.stringify(policy));
    const config = {
      memberId: `bank-${i}`,
      coordinator: options.coordinator,
      dataDir: `./state-${i}`,
      data: { file: `banks/bank-${i}.csv`, schema: 'credit.v1', mapping: `banks/bank-${i}.mapping.json`, policy: `policy-${i}.json`, keyFile: `key-${i}` },
      holdoutFraction: 0.2,
      sitePolicy: { acceptedTasks: ['credit-scoring'], maxEpsilon: 20, delta: 1e-5, minBanksPerRound: 2 },
      pullWaitMs: 5000,
      retry: { initialMs: 100, maxMs: 1000, factor: 2 },
    };
    const path = join(dir, `bank-${i}.json`);
    writeFileSync(path, JSON.stringify(config));
    configs.push(path);
  }
  return configs;
}

/** Spawned fedfin processes, killed (SIGKILL) by `killAll`. Output is kept for failure messages. */
export class Processes {
  readonly children: { name: string; child: ChildProcess; output: string[] }[] = [];

  start(name: string, args: readonly string[], cwd: string): ChildProcess {
    const child = spawn(process.execPath, [FEDFIN, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FEDFIN_TF_BACKEND: 'wasm' } });
    const output: string[] = [];
    const keep = (d: Buffer) => {
      output.push(d.toString());
      if (output.length > 200) output.shift();
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.children.push({ name, child, output });
    return child;
  }

  /** The last output lines of every process, for an assertion message. */
  dump(): string {
    return this.children.map((c) => `--- ${c.name} ---\n${c.output.join('').split('\n').slice(-15).join('\n')}`).join('\n');
  }

  killAll(): void {
    for (const c of this.children) if (c.child.exitCode === null) c.child.kill('SIGKILL');
  }
}

/** Polls `cond` until it returns a truthy value or `timeoutMs` passes. */
export async function waitFor<T>(cond: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs: number, what: string): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await cond();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
