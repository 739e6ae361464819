/** `fedfin demo` set-up: synthetic banks, a pooled common test set carved out of them, and each bank's files (data, mapping, policy, key, config). */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { assertInRange, assertInt } from '../../common/assert.js';
import { writeFileAtomic } from '../../common/atomic-file.js';
import { RandomReader } from '../../common/random.js';
import { seededRandom } from '../../common/seeded-random.js';
import type { NodeConfigInput } from '../../schema/node-config.js';
import { synthesize, type SynthSchema } from '../synth/index.js';

/** What the demo federation looks like. */
export interface DemoDataOptions {
  readonly outDir: string;
  readonly seed: number;
  /** Rows per bank as synthesised, before the test carve. */
  readonly rowsPerBank: number;
  /** Per bank, the share of its synthesised rows it keeps (smaller banks); the length is the number of banks. */
  readonly bankFractions: readonly number[];
  /** Share of every bank's rows moved to the common test set. */
  readonly testFraction: number;
  /** Non-IID strength passed to the synthesiser. */
  readonly skew: number;
}

/** What a task's data set-up adds to the shared options: its schema, policy and how rows are carved. */
export interface DemoDataLayout {
  /** The built-in schema to synthesise (`credit.v1`, `transaction.v1`, …). */
  readonly schema: SynthSchema;
  /** The desensitisation policy every bank uses, for the bank's pseudonym `domain`. */
  readonly policy: (domain: string) => Record<string, unknown>;
  /** Carves a bank's CSV into test and training rows. @default splitCsvRows (row by row) */
  readonly split?: (text: string, delimiter: string, testFraction: number, keep: number, rng: RandomReader, mapping: DemoMappingView) => CsvSplit;
}

/** What a split may read of the bank's mapping: which source column holds a canonical field. */
export interface DemoMappingView {
  readonly fields?: Readonly<Record<string, { readonly column?: string }>>;
}

/** A bank's CSV carved in two, every row keeping its exact original text. */
export interface CsvSplit {
  readonly header: string;
  readonly test: string[];
  readonly train: string[];
}

/** One bank's files, paths absolute. */
export interface DemoBank {
  readonly memberId: string;
  /** The schema id the bank's data file follows. */
  readonly schema: string;
  readonly dir: string;
  readonly dataFile: string;
  readonly mappingFile: string;
  readonly policyFile: string;
  readonly keyFile: string;
  /** The bank's share of the common test set, in the bank's own CSV shape (read with its mapping). */
  readonly testFile: string;
  readonly trainRows: number;
  readonly testRows: number;
}

/**
 * The shared desensitisation policy: the same rules for every bank (so feature schemas and hashes agree),
 * generalisation levels pinned (`maxLevel` = `level`), only `domain` differs per bank.
 */
export function demoPolicy(domain: string): Record<string, unknown> {
  return {
    schema: 'credit.v1',
    domain,
    k: 5,
    maxSuppression: 0.05,
    fields: {
      application_id: { action: 'pseudonymize' },
      postcode: { action: 'drop' },
      region: { action: 'drop' },
      application_date: { action: 'drop' },
      age: { action: 'generalize', bands: [18, 25, 35, 45, 55, 65, 101], level: 0, maxLevel: 0 },
    },
  };
}

/** The credit demo's data: credit.v1, row-by-row carve. */
export const CREDIT_LAYOUT: DemoDataLayout = { schema: 'credit.v1', policy: demoPolicy };

/**
 * Splits CSV text into header, test and train data rows. Rows keep their exact original text
 * (quoting, delimiter, decimal marks), so both parts read back through the bank's mapping.
 * @param keep share of data rows kept at all (the rest is discarded: a smaller bank).
 */
export function splitCsvRows(text: string, delimiter: string, testFraction: number, keep: number, rng: RandomReader): CsvSplit {
  assertInRange('splitCsvRows', 'testFraction', testFraction, 0, 1, { hi: true });
  assertInRange('splitCsvRows', 'keep', keep, 0, 1, { lo: true });
  const rows = parse(text, { delimiter, raw: true, relax_column_count: true }) as unknown as { raw: string }[];
  const [head, ...data] = rows;
  if (!head) throw new RangeError('splitCsvRows: "text" expected a CSV with a header row, got an empty text');
  const test: string[] = [];
  const train: string[] = [];
  for (const r of data) {
    if (rng.uniform() >= keep) continue;
    const line = r.raw.endsWith('\n') ? r.raw : `${r.raw}\n`;
    (rng.uniform() < testFraction ? test : train).push(line);
  }
  const header = head.raw.endsWith('\n') ? head.raw : `${head.raw}\n`;
  return { header, test, train };
}

/**
 * Synthesises the banks (seeded, with PII) and lays out OUT/bank-<i>/ with the bank's training extract,
 * mapping, policy and key (32 random bytes from node:crypto, mode 0600), plus OUT/test/bank-<i>.test.csv.
 * Every file is written atomically.
 */
export async function prepareDemoData(o: DemoDataOptions, layout: DemoDataLayout = CREDIT_LAYOUT): Promise<DemoBank[]> {
  assertInt('prepareDemoData', 'bankFractions.length', o.bankFractions.length, 2, 26);
  assertInt('prepareDemoData', 'rowsPerBank', o.rowsPerBank, 50);
  o.bankFractions.forEach((f, i) => assertInRange('prepareDemoData', `bankFractions[${i}]`, f, 0, 1, { lo: true }));
  const synthDir = join(o.outDir, 'synth');
  const summary = await synthesize({ schema: layout.schema, banks: o.bankFractions.length, rows: o.rowsPerBank, seed: o.seed, skew: o.skew, outDir: synthDir });
  const out: DemoBank[] = [];
  for (const [i, b] of summary.banks.entries()) {
    const memberId = b.bank;
    const dir = join(o.outDir, memberId);
    const mappingText = readFileSync(join(synthDir, b.mapping), 'utf8');
    const delimiter = (JSON.parse(mappingText) as { delimiter?: string }).delimiter ?? ',';
    const rng = new RandomReader(seededRandom(`${o.seed}:demo-split:${memberId}`));
    const keep = o.bankFractions[i]!;
    const split = (layout.split ?? splitCsvRows)(readFileSync(join(synthDir, b.file), 'utf8'), delimiter, o.testFraction, keep, rng, JSON.parse(mappingText) as DemoMappingView);
    const bank: DemoBank = {
      memberId,
      schema: layout.schema,
      dir,
      dataFile: join(dir, `${memberId}.csv`),
      mappingFile: join(dir, `${memberId}.mapping.json`),
      policyFile: join(dir, 'policy.json'),
      keyFile: join(dir, 'pseudonym.key'),
      testFile: join(o.outDir, 'test', `${memberId}.test.csv`),
      trainRows: split.train.length,
      testRows: split.test.length,
    };
    writeFileAtomic(bank.dataFile, split.header + split.train.join(''));
    writeFileAtomic(bank.testFile, split.header + split.test.join(''));
    writeFileAtomic(bank.mappingFile, mappingText);
    writeFileAtomic(bank.policyFile, `${JSON.stringify(layout.policy(`${memberId}/${layout.schema.split('.')[0]}-demo`), null, 2)}\n`);
    writeFileAtomic(bank.keyFile, randomBytes(32), 0o600);
    out.push(bank);
  }
  return out;
}

/** Settings every demo bank's site policy shares. */
export interface DemoSitePolicy {
  readonly maxEpsilon: number;
  readonly delta: number;
  readonly holdoutFraction: number;
  /** The tasks the banks accept (the demo's task). @default ['credit-scoring'] */
  readonly acceptedTasks?: readonly string[];
}

/** The bank daemon's config (schema/node-config.ts), paths relative to the bank's folder. */
export function demoBankConfig(bank: DemoBank, coordinator: string, site: DemoSitePolicy): NodeConfigInput {
  return {
    memberId: bank.memberId,
    coordinator,
    dataDir: './state',
    data: { file: `${bank.memberId}.csv`, schema: bank.schema, mapping: `${bank.memberId}.mapping.json`, policy: 'policy.json', keyFile: 'pseudonym.key', maxRejectFraction: 0.01 },
    holdoutFraction: site.holdoutFraction,
    sitePolicy: { acceptedTasks: [...(site.acceptedTasks ?? ['credit-scoring'])], maxEpsilon: site.maxEpsilon, delta: site.delta, minBanksPerRound: 2, requireDp: false },
    pullWaitMs: 5000,
    retry: { initialMs: 100, maxMs: 2000, factor: 2 },
  };
}

/** Writes `DIR/bank.json` for each bank and returns the config paths. */
export function writeBankConfigs(banks: readonly DemoBank[], coordinator: string, site: DemoSitePolicy): string[] {
  return banks.map((b) => {
    const file = join(b.dir, 'bank.json');
    writeFileAtomic(file, `${JSON.stringify(demoBankConfig(b, coordinator, site), null, 2)}\n`);
    return file;
  });
}
