/** Test fixture: a small synthetic bank on disk (CSV, policy, key, config) and a fake Fleet server on localhost:0. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { syntheticCredit } from '../../privacy/desensitize/testing/credit-fixture.js';
import type { CanonicalValue } from '../../schema/field.js';
import { CREDIT_V1 } from '../../schema/builtin/credit-v1.js';
import type { NodeConfigInput } from '../../schema/node-config.js';

/** A policy that reaches k with suppression only on the fixture data. */
export const FIXTURE_POLICY = {
  schema: 'credit.v1',
  domain: 'bank-a/credit',
  k: 3,
  maxSuppression: 0.15,
  fields: {
    application_id: { action: 'pseudonymize' },
    postcode: { action: 'drop' },
    application_date: { action: 'drop' },
    region: { action: 'suppress-rare', minCount: 5 },
    age: { action: 'generalize', bands: [18, 35, 50, 65, 101] },
  },
};

const cell = (v: CanonicalValue | undefined): string => {
  if (v === null || v === undefined) return '';
  const t = String(v);
  return /[",\r\n]/.test(t) ? `"${t.replaceAll('"', '""')}"` : t;
};

/** A temp folder holding one bank. `cleanup()` removes it. */
export interface BankFixture {
  readonly dir: string;
  readonly configFile: string;
  readonly dataFile: string;
  readonly rows: number;
  config(overrides?: Partial<NodeConfigInput>): NodeConfigInput;
  writeConfig(overrides?: Partial<NodeConfigInput>): string;
  cleanup(): void;
}

/** Writes `rows` synthetic credit rows (with PII) plus policy, key (mode 0600) and config into a fresh temp dir. */
export function makeBankFixture(rows = 400, seed = 1): BankFixture {
  const dir = mkdtempSync(join(tmpdir(), 'fedfin-bank-'));
  const records = syntheticCredit(rows, seed);
  const names = CREDIT_V1.fields.map((f) => f.name);
  const lines = [names.join(','), ...records.map((r) => names.map((n) => cell(r[n])).join(','))];
  const dataFile = join(dir, 'bank.csv');
  writeFileSync(dataFile, `${lines.join('\n')}\n`);
  writeFileSync(join(dir, 'policy.json'), JSON.stringify(FIXTURE_POLICY));
  writeFileSync(join(dir, 'pseudonym.key'), Buffer.from(Array.from({ length: 32 }, (_, i) => (i * 37 + 11) & 255)), { mode: 0o600 });
  const config = (overrides: Partial<NodeConfigInput> = {}): NodeConfigInput => ({
    memberId: 'bank-a',
    coordinator: '127.0.0.1:1',
    dataDir: './state',
    data: { file: 'bank.csv', schema: 'credit.v1', policy: 'policy.json', keyFile: 'pseudonym.key', maxRejectFraction: 0.01 },
    holdoutFraction: 0.25,
    sitePolicy: { acceptedTasks: ['credit-scoring'], maxEpsilon: 10, delta: 1e-5, minBanksPerRound: 2, requireDp: false },
    pullWaitMs: 500,
    retry: { initialMs: 20, maxMs: 200, factor: 2 },
    ...overrides,
  });
  const configFile = join(dir, 'bank.json');
  const writeConfig = (overrides: Partial<NodeConfigInput> = {}): string => {
    writeFileSync(configFile, JSON.stringify(config(overrides)));
    return configFile;
  };
  writeConfig();
  return { dir, configFile, dataFile, rows, config, writeConfig, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
