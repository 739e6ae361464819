import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Weights } from '../../common/weights.js';
import { createSqliteStore, openSqliteStore } from './sqlite-store.js';
import { storeContract } from './store.contract.js';

storeContract('sqlite (in memory)', () => createSqliteStore(new Database(':memory:')));
storeContract('sqlite (file, WAL)', () => openSqliteStore(mkdtempSync(join(tmpdir(), 'fedfin-store-'))));

describe('sqlite store', () => {
  it('accepts a result without an fsync (synchronous NORMAL) and is back to FULL for everything after', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fedfin-store-'));
    const db = new Database(join(dir, 'coordinator.db'));
    const s = createSqliteStore(db);
    const levels: number[] = [];
    const insert = db.prepare.bind(db);
    // Record the level in force when the result row is written (a spy on the statement the store prepares).
    db.prepare = ((sql: string) => {
      const st = insert(sql);
      if (!sql.includes('INSERT OR IGNORE INTO stage_results')) return st;
      const run = st.run.bind(st);
      return Object.assign(st, { run: (...a: unknown[]) => (levels.push(db.pragma('synchronous', { simple: true }) as number), run(...a)) });
    }) as typeof db.prepare;
    for (const id of ['i-1', 'i-2']) await s.saveResult({ instructionId: id, jobId: 'j', round: 1, stage: 'evaluate', memberId: id, headerJson: '{}', weights: undefined, receivedAt: 'now' });
    expect(levels).toEqual([1, 1]);
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    await s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps committed rounds across a reopen', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fedfin-store-'));
    const s = openSqliteStore(dir);
    await s.createJob({ jobId: 'j', name: 'n', task: 't', specJson: '{}', roundsTotal: 2, createdAt: 'x' });
    await s.close();
    const again = openSqliteStore(dir);
    expect((await again.getJob('j'))?.roundsTotal).toBe(2);
    await again.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('opens read-only without writing, for measurements and offline verification', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fedfin-store-'));
    const s = openSqliteStore(dir);
    await s.createJob({ jobId: 'j', name: 'n', task: 't', specJson: '{}', roundsTotal: 2, createdAt: 'x' });
    await s.close();
    const ro = createSqliteStore(new Database(join(dir, 'coordinator.db'), { readonly: true }));
    expect((await ro.getJob('j'))?.name).toBe('n');
    await expect(ro.createJob({ jobId: 'k', name: 'n', task: 't', specJson: '{}', roundsTotal: 1, createdAt: 'x' })).rejects.toThrow(/readonly/);
    await ro.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('fit updates written when their stage is listed, not on arrival', () => {
    const update = (v: number): Weights => {
      const bytes = new Float32Array([v, -v, 2 * v]); // one buffer, two consecutive views: the shape of a decoded upload
      return [
        { name: 'dense/kernel', shape: [2], values: bytes.subarray(0, 2) },
        { name: 'dense/bias', shape: [1], values: bytes.subarray(2) },
      ];
    };
    const result = (id: string, member: string, v: number) => ({ instructionId: id, jobId: 'j', round: 1, stage: 'fit', memberId: member, headerJson: '{"status":"ok"}', weights: update(v), receivedAt: 'now' });

    it('drops an unwritten update after a crash (the stage re-offers it), and keeps a listed one, when the store is reopened', async () => {
      // Prepare
      const dir = mkdtempSync(join(tmpdir(), 'fedfin-store-'));
      const s = openSqliteStore(dir);
      await s.createJob({ jobId: 'j', name: 'n', task: 't', specJson: '{}', roundsTotal: 2, createdAt: 'x' });
      await s.saveResult(result('j/r1/a1/fit/a', 'a', 1));
      expect((await s.listResults('j', 1, 'fit')).map((r) => Array.from(r.weights![1]!.values))).toEqual([[2]]);
      // Execute: a second update arrives, then the process dies before its stage is listed
      expect(await s.saveResult(result('j/r1/a1/fit/b', 'b', 3))).toBe(true);
      await s.close();
      const again = openSqliteStore(dir);
      // Assert
      const listed = await again.listResults('j', 1, 'fit');
      expect(listed.map((r) => r.memberId)).toEqual(['a']);
      expect(Array.from(listed[0]!.weights![0]!.values)).toEqual([1, -1]);
      expect(await again.saveResult(result('j/r1/a1/fit/b', 'b', 3))).toBe(true); // the re-offered instruction's answer is accepted
      await again.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('forgets pending updates of a round that is cleared, when it is retried', async () => {
      const s = createSqliteStore(new Database(':memory:'));
      await s.saveResult(result('j/r1/a1/fit/a', 'a', 1));
      await s.clearRound('j', 1);
      expect(await s.listResults('j', 1, 'fit')).toEqual([]);
      await s.close();
    });
  });
});
