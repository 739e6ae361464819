/**
 * Lays out a simulated federation from one CSV: validation as `data validate` does it, the common test set,
 * the partition, and per bank the files its daemon reads in production (extract, policy, key).
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import { writeFileAtomic } from '../common/atomic-file.js';
import { FedfinError } from '../common/errors.js';
import { RandomReader } from '../common/random.js';
import { seededRandom } from '../common/seeded-random.js';
import { readAcceptedRecords, readMappingFile } from '../client/data/read-records.js';
import type { DatasetSchema } from '../schema/field.js';
import type { MappingSpec } from '../schema/mapping-spec.js';
import { resolveSchema } from '../schema/registry.js';
import { validateData, type ValidationReport } from '../schema/validate.js';
import { getTask } from '../tasks/registry.js';
import { checkPartition, formatPartitionSpec, groupRows, holdOutTest, partitionGroups, partitionRows, type PartitionCheck, type PartitionRow, type PartitionSpec } from './partition.js';
import { assertPartitionFor, simTask, type SimTaskProfile } from './sim-tasks.js';

/** Where the data comes from and how to split it. */
export interface SimulationDataOptions {
  readonly dataFile: string;
  /** Built-in schema id or a .json schema file. */
  readonly schema: string;
  readonly mappingFile?: string;
  readonly task: string;
  readonly banks: number;
  readonly partition: PartitionSpec;
  readonly testFraction: number;
  readonly seed: number;
  /** Rejected rows tolerated (as `data validate --max-reject`). */
  readonly maxReject: number;
  /** A bank with fewer training rows refuses the run. */
  readonly minRowsPerBank: number;
  /** A desensitisation policy every bank uses (its domain is set per bank). @default drop direct identifiers, keep the rest, k = 1 */
  readonly policyFile?: string;
  readonly workDir: string;
}

/** One simulated bank's files (absolute paths). */
export interface SimBank {
  readonly memberId: string;
  readonly dir: string;
  readonly dataFile: string;
  readonly policyFile: string;
  readonly keyFile: string;
  readonly rows: number;
  readonly positives: number;
  /** Partition units the bank holds (accounts, symbols; = rows when rows are independent). */
  readonly units: number;
}

/** The laid-out federation. */
export interface SimulationData {
  readonly schema: DatasetSchema;
  /** What daemons are configured with: the id, or the schema file's absolute path. */
  readonly schemaRef: string;
  readonly mappingFile: string | undefined;
  readonly banks: readonly SimBank[];
  /** The common test set in the source CSV's shape; `testPolicyFile`/`testKeyFile` desensitise it. */
  readonly testFile: string;
  readonly testPolicyFile: string;
  readonly testKeyFile: string;
  readonly testRows: number;
  /** What a partition unit is (`row`, `account`, `symbol`) and how many went to the test set. */
  readonly unit: SimTaskProfile['unit'];
  readonly testUnits: number;
  readonly rowsRead: number;
  readonly rejected: number;
  readonly checks: readonly PartitionCheck[];
  readonly warnings: readonly string[];
}

/** The CSV does not match its schema beyond `maxReject`: `report` is what `data validate` prints. */
export class DataRejectedError extends FedfinError {
  constructor(readonly report: ValidationReport, maxReject: number) {
    super('data-invalid', `${report.file}: ${report.rejected} of ${report.rows} rows rejected (more than --max-reject ${maxReject}); run refused`);
  }
}

export { SIMULATE_TASKS } from './sim-tasks.js';

/** Refuses a task `fedfin simulate` cannot run, listing the ones it can. */
export function assertTaskAvailable(task: string): void {
  simTask(task);
}

const abs = (p: string): string => (isAbsolute(p) ? p : resolve(p));

function keyOf(v: unknown): PartitionRow['key'] {
  if (v instanceof Date) return v.getTime();
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' || v === null || v === undefined) return v ?? null;
  return String(v as string);
}

/**
 * Validates, splits and writes everything under `workDir` (atomically, file by file).
 * @throws DataRejectedError past `maxReject`; FedfinError('usage') for an unknown task or column, a feature
 *   split with too few values, or a bank left empty / below `minRowsPerBank` (the bank named).
 */
export async function prepareSimulationData(o: SimulationDataOptions): Promise<SimulationData> {
  const profile = simTask(o.task);
  assertPartitionFor(profile, o.partition);
  const schema = resolveSchema(o.schema);
  const kinds = getTask(o.task).schemaKinds;
  if (!kinds.includes(schema.kind)) throw new FedfinError('usage', `--task ${o.task} needs a schema of kind ${kinds.join(' or ')}; ${schema.id} is of kind ${schema.kind}`);
  const schemaRef = o.schema.endsWith('.json') ? abs(o.schema) : o.schema;
  const mapping: MappingSpec | undefined = o.mappingFile === undefined ? undefined : readMappingFile(o.mappingFile);
  if (mapping && mapping.schema !== schema.id) throw new FedfinError('usage', `mapping ${o.mappingFile}: maps onto schema ${mapping.schema}, but --schema is ${schema.id}`);
  const report = await validateData({ file: o.dataFile, schema, mapping, maxReject: o.maxReject, format: 'csv' });
  if (!report.ok) throw new DataRejectedError(report, o.maxReject);
  const label = getTask(o.task).labelField(schema);
  const column = o.partition.kind === 'feature' || o.partition.kind === 'time' ? o.partition.column : undefined;
  if (column !== undefined && !schema.fields.some((f) => f.name === column)) {
    throw new FedfinError('usage', `--partition ${formatPartitionSpec(o.partition)}: "${column}" is not a field of ${schema.id} (fields: ${schema.fields.map((f) => f.name).join(', ')})`);
  }

  const read = await readAcceptedRecords(o.dataFile, schema, mapping, 'csv');
  const text = readFileSync(o.dataFile, 'utf8');
  const raw = parse(text, { delimiter: mapping?.delimiter ?? ',', raw: true, relax_column_count: true, skip_empty_lines: true }) as unknown as { raw: string }[];
  const [head, ...dataRows] = raw;
  if (!head || dataRows.length !== read.rowsRead) throw new FedfinError('data-invalid', `${o.dataFile}: read ${read.rowsRead} data rows but split ${dataRows.length} CSV rows; the simulation needs one line per record`);
  const line = (r: { raw: string }): string => (r.raw.endsWith('\n') ? r.raw : `${r.raw}\n`);
  const badLabel = profile.binaryLabel ? read.records.findIndex((r) => ![true, false, 0, 1].includes(r[label] as number | boolean)) : -1;
  if (badLabel >= 0) {
    throw new FedfinError('usage', `${o.dataFile}: row ${read.rowNumbers[badLabel]}: the label field "${label}" must be true/false or 0/1 for ${o.task}; map it in the mapping (e.g. "${label}": { "derive": "class == 2" }) or fix the schema`);
  }
  const rows: PartitionRow[] = read.records.map((r) => ({ label: profile.binaryLabel && (r[label] === true || r[label] === 1) ? 1 : 0, key: column === undefined ? undefined : keyOf(r[column]) }));
  const rawOf = (i: number): string => line(dataRows[read.rowNumbers[i]! - 1]!);

  const rng = new RandomReader(seededRandom(`${o.seed}:partition`));
  const testFraction = profile.commonTestSet ? o.testFraction : 0;
  const split = splitRows(profile, o.partition, read.records, rows, testFraction, o.banks, rng);
  const { test, parts } = split;
  const names = parts.map((_, b) => `bank-${String(b + 1).padStart(String(o.banks).length, '0')}`);
  const checks = checkPartition(parts, rows, names, o.minRowsPerBank);
  const refused = checks.filter((c) => c.problem === 'empty' || c.problem === 'too-few');
  if (refused.length > 0) {
    const list = refused.slice(0, 10).map((c) => `${c.bank} (${c.rows} rows)`).join(', ');
    throw new FedfinError('usage', `--partition ${formatPartitionSpec(o.partition)} leaves ${refused.length} bank(s) with fewer than ${o.minRowsPerBank} training rows: ${list}${refused.length > 10 ? ', …' : ''}. Use fewer banks, a larger ALPHA/smaller SIGMA, or lower --min-rows.`);
  }
  const warnings = checks.filter((c) => profile.binaryLabel && c.problem === 'one-class').map((c) => `${c.bank} has only ${c.positives === 0 ? 'negative' : 'positive'} labels (${c.rows} rows): it trains on one class`);
  const few = fewTestPositives(profile, read.records, rows, test);
  if (few) warnings.push(few);

  const policyBase = o.policyFile === undefined ? profile.defaultPolicy(schema.id) : (JSON.parse(readFileSync(o.policyFile, 'utf8')) as Record<string, unknown>);
  const header = line(head);
  const writeParty = (dir: string, name: string, idx: readonly number[]) => {
    const dataFile = join(dir, `${name}.csv`);
    const policyFile = join(dir, 'policy.json');
    const keyFile = join(dir, 'pseudonym.key');
    writeFileAtomic(dataFile, header + idx.map(rawOf).join(''));
    writeFileAtomic(policyFile, `${JSON.stringify({ ...policyBase, domain: `${name}/simulation` }, null, 2)}\n`);
    // Simulation only: the key (and with it each bank's keyed holdout split) derives from the seed, so runs repeat.
    const key = new Uint8Array(32);
    seededRandom(`${o.seed}:key:${name}`).fill(key);
    writeFileAtomic(keyFile, key, 0o600);
    return { dataFile, policyFile, keyFile };
  };
  const workDir = abs(o.workDir);
  const banks = parts.map((p, b) => {
    const dir = join(workDir, names[b]!);
    return { memberId: names[b]!, dir, ...writeParty(dir, names[b]!, p), rows: p.length, positives: checks[b]!.positives, units: split.unitsPerBank[b]! };
  });
  const t = writeParty(join(workDir, 'test'), 'test', test);
  return {
    schema,
    schemaRef,
    mappingFile: o.mappingFile === undefined ? undefined : abs(o.mappingFile),
    banks,
    testFile: t.dataFile,
    testPolicyFile: t.policyFile,
    testKeyFile: t.keyFile,
    testRows: test.length,
    unit: profile.unit,
    testUnits: split.testUnits,
    rowsRead: read.rowsRead,
    rejected: read.rejected,
    checks,
    warnings,
  };
}

/** Fewer positive units in the common test set than this, and every model's PR-AUC is a draw on them: warn. */
export const MIN_TEST_POSITIVE_UNITS = 10;

/**
 * For a task whose positives cluster in units (fraud: accounts), a warning when the common test set's
 * positives come from fewer than MIN_TEST_POSITIVE_UNITS units. A fraud episode is one account's burst of
 * 1–12 transactions, so 6 positive rows may be 2 episodes, and which model "wins" then changes with
 * --seed (docs/simulation.md, Limits).
 */
function fewTestPositives(profile: SimTaskProfile, records: readonly Record<string, unknown>[], rows: readonly PartitionRow[], test: readonly number[]): string | undefined {
  const field = profile.groupField;
  if (!profile.binaryLabel || field === undefined || test.length === 0) return undefined;
  const positives = test.filter((i) => rows[i]!.label === 1);
  const units = new Set(positives.map((i) => String(records[i]![field] as string))).size;
  if (units >= MIN_TEST_POSITIVE_UNITS) return undefined;
  return `the common test set has ${positives.length} positive row(s) from ${units} ${profile.unit}(s): every model's ranking metrics (PR-AUC, recall, precision at k) hinge on those few, so model comparisons can flip with --seed; use more rows or compare over several seeds`;
}

/**
 * The common test set and the partition: over rows, or — for a task with a `groupField` the schema has —
 * over its units (accounts, symbols), so no unit straddles two banks or a bank and the test set.
 */
function splitRows(profile: SimTaskProfile, spec: PartitionSpec, records: readonly Record<string, unknown>[], rows: readonly PartitionRow[], testFraction: number, banks: number, rng: RandomReader): { test: number[]; parts: number[][]; testUnits: number; unitsPerBank: number[] } {
  const field = profile.groupField;
  if (field === undefined || !records.some((r) => r[field] !== null && r[field] !== undefined)) {
    const { test, train } = holdOutTest(rows, testFraction, rng);
    const parts = partitionRows(spec, rows, train, banks, rng);
    return { test, parts, testUnits: test.length, unitsPerBank: parts.map((p) => p.length) };
  }
  const groups = groupRows(rows, (i) => {
    const v = records[i]![field];
    return v === null || v === undefined ? undefined : String(v as string);
  }, spec.kind === 'time' ? 'earliest' : 'mode');
  try {
    return partitionGroups(spec, groups, testFraction, banks, rng);
  } catch (err) {
    // feature:C with fewer distinct unit values than banks: say that units, not rows, were split.
    if (err instanceof FedfinError) throw new FedfinError(err.code, `${err.message} (counted over ${profile.unit}s: each ${profile.unit} goes whole to one bank)`);
    throw err;
  }
}
