/** Integration: a bank whose feature schema differs from the federation's in the stats stage takes no part in the job's rounds. */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../coordinator/store/sqlite-store.js';
import { jobSpec, submitJob, waitForJobEnd } from '../helpers/coordinator-harness.js';
import { useCoordinatorFixture } from '../helpers/coordinator-fixture.js';

describe('coordinator over gRPC, feature-schema mismatch', () => {
  const fx = useCoordinatorFixture();

  it('excludes the mismatched bank from fit and evaluate, when its stats reply reports another encoding hash', async () => {
    const { coord, banks } = await fx.federation({ 'bank-a': {}, 'bank-b': {}, 'bank-c': { encodingHash: 'cd'.repeat(32) } });
    const job = await submitJob(coord.admin, jobSpec({ rounds: 2, minBanks: 2 }));
    const final = await waitForJobEnd(coord.store, job.job_id);
    expect(final.status).toBe('completed');
    const init = (await coord.store.listAudit()).find((e) => e.type === 'job-initialized')!;
    expect(init.detail['banks']).toEqual(['bank-a', 'bank-b']);
    expect((init.detail['excluded'] as string[])[0]).toMatch(/^bank-c: its feature schema/);
    expect(banks[2]!.offers.map((o) => o.stage)).toEqual(['stats']);
    for (const r of await coord.store.listRounds(job.job_id)) expect(r.participants).toEqual(['bank-a', 'bank-b']);
  });

  it('adds the admitted-banks column to a version-1 database and reads its jobs as unrestricted, when an old data dir is opened', async () => {
    const old = new Database(join(fx.dir, 'coordinator.db'));
    old.exec(`CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      INSERT INTO meta VALUES ('schema_version', '1');
      CREATE TABLE jobs (job_id TEXT PRIMARY KEY, name TEXT NOT NULL, task TEXT NOT NULL, spec_json TEXT NOT NULL,
        status TEXT NOT NULL, rounds_total INTEGER NOT NULL, rounds_done INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL, updated_at TEXT NOT NULL, reason TEXT NOT NULL DEFAULT '',
        encoding_stats_json TEXT, feature_hash TEXT);
      INSERT INTO jobs (job_id, name, task, spec_json, status, rounds_total, created_at, updated_at, encoding_stats_json, feature_hash)
        VALUES ('job-old', 'old', 'credit-scoring', '{}', 'completed', 1, 't', 't', '{}', 'h');`);
    old.close();
    const store = openSqliteStore(fx.dir);
    try {
      expect((await store.getJob('job-old'))!.members).toBeUndefined();
    } finally {
      await store.close();
    }
    const reopened = new Database(join(fx.dir, 'coordinator.db'));
    expect((reopened.prepare(`SELECT value FROM meta WHERE key = 'schema_version'`).get() as { value: string }).value).toBe('3');
    reopened.close();
  });
});
