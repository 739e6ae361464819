/** Text output of `fedfin admin`: aligned tables, the per-round line of `jobs watch`, and the JSON shapes. */
import type { JobDetailView, JobView, MemberView, RoundView } from './admin-client.js';

/** Renders rows as a left-aligned table with two spaces between columns; numbers are right-aligned. */
export function table(header: readonly string[], rows: readonly (readonly string[])[], numeric: readonly boolean[] = []): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

/** A metric with `digits` decimals, or `-` when absent or not finite. */
export function fmtMetric(value: number | undefined, digits = 3): string {
  return value === undefined || !Number.isFinite(value) ? '-' : value.toFixed(digits);
}

/** δ as people write it: 1e-5 rather than 0.00001. */
export function fmtDelta(delta: number): string {
  return delta > 0 && delta < 1e-3 ? delta.toExponential() : String(delta);
}

/** ε with δ, or `-` for a round without DP. */
export function fmtEpsilon(r: Pick<RoundView, 'epsilon' | 'delta'>): string {
  return r.delta > 0 ? `${r.epsilon.toFixed(2)} (δ ${fmtDelta(r.delta)})` : '-';
}

/** A metric the round line shows: its key in the round's metrics, its label, and decimals (default 3). */
export interface RoundLineColumn {
  readonly key: string;
  readonly header: string;
  readonly digits?: number;
}

const BINARY_COLUMNS: readonly RoundLineColumn[] = [{ key: 'auc', header: 'auc' }, { key: 'ks', header: 'ks' }, { key: 'logLoss', header: 'logloss' }];
const REGRESSION_COLUMNS: readonly RoundLineColumn[] = [{ key: 'rmse', header: 'rmse', digits: 5 }, { key: 'directionalAccuracy', header: 'direction' }, { key: 'sharpe', header: 'sharpe' }];

/**
 * The line `jobs watch` (and `fedfin demo`) prints per committed round:
 * `round 3/12  auc 0.781  ks 0.452  logloss 0.512  ε 1.23 (δ 1e-5)  banks 3  dropped bank-c (timeout: …)`.
 * `columns` replaces the metric part (a demo profile's headline first, e.g. fraud's
 * `pr-auc 0.812  recall@1%fpr 0.900  auc 0.990`); a column the round lacks shows `-`.
 */
export function formatRoundLine(r: Pick<RoundView, 'round' | 'participants' | 'dropped' | 'metrics' | 'epsilon' | 'delta'>, roundsTotal: number, columns?: readonly RoundLineColumn[]): string {
  // Regression rounds (market-forecast) carry rmse instead of auc: show their own headline metrics.
  const regression = r.metrics['rmse'] !== undefined && r.metrics['auc'] === undefined;
  const shown = columns ?? (regression ? REGRESSION_COLUMNS : BINARY_COLUMNS);
  const parts = [`round ${r.round}/${roundsTotal}`, ...shown.map((c) => `${c.header} ${fmtMetric(r.metrics[c.key], c.digits)}`)];
  if (r.delta > 0) parts.push(`ε ${fmtEpsilon(r)}`);
  parts.push(`banks ${r.participants.length}`);
  if (r.dropped.length > 0) parts.push(`dropped ${r.dropped.join(', ')}`);
  return parts.join('  ');
}

/** `jobs list`: one row per job. */
export function formatJobList(jobs: readonly JobView[]): string {
  if (jobs.length === 0) return 'no jobs';
  return table(
    ['job', 'name', 'task', 'status', 'rounds', 'created'],
    jobs.map((j) => [j.jobId, j.name, j.task, j.status, `${j.roundsDone}/${j.roundsTotal}`, j.createdAt]),
  );
}

/** `jobs status`: the summary lines, then a table of committed rounds. */
export function formatJobStatus(d: JobDetailView): string {
  const j = d.job;
  const head = [
    `job ${j.jobId}  ${j.name}`,
    `task ${j.task}  status ${j.status}  rounds ${j.roundsDone}/${j.roundsTotal}  created ${j.createdAt}`,
  ];
  if (j.reason) head.push(`reason: ${j.reason}`);
  if (d.rounds.length === 0) return [...head, 'no committed rounds yet'].join('\n');
  const rows = d.rounds.map((r) => [
    String(r.round),
    r.participants.join(','),
    r.dropped.length === 0 ? '-' : r.dropped.join('; '),
    fmtMetric(r.metrics['auc']),
    fmtMetric(r.metrics['ks']),
    fmtMetric(r.metrics['logLoss']),
    r.delta > 0 ? r.epsilon.toFixed(2) : '-',
  ]);
  const last = d.rounds[d.rounds.length - 1]!;
  const tail = last.delta > 0 ? [`ε is the largest cumulative record-level ε over the banks, at δ ${fmtDelta(last.delta)} (RDP accountant)`] : [];
  return [...head, '', table(['round', 'participants', 'dropped', 'auc', 'ks', 'logLoss', 'ε'], rows, [true, false, false, true, true, true, true]), ...tail].join('\n');
}

/** `members list`: one row per bank. */
export function formatMembers(members: readonly MemberView[]): string {
  if (members.length === 0) return 'no members have joined yet';
  return table(
    ['member', 'status', 'last seen', 'tf backend', 'tasks'],
    members.map((m) => [m.memberId, m.status, m.lastSeen, m.tfBackend, m.acceptedTasks.join(',')]),
  );
}

/** The JSON shape of `jobs status --json`: the job, its parsed spec, and its rounds. */
export function jobDetailJson(d: JobDetailView): { job: JobView; spec: unknown; rounds: readonly RoundView[] } {
  let spec: unknown = d.specJson;
  try {
    spec = JSON.parse(d.specJson);
  } catch {
    // keep the raw text: the coordinator stores what it validated, so this only happens with a foreign store
  }
  return { job: d.job, spec, rounds: d.rounds };
}
