/**
 * Splitting one dataset into simulated banks: the common test set held out first, then a partition of the
 * rest by SPEC (`iid`, `dirichlet:ALPHA`, `quantity:lognormal:SIGMA`, `feature:COLUMN`, `time:COLUMN`).
 * Pure and seeded: the same rows, spec and RandomReader stream give the same split.
 */
import { assertInRange, assertInt } from '../common/assert.js';
import { FedfinError } from '../common/errors.js';
import type { RandomReader } from '../common/random.js';

/** A parsed partition SPEC. */
export type PartitionSpec =
  | { readonly kind: 'iid' }
  | { readonly kind: 'dirichlet'; readonly alpha: number }
  | { readonly kind: 'quantity'; readonly sigma: number }
  | { readonly kind: 'feature'; readonly column: string }
  | { readonly kind: 'time'; readonly column: string };

/** What a partitioner sees of a row: its label (0/1) and, for `feature`/`time`, the column's value. */
export interface PartitionRow {
  readonly label: number;
  readonly key?: string | number | boolean | null;
}

const SPEC_HELP = 'expected iid, dirichlet:ALPHA, quantity:lognormal:SIGMA, feature:COLUMN or time:COLUMN';

/**
 * Parses a partition SPEC.
 * @throws FedfinError('usage') naming the spec and what was expected.
 */
export function parsePartitionSpec(text: string): PartitionSpec {
  const [kind, ...rest] = text.split(':');
  const bad = (why: string): FedfinError => new FedfinError('usage', `--partition ${JSON.stringify(text)}: ${why}`);
  const positive = (s: string | undefined, what: string): number => {
    const n = Number(s);
    if (s === undefined || s === '' || !Number.isFinite(n) || n <= 0) throw bad(`${what} must be a positive number, got ${JSON.stringify(s ?? '')}`);
    return n;
  };
  switch (kind) {
    case 'iid':
      if (rest.length > 0) throw bad('iid takes no parameter');
      return { kind: 'iid' };
    case 'dirichlet':
      if (rest.length !== 1) throw bad('expected dirichlet:ALPHA, e.g. dirichlet:0.5');
      return { kind: 'dirichlet', alpha: positive(rest[0], 'ALPHA') };
    case 'quantity':
      if (rest.length !== 2 || rest[0] !== 'lognormal') throw bad('expected quantity:lognormal:SIGMA, e.g. quantity:lognormal:1');
      return { kind: 'quantity', sigma: positive(rest[1], 'SIGMA') };
    case 'feature':
    case 'time':
      if (rest.length !== 1 || rest[0] === '') throw bad(`expected ${kind}:COLUMN naming a schema field`);
      return { kind, column: rest[0]! };
    default:
      throw bad(SPEC_HELP);
  }
}

/** The spec back as text (for results and cache keys). */
export function formatPartitionSpec(s: PartitionSpec): string {
  switch (s.kind) {
    case 'iid':
      return 'iid';
    case 'dirichlet':
      return `dirichlet:${s.alpha}`;
    case 'quantity':
      return `quantity:lognormal:${s.sigma}`;
    default:
      return `${s.kind}:${s.column}`;
  }
}

/**
 * Holds out a test set stratified by label: round(fraction · n_c) rows of each class, chosen at random.
 * @returns sorted row indices of the test set and of the rest.
 */
export function holdOutTest(rows: readonly PartitionRow[], fraction: number, rng: RandomReader): { test: number[]; train: number[] } {
  assertInRange('holdOutTest', 'fraction', fraction, 0, 1, { hi: true });
  const test: number[] = [];
  const train: number[] = [];
  for (const c of [0, 1]) {
    const idx = rng.shuffle(rows.flatMap((r, i) => (r.label === c ? [i] : [])));
    const k = Math.round(fraction * idx.length);
    // Loops, not push(...spread): a spread of 500k rows overflows the call stack.
    for (let j = 0; j < idx.length; j++) (j < k ? test : train).push(idx[j]!);
  }
  return { test: test.sort((a, b) => a - b), train: train.sort((a, b) => a - b) };
}

/** A standard normal (Box–Muller) from the reader. */
function normal(rng: RandomReader): number {
  return Math.sqrt(-2 * Math.log(rng.uniformPositive())) * Math.cos(2 * Math.PI * rng.uniform());
}

/** Gamma(shape, 1) by Marsaglia–Tsang; shape < 1 through Gamma(shape + 1) · U^(1/shape). */
export function gamma(shape: number, rng: RandomReader): number {
  if (shape < 1) return gamma(shape + 1, rng) * rng.uniformPositive() ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = normal(rng);
    const v = (1 + c * x) ** 3;
    if (v <= 0) continue;
    const u = rng.uniformPositive();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

/** Cuts `items` into consecutive parts proportional to `weights` (largest-remainder rounding). */
function cut<T>(items: readonly T[], weights: readonly number[]): T[][] {
  const total = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (total > 0 ? (w / total) * items.length : items.length / weights.length));
  const counts = exact.map(Math.floor);
  let left = items.length - counts.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) if (left-- > 0) counts[i]!++;
  const out: T[][] = [];
  let at = 0;
  for (const c of counts) {
    out.push(items.slice(at, at + c));
    at += c;
  }
  return out;
}

const keyText = (v: PartitionRow['key']): string => (v === null || v === undefined ? '(missing)' : String(v));

/**
 * Assigns each of `indices` (rows of `rows`) to one of `banks` parts as `spec` says.
 * - `iid`: a shuffle cut into equal parts.
 * - `dirichlet:α`: per label, bank shares drawn from Dirichlet(α) (small α: strong label skew).
 * - `quantity:lognormal:σ`: bank sizes ∝ exp(σ·z), z standard normal; labels as in the pool.
 * - `feature:C`: numeric C with more values than banks → banks are contiguous quantile ranges of C;
 *   otherwise each value goes whole to the bank with the fewest rows so far (largest values first).
 * - `time:C`: rows sorted by C (ties by row), cut into equal consecutive periods: bank 1 is the earliest.
 * @returns per bank, sorted row indices; together every index exactly once.
 * @throws FedfinError('usage') when `feature:C` has fewer distinct values than banks.
 */
export function partitionRows(spec: PartitionSpec, rows: readonly PartitionRow[], indices: readonly number[], banks: number, rng: RandomReader): number[][] {
  assertInt('partitionRows', 'banks', banks, 1, 100_000);
  let parts: number[][];
  switch (spec.kind) {
    case 'iid':
      parts = cut(rng.shuffle([...indices]), new Array<number>(banks).fill(1));
      break;
    case 'dirichlet': {
      parts = Array.from({ length: banks }, () => []);
      for (const c of [0, 1]) {
        const idx = rng.shuffle(indices.filter((i) => rows[i]!.label === c));
        const shares = Array.from({ length: banks }, () => gamma(spec.alpha, rng));
        cut(idx, shares).forEach((p, b) => {
          for (const i of p) parts[b]!.push(i);
        });
      }
      break;
    }
    case 'quantity': {
      const sizes = Array.from({ length: banks }, () => Math.exp(spec.sigma * normal(rng)));
      parts = cut(rng.shuffle([...indices]), sizes);
      break;
    }
    case 'time': {
      const sorted = [...indices].sort((a, b) => compareKeys(rows[a]!.key, rows[b]!.key) || a - b);
      parts = cut(sorted, new Array<number>(banks).fill(1));
      break;
    }
    case 'feature':
      parts = byFeature(spec.column, rows, indices, banks);
      break;
  }
  return parts.map((p) => p.sort((a, b) => a - b));
}

function compareKeys(a: PartitionRow['key'], b: PartitionRow['key']): number {
  const missA = a === null || a === undefined;
  const missB = b === null || b === undefined;
  if (missA || missB) return missA === missB ? 0 : missA ? 1 : -1; // missing values sort last
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

function byFeature(column: string, rows: readonly PartitionRow[], indices: readonly number[], banks: number): number[][] {
  const groups = new Map<string, number[]>();
  for (const i of indices) {
    const k = keyText(rows[i]!.key);
    const g = groups.get(k);
    if (g) g.push(i);
    else groups.set(k, [i]);
  }
  const numeric = indices.every((i) => typeof rows[i]!.key === 'number' || rows[i]!.key === null || rows[i]!.key === undefined);
  if (numeric && groups.size > banks) {
    const sorted = [...indices].sort((a, b) => compareKeys(rows[a]!.key, rows[b]!.key) || a - b);
    return cut(sorted, new Array<number>(banks).fill(1));
  }
  if (groups.size < banks) throw new FedfinError('usage', `--partition feature:${column}: the column has ${groups.size} distinct value(s) in the training rows, fewer than the ${banks} banks`);
  const parts: number[][] = Array.from({ length: banks }, () => []);
  const ordered = [...groups.entries()].sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1));
  for (const [, idx] of ordered) {
    let smallest = 0;
    for (let b = 1; b < banks; b++) if (parts[b]!.length < parts[smallest]!.length) smallest = b;
    for (const i of idx) parts[smallest]!.push(i);
  }
  return parts;
}

/** Rows and positives per bank, and what is wrong with each. */
export interface PartitionCheck {
  readonly bank: string;
  readonly rows: number;
  readonly positives: number;
  /** 'empty' and 'too-few' refuse the run; 'one-class' is a warning. */
  readonly problem?: 'empty' | 'too-few' | 'one-class';
}

/** Checks each part: empty or below `minRows` refuses, a single label class warns. */
export function checkPartition(parts: readonly number[][], rows: readonly PartitionRow[], bankNames: readonly string[], minRows: number): PartitionCheck[] {
  return parts.map((p, b) => {
    const positives = p.filter((i) => rows[i]!.label === 1).length;
    const problem = p.length === 0 ? 'empty' : p.length < minRows ? 'too-few' : positives === 0 || positives === p.length ? 'one-class' : undefined;
    return { bank: bankNames[b]!, rows: p.length, positives, ...(problem ? { problem } : {}) };
  });
}

/**
 * Rows bound into units a partition must not split: a fraud dataset's accounts (every transaction of an
 * account in one bank, or in the test set, so its history features are whole) or a market dataset's
 * symbols (each institution its own instruments, each series whole).
 */
export interface RowGroups {
  /** One partition row per unit: label 1 when any of its rows is positive; key as `groupRows` says. */
  readonly units: readonly PartitionRow[];
  /** Per unit, its row indices (ascending). */
  readonly members: readonly (readonly number[])[];
}

/**
 * Groups rows by `groupOf(i)` (a row whose group is null or undefined is a unit of its own). A unit's key,
 * for `feature:C`/`time:C`, is for `time` the earliest value of its rows (an account's first transaction:
 * bank 1 gets the oldest cohort) and otherwise its most frequent value (ties: the smallest).
 */
export function groupRows(rows: readonly PartitionRow[], groupOf: (i: number) => string | null | undefined, keyMode: 'earliest' | 'mode'): RowGroups {
  const byGroup = new Map<string, number[]>();
  const members: number[][] = [];
  for (let i = 0; i < rows.length; i++) {
    const g = groupOf(i);
    if (g === null || g === undefined) {
      members.push([i]);
      continue;
    }
    let m = byGroup.get(g);
    if (!m) {
      m = [];
      byGroup.set(g, m);
      members.push(m);
    }
    m.push(i);
  }
  const unitKey = (idx: readonly number[]): PartitionRow['key'] => {
    if (keyMode === 'earliest') return idx.map((i) => rows[i]!.key).reduce((a, b) => (compareKeys(b, a) < 0 ? b : a));
    const counts = new Map<string, { key: PartitionRow['key']; n: number }>();
    for (const i of idx) {
      const k = rows[i]!.key;
      const c = counts.get(keyText(k)) ?? { key: k, n: 0 };
      c.n++;
      counts.set(keyText(k), c);
    }
    return [...counts.values()].sort((a, b) => b.n - a.n || compareKeys(a.key, b.key))[0]!.key;
  };
  const units = members.map((idx) => ({ label: idx.some((i) => rows[i]!.label === 1) ? 1 : 0, key: unitKey(idx) }));
  return { units, members };
}

/**
 * `holdOutTest` and `partitionRows` over the units of `groups` (the test set stratified by unit label,
 * then the SPEC applied to units: `iid` equal unit counts, `quantity` unit counts ∝ exp(σz), `dirichlet`
 * by unit label …), expanded back to sorted row indices.
 */
export function partitionGroups(spec: PartitionSpec, groups: RowGroups, testFraction: number, banks: number, rng: RandomReader): { test: number[]; parts: number[][]; testUnits: number; unitsPerBank: number[] } {
  const expand = (units: readonly number[]): number[] => units.flatMap((u) => groups.members[u]!).sort((a, b) => a - b);
  const { test, train } = holdOutTest(groups.units, testFraction, rng);
  const parts = partitionRows(spec, groups.units, train, banks, rng);
  return { test: expand(test), parts: parts.map(expand), testUnits: test.length, unitsPerBank: parts.map((p) => p.length) };
}
