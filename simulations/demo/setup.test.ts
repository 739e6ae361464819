/** Tests of the demo set-up: CSV row splitting, the shared policy, and the files each bank gets. */
import { readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RandomReader } from '../../common/random.js';
import { seededRandom } from '../../common/seeded-random.js';
import { parseNodeConfig } from '../../schema/node-config.js';
import { resolvePolicy, PolicySchema } from '../../privacy/desensitize/index.js';
import { CREDIT_V1 } from '../../schema/builtin/credit-v1.js';
import { useScratchDir } from '../../test/helpers/scratch.js';
import { demoBankConfig, demoPolicy, prepareDemoData, splitCsvRows, writeBankConfigs } from './setup.js';

describe('splitCsvRows', () => {
  const text = 'id;name\n1;"a;b"\n2;"multi\nline"\n3;c\n4;d\n';

  it('keeps every data row exactly once with its original text, when keep is 1', () => {
    const s = splitCsvRows(text, ';', 0.5, 1, new RandomReader(seededRandom(1)));
    expect(s.header).toBe('id;name\n');
    expect([...s.test, ...s.train].sort()).toEqual(['1;"a;b"\n', '2;"multi\nline"\n', '3;c\n', '4;d\n']);
  });

  it('drops about the share not kept and gives the same split for the same seed, when keep < 1', () => {
    const rows = Array.from({ length: 2000 }, (_, i) => `${i},x\n`).join('');
    const a = splitCsvRows(`id,v\n${rows}`, ',', 0.2, 0.3, new RandomReader(seededRandom('s')));
    const b = splitCsvRows(`id,v\n${rows}`, ',', 0.2, 0.3, new RandomReader(seededRandom('s')));
    expect(a).toEqual(b);
    const kept = a.test.length + a.train.length;
    expect(kept).toBeGreaterThan(520);
    expect(kept).toBeLessThan(680);
    expect(a.test.length / kept).toBeGreaterThan(0.14);
    expect(a.test.length / kept).toBeLessThan(0.26);
  });

  it('throws RangeError, when the text has no header', () => {
    expect(() => splitCsvRows('', ',', 0.2, 1, new RandomReader(seededRandom(1)))).toThrow(RangeError);
  });
});

describe('demoPolicy', () => {
  it('is a valid credit.v1 policy with pinned levels that differs between banks only in domain, when built for two banks', () => {
    const a = demoPolicy('bank-1/x');
    const b = demoPolicy('bank-2/x');
    expect({ ...a, domain: '' }).toEqual({ ...b, domain: '' });
    const parsed = PolicySchema.parse(a);
    expect(() => resolvePolicy(parsed, CREDIT_V1)).not.toThrow();
    expect((a['fields'] as Record<string, { level?: number; maxLevel?: number }>)['age']).toMatchObject({ level: 0, maxLevel: 0 });
  });
});

describe('prepareDemoData', () => {
  const scratch = useScratchDir('fedfin-demo-setup-');

  it('writes data, test rows, mapping, policy, a 0600 32-byte key and a valid config per bank, with the last bank smaller', async () => {
    // Prepare
    const dir = scratch.path;
    // Execute
    const banks = await prepareDemoData({ outDir: dir, seed: 3, rowsPerBank: 300, bankFractions: [1, 1, 0.3], testFraction: 0.2, skew: 0.5 });
    const configs = writeBankConfigs(banks, '127.0.0.1:7070', { maxEpsilon: 10, delta: 1e-5, holdoutFraction: 0.2 });
    // Assert
    expect(banks.map((b) => b.memberId)).toEqual(['bank-1', 'bank-2', 'bank-3']);
    for (const b of banks) {
      expect(b.trainRows + b.testRows).toBe(readFileSync(b.dataFile, 'utf8').trim().split('\n').length - 1 + readFileSync(b.testFile, 'utf8').trim().split('\n').length - 1);
      expect(statSync(b.keyFile).mode & 0o777).toBe(0o600);
      expect(readFileSync(b.keyFile)).toHaveLength(32);
    }
    expect(banks[0]!.trainRows + banks[0]!.testRows).toBe(300);
    expect(banks[2]!.trainRows + banks[2]!.testRows).toBeLessThan(150);
    expect(readFileSync(banks[0]!.keyFile)).not.toEqual(readFileSync(banks[1]!.keyFile));
    const cfg = parseNodeConfig(JSON.parse(readFileSync(configs[1]!, 'utf8')));
    expect(cfg).toMatchObject({ memberId: 'bank-2', coordinator: '127.0.0.1:7070', data: { file: 'bank-2.csv', policy: 'policy.json', keyFile: 'pseudonym.key' } });
    expect(demoBankConfig(banks[0]!, 'h:1', { maxEpsilon: 4, delta: 1e-6, holdoutFraction: 0.1 }).sitePolicy).toMatchObject({ maxEpsilon: 4, delta: 1e-6 });
  });
});
