/** Tests of the fold layout: a bank's daemon, loading its fold file through the production pipeline, holds out exactly that fold. */
import fc from 'fast-check';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../common/log.js';
import { isHoldoutRow } from '../client/data/holdout-split.js';
import { loadLocalData } from '../client/data/local-data.js';
import { planFolds } from './cv-folds.js';
import { keyedHoldout, layoutFold, readBankRows } from './cv-layout.js';
import { parsePartitionSpec } from './partition.js';
import { prepareSimulationData, type SimBank } from './sim-data.js';

const REPO = join(import.meta.dirname, '..');
const GERMAN = existsSync('/work/shared/data/german_credit.csv') ? '/work/shared/data/german_credit.csv' : join(REPO, '../../shared/data/german_credit.csv');

describe('keyedHoldout', () => {
  it('finds the fraction at which exactly the m lowest-scored rows are held out (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.integer({ min: 2, max: 150 }), fc.double({ min: 0, max: 1, noNaN: true }), (key, n, share) => {
        const m = Math.min(n - 1, Math.max(1, Math.round(share * n)));
        const { holdout, fraction } = keyedHoldout(key, n, m);
        expect(holdout.size).toBe(m);
        for (let p = 0; p < n; p++) expect(isHoldoutRow(key, p + 1, fraction)).toBe(holdout.has(p));
      }),
      { numRuns: 50 },
    );
  });

  it('refuses m outside 1 … n−1', () => {
    expect(() => keyedHoldout(new Uint8Array(32), 5, 0)).toThrow(/0 < m < n/);
    expect(() => keyedHoldout(new Uint8Array(32), 5, 5)).toThrow(/0 < m < n/);
  });
});

describe('layoutFold (German credit, 3 banks, K = 3)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fedfin-cv-layout-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const load = (b: SimBank, data: { schemaRef: string; mappingFile: string | undefined }, holdoutFraction: number) =>
    loadLocalData({ file: b.dataFile, schema: data.schemaRef, mappingFile: data.mappingFile, policyFile: b.policyFile, keyFile: b.keyFile, format: 'csv', maxRejectFraction: 0, holdoutFraction }, silentLogger);

  it('makes every daemon train on its other folds and hold out exactly its fold, the folds covering its rows', async () => {
    const data = await prepareSimulationData({ dataFile: GERMAN, schema: 'credit.v1', mappingFile: join(REPO, 'examples/german-credit/mapping.json'), task: 'credit-scoring', banks: 3, partition: parsePartitionSpec('dirichlet:1'), testFraction: 0.2, seed: 4, maxReject: 0, minRowsPerBank: 10, workDir: join(dir, 'work') });
    const rows = await readBankRows(data, 'credit-scoring');
    expect(rows.map((r) => r.lines.length)).toEqual(data.banks.map((b) => b.rows));
    expect(rows.map((r) => r.labels.filter((y) => y === 1).length)).toEqual(data.banks.map((b) => b.positives));
    const plans = planFolds(rows.map((r) => ({ bank: r.bank.memberId, labels: r.labels })), 3, 4);
    // Every record of each bank, as its daemon desensitises it (no holdout): the reference the folds must reproduce.
    const all = await Promise.all(data.banks.map(async (b) => (await load(b, data, 0)).train.map((r) => JSON.stringify(r))));
    const seen = data.banks.map(() => [] as string[]);
    for (let f = 0; f < 3; f++) {
      const layout = layoutFold(data, rows, plans, f, join(dir, `fold-${f}`));
      expect(layout.data.testFile).toBe(data.testFile);
      for (const [b, bank] of layout.data.banks.entries()) {
        expect(bank.keyFile).toBe(data.banks[b]!.keyFile);
        const d = await load(bank, data, layout.holdoutFractions[bank.memberId]!);
        const want = plans[b]!.folds.flatMap((fold, r) => (fold === f ? [all[b]![r]!] : []));
        expect(d.holdout.map((r) => JSON.stringify(r)).sort()).toEqual([...want].sort());
        expect(d.train.length + d.holdout.length).toBe(bank.rows);
        expect(d.holdout.filter((r) => r['default'] === 1 || r['default'] === true).length).toBe(plans[b]!.positives[f]);
        seen[b]!.push(...d.holdout.map((r) => JSON.stringify(r)));
      }
    }
    for (const [b, s] of seen.entries()) expect(s.sort()).toEqual([...all[b]!].sort());
  }, 60_000);
});
