/** Generalisation hierarchies for quasi-identifiers: numeric bands, string prefixes, dates and timestamps, each with coarser levels. */
import { assertFinite, assertInt, describeValue } from '../../common/assert.js';
import { assertArray, assertObject } from './guard.js';
import type { CanonicalValue, FieldSpec } from '../../schema/field.js';
import type { GeneralizeRule } from './policy.js';

/** The value of a fully generalised (level-max) non-missing prefix, date or timestamp. */
export const FULLY_GENERALIZED = '*';

/**
 * One field's generalisation hierarchy. Level 0 is the policy's base rule; each level up is coarser;
 * `maxLevel` is the coarsest. Missing values stay missing at every level.
 */
export interface Generalizer {
  readonly field: string;
  /** The coarsest level this hierarchy has (the policy's `maxLevel` may cap it lower). */
  readonly maxLevel: number;
  /** The generalised value of `value` at `level` (0 ≤ level ≤ maxLevel). */
  generalize(value: CanonicalValue, level: number): CanonicalValue;
  /** For band hierarchies, the category labels at `level` in order; undefined for string outputs. */
  vocabulary(level: number): readonly string[] | undefined;
}

/** Band edges at `level`: every 2^level-th edge of the base edges, always keeping the last one (widen ×2). */
export function bandEdges(edges: readonly number[], level: number): number[] {
  assertArray('bandEdges', 'edges', edges);
  if (edges.length < 2 || edges.some((e) => typeof e !== 'number' || !Number.isFinite(e))) throw new RangeError(`bandEdges: "edges" expected at least 2 finite numbers, got ${describeValue(edges)}`);
  assertInt('bandEdges', 'level', level, 0, 52);
  const m = edges.length - 1;
  const step = 2 ** level;
  const out: number[] = [];
  for (let i = 0; i < m; i += step) out.push(edges[i] as number);
  out.push(edges[m] as number);
  return out;
}

/**
 * The label of band [lo, hi): `25-34` for integer fields (inclusive upper end), `1000-<5000` for
 * number fields (exclusive upper end), `<18` below the first edge, `>=101` from the last edge on.
 */
export function bandLabel(lo: number, hi: number, integer: boolean): string {
  assertFinite('bandLabel', 'lo', lo);
  assertFinite('bandLabel', 'hi', hi);
  if (typeof integer !== 'boolean') throw new TypeError(`bandLabel: "integer" expected boolean, got ${describeValue(integer)}`);
  if (!integer) return `${lo}-<${hi}`;
  const top = Math.ceil(hi) - 1;
  return top <= lo ? String(lo) : `${lo}-${top}`;
}

function bandsGeneralizer(field: FieldSpec, base: readonly number[]): Generalizer {
  const integer = field.type === 'integer';
  const first = base[0] as number;
  const last = base[base.length - 1] as number;
  const under = field.min === undefined || field.min < first;
  const over = field.max === undefined || field.max >= last;
  const maxLevel = Math.ceil(Math.log2(base.length - 1));
  const cache = new Map<number, { edges: number[]; labels: string[] }>();
  const at = (level: number) => {
    let c = cache.get(level);
    if (!c) {
      const edges = bandEdges(base, level);
      const labels = edges.slice(0, -1).map((lo, i) => bandLabel(lo, edges[i + 1] as number, integer));
      c = { edges, labels };
      cache.set(level, c);
    }
    return c;
  };
  return {
    field: field.name,
    maxLevel,
    generalize(value, level) {
      if (value === null) return null;
      if (typeof value !== 'number' || Number.isNaN(value)) throw new TypeError(`generalize: "${field.name}" expected number, got ${typeof value}`);
      if (value < first) return `<${first}`;
      if (value >= last) return `>=${last}`;
      const { edges, labels } = at(level);
      let lo = 0;
      let hi = edges.length - 1;
      // Binary search for the band with edges[lo] <= value < edges[lo + 1].
      while (hi - lo > 1) {
        const mid = (lo + hi) >> 1;
        if (value >= (edges[mid] as number)) lo = mid;
        else hi = mid;
      }
      return labels[lo] as string;
    },
    vocabulary(level) {
      return [...(under ? [`<${first}`] : []), ...at(level).labels, ...(over ? [`>=${last}`] : [])];
    },
  };
}

function stringGeneralizer(field: FieldSpec, levels: readonly ((v: string) => string)[]): Generalizer {
  return {
    field: field.name,
    maxLevel: levels.length - 1,
    generalize(value, level) {
      if (value === null) return null;
      const fn = levels[level];
      if (!fn) throw new RangeError(`generalize: "level" expected integer in [0, ${levels.length - 1}], got ${level}`);
      return fn(String(value));
    },
    vocabulary: () => undefined,
  };
}

const utc = (v: string): string => {
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) throw new TypeError(`generalize: "timestamp" expected ISO-8601 timestamp, got ${JSON.stringify(v.slice(0, 40))}`);
  return d.toISOString();
};

/**
 * Builds the hierarchy for a generalising rule. Levels:
 * - bands: each level merges pairs of neighbouring bands, up to one band;
 * - prefix N: N, N−1, …, 1 characters of the trimmed upper-cased value, then `*`;
 * - date: month (`YYYY-MM`) → year (`YYYY`) → `*` (or from year);
 * - timestamp (UTC): hour (`YYYY-MM-DDTHH`) → day → month → year → `*` (or from day).
 */
export function makeGeneralizer(field: FieldSpec, rule: GeneralizeRule): Generalizer {
  assertObject('makeGeneralizer', 'field', field);
  assertObject('makeGeneralizer', 'rule', rule);
  assertInt('makeGeneralizer', 'rule.level', rule.level, 0);
  switch (rule.action) {
    case 'generalize':
      return bandsGeneralizer(field, rule.bands);
    case 'generalize-prefix': {
      const levels = Array.from({ length: rule.prefix + 1 }, (_, i) => {
        const n = rule.prefix - i;
        return n === 0 ? () => FULLY_GENERALIZED : (v: string) => v.trim().toUpperCase().slice(0, n);
      });
      return stringGeneralizer(field, levels);
    }
    case 'generalize-date': {
      const all = [(v: string) => v.slice(0, 7), (v: string) => v.slice(0, 4), () => FULLY_GENERALIZED];
      return stringGeneralizer(field, rule.to === 'month' ? all : all.slice(1));
    }
    case 'generalize-timestamp': {
      const all = [13, 10, 7, 4].map((n) => (v: string) => utc(v).slice(0, n));
      const levels = [...all, () => FULLY_GENERALIZED];
      return stringGeneralizer(field, rule.to === 'hour' ? levels : levels.slice(1));
    }
  }
}

/** The highest level enforcement may use for this rule: the hierarchy's top, capped by the policy's `maxLevel`. */
export function levelCap(gen: Generalizer, rule: GeneralizeRule): number {
  assertObject('levelCap', 'gen', gen);
  assertObject('levelCap', 'rule', rule);
  return Math.min(gen.maxLevel, rule.maxLevel ?? gen.maxLevel);
}
