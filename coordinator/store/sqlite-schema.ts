/** The coordinator database schema (SQLite, WAL) and its migration. */
import type Database from 'better-sqlite3';

/** Bump when the schema changes; `migrate` refuses databases from the future. */
export const SCHEMA_VERSION = 3;

const DDL = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS members (
  member_id TEXT PRIMARY KEY, first_seen TEXT NOT NULL, last_seen TEXT NOT NULL,
  tf_backend TEXT NOT NULL, accepted_tasks TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS jobs (
  job_id TEXT PRIMARY KEY, name TEXT NOT NULL, task TEXT NOT NULL, spec_json TEXT NOT NULL,
  status TEXT NOT NULL, rounds_total INTEGER NOT NULL, rounds_done INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL, updated_at TEXT NOT NULL, reason TEXT NOT NULL DEFAULT '',
  encoding_stats_json TEXT, feature_hash TEXT, members_json TEXT);
CREATE TABLE IF NOT EXISTS rounds (
  job_id TEXT NOT NULL, round INTEGER NOT NULL, attempt INTEGER NOT NULL,
  participants_json TEXT NOT NULL, dropped_json TEXT NOT NULL, metrics_json TEXT NOT NULL,
  epsilon REAL, delta REAL, train_ms INTEGER NOT NULL, evaluate_ms INTEGER NOT NULL,
  completed_at TEXT NOT NULL, PRIMARY KEY (job_id, round));
CREATE TABLE IF NOT EXISTS checkpoints (
  job_id TEXT NOT NULL, round INTEGER NOT NULL, headers_json TEXT NOT NULL, weights BLOB NOT NULL,
  strategy_state_json TEXT, PRIMARY KEY (job_id, round));
CREATE TABLE IF NOT EXISTS privacy_ledger (
  job_id TEXT NOT NULL, member_id TEXT NOT NULL, round INTEGER NOT NULL,
  epsilon_round REAL NOT NULL, epsilon_total REAL NOT NULL, delta REAL NOT NULL,
  noise_multiplier REAL NOT NULL, sample_rate REAL NOT NULL, steps INTEGER NOT NULL,
  accountant TEXT NOT NULL, unit TEXT NOT NULL, PRIMARY KEY (job_id, member_id, round));
CREATE TABLE IF NOT EXISTS stage_plans (
  job_id TEXT NOT NULL, round INTEGER NOT NULL, stage TEXT NOT NULL, attempt INTEGER NOT NULL,
  instructions_json TEXT NOT NULL, started_at TEXT NOT NULL, deadline_ms INTEGER NOT NULL,
  headers_json TEXT, weights BLOB, PRIMARY KEY (job_id, round, stage));
CREATE TABLE IF NOT EXISTS stage_results (
  instruction_id TEXT PRIMARY KEY, job_id TEXT NOT NULL, round INTEGER NOT NULL, stage TEXT NOT NULL,
  member_id TEXT NOT NULL, header_json TEXT NOT NULL, headers_json TEXT, weights BLOB, received_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS stage_results_round ON stage_results (job_id, round, stage);
CREATE TABLE IF NOT EXISTS audit_events (
  seq INTEGER PRIMARY KEY, at TEXT NOT NULL, type TEXT NOT NULL, job_id TEXT, member_id TEXT,
  actor TEXT, detail_json TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
`;

/** Creates or upgrades the schema; refuses a database written by a newer fedfin. */
export function migrate(db: Database.Database): void {
  if (!db.readonly) db.exec(DDL);
  const row = db.prepare(`SELECT value FROM meta WHERE key = 'schema_version'`).get() as { value: string } | undefined;
  if (row && Number(row.value) > SCHEMA_VERSION) {
    throw new Error(`database schema version ${row.value} is newer than this fedfin (${SCHEMA_VERSION}); upgrade fedfin`);
  }
  // A read-only open (demo measurements, offline audit verification) reads what is there and writes nothing.
  if (db.readonly) return;
  // Version 2: jobs.members_json (banks admitted by the stats stage).
  const cols = (db.prepare('PRAGMA table_info(jobs)').all() as { name: string }[]).map((c) => c.name);
  if (!cols.includes('members_json')) db.exec('ALTER TABLE jobs ADD COLUMN members_json TEXT');
  // Version 3: secure aggregation — the SecAgg server state with each stage plan, each bank's stage message.
  const planCols = (db.prepare('PRAGMA table_info(stage_plans)').all() as { name: string }[]).map((c) => c.name);
  if (!planCols.includes('secagg_state')) db.exec('ALTER TABLE stage_plans ADD COLUMN secagg_state BLOB');
  const resultCols = (db.prepare('PRAGMA table_info(stage_results)').all() as { name: string }[]).map((c) => c.name);
  if (!resultCols.includes('payload')) db.exec('ALTER TABLE stage_results ADD COLUMN payload BLOB');
  // audit_events.signature: the coordinator's Ed25519 signature of each entry's hash (NULL when unsigned).
  const auditCols = (db.prepare('PRAGMA table_info(audit_events)').all() as { name: string }[]).map((c) => c.name);
  if (!auditCols.includes('signature')) db.exec('ALTER TABLE audit_events ADD COLUMN signature TEXT');
  if (row?.value !== String(SCHEMA_VERSION)) db.prepare(`INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)`).run(String(SCHEMA_VERSION));
}
