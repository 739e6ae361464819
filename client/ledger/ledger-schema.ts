/** The bank ledger's SQLite schema (DIR/bank.db) and its migration. */
import type Database from 'better-sqlite3';
import { bankAuditEntryHash, GENESIS_HASH } from '../../security/audit-hash.js';

/** Bump when the schema changes; `migrateLedger` refuses databases from the future. */
export const LEDGER_SCHEMA_VERSION = 1;

const DDL = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS accountants (
  scope TEXT PRIMARY KEY, state_json TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS job_noise (
  job_id TEXT NOT NULL, dataset_id TEXT NOT NULL, noise_multiplier REAL NOT NULL,
  sample_rate REAL NOT NULL, steps_per_round INTEGER NOT NULL, created_at TEXT NOT NULL,
  PRIMARY KEY (job_id, dataset_id));
CREATE TABLE IF NOT EXISTS spends (
  instruction_id TEXT PRIMARY KEY, job_id TEXT NOT NULL, round INTEGER NOT NULL, dataset_id TEXT NOT NULL,
  accountant TEXT NOT NULL, epsilon_round REAL NOT NULL, epsilon_job_total REAL NOT NULL,
  epsilon_dataset_total REAL NOT NULL, delta REAL NOT NULL, dataset_delta REAL NOT NULL,
  noise_multiplier REAL NOT NULL, sample_rate REAL NOT NULL, steps INTEGER NOT NULL, recorded_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS results (
  instruction_id TEXT PRIMARY KEY, job_id TEXT NOT NULL, stage TEXT NOT NULL, header_json TEXT NOT NULL,
  weights BLOB, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS approvals (
  job_id TEXT PRIMARY KEY, approved_by TEXT NOT NULL, approved_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS audit (
  seq INTEGER PRIMARY KEY, at TEXT NOT NULL, type TEXT NOT NULL, instruction_id TEXT, detail_json TEXT NOT NULL);
`;

/**
 * Creates the tables if needed and checks the version.
 * @throws Error when the database was written by a newer fedfin.
 */
export function migrateLedger(db: Database.Database): void {
  db.exec(DDL);
  const row = db.prepare('SELECT value FROM meta WHERE key = ?').get('schema_version') as { value: string } | undefined;
  if (!row) db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run('schema_version', String(LEDGER_SCHEMA_VERSION));
  else if (Number(row.value) > LEDGER_SCHEMA_VERSION) throw new Error(`ledger schema version ${row.value} is newer than this fedfin (${LEDGER_SCHEMA_VERSION}); upgrade fedfin`);
  // The audit table is hash-chained like the coordinator's (security/audit-hash.ts); older ledgers are chained once here.
  const cols = (db.prepare('PRAGMA table_info(audit)').all() as { name: string }[]).map((c) => c.name);
  if (!cols.includes('hash')) {
    db.transaction(() => {
      db.exec('ALTER TABLE audit ADD COLUMN prev_hash TEXT');
      db.exec('ALTER TABLE audit ADD COLUMN hash TEXT');
      let prev = GENESIS_HASH;
      const set = db.prepare('UPDATE audit SET prev_hash = ?, hash = ? WHERE seq = ?');
      for (const r of db.prepare('SELECT seq, at, type, instruction_id, detail_json FROM audit ORDER BY seq').all() as { seq: number; at: string; type: string; instruction_id: string | null; detail_json: string }[]) {
        const hash = bankAuditEntryHash(prev, { seq: r.seq, at: r.at, type: r.type, instructionId: r.instruction_id, detail: JSON.parse(r.detail_json) as unknown });
        set.run(prev, hash, r.seq);
        prev = hash;
      }
    })();
  }
}
