/** Tests for the start-up data pipeline: identifiers never survive, the secret holdout split is stable, refusals name rows not values. */
import { appendFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FedfinError, FileError } from '../../common/errors.js';
import { silentLogger } from '../../common/log.js';
import { IDENTIFIER_FIELDS, syntheticCredit } from '../../privacy/desensitize/testing/credit-fixture.js';
import { loadNodeConfig } from '../../schema/node-config.js';
import { makeBankFixture, type BankFixture } from '../testing/bank-fixture.js';
import { featureHash, placeholderSpec } from './feature-schema.js';
import { holdoutScore, isHoldoutRow } from './holdout-split.js';
import { loadLocalData, type LocalDataOptions } from './local-data.js';

let bank: BankFixture;
beforeEach(() => {
  bank = makeBankFixture(400);
});
afterEach(() => bank.cleanup());

const optionsOf = (b: BankFixture): LocalDataOptions => {
  const o = loadNodeConfig(b.configFile);
  return { ...o.data, holdoutFraction: o.holdoutFraction };
};

describe('loadLocalData', () => {
  it('keeps no direct identifier value in any record, when the data carries names, emails and IBANs', async () => {
    const data = await loadLocalData(optionsOf(bank), silentLogger);
    const text = JSON.stringify([...data.train, ...data.holdout]);
    const raw = syntheticCredit(400, 1);
    for (const r of raw) for (const f of IDENTIFIER_FIELDS) expect(text.includes(String(r[f]))).toBe(false);
    expect(data.schema.fields.map((f) => f.name)).not.toContain('full_name');
    expect(data.summary).toMatchObject({ rowsRead: 400, accepted: 400, rejected: 0, kTarget: 3 });
    expect(data.summary.kReached).toBeGreaterThanOrEqual(3);
    expect(data.summary.train + data.summary.holdout + data.summary.suppressed).toBe(400);
  });

  it('splits the same rows into the holdout on every start, when run twice', async () => {
    const a = await loadLocalData(optionsOf(bank), silentLogger);
    const b = await loadLocalData(optionsOf(bank), silentLogger);
    expect(JSON.stringify(b.holdout)).toBe(JSON.stringify(a.holdout));
    expect(a.holdout.length / (a.train.length + a.holdout.length)).toBeGreaterThan(0.15);
    expect(a.holdout.length / (a.train.length + a.holdout.length)).toBeLessThan(0.35);
  });

  it('refuses to start naming rows and fields but no value, when too many rows are rejected', async () => {
    appendFileSync(bank.dataFile, Array.from({ length: 10 }, (_, i) => `APP-X${i},,,,,,,,,,SECRETVALUE${i}\n`).join(''));
    const err = await loadLocalData(optionsOf(bank), silentLogger).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FedfinError);
    expect((err as FedfinError).code).toBe('data-invalid');
    expect((err as Error).message).toMatch(/10 of 410 rows rejected.*row 401 \(/);
    expect((err as Error).message).not.toMatch(/SECRETVALUE|APP-X/);
  });

  it('refuses to start, when k cannot be reached without generalising beyond the policy', async () => {
    const policy = JSON.parse(readFileSync(join(bank.dir, 'policy.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(bank.dir, 'policy.json'), JSON.stringify({ ...policy, k: 50, maxSuppression: 0.05 }));
    await expect(loadLocalData(optionsOf(bank), silentLogger)).rejects.toThrow(/k = 50 cannot be reached at the policy's generalisation levels/);
  });

  it('names the missing key file, when the key file does not exist', async () => {
    rmSync(join(bank.dir, 'pseudonym.key'));
    const err = await loadLocalData(optionsOf(bank), silentLogger).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FileError);
    expect((err as Error).message).toContain('pseudonym.key');
  });

  it('gives the same feature hash for a bank with other rows and another pseudonym domain, when the policy rules match', async () => {
    const other = makeBankFixture(400, 7);
    try {
      const policy = JSON.parse(readFileSync(join(other.dir, 'policy.json'), 'utf8')) as Record<string, unknown>;
      writeFileSync(join(other.dir, 'policy.json'), JSON.stringify({ ...policy, domain: 'bank-b/credit' }));
      const a = await loadLocalData(optionsOf(bank), silentLogger);
      const b = await loadLocalData(optionsOf(other), silentLogger);
      expect(featureHash(b.schema, false)).toBe(featureHash(a.schema, false));
      expect(placeholderSpec(b.schema, false).numFeatures).toBe(placeholderSpec(a.schema, false).numFeatures);
      expect(featureHash(a.schema, true)).not.toBe(featureHash(a.schema, false));
    } finally {
      other.cleanup();
    }
  });
});

describe('holdout split', () => {
  const key = new Uint8Array(32).fill(7);
  it('maps rows to [0, 1) deterministically and depends on the key, when scored', () => {
    expect(holdoutScore(key, 5)).toBe(holdoutScore(key, 5));
    expect(holdoutScore(key, 5)).not.toBe(holdoutScore(new Uint8Array(32).fill(8), 5));
    const scores = Array.from({ length: 2000 }, (_, i) => holdoutScore(key, i));
    expect(Math.min(...scores)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...scores)).toBeLessThan(1);
    const held = scores.filter((s) => s < 0.2).length;
    expect(held).toBeGreaterThan(320);
    expect(held).toBeLessThan(480);
  });

  it('holds out nothing, when the fraction is 0', () => {
    expect(Array.from({ length: 100 }, (_, i) => isHoldoutRow(key, i, 0)).some(Boolean)).toBe(false);
  });
});
