/**
 * k-anonymity and distinct l-diversity over generalised quasi-identifier tuples, and their enforcement
 * by greedy further generalisation plus suppression of the rows of too-small classes (Sweeney 2002).
 */
import { assertInRange, assertInt } from '../../common/assert.js';
import { assertArray, assertObject } from './guard.js';
import type { CanonicalValue } from '../../schema/field.js';

/** One quasi-identifier column as enforcement sees it: its generalised values at any allowed level. */
export interface QiColumn {
  readonly field: string;
  /** The level the policy starts at. */
  readonly level: number;
  /** The coarsest level enforcement may use (equal to `level` for columns without a hierarchy). */
  readonly maxLevel: number;
  /** Generalised values of every row at `level`; the caller caches, enforcement calls it repeatedly. */
  at(level: number): readonly CanonicalValue[];
}

/** What a set of equivalence classes looks like against the targets. */
export interface ClassMeasure {
  /** Smallest class size (0 when there are no rows). */
  readonly k: number;
  /** Smallest number of distinct sensitive values in a class (missing counts as one value); undefined without a sensitive field. */
  readonly l: number | undefined;
  readonly classes: number;
  /** Rows in classes smaller than the target k (or less diverse than the target l), ascending. */
  readonly failingRows: readonly number[];
}

/** Targets for enforcement. */
export interface AnonymityTarget {
  readonly k: number;
  readonly l?: number;
  /** Share of rows that may be suppressed before generalising further, in [0, 1]. */
  readonly maxSuppression: number;
}

/** The outcome of enforcement. */
export interface EnforcementResult {
  /** Level reached per QI column. */
  readonly levels: ReadonlyMap<string, number>;
  /** Rows removed because their class stayed too small (or not diverse enough), ascending. */
  readonly suppressedRows: readonly number[];
  /** Measured at the policy's starting levels, over all rows. */
  readonly before: ClassMeasure;
  /** Measured at the levels reached, over the rows kept. */
  readonly after: ClassMeasure;
}

const token = (v: CanonicalValue): string => (v === null ? '\u0001' : `${typeof v}:${String(v)}`);

/**
 * Groups rows into equivalence classes by their QI tuple and measures k and l.
 * @param columns QI columns, each of the same length `n`.
 * @param rows the rows to consider (default: all).
 */
export function measureClasses(
  columns: readonly (readonly CanonicalValue[])[],
  sensitive: readonly CanonicalValue[] | undefined,
  target: { readonly k: number; readonly l?: number },
  n: number,
  rows?: readonly number[],
): ClassMeasure {
  assertArray('measureClasses', 'columns', columns);
  if (sensitive !== undefined) assertArray('measureClasses', 'sensitive', sensitive);
  assertObject('measureClasses', 'target', target);
  assertInt('measureClasses', 'target.k', target.k, 1);
  assertInt('measureClasses', 'n', n, 0);
  if (rows !== undefined) assertArray('measureClasses', 'rows', rows);
  const classes = new Map<string, number[]>();
  const each = rows ?? Array.from({ length: n }, (_, i) => i);
  for (const i of each) {
    let key = '';
    for (const col of columns) key += `${token(col[i] as CanonicalValue)}\u0000`;
    const members = classes.get(key);
    if (members) members.push(i);
    else classes.set(key, [i]);
  }
  let k = Number.POSITIVE_INFINITY;
  let l = Number.POSITIVE_INFINITY;
  const failing: number[] = [];
  for (const members of classes.values()) {
    k = Math.min(k, members.length);
    let distinct = Number.POSITIVE_INFINITY;
    if (sensitive) {
      distinct = new Set(members.map((i) => token(sensitive[i] as CanonicalValue))).size;
      l = Math.min(l, distinct);
    }
    // A loop, not push(...members): spreading a class of 10^5+ rows would overflow the call stack.
    if (members.length < target.k || (target.l !== undefined && distinct < target.l)) for (const i of members) failing.push(i);
  }
  failing.sort((a, b) => a - b);
  return {
    k: classes.size === 0 ? 0 : k,
    l: sensitive ? (classes.size === 0 ? 0 : l) : undefined,
    classes: classes.size,
    failingRows: failing,
  };
}

/**
 * Enforces k (and optionally l): while more than `maxSuppression × n` rows sit in failing classes,
 * raise by one level the QI column whose next level leaves the fewest failing rows (ties: the earlier
 * column); when no column can go coarser, or the failing rows are few enough, suppress them.
 * Deterministic: no randomness, ties broken by column order.
 * @throws RangeError for a target k < 1 or maxSuppression outside [0, 1].
 */
export function enforceAnonymity(
  columns: readonly QiColumn[],
  sensitive: readonly CanonicalValue[] | undefined,
  n: number,
  target: AnonymityTarget,
): EnforcementResult {
  assertArray('enforceAnonymity', 'columns', columns);
  if (sensitive !== undefined) assertArray('enforceAnonymity', 'sensitive', sensitive);
  assertInt('enforceAnonymity', 'n', n, 0);
  assertObject('enforceAnonymity', 'target', target);
  assertInt('enforceAnonymity', 'target.k', target.k, 1);
  assertInRange('enforceAnonymity', 'target.maxSuppression', target.maxSuppression, 0, 1);
  const levels = columns.map((c) => c.level);
  const measureAt = (lv: readonly number[]) =>
    measureClasses(
      columns.map((c, j) => c.at(lv[j] as number)),
      sensitive,
      target,
      n,
    );
  const before = measureAt(levels);
  let current = before;
  const allowed = Math.floor(target.maxSuppression * n);
  while (current.failingRows.length > allowed) {
    let best: { j: number; m: ClassMeasure } | undefined;
    columns.forEach((c, j) => {
      if ((levels[j] as number) >= c.maxLevel) return;
      const trial = levels.slice();
      trial[j] = (trial[j] as number) + 1;
      const m = measureAt(trial);
      if (!best || m.failingRows.length < best.m.failingRows.length) best = { j, m };
    });
    if (!best) break;
    levels[best.j] = (levels[best.j] as number) + 1;
    current = best.m;
  }
  const suppressed = new Set(current.failingRows);
  const kept = Array.from({ length: n }, (_, i) => i).filter((i) => !suppressed.has(i));
  const after = measureClasses(
    columns.map((c, j) => c.at(levels[j] as number)),
    sensitive,
    target,
    n,
    kept,
  );
  return { levels: new Map(columns.map((c, j) => [c.field, levels[j] as number])), suppressedRows: current.failingRows, before, after };
}
