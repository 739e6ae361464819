/** The Store on SQLite (better-sqlite3 12, WAL): one file under the coordinator's data dir. */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Weights } from '../../common/weights.js';
import { statementCache } from '../../common/statement-cache.js';
import { auditHash, GENESIS_HASH } from './audit-chain.js';
import { migrate } from './sqlite-schema.js';
import type { AuditEvent, AuditInput, JobRecord, JobStatus, LedgerEntry, MemberRecord, RoundCommit, RoundRecord, StagePlan, Store } from './store.js';
import { fromBlob, PendingUpdates, toBlob } from './weights-blob.js';

type Row = Record<string, unknown>;

function jobFromRow(r: Row): JobRecord {
  return {
    jobId: r['job_id'] as string,
    name: r['name'] as string,
    task: r['task'] as string,
    specJson: r['spec_json'] as string,
    status: r['status'] as JobStatus,
    roundsTotal: r['rounds_total'] as number,
    roundsDone: r['rounds_done'] as number,
    createdAt: r['created_at'] as string,
    updatedAt: r['updated_at'] as string,
    reason: r['reason'] as string,
    encodingStatsJson: (r['encoding_stats_json'] as string | null) ?? undefined,
    featureHash: (r['feature_hash'] as string | null) ?? undefined,
    members: r['members_json'] ? (JSON.parse(r['members_json'] as string) as string[]) : undefined,
  };
}

function ledgerFromRow(r: Row): LedgerEntry {
  return {
    jobId: r['job_id'] as string,
    memberId: r['member_id'] as string,
    round: r['round'] as number,
    epsilonRound: r['epsilon_round'] as number,
    epsilonTotal: r['epsilon_total'] as number,
    delta: r['delta'] as number,
    noiseMultiplier: r['noise_multiplier'] as number,
    sampleRate: r['sample_rate'] as number,
    steps: r['steps'] as number,
    accountant: r['accountant'] as string,
    unit: r['unit'] as string,
  };
}

/** Opens (creating if needed) `DIR/coordinator.db`. */
export function openSqliteStore(dataDir: string): Store {
  mkdirSync(dataDir, { recursive: true });
  return createSqliteStore(new Database(join(dataDir, 'coordinator.db')));
}

/** Wraps an open database (tests pass `new Database(':memory:')`). */
export function createSqliteStore(db: Database.Database): Store {
  if (!db.readonly) db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL'); // a committed round survives power loss, not just a crash
  db.pragma('foreign_keys = ON');
  migrate(db);
  // Every SQL text below is fixed: each is prepared once per database.
  const prepare = statementCache(db);
  const now = () => new Date().toISOString();
  // Accepted fit updates whose bytes are not written yet (see saveResult).
  const pending = new PendingUpdates();
  // A crash lost those bytes: drop their rows, so a resumed stage re-offers the instructions under the same
  // ids and each bank answers from its result cache (no retraining, no second ε).
  if (!db.readonly) prepare('DELETE FROM stage_results WHERE headers_json IS NOT NULL AND weights IS NULL').run();
  const flushTx = db.transaction((items: readonly [string, Weights][]) => {
    const upd = prepare('UPDATE stage_results SET weights = ? WHERE instruction_id = ?');
    for (const [id, w] of items) upd.run(toBlob(w).blob, id);
  });

  let auditSigner: ((hash: string) => string) | undefined;
  const appendAuditTx = db.transaction((e: AuditInput): AuditEvent => {
    const last = prepare('SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
    const seq = (last?.seq ?? 0) + 1;
    const prevHash = last?.hash ?? GENESIS_HASH;
    const at = now();
    const hash = auditHash(prevHash, { seq, at, type: e.type, jobId: e.jobId, memberId: e.memberId, actor: e.actor, detail: e.detail });
    const signature = auditSigner?.(hash);
    prepare('INSERT INTO audit_events (seq, at, type, job_id, member_id, actor, detail_json, prev_hash, hash, signature) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
      seq, at, e.type, e.jobId ?? null, e.memberId ?? null, e.actor ?? null, JSON.stringify(e.detail), prevHash, hash, signature ?? null,
    );
    return { ...e, seq, at, prevHash, hash, ...(signature ? { signature } : {}) };
  });

  const commitTx = db.transaction((c: RoundCommit) => {
    prepare(
      `INSERT INTO rounds (job_id, round, attempt, participants_json, dropped_json, metrics_json, epsilon, delta, train_ms, evaluate_ms, completed_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(c.jobId, c.round, c.attempt, JSON.stringify(c.participants), JSON.stringify(c.dropped), JSON.stringify(c.metrics), c.epsilon ?? null, c.delta ?? null, c.trainMs, c.evaluateMs, c.completedAt);
    const { headers, blob } = toBlob(c.weights);
    prepare('INSERT INTO checkpoints (job_id, round, headers_json, weights, strategy_state_json) VALUES (?, ?, ?, ?, ?)').run(c.jobId, c.round, headers, blob, c.strategyStateJson ?? null);
    const led = prepare(
      `INSERT INTO privacy_ledger (job_id, member_id, round, epsilon_round, epsilon_total, delta, noise_multiplier, sample_rate, steps, accountant, unit)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const l of c.ledger) led.run(l.jobId, l.memberId, l.round, l.epsilonRound, l.epsilonTotal, l.delta, l.noiseMultiplier, l.sampleRate, l.steps, l.accountant, l.unit);
    const upd = prepare('UPDATE jobs SET rounds_done = ?, updated_at = ? WHERE job_id = ? AND rounds_done = ?').run(c.round, now(), c.jobId, c.round - 1);
    if (upd.changes !== 1) throw new Error(`commitRound: job ${c.jobId} is not at round ${c.round - 1}; refusing to commit round ${c.round} twice or out of order`);
    prepare('DELETE FROM stage_plans WHERE job_id = ? AND round = ?').run(c.jobId, c.round);
    prepare('DELETE FROM stage_results WHERE job_id = ? AND round = ?').run(c.jobId, c.round);
    appendAuditTx({
      type: 'round-committed',
      jobId: c.jobId,
      detail: { round: c.round, attempt: c.attempt, participants: [...c.participants], dropped: c.dropped.map((d) => d.memberId), epsilon: c.epsilon ?? null, delta: c.delta ?? null },
    });
  });

  return {
    async upsertMember(m) {
      const t = m.lastSeen;
      prepare(
        `INSERT INTO members (member_id, first_seen, last_seen, tf_backend, accepted_tasks) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(member_id) DO UPDATE SET last_seen = excluded.last_seen, tf_backend = excluded.tf_backend, accepted_tasks = excluded.accepted_tasks`,
      ).run(m.memberId, t, t, m.tfBackend, JSON.stringify(m.acceptedTasks));
    },
    async listMembers() {
      return (prepare('SELECT * FROM members ORDER BY member_id').all() as Row[]).map((r) => ({
        memberId: r['member_id'] as string,
        firstSeen: r['first_seen'] as string,
        lastSeen: r['last_seen'] as string,
        tfBackend: r['tf_backend'] as string,
        acceptedTasks: JSON.parse(r['accepted_tasks'] as string) as string[],
      })) satisfies MemberRecord[];
    },
    async createJob(job) {
      const t = job.createdAt;
      prepare(`INSERT INTO jobs (job_id, name, task, spec_json, status, rounds_total, created_at, updated_at) VALUES (?, ?, ?, ?, 'running', ?, ?, ?)`).run(
        job.jobId, job.name, job.task, job.specJson, job.roundsTotal, t, t,
      );
    },
    async initializeJob(jobId, statsJson, featureHash, initial, members) {
      db.transaction(() => {
        const { headers, blob } = toBlob(initial);
        prepare('INSERT INTO checkpoints (job_id, round, headers_json, weights) VALUES (?, 0, ?, ?)').run(jobId, headers, blob);
        prepare('UPDATE jobs SET encoding_stats_json = ?, feature_hash = ?, members_json = ?, updated_at = ? WHERE job_id = ?').run(statsJson, featureHash, members ? JSON.stringify(members) : null, now(), jobId);
      })();
    },
    async getJob(jobId) {
      const r = prepare('SELECT * FROM jobs WHERE job_id = ?').get(jobId) as Row | undefined;
      return r ? jobFromRow(r) : undefined;
    },
    async listJobs() {
      return (prepare('SELECT * FROM jobs ORDER BY created_at DESC, job_id DESC').all() as Row[]).map(jobFromRow);
    },
    async setJobStatus(jobId, status, reason = '') {
      prepare('UPDATE jobs SET status = ?, reason = ?, updated_at = ? WHERE job_id = ?').run(status, reason, now(), jobId);
    },
    async commitRound(c) {
      commitTx(c);
      pending.dropRound(c.jobId, c.round);
    },
    async listRounds(jobId) {
      return (prepare('SELECT * FROM rounds WHERE job_id = ? ORDER BY round').all(jobId) as Row[]).map((r) => ({
        jobId: r['job_id'] as string,
        round: r['round'] as number,
        attempt: r['attempt'] as number,
        participants: JSON.parse(r['participants_json'] as string) as string[],
        dropped: JSON.parse(r['dropped_json'] as string) as RoundRecord['dropped'],
        metrics: JSON.parse(r['metrics_json'] as string) as RoundRecord['metrics'],
        epsilon: (r['epsilon'] as number | null) ?? undefined,
        delta: (r['delta'] as number | null) ?? undefined,
        trainMs: r['train_ms'] as number,
        evaluateMs: r['evaluate_ms'] as number,
        completedAt: r['completed_at'] as string,
      }));
    },
    async checkpoint(jobId, round) {
      const r = prepare('SELECT * FROM checkpoints WHERE job_id = ? AND round = ?').get(jobId, round) as Row | undefined;
      if (!r) return undefined;
      return { round, weights: fromBlob(r['headers_json'] as string, r['weights'] as Buffer), strategyStateJson: (r['strategy_state_json'] as string | null) ?? undefined };
    },
    async latestCheckpoint(jobId) {
      const r = prepare('SELECT * FROM checkpoints WHERE job_id = ? ORDER BY round DESC LIMIT 1').get(jobId) as Row | undefined;
      if (!r) return undefined;
      return { round: r['round'] as number, weights: fromBlob(r['headers_json'] as string, r['weights'] as Buffer), strategyStateJson: (r['strategy_state_json'] as string | null) ?? undefined };
    },
    async ledger(filter = {}) {
      const rows = prepare('SELECT * FROM privacy_ledger WHERE (? IS NULL OR job_id = ?) AND (? IS NULL OR member_id = ?) ORDER BY job_id, member_id, round')
        .all(filter.jobId ?? null, filter.jobId ?? null, filter.memberId ?? null, filter.memberId ?? null) as Row[];
      return rows.map(ledgerFromRow);
    },
    async saveStagePlan(p) {
      const w = p.weights ? toBlob(p.weights) : undefined;
      prepare(
        `INSERT OR REPLACE INTO stage_plans (job_id, round, stage, attempt, instructions_json, started_at, deadline_ms, headers_json, weights, secagg_state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(p.jobId, p.round, p.stage, p.attempt, JSON.stringify(p.instructions), p.startedAt, p.deadlineMs, w?.headers ?? null, w?.blob ?? null, p.secaggState ? Buffer.from(p.secaggState) : null);
    },
    async getStagePlan(jobId, round, stage) {
      const r = prepare('SELECT * FROM stage_plans WHERE job_id = ? AND round = ? AND stage = ?').get(jobId, round, stage) as Row | undefined;
      if (!r) return undefined;
      return {
        jobId,
        round,
        stage,
        attempt: r['attempt'] as number,
        instructions: JSON.parse(r['instructions_json'] as string) as StagePlan['instructions'],
        startedAt: r['started_at'] as string,
        deadlineMs: r['deadline_ms'] as number,
        weights: r['weights'] ? fromBlob(r['headers_json'] as string, r['weights'] as Buffer) : undefined,
        ...(r['secagg_state'] ? { secaggState: new Uint8Array(r['secagg_state'] as Buffer) } : {}),
      };
    },
    async clearRound(jobId, round) {
      pending.dropRound(jobId, round);
      db.transaction(() => {
        prepare('DELETE FROM stage_plans WHERE job_id = ? AND round = ?').run(jobId, round);
        prepare('DELETE FROM stage_results WHERE job_id = ? AND round = ?').run(jobId, round);
      })();
    },
    async saveResult(r) {
      // The row (small) now, without waiting for the disk: WAL with synchronous=NORMAL survives a kill -9, and
      // the next FULL commit (the stage's flush below, the next plan, the round) makes it power-safe too.
      // The update's bytes wait in memory until listResults, so an upload is acknowledged without writing 4 MB.
      // exec, not pragma(): pragma() prepares a statement per call, and this runs twice per accepted result.
      db.exec('PRAGMA synchronous = NORMAL');
      let changes: number;
      try {
        changes = prepare(
            `INSERT OR IGNORE INTO stage_results (instruction_id, job_id, round, stage, member_id, header_json, headers_json, weights, payload, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?, ?)`,
          )
          .run(r.instructionId, r.jobId, r.round, r.stage, r.memberId, r.headerJson, r.weights ? toBlob(r.weights).headers : null, r.payload ? Buffer.from(r.payload.buffer, r.payload.byteOffset, r.payload.byteLength) : null, r.receivedAt).changes;
      } finally {
        db.exec('PRAGMA synchronous = FULL');
      }
      if (changes === 1 && r.weights) pending.add(r.instructionId, r.jobId, r.round, r.stage, r.weights);
      return changes === 1;
    },
    async listResults(jobId, round, stage) {
      // Listing a stage's results is what precedes aggregating them: write the stage's pending updates first,
      // in one transaction, so a collect-only resume (crash during evaluation) finds every one of them.
      const flushed = pending.takeStage(jobId, round, stage);
      try {
        if (flushed.size > 0) flushTx([...flushed]);
      } catch (err) {
        for (const [id, w] of flushed) pending.add(id, jobId, round, stage, w); // a full disk: keep them for the retry
        throw err;
      }
      const rows = prepare('SELECT instruction_id, member_id, header_json, headers_json, payload, received_at FROM stage_results WHERE job_id = ? AND round = ? AND stage = ? ORDER BY member_id').all(jobId, round, stage) as Row[];
      const blobOf = prepare('SELECT weights FROM stage_results WHERE instruction_id = ?').pluck();
      return rows.map((r) => {
        const id = r['instruction_id'] as string;
        const blob = r['headers_json'] && !flushed.has(id) ? (blobOf.get(id) as Buffer | null) : null;
        return {
          instructionId: id,
          jobId,
          round,
          stage,
          memberId: r['member_id'] as string,
          headerJson: r['header_json'] as string,
          weights: flushed.get(id) ?? (blob ? fromBlob(r['headers_json'] as string, blob) : undefined),
          ...(r['payload'] ? { payload: new Uint8Array(r['payload'] as Buffer) } : {}),
          receivedAt: r['received_at'] as string,
        };
      });
    },
    async appendAudit(e) {
      return appendAuditTx(e);
    },
    setAuditSigner(sign) {
      auditSigner = sign;
    },
    async listAudit(options = {}) {
      const rows = prepare('SELECT * FROM audit_events WHERE seq > ? ORDER BY seq LIMIT ?').all(options.afterSeq ?? 0, options.limit ?? 1_000_000) as Row[];
      return rows.map((r) => ({
        seq: r['seq'] as number,
        at: r['at'] as string,
        type: r['type'] as string,
        jobId: (r['job_id'] as string | null) ?? undefined,
        memberId: (r['member_id'] as string | null) ?? undefined,
        actor: (r['actor'] as string | null) ?? undefined,
        detail: JSON.parse(r['detail_json'] as string) as Record<string, unknown>,
        prevHash: r['prev_hash'] as string,
        hash: r['hash'] as string,
        ...(r['signature'] ? { signature: r['signature'] as string } : {}),
      }));
    },
    async latestAuditSeq() {
      return (prepare('SELECT MAX(seq) AS seq FROM audit_events').get() as { seq: number | null }).seq ?? 0;
    },
    async close() {
      db.close();
    },
  };
}
