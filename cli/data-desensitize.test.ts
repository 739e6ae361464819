/** Tests for `fedfin data desensitize`: no identifier in OUT, k reached, the report, and refusal of an insecure key. */
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CREDIT_V1 } from '../schema/builtin/credit-v1.js';
import { IDENTIFIER_FIELDS, syntheticCredit } from '../privacy/desensitize/testing/credit-fixture.js';
import { csvCell } from './data-desensitize.js';
import { main } from './main.js';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (s: string) => void out.push(s), err: (s: string) => void err.push(s), isTty: false }, out, err };
}

const POLICY = {
  schema: 'credit.v1',
  domain: 'bank-a/credit-2025',
  k: 5,
  maxSuppression: 0.02,
  sensitive: 'sex',
  fields: {
    application_id: { action: 'pseudonymize' },
    iban: { action: 'pseudonymize', canonical: 'alnum' },
    age: { action: 'generalize', bands: [18, 25, 35, 45, 55, 65, 101] },
    postcode: { action: 'generalize-prefix', prefix: 3 },
    application_date: { action: 'generalize-date', to: 'month' },
    region: { action: 'suppress-rare', minCount: 8 },
  },
};

describe('fedfin data desensitize', () => {
  let dir: string;
  let input: string;
  let policy: string;
  let key: string;
  const records = syntheticCredit(500, 3);

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'fedfin-desens-'));
    input = join(dir, 'bank.csv');
    const names = CREDIT_V1.fields.map((f) => f.name);
    writeFileSync(input, [names.join(','), ...records.map((r) => names.map((n) => csvCell(r[n] ?? null)).join(','))].join('\n') + '\n');
    policy = join(dir, 'policy.json');
    writeFileSync(policy, JSON.stringify(POLICY));
    key = join(dir, 'pseudonym.key');
    writeFileSync(key, Buffer.alloc(32, 7));
    chmodSync(key, 0o600);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes OUT with no direct identifier value and a report with k ≥ policy k, when the key is safe', async () => {
    // Prepare
    const out = join(dir, 'out.csv');
    const { io, out: stdout, err } = capture();
    // Execute
    const code = await main(['node', 'fedfin', 'data', 'desensitize', '--schema', 'credit.v1', '--policy', policy, '--key', key, input, out], io);
    // Assert
    expect(err.join('')).toBe('');
    expect(code).toBe(0);
    const bytes = readFileSync(out, 'utf8');
    for (const r of records) {
      for (const f of IDENTIFIER_FIELDS) expect(bytes.includes(String(r[f])), `${f} value leaked`).toBe(false);
    }
    const header = bytes.split('\n')[0]!.split(',');
    expect(header).not.toContain('full_name');
    expect(header).toContain('application_id');
    const report = JSON.parse(readFileSync(`${out}.report.json`, 'utf8'));
    expect(report.kAnonymity.reached).toBeGreaterThanOrEqual(5);
    expect(report.kAnonymity.target).toBe(5);
    expect(report.rows.in).toBe(500);
    expect(report.rows.out).toBe(bytes.trimEnd().split('\n').length - 1);
    expect(report.rows.out + report.rows.suppressed).toBe(500);
    expect(report.fields.pseudonymized).toEqual(['application_id', 'iban']);
    expect(report.fields.dropped).toEqual(['full_name', 'national_id', 'email', 'phone', 'address', 'date_of_birth']);
    expect(report.legalNotice).toContain('Recital 26');
    const reportText = readFileSync(`${out}.report.json`, 'utf8');
    for (const r of records) for (const f of IDENTIFIER_FIELDS) expect(reportText.includes(String(r[f]))).toBe(false);
    expect(stdout.join('\n')).toMatch(/k = \d+ reached, policy k = 5 \(ok\)/);
    expect(stdout.join('\n')).toContain(`${report.rows.suppressed} suppressed`);
  });

  it('prints the report as JSON, when --json is given', async () => {
    const out = join(dir, 'out-json.csv');
    const { io, out: stdout } = capture();
    const code = await main(['node', 'fedfin', 'data', 'desensitize', '--schema', 'credit.v1', '--policy', policy, '--key', key, '--json', input, out], io);
    expect(code).toBe(0);
    const printed = JSON.parse(stdout.join(''));
    expect(printed.reportFile).toBe(`${out}.report.json`);
    expect(printed.kAnonymity.satisfied).toBe(true);
  });

  it('refuses a world-readable key with a clear message and exit 1, writing nothing, when the key is 0644', async () => {
    const loose = join(dir, 'loose.key');
    writeFileSync(loose, Buffer.alloc(32, 9));
    chmodSync(loose, 0o644);
    const out = join(dir, 'refused.csv');
    const before = readdirSync(dir).length;
    const { io, err } = capture();
    const code = await main(['node', 'fedfin', 'data', 'desensitize', '--schema', 'credit.v1', '--policy', policy, '--key', loose, input, out], io);
    expect(code).toBe(1);
    expect(err.join('\n')).toContain('mode 0644');
    expect(err.join('\n')).toContain(`chmod 600 ${loose}`);
    expect(existsSync(out)).toBe(false);
    expect(existsSync(`${out}.report.json`)).toBe(false);
    expect(readdirSync(dir).length).toBe(before);
  });

  it('exits 1 with key-invalid wording, when the key is too short', async () => {
    const short = join(dir, 'short.key');
    writeFileSync(short, 'tooshort');
    chmodSync(short, 0o600);
    const { io, err } = capture();
    const code = await main(['node', 'fedfin', 'data', 'desensitize', '--schema', 'credit.v1', '--policy', policy, '--key', short, input, join(dir, 'x.csv')], io);
    expect(code).toBe(1);
    expect(err.join('\n')).toContain('expected at least 32 random bytes');
  });

  it('names the unknown field with exit 2, when the policy has a typo', async () => {
    const bad = join(dir, 'bad-policy.json');
    writeFileSync(bad, JSON.stringify({ ...POLICY, fields: { ...POLICY.fields, postcod: { action: 'drop' } } }));
    const { io, err } = capture();
    const code = await main(['node', 'fedfin', 'data', 'desensitize', '--schema', 'credit.v1', '--policy', bad, '--key', key, input, join(dir, 'y.csv')], io);
    expect(code).toBe(2);
    expect(err.join('\n')).toContain('fields.postcod: unknown field "postcod"');
    expect(existsSync(join(dir, 'y.csv'))).toBe(false);
  });
});
