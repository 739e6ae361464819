/** The demo's result: the comparison table, the privacy statement, and the JSON document written by `--json FILE`. */
import type { JobSpec } from '../../schema/job-spec.js';
import type { RoundRecord } from '../../coordinator/store/store.js';
import type { Comparison, ModelScore } from './measure.js';
import type { DemoExtras, DemoMetric } from './task-profile.js';

/** One model's line of the JSON document: the task's metric keys (4 decimals) plus its training rows. */
export type DemoModelLine = Readonly<Record<string, number>> & { readonly rows: number };

/** A bank-alone line: its name, its metric keys, rows and the ε its baseline spent. */
export type DemoBankLine = { readonly bank: string; readonly rows: number; readonly epsilon: number; readonly [metric: string]: number | string };

/**
 * The JSON document of `fedfin demo --json FILE` (stable keys; extra keys may be added). The metric
 * keys of `federated`, `centralized` and every `localOnly` entry are the task profile's: credit
 * `auc`, `ks`, `logLoss`; fraud `prAuc`, `recallAtFpr`, `auc`, …
 */
export interface DemoReport {
  readonly task: string;
  readonly jobId: string;
  readonly rounds: number;
  readonly testRows: number;
  readonly federated: DemoModelLine;
  readonly centralized: DemoModelLine & { readonly epsilon: number };
  readonly localOnly: readonly DemoBankLine[];
  readonly privacy: {
    readonly epsilon: number;
    readonly delta: number;
    readonly targetEpsilon: number | null;
    readonly unit: 'record';
    readonly accountant: 'rdp';
    readonly sampling: 'poisson';
  } | null;
  /** Compares the headline metric (the profile's first): federated / centralised, and federated > each bank alone. */
  readonly targets: { readonly metric: string; readonly federatedVsCentralized: number; readonly aboveEveryBankAlone: boolean };
  readonly wallTimeMs: number;
  /** Lines the profile adds under the table (its JSON sections are merged at the top level). */
  readonly notes?: readonly string[];
  /** What the models were scored on, when the profile says so (DemoExtras.testSetLine); absent: the common test set. */
  readonly testSetLine?: string;
  readonly [section: string]: unknown;
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

/** The credit demo's columns (also the default, for callers that predate task profiles). */
export const CREDIT_METRICS: readonly DemoMetric[] = [
  { key: 'auc', header: 'auc' },
  { key: 'ks', header: 'ks' },
  { key: 'logLoss', header: 'log-loss' },
];

const r4 = (x: number): number => Math.round(x * 10_000) / 10_000;

/** Builds the JSON document from the comparison. */
export function demoReport(jobId: string, job: JobSpec, roundsDone: number, c: Comparison, wallTimeMs: number, metrics: readonly DemoMetric[] = CREDIT_METRICS, extras?: DemoExtras, rounds: readonly RoundRecord[] = []): DemoReport {
  const m = (s: ModelScore): DemoModelLine => {
    const out: Record<string, number> = {};
    for (const k of metrics) out[k.key] = r4(s.metrics[k.key] ?? Number.NaN);
    return { ...out, rows: s.rows };
  };
  const head = metrics[0]!.key;
  const v = (s: ModelScore): number => s.metrics[head] ?? Number.NaN;
  const p = job.privacy;
  return {
    ...(extras?.json ?? {}),
    task: job.task,
    jobId,
    rounds: roundsDone,
    testRows: c.testRows,
    federated: m(c.federated),
    centralized: { ...m(c.centralized), epsilon: r4(c.centralized.epsilon) },
    localOnly: c.localOnly.map((l) => ({ bank: l.bank, ...m(l), epsilon: r4(l.epsilon) })),
    privacy: p.mode === 'dp-sgd' ? { epsilon: r4(c.federated.epsilon), delta: p.delta, targetEpsilon: p.targetEpsilon ?? null, unit: 'record', accountant: 'rdp', sampling: 'poisson' } : null,
    targets: {
      metric: head,
      federatedVsCentralized: r4(v(c.federated) / v(c.centralized)),
      aboveEveryBankAlone: c.localOnly.every((l) => v(c.federated) > v(l)),
    },
    wallTimeMs: Math.round(wallTimeMs),
    ...(extras && extras.lines.length > 0 ? { notes: [...extras.lines] } : {}),
    ...(extras?.testSetLine ? { testSetLine: extras.testSetLine } : {}),
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
export function formatDemoReport(r: DemoReport, metrics: readonly DemoMetric[] = CREDIT_METRICS): string {
  const cells = (l: DemoModelLine | DemoBankLine): string[] => [...metrics.map((k) => Number(l[k.key] ?? Number.NaN).toFixed(k.digits ?? 3)), String(l.rows)];
  const rows: string[][] = [
    ['federated', ...cells(r.federated)],
    ['centralised (pooled; what no bank may do)', ...cells(r.centralized)],
    ...r.localOnly.map((l) => [`${l.bank} alone`, ...cells(l)]),
  ];
  const header = ['model', ...metrics.map((k) => k.header), 'train rows'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cs: readonly string[]) => cs.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const out = [r.testSetLine ?? `Common test set: ${r.testRows} rows pooled from every bank (for measurement only).`, '', line(header), ...rows.map(line), ''];
  const name = (metrics.find((k) => k.key === r.targets.metric)?.header ?? r.targets.metric).toUpperCase();
  out.push(`federated ${name} = ${(100 * r.targets.federatedVsCentralized).toFixed(1)} % of centralised; ${r.targets.aboveEveryBankAlone ? 'above' : 'NOT above'} every bank alone.`);
  for (const n of r.notes ?? []) out.push(n);
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
