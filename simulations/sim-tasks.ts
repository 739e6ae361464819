/** What `fedfin simulate` does per task: the unit a partition keeps whole, the test set, the default policy and job keys, and the metric columns. */
import { FedfinError } from '../common/errors.js';
import { fraudDemoPolicy } from './demo/fraud-profile.js';
import { formatPartitionSpec, type PartitionSpec } from './partition.js';

/** One metric column of reports and summaries. */
export interface SimMetric {
  /** The key in results.json's metric records (`auc`, `prAuc`, `directionalAccuracy` …). */
  readonly key: string;
  readonly header: string;
  /** @default 3 */
  readonly digits?: number;
  /** @default true (false for rmse, log-loss, drawdown …) */
  readonly higherIsBetter?: boolean;
}

/**
 * How a task runs in `fedfin simulate`. The federation itself is the task's production code (the
 * daemons' feature step, the task's examples and evaluation); this says how the CSV is laid out into
 * banks and how the run is measured.
 */
export interface SimTaskProfile {
  readonly task: string;
  /**
   * The schema field whose value binds rows into one partition unit (an account's transactions, a
   * symbol's bars); undefined: every row is a unit.
   */
  readonly groupField?: string;
  /** What a unit is called in messages, results and reports. */
  readonly unit: 'row' | 'account' | 'symbol';
  /** The label is a 0/1 class the test set and `dirichlet` stratify on (market's target is a return). */
  readonly binaryLabel: boolean;
  /**
   * true: one common test set held out before partitioning scores every model. false (market): no
   * common test set; every model is scored on each bank's own holdout period and `--test-fraction`
   * is that period's share (the job's `forecast.holdoutFraction`).
   */
  readonly commonTestSet: boolean;
  /** Why a SPEC makes no sense for the task, or undefined. */
  refusePartition(spec: PartitionSpec): string | undefined;
  /** The policy every bank uses without `--policy` (its `domain` is set per bank). */
  defaultPolicy(schemaId: string): Record<string, unknown>;
  /** Job keys beneath the user's (`--job`, flags), over simulate's generic defaults. */
  jobDefaults(testFraction: number): Record<string, unknown>;
  /** Report columns; the first is the headline (charts, sweep summaries, the CLI line). */
  readonly metrics: readonly SimMetric[];
}

const keepAll = (schemaId: string): Record<string, unknown> => ({ schema: schemaId, k: 1, maxSuppression: 0, fields: {} });

const CLASSIFICATION: readonly SimMetric[] = [
  { key: 'auc', header: 'AUC' },
  { key: 'ks', header: 'KS' },
  { key: 'logLoss', header: 'log-loss', higherIsBetter: false },
];

const CREDIT: SimTaskProfile = {
  task: 'credit-scoring',
  unit: 'row',
  binaryLabel: true,
  commonTestSet: true,
  refusePartition: () => undefined,
  defaultPolicy: keepAll,
  jobDefaults: () => ({}),
  metrics: CLASSIFICATION,
};

const FRAUD: SimTaskProfile = {
  task: 'fraud-detection',
  groupField: 'account_id',
  unit: 'account',
  binaryLabel: true,
  commonTestSet: true,
  refusePartition: () => undefined,
  // The demo's rules (features first, then exact time, device and postcode dropped), k = 1 as every simulate default.
  defaultPolicy: (schemaId) => ({ ...fraudDemoPolicy(''), schema: schemaId, k: 1, maxSuppression: 0 }),
  // A fixed positive weight: `auto` would be refused as soon as --epsilon turns DP-SGD on.
  jobDefaults: () => ({ model: { type: 'mlp', hidden: [16], activation: 'relu' }, batchSize: 128, learningRate: 0.5, optimizer: 'sgd', fraud: { loss: 'weighted-bce', positiveWeight: 20 } }),
  metrics: [
    { key: 'prAuc', header: 'PR-AUC' },
    { key: 'recallAtFpr', header: 'recall@1%FPR' },
    { key: 'precisionAtK', header: 'prec@top1%' },
    ...CLASSIFICATION,
  ],
};

const MARKET: SimTaskProfile = {
  task: 'market-forecast',
  groupField: 'symbol',
  unit: 'symbol',
  binaryLabel: false,
  commonTestSet: false,
  refusePartition(spec) {
    if (spec.kind === 'dirichlet') return 'dirichlet skews class labels; market-forecast has none (its target is a return). Use iid or quantity:lognormal:SIGMA over symbols';
    if (spec.kind === 'time') return "time splits are meaningless for forecasting: each institution is evaluated on the latest part of its own instruments' period, so giving one bank the early years leaves the models nothing comparable to forecast. Institutions get whole symbols instead (iid, quantity:lognormal:SIGMA, feature:COLUMN)";
    return undefined;
  },
  defaultPolicy: keepAll,
  jobDefaults: (testFraction) => ({ model: { type: 'mlp', hidden: [32], activation: 'tanh' }, localEpochs: 1, batchSize: 64, learningRate: 0.005, optimizer: 'adam', forecast: { windowDays: 20, holdoutFraction: testFraction, maxMissingWeekdays: 3, costBps: 5 } }),
  metrics: [
    { key: 'directionalAccuracy', header: 'direction' },
    { key: 'rmse', header: 'rmse', digits: 5, higherIsBetter: false },
    { key: 'sharpe', header: 'sharpe', digits: 2 },
    { key: 'annualReturn', header: 'ann.return' },
    { key: 'maxDrawdown', header: 'max dd', higherIsBetter: false },
    { key: 'turnover', header: 'turnover', higherIsBetter: false },
  ],
};

const PROFILES: ReadonlyMap<string, SimTaskProfile> = new Map([CREDIT, FRAUD, MARKET].map((p) => [p.task, p]));

/** Tasks `fedfin simulate` runs end to end (baselines, metrics, reports). */
export const SIMULATE_TASKS: readonly string[] = [...PROFILES.keys()];

/**
 * The simulation profile of a task.
 * @throws FedfinError('usage') for a task simulate does not know, listing the ones it does.
 */
export function simTask(task: string): SimTaskProfile {
  const p = PROFILES.get(task);
  if (!p) throw new FedfinError('usage', `task "${task}" not available in fedfin simulate (available: ${SIMULATE_TASKS.join(', ')})`);
  return p;
}

/** The headline metric of a task (first report column): what charts and sweep summaries follow. */
export function headlineMetric(task: string): SimMetric {
  return (PROFILES.get(task) ?? CREDIT).metrics[0]!;
}

/** @throws FedfinError('usage') when the task refuses the SPEC, with the reason. */
export function assertPartitionFor(profile: SimTaskProfile, spec: PartitionSpec): void {
  const why = profile.refusePartition(spec);
  if (why !== undefined) throw new FedfinError('usage', `--partition ${formatPartitionSpec(spec)} is refused for ${profile.task}: ${why}`);
}
