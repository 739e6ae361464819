/** `fedfin audit verify`: offline check of the coordinator's hash-chained audit log, naming the first bad entry. */
import Database from 'better-sqlite3';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { ConfigError, FileError, UsageError } from '../common/errors.js';
import { bankAuditContent } from '../security/audit-hash.js';
import { AuditChainVerifier, type AuditVerdict } from '../security/audit-verify.js';
import { parseIdentityPublicKeyPem } from '../security/identity-keys.js';
import { EXIT, ExitSignal, printJson, type CliIo } from './io.js';

const FlagsSchema = z.object({
  dataDir: z.string().min(1).optional(),
  ledger: z.string().min(1).optional(),
  publicKey: z.string().min(1).optional(),
  signedFrom: z.string().regex(/^\d+$/, 'expected a positive integer').transform(Number).pipe(z.number().int().min(1)).optional(),
  json: z.boolean().optional(),
});

interface Row {
  seq: number;
  at: string;
  type: string;
  job_id: string | null;
  member_id: string | null;
  actor: string | null;
  detail_json: string;
  prev_hash: string;
  hash: string;
  signature?: string | null;
}

/**
 * Verifies `DIR/coordinator.db` read-only, streaming rows in seq order.
 * @param dataDir the coordinator's data directory.
 * @param publicKey the coordinator's Ed25519 audit key; signatures are checked when given.
 * @returns the verdict.
 * @throws FileError when the database is missing or has no audit table.
 */
export function verifyAuditDatabase(dataDir: string, publicKey?: Uint8Array, signedFromSeq?: number): AuditVerdict {
  const file = join(dataDir, 'coordinator.db');
  if (!existsSync(file)) throw new FileError(file, 'no coordinator database here (is --data-dir the coordinator\'s data directory?)', 'file-not-found');
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (err) {
    throw new FileError(file, `cannot open read-only (${(err as Error).message})`, 'file-unreadable', { cause: err });
  }
  try {
    const cols = (db.prepare('PRAGMA table_info(audit_events)').all() as { name: string }[]).map((c) => c.name);
    if (cols.length === 0) throw new FileError(file, 'no audit_events table: not a fedfin coordinator database');
    // The signature column arrives with the mTLS step; older databases simply have none.
    const sigCol = cols.includes('signature') ? ', signature' : '';
    const verifier = new AuditChainVerifier({ ...(publicKey ? { publicKey } : {}), ...(signedFromSeq !== undefined ? { signedFromSeq } : {}) });
    const rows = db.prepare(`SELECT seq, at, type, job_id, member_id, actor, detail_json, prev_hash, hash${sigCol} FROM audit_events ORDER BY seq`).iterate() as IterableIterator<Row>;
    for (const r of rows) {
      let detail: unknown;
      try {
        detail = JSON.parse(r.detail_json);
      } catch {
        verifier.fail(r.seq, 'malformed', `entry ${r.seq}: detail_json is not valid JSON (edited by hand?)`);
        break;
      }
      const ok = verifier.push({ seq: r.seq, at: r.at, type: r.type, jobId: r.job_id ?? undefined, memberId: r.member_id ?? undefined, actor: r.actor ?? undefined, detail, prevHash: r.prev_hash, hash: r.hash, signature: r.signature ?? null });
      if (!ok) break;
    }
    return verifier.result();
  } finally {
    db.close();
  }
}

/**
 * Verifies a bank daemon's ledger (`DIR/bank.db`) audit table, read-only: the same chain, without signatures.
 * @throws FileError when the file is missing or has no chained audit table.
 */
export function verifyLedgerDatabase(file: string): AuditVerdict {
  if (!existsSync(file)) throw new FileError(file, 'no bank ledger here (the daemon\'s dataDir/bank.db)', 'file-not-found');
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const cols = (db.prepare('PRAGMA table_info(audit)').all() as { name: string }[]).map((c) => c.name);
    if (!cols.includes('hash')) throw new FileError(file, 'the audit table is not hash-chained (open it once with this fedfin to chain it)');
    const verifier = new AuditChainVerifier();
    for (const r of db.prepare('SELECT seq, at, type, instruction_id, detail_json, prev_hash, hash FROM audit ORDER BY seq').iterate() as IterableIterator<{ seq: number; at: string; type: string; instruction_id: string | null; detail_json: string; prev_hash: string; hash: string }>) {
      let detail: unknown;
      try {
        detail = JSON.parse(r.detail_json);
      } catch {
        verifier.fail(r.seq, 'malformed', `entry ${r.seq}: detail_json is not valid JSON (edited by hand?)`);
        break;
      }
      if (!verifier.push({ ...bankAuditContent({ seq: r.seq, at: r.at, type: r.type, instructionId: r.instruction_id, detail }), prevHash: r.prev_hash, hash: r.hash })) break;
    }
    return verifier.result();
  } finally {
    db.close();
  }
}

/** Registers `audit verify`. */
export function registerAuditCommands(program: Command, io: CliIo): void {
  const group = program.command('audit').description('verify the coordinator\'s audit log offline');
  group
    .command('verify')
    .description('check every hash, link and signature; name the first bad one')
    .option('--data-dir <dir>', 'the coordinator\'s data directory (opened read-only)')
    .option('--ledger <file>', 'instead: a bank daemon\'s ledger (bank.db), read-only')
    .option('--public-key <file>', 'the coordinator\'s audit public key (kits/coordinator/audit-signing.pub); checks signatures')
    .option('--signed-from <seq>', 'with --public-key: entries before this seq may be unsigned', undefined)
    .option('--json', 'print the verdict as JSON')
    .action((raw: unknown) => {
      const parsed = FlagsSchema.safeParse(raw);
      if (!parsed.success) throw new ConfigError('flags', parsed.error.issues);
      const f = parsed.data;
      if ((f.dataDir === undefined) === (f.ledger === undefined)) throw new UsageError('pass exactly one of --data-dir DIR (coordinator) and --ledger FILE (bank daemon)');
      if (f.ledger !== undefined) {
        printVerdict(io, verifyLedgerDatabase(f.ledger), { ledger: f.ledger }, false, f.json === true);
        return;
      }
      const key = f.publicKey !== undefined ? readAuditPublicKey(f.publicKey) : undefined;
      const verdict = verifyAuditDatabase(f.dataDir!, key, f.signedFrom);
      printVerdict(io, verdict, { dataDir: f.dataDir }, key !== undefined, f.json === true);
    });
}

/**
 * Prints a verdict (one line, or JSON with `context`) and exits 1 when the log is broken. Shared by the offline
 * `fedfin audit verify` and the online `fedfin admin audit verify`.
 */
export function printVerdict(io: CliIo, verdict: AuditVerdict, context: Record<string, unknown>, signaturesChecked: boolean, json: boolean): void {
  if (json) printJson(io, { ...context, signaturesChecked, ...verdict });
  else if (verdict.ok) {
    const head = verdict.head ? `, head entry ${verdict.head.seq} ${verdict.head.hash.slice(0, 16)}…` : '';
    const sigs = signaturesChecked ? `, ${verdict.signed} signatures` : 'ledger' in context ? ' (hash chain; bank ledgers are not signed)' : ' (hash chain only; pass --public-key to check signatures)';
    io.out(`audit log OK: ${verdict.entries} entries verified${sigs}${head}`);
  } else {
    io.out(`audit log BROKEN at entry ${verdict.firstBad.seq} (${verdict.firstBad.problem}): ${verdict.firstBad.message}`);
    io.out(`  ${verdict.entries > 0 ? `entries 1–${verdict.entries} verify` : 'no entry verifies'}; nothing from entry ${verdict.firstBad.seq} on can be trusted`);
  }
  if (!verdict.ok) throw new ExitSignal(EXIT.failure);
}

/** Reads an Ed25519 audit public key (SPKI PEM). @throws FileError when unreadable. */
export function readAuditPublicKey(file: string): Uint8Array {
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (err) {
    throw new FileError(file, `cannot read public key (${(err as Error).message})`, 'file-not-found', { cause: err });
  }
  return parseIdentityPublicKeyPem(pem);
}
