/** Per-test coordinator fixture: a temp data dir, in-process coordinators and fake banks, all torn down by one registered hook. */
import { join } from 'node:path';
import { afterAll, afterEach } from 'vitest';
import { startCoordinator, tempDir, type RunningCoordinator } from './coordinator-harness.js';
import { FakeBank, type FakeBankOptions, type Script } from './fake-bank.js';

/** What a bank needs besides its member id: a script alone, or FakeBank options (address defaults to the current coordinator). */
export type BankSpec = Script | (Omit<FakeBankOptions, 'memberId' | 'address'> & { readonly address?: string });

/** Options of {@link useCoordinatorFixture}. */
export interface CoordinatorFixtureOptions {
  /** Temp dir name prefix under os.tmpdir(). @default 'fedfin-coord-' */
  readonly prefix?: string;
  /** 'each' tears down after every test (afterEach); 'all' once after the describe block (afterAll). @default 'each' */
  readonly scope?: 'each' | 'all';
}

/** Options of {@link CoordinatorFixture.start}. */
export interface StartOptions {
  /** A fixed port, to restart "the same" coordinator on the data dir of an earlier start. @default 0 (any free port) */
  readonly port?: number;
  /** Data dir below the fixture's temp dir; omitted, the temp dir itself. */
  readonly subdir?: string;
}

/** The resources of the current test (or describe block, with scope 'all'); everything it made is stopped and removed by the fixture. */
export interface CoordinatorFixture {
  /** The temp dir, made on first use and removed at teardown. */
  readonly dir: string;
  /**
   * The coordinator started last.
   * @throws Error when none was started yet.
   */
  readonly coord: RunningCoordinator;
  /** Every bank made through the fixture, in order. */
  readonly banks: readonly FakeBank[];
  /** Starts a coordinator on the fixture's data dir (the same dir on every call, so a second start resumes the first). */
  start(options?: StartOptions): Promise<RunningCoordinator>;
  /**
   * Stops the coordinator started last and starts a new one on its data dir and port, so that banks reconnect to it.
   * @throws Error when none was started yet.
   */
  restart(): Promise<RunningCoordinator>;
  /** Makes a fake bank (not started) that the fixture stops at teardown; it dials the current coordinator unless `spec.address` says otherwise. */
  bank(memberId: string, spec?: BankSpec): FakeBank;
  /** Makes and starts one bank per entry, in entry order, against the current coordinator. */
  startBanks(specs: Readonly<Record<string, BankSpec | undefined>>): Promise<FakeBank[]>;
  /** `start()` then `startBanks(specs)`: the usual prologue. */
  federation(specs: Readonly<Record<string, BankSpec | undefined>>, options?: StartOptions): Promise<{ coord: RunningCoordinator; banks: FakeBank[] }>;
}

/**
 * Registers the teardown hook (afterEach, or afterAll with scope 'all') in the calling describe block and
 * returns the fixture. Teardown stops every bank, then every coordinator in start order, then removes the dir.
 */
export function useCoordinatorFixture(options: CoordinatorFixtureOptions = {}): CoordinatorFixture {
  let tmp: { dir: string; cleanup: () => void } | undefined;
  let coords: RunningCoordinator[] = [];
  let banks: FakeBank[] = [];
  let subdir: string | undefined;

  const dir = (): string => (tmp ??= tempDir(options.prefix)).dir;
  const teardown = async (): Promise<void> => {
    const [stopBanks, stopCoords, cleanup] = [banks, coords, tmp?.cleanup];
    banks = [];
    coords = [];
    tmp = undefined;
    try {
      await Promise.all(stopBanks.map((b) => b.stop()));
      for (const c of stopCoords) await c.stop();
    } finally {
      cleanup?.();
    }
  };
  if (options.scope === 'all') afterAll(teardown);
  else afterEach(teardown);

  const fixture: CoordinatorFixture = {
    get dir() {
      return dir();
    },
    get coord() {
      const last = coords.at(-1);
      if (!last) throw new Error('useCoordinatorFixture: no coordinator started yet');
      return last;
    },
    get banks() {
      return banks;
    },
    async start(start: StartOptions = {}) {
      subdir = start.subdir;
      const c = await startCoordinator(subdir ? join(dir(), subdir) : dir(), start.port ?? 0);
      coords.push(c);
      return c;
    },
    async restart() {
      const last = fixture.coord;
      await last.stop();
      return fixture.start({ port: Number(last.address.split(':').at(-1)), ...(subdir ? { subdir } : {}) });
    },
    bank(memberId, spec = {}) {
      const opts = typeof spec === 'function' ? { script: spec } : spec;
      const bank = new FakeBank({ ...opts, address: opts.address ?? fixture.coord.address, memberId });
      banks.push(bank);
      return bank;
    },
    async startBanks(specs) {
      const made = Object.entries(specs).map(([memberId, spec]) => fixture.bank(memberId, spec));
      await Promise.all(made.map((b) => b.start()));
      return made;
    },
    async federation(specs, start) {
      const coord = await fixture.start(start);
      return { coord, banks: await fixture.startBanks(specs) };
    },
  };
  return fixture;
}
