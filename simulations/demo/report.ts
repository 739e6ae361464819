/** The demo's result: the comparison table, the privacy statement, and the JSON document written by `--json FILE`. */
import type { JobSpec } from '../../schema/job-spec.js';
import type { RoundRecord } from '../../coordinator/store/store.js';
import type { Comparison, ModelScore } from './measure.js';

/** The JSON document of `fedfin demo --json FILE` (stable keys; extra keys may be added). */
export interface DemoReport {
  readonly jobId: string;
  readonly rounds: number;
  readonly testRows: number;
  readonly federated: { readonly auc: number; readonly ks: number; readonly logLoss: number; readonly rows: number };
  readonly centralized: { readonly auc: number; readonly ks: number; readonly logLoss: number; readonly rows: number; readonly epsilon: number };
  readonly localOnly: readonly { readonly bank: string; readonly auc: number; readonly ks: number; readonly logLoss: number; readonly rows: number; readonly epsilon: number }[];
  readonly privacy: {
    readonly epsilon: number;
    readonly delta: number;
    readonly targetEpsilon: number | null;
    readonly unit: 'record';
    readonly accountant: 'rdp';
    readonly sampling: 'poisson';
  } | null;
  readonly targets: { readonly federatedVsCentralized: number; readonly aboveEveryBankAlone: boolean };
  readonly wallTimeMs: number;
  /** Present when the job ran with secure aggregation (`fedfin demo --secure-aggregation`). */
  readonly secureAggregation?: {
    readonly bits: number;
    readonly clippingRange: number;
    /** Banks whose update is in each round's sum. */
    readonly survivorsPerRound: readonly number[];
    /** `r<round>:<bank>@<stage>` for every dropout. */
    readonly dropouts: readonly string[];
    /** Distributed DP inside the sum: the job's ε from the realised noise of every round, at δ. */
    readonly distributedDp: { readonly mechanism: string; readonly noiseMultiplier: number; readonly minSurvivors: number; readonly epsilon: number; readonly delta: number; readonly unit: 'bank' } | null;
  };
}

const r4 = (x: number): number => Math.round(x * 10_000) / 10_000;

/** Builds the JSON document from the comparison. */
export function demoReport(jobId: string, job: JobSpec, roundsDone: number, c: Comparison, wallTimeMs: number, rounds: readonly RoundRecord[] = []): DemoReport {
  const m = (s: ModelScore) => ({ auc: r4(s.metrics.auc), ks: r4(s.metrics.ks), logLoss: r4(s.metrics.logLoss), rows: s.rows });
  const p = job.privacy;
  return {
    jobId,
    rounds: roundsDone,
    testRows: c.testRows,
    federated: m(c.federated),
    centralized: { ...m(c.centralized), epsilon: r4(c.centralized.epsilon) },
    localOnly: c.localOnly.map((l) => ({ bank: l.bank, ...m(l), epsilon: r4(l.epsilon) })),
    privacy: p.mode === 'dp-sgd' ? { epsilon: r4(c.federated.epsilon), delta: p.delta, targetEpsilon: p.targetEpsilon ?? null, unit: 'record', accountant: 'rdp', sampling: 'poisson' } : null,
    targets: {
      federatedVsCentralized: r4(c.federated.metrics.auc / c.centralized.metrics.auc),
      aboveEveryBankAlone: c.localOnly.every((l) => c.federated.metrics.auc > l.metrics.auc),
    },
    wallTimeMs: Math.round(wallTimeMs),
    ...(job.secureAggregation?.enabled ? { secureAggregation: secureAggregationReport(job, rounds) } : {}),
  };
}

function secureAggregationReport(job: JobSpec, rounds: readonly RoundRecord[]): NonNullable<DemoReport['secureAggregation']> {
  const sa = job.secureAggregation!;
  const dp = sa.distributedDp;
  const last = rounds.at(-1);
  return {
    bits: sa.bits,
    clippingRange: sa.clippingRange,
    survivorsPerRound: rounds.map((r) => r.participants.length),
    dropouts: rounds.flatMap((r) => r.dropped.map((d) => `r${r.round}:${d.memberId}@${d.stage ?? '?'}`)),
    distributedDp: dp ? { mechanism: dp.mechanism, noiseMultiplier: dp.noiseMultiplier, minSurvivors: dp.minSurvivors, epsilon: r4(last?.epsilon ?? 0), delta: dp.delta, unit: 'bank' } : null,
  };
}

/** The comparison table and the privacy statement, as printed at the end of the demo. */
export function formatDemoReport(r: DemoReport): string {
  const rows: string[][] = [
    ['federated', r.federated.auc.toFixed(3), r.federated.ks.toFixed(3), r.federated.logLoss.toFixed(3), String(r.federated.rows)],
    ['centralised (pooled; what no bank may do)', r.centralized.auc.toFixed(3), r.centralized.ks.toFixed(3), r.centralized.logLoss.toFixed(3), String(r.centralized.rows)],
    ...r.localOnly.map((l) => [`${l.bank} alone`, l.auc.toFixed(3), l.ks.toFixed(3), l.logLoss.toFixed(3), String(l.rows)]),
  ];
  const header = ['model', 'auc', 'ks', 'log-loss', 'train rows'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const out = [`Common test set: ${r.testRows} rows pooled from every bank (for measurement only).`, '', line(header), ...rows.map(line), ''];
  out.push(`federated AUC = ${(100 * r.targets.federatedVsCentralized).toFixed(1)} % of centralised; ${r.targets.aboveEveryBankAlone ? 'above' : 'NOT above'} every bank alone.`);
  if (r.privacy) {
    out.push(
      `Privacy: record-level DP-SGD in every bank; each bank's model updates satisfy (ε = ${r.privacy.epsilon.toFixed(2)}, δ = ${r.privacy.delta < 1e-3 ? r.privacy.delta.toExponential() : r.privacy.delta}) for the job` +
        `${r.privacy.targetEpsilon === null ? '' : ` (target ε ${r.privacy.targetEpsilon}, σ calibrated by each bank for its own data size)`}; ` +
        'accountant RDP, unit of privacy: one customer record, Poisson sampling of records. The baselines were trained with the same setting and budget.',
    );
  } else out.push('Privacy: no record-level DP in this job (privacy mode none).');
  const sa = r.secureAggregation;
  if (sa) {
    out.push(`Secure aggregation (SecAgg+, ${sa.bits}-bit quantisation): the coordinator saw only the sum of ${new Set(sa.survivorsPerRound).size === 1 ? sa.survivorsPerRound[0] : sa.survivorsPerRound.join('/')} banks' masked updates per round, never one bank's update${sa.dropouts.length > 0 ? `; dropouts ${sa.dropouts.join(', ')}` : ''}.`);
    if (sa.distributedDp) out.push(`Distributed DP inside the sum (${sa.distributedDp.mechanism}, z = ${sa.distributedDp.noiseMultiplier}, sized for ${sa.distributedDp.minSurvivors} survivors): ε = ${sa.distributedDp.epsilon.toFixed(2)} at δ = ${sa.distributedDp.delta.toExponential()} per bank's whole update.`);
  }
  out.push(`Wall time ${(r.wallTimeMs / 1000).toFixed(1)} s.`);
  return out.join('\n');
}
