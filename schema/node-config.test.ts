/** Tests for the node config: zod validation with paths, defaults, and path resolution against the config file's folder. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, FileError } from '../common/errors.js';
import { compileNodeConfig, loadNodeConfig, parseNodeConfig } from './node-config.js';

const MINIMAL = {
  memberId: 'bank-a',
  coordinator: '127.0.0.1:7070',
  data: { file: 'bank-1.csv', schema: 'credit.v1', policy: 'policy.json', keyFile: 'pseudonym.key' },
  sitePolicy: { acceptedTasks: ['credit-scoring'], maxEpsilon: 10 },
};

describe('parseNodeConfig', () => {
  it('fills every default, when only required keys are given', () => {
    const c = parseNodeConfig(MINIMAL);
    expect(c.dataDir).toBe('./state');
    expect(c.holdoutFraction).toBe(0.2);
    expect(c.pullWaitMs).toBe(20_000);
    expect(c.retry).toEqual({ initialMs: 200, maxMs: 10_000, factor: 2 });
    expect(c.data.maxRejectFraction).toBe(0.01);
    expect(c.sitePolicy).toEqual({ acceptedTasks: ['credit-scoring'], maxEpsilon: 10, delta: 1e-5, minBanksPerRound: 2, requireDp: false, requireApproval: false });
  });

  it('names each bad key by its path, when the config is invalid', () => {
    const bad = { ...MINIMAL, coordinator: 'no-port', holdoutFraction: 1.5, sitePolicy: { ...MINIMAL.sitePolicy, maxEpsilon: -1 }, extra: true };
    try {
      parseNodeConfig(bad, 'config bank.json');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const paths = (err as ConfigError).issues.map((i) => i.path.join('.'));
      expect(paths).toEqual(expect.arrayContaining(['coordinator', 'holdoutFraction', 'sitePolicy.maxEpsilon', '']));
      expect((err as ConfigError).message).toMatch(/^config bank.json: /);
    }
  });

  it('rejects a retry cap below the first delay, when maxMs < initialMs', () => {
    expect(() => parseNodeConfig({ ...MINIMAL, retry: { initialMs: 500, maxMs: 100 } })).toThrow(/retry.maxMs: maxMs must be ≥ initialMs/);
  });
});

describe('compileNodeConfig', () => {
  it('resolves relative paths against the config folder and keeps absolute ones and schema ids, when compiling', () => {
    const c = parseNodeConfig({ ...MINIMAL, data: { ...MINIMAL.data, keyFile: '/secure/bank.key', mapping: 'm.json' } });
    const o = compileNodeConfig(c, '/etc/fedfin');
    expect(o.data.file).toBe('/etc/fedfin/bank-1.csv');
    expect(o.data.keyFile).toBe('/secure/bank.key');
    expect(o.data.mappingFile).toBe('/etc/fedfin/m.json');
    expect(o.data.schema).toBe('credit.v1');
    expect(o.ledgerFile).toBe('/etc/fedfin/state/bank.db');
    expect(o.coordinatorAddress).toBe('127.0.0.1:7070');
  });

  it('resolves a custom schema file, when the schema names a .json file', () => {
    const o = compileNodeConfig(parseNodeConfig({ ...MINIMAL, data: { ...MINIMAL.data, schema: 'schemas/sme.json' } }), '/b');
    expect(o.data.schema).toBe('/b/schemas/sme.json');
  });
});

describe('loadNodeConfig', () => {
  it('throws FileError naming the file, when the config file is missing', () => {
    expect(() => loadNodeConfig('/nonexistent/bank.json')).toThrow(FileError);
  });

  it('throws ConfigError, when the file is not JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fedfin-cfg-'));
    try {
      writeFileSync(join(dir, 'bank.json'), '{ nope');
      expect(() => loadNodeConfig(join(dir, 'bank.json'))).toThrow(ConfigError);
      writeFileSync(join(dir, 'bank.json'), JSON.stringify(MINIMAL));
      expect(loadNodeConfig(join(dir, 'bank.json')).dataDir).toBe(join(dir, 'state'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
