/**
 * Lays out one fold of federated k-fold cross-validation as daemon inputs: each bank's rows rewritten so
 * that its daemon's own keyed holdout split (client/data/holdout-split.ts, unchanged) is exactly its fold.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../common/atomic-file.js';
import { FedfinError } from '../common/errors.js';
import { holdoutScore } from '../client/data/holdout-split.js';
import { readAcceptedRecords, readMappingFile } from '../client/data/read-records.js';
import { loadKeyFile } from '../privacy/desensitize/index.js';
import { getTask } from '../tasks/registry.js';
import { foldSplit, type BankFolds } from './cv-folds.js';
import type { SimBank, SimulationData } from './sim-data.js';

/** A bank's file as lines, with each row's label (0/1). */
export interface BankRows {
  readonly bank: SimBank;
  readonly header: string;
  readonly lines: readonly string[];
  readonly labels: readonly number[];
}

/**
 * Reads every simulated bank's file back (one line per record, as `prepareSimulationData` wrote it) with
 * its labels read through the mapping and the task's label field.
 * @throws FedfinError('internal') when a bank file's lines and accepted records disagree.
 */
export async function readBankRows(data: SimulationData, task: string): Promise<BankRows[]> {
  const label = getTask(task).labelField(data.schema);
  const mapping = data.mappingFile === undefined ? undefined : readMappingFile(data.mappingFile);
  const out: BankRows[] = [];
  for (const bank of data.banks) {
    const [header, ...lines] = readFileSync(bank.dataFile, 'utf8').split('\n');
    if (lines.at(-1) === '') lines.pop();
    const read = await readAcceptedRecords(bank.dataFile, data.schema, mapping, 'csv');
    if (read.records.length !== lines.length) throw new FedfinError('internal', `${bank.dataFile}: ${lines.length} lines but ${read.records.length} accepted records`);
    out.push({ bank, header: header!, lines, labels: read.records.map((r) => (r[label] === true || r[label] === 1 ? 1 : 0)) });
  }
  return out;
}

/**
 * Which positions (0-based, of `n` data rows) a daemon keyed by `key` holds out at some fraction, and that
 * fraction, so that exactly `m` positions are held out: the `m` rows with the smallest keyed scores, and
 * the midpoint between the m-th and (m+1)-th score.
 * @throws RangeError unless 0 < m < n; FedfinError('internal') on a (2⁻⁵³-unlikely) tie of scores.
 */
export function keyedHoldout(key: Uint8Array, n: number, m: number): { holdout: Set<number>; fraction: number } {
  if (!(m > 0 && m < n)) throw new RangeError(`keyedHoldout: expected 0 < m < n, got m = ${m}, n = ${n}`);
  const scores = Array.from({ length: n }, (_, p) => holdoutScore(key, p + 1)); // data rows are numbered from 1
  const order = scores.map((_, p) => p).sort((a, b) => scores[a]! - scores[b]!);
  const lo = scores[order[m - 1]!]!;
  const hi = scores[order[m]!]!;
  const fraction = (lo + hi) / 2;
  if (!(lo < fraction && fraction <= hi)) throw new FedfinError('internal', `keyedHoldout: tied holdout scores at rows ${order[m - 1]! + 1} and ${order[m]! + 1}`);
  return { holdout: new Set(order.slice(0, m)), fraction };
}

/** One fold's federation inputs. */
export interface FoldLayout {
  /** The simulation data with every bank's file replaced by its fold file (the test set unchanged). */
  readonly data: SimulationData;
  /** Per bank, the holdout fraction at which its daemon holds out exactly its fold. */
  readonly holdoutFractions: Readonly<Record<string, number>>;
}

/**
 * Writes fold `fold`'s bank files under `dir/BANK/` and returns the fold's federation inputs. A bank's
 * fold rows go to the positions its key holds out (in their original order), its other rows to the rest,
 * so its daemon — reading, validating and desensitising as in production — trains on the other K−1 folds
 * and evaluates on this one. Policy and key files stay the bank's own.
 */
export function layoutFold(data: SimulationData, rows: readonly BankRows[], plans: readonly BankFolds[], fold: number, dir: string): FoldLayout {
  const holdoutFractions: Record<string, number> = {};
  const banks = rows.map((b, i): SimBank => {
    const { train, evaluate } = foldSplit(plans[i]!, fold);
    const key = loadKeyFile(b.bank.keyFile);
    let picked: ReturnType<typeof keyedHoldout>;
    try {
      picked = keyedHoldout(key, b.lines.length, evaluate.length);
    } finally {
      key.fill(0);
    }
    const out: string[] = [];
    let e = 0;
    let t = 0;
    for (let p = 0; p < b.lines.length; p++) out.push(b.lines[picked.holdout.has(p) ? evaluate[e++]! : train[t++]!]!);
    holdoutFractions[b.bank.memberId] = picked.fraction;
    const bankDir = join(dir, b.bank.memberId);
    const dataFile = join(bankDir, `${b.bank.memberId}.csv`);
    writeFileAtomic(dataFile, `${b.header}\n${out.join('\n')}\n`);
    return { ...b.bank, dir: bankDir, dataFile };
  });
  return { data: { ...data, banks }, holdoutFractions };
}
