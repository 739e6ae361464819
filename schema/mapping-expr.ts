/** The `derive` expression language of mapping files: a tokenizer and recursive-descent compiler to closures (no eval). */
import { FedfinError } from '../common/errors.js';

/** An expression value: numbers, text from columns or string literals, and null for "missing". */
export type ExprValue = number | string | null;

/** A compiled expression: evaluate it on a row's positional values. */
export interface CompiledExpr {
  readonly source: string;
  /** Source columns the expression reads, in first-use order. */
  readonly columns: readonly string[];
  /**
   * Evaluates on one row. A missing input makes the result null (missing), not an error.
   * @throws ExprEvalError when an input cannot be used (e.g. text where a number is needed).
   */
  evaluate(values: readonly (string | null)[]): ExprValue;
}

/** A per-row evaluation failure; the mapping turns it into a field error of that row. */
export class ExprEvalError extends Error {}

type Node = (v: readonly (string | null)[]) => ExprValue;
type Token = { kind: 'num'; value: number; pos: number } | { kind: 'str' | 'id' | 'col' | 'op'; value: string; pos: number };

const OPS = ['==', '!=', '<=', '>=', '&&', '||', '<', '>', '+', '-', '*', '/', '!', '(', ')', ','];
const FUNCS: Record<string, number> = { min: -1, max: -1, abs: 1, round: 1, floor: 1, years_between: 2 };

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}
function isIdStart(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
}

function tokenize(src: string, fail: (pos: number, msg: string) => never): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') { i++; continue; }
    if (isDigit(c) || (c === '.' && isDigit(src[i + 1] ?? ''))) {
      let j = i;
      while (j < src.length && (isDigit(src[j]!) || src[j] === '.')) j++;
      if (src[j] === 'e' || src[j] === 'E') {
        j++;
        if (src[j] === '+' || src[j] === '-') j++;
        while (j < src.length && isDigit(src[j]!)) j++;
      }
      const value = Number(src.slice(i, j));
      if (!Number.isFinite(value)) fail(i, `bad number "${src.slice(i, j)}"`);
      out.push({ kind: 'num', value, pos: i });
      i = j;
    } else if (isIdStart(c)) {
      let j = i + 1;
      while (j < src.length && (isIdStart(src[j]!) || isDigit(src[j]!))) j++;
      out.push({ kind: 'id', value: src.slice(i, j), pos: i });
      i = j;
    } else if (c === '`' || c === '"' || c === "'") {
      const end = src.indexOf(c, i + 1);
      if (end === -1) fail(i, `unclosed ${c}`);
      out.push({ kind: c === '`' ? 'col' : 'str', value: src.slice(i + 1, end), pos: i });
      i = end + 1;
    } else {
      const op = OPS.find((o) => src.startsWith(o, i));
      if (!op) fail(i, `unexpected "${c}"`);
      out.push({ kind: 'op', value: op, pos: i });
      i += op.length;
    }
  }
  return out;
}

/** Text → number for arithmetic; empty text never reaches here (it is missing). */
function num(v: ExprValue): number {
  if (typeof v === 'number') return v;
  const n = Number(v);
  if (v === null || v.trim() === '' || !Number.isFinite(n)) throw new ExprEvalError(`${JSON.stringify(v)} is not a number`);
  return n;
}

const DAY_MS = 86_400_000;
function dateMs(v: ExprValue): number {
  const s = String(v);
  const ms = /^\d{4}-\d{2}-\d{2}/.test(s) ? Date.parse(s.slice(0, 10)) : NaN;
  if (Number.isNaN(ms)) throw new ExprEvalError(`${JSON.stringify(v)} is not a date (expected YYYY-MM-DD)`);
  return ms;
}

function binary(op: string, a: Node, b: Node): Node {
  const arith = (f: (x: number, y: number) => number): Node => (v) => {
    const x = a(v);
    const y = b(v);
    return x === null || y === null ? null : f(num(x), num(y));
  };
  const cmp = (f: (x: number | string, y: number | string) => boolean): Node => (v) => {
    const x = a(v);
    const y = b(v);
    if (x === null || y === null) return null;
    // Two texts compare as text (column == "A11"); otherwise both sides must be numbers.
    return (typeof x === 'string' && typeof y === 'string' ? f(x, y) : f(num(x), num(y))) ? 1 : 0;
  };
  switch (op) {
    case '+': return arith((x, y) => x + y);
    case '-': return arith((x, y) => x - y);
    case '*': return arith((x, y) => x * y);
    case '/': return arith((x, y) => {
      if (y === 0) throw new ExprEvalError('division by zero');
      return x / y;
    });
    case '==': return cmp((x, y) => x === y);
    case '!=': return cmp((x, y) => x !== y);
    case '<': return cmp((x, y) => x < y);
    case '<=': return cmp((x, y) => x <= y);
    case '>': return cmp((x, y) => x > y);
    case '>=': return cmp((x, y) => x >= y);
    case '&&': return arith((x, y) => (x !== 0 && y !== 0 ? 1 : 0));
    default: return arith((x, y) => (x !== 0 || y !== 0 ? 1 : 0));
  }
}

function call(name: string, args: Node[]): Node {
  const all = (v: readonly (string | null)[]): number[] | null => {
    const xs: number[] = [];
    for (const a of args) {
      const x = a(v);
      if (x === null) return null;
      xs.push(num(x));
    }
    return xs;
  };
  switch (name) {
    case 'min': return (v) => { const xs = all(v); return xs && Math.min(...xs); };
    case 'max': return (v) => { const xs = all(v); return xs && Math.max(...xs); };
    case 'abs': return (v) => { const xs = all(v); return xs && Math.abs(xs[0]!); };
    case 'round': return (v) => { const xs = all(v); return xs && Math.round(xs[0]!); };
    case 'floor': return (v) => { const xs = all(v); return xs && Math.floor(xs[0]!); };
    default: return (v) => {
      const x = args[0]!(v);
      const y = args[1]!(v);
      return x === null || y === null ? null : (dateMs(y) - dateMs(x)) / DAY_MS / 365.25;
    };
  }
}

/**
 * Compiles a derive expression once. Grammar (lowest precedence first): `||`, `&&`,
 * comparisons (`== != < <= > >=`, yielding 1/0), `+ -`, `* /`, unary `- !`, then numbers,
 * "string literals", column names (identifiers or `backticked names`), parentheses and the
 * functions min, max, abs, round, floor, years_between(dateA, dateB) (B − A in years of 365.25 days).
 * @param resolve maps a column name to its index in the row; throws when the column does not exist.
 * @param missing column texts that mean "no value" (→ null), e.g. `""`, `"NA"`.
 * @throws FedfinError('mapping-invalid') naming the position of a syntax error or an unknown function.
 * @example compileExpression('class == 2', (c) => header.indexOf(c)).evaluate(['2']) // → 1
 */
export function compileExpression(source: string, resolve: (column: string) => number, missing: ReadonlySet<string> = new Set([''])): CompiledExpr {
  const fail = (pos: number, msg: string): never => {
    throw new FedfinError('mapping-invalid', `derive "${source}": ${msg} at position ${pos + 1}`);
  };
  const toks = tokenize(source, fail);
  const columns: string[] = [];
  let p = 0;
  const peekOp = (...ops: string[]): string | undefined => {
    const t = toks[p];
    return t && t.kind === 'op' && ops.includes(t.value) ? t.value : undefined;
  };
  const expect = (op: string): void => {
    if (!peekOp(op)) fail(toks[p]?.pos ?? source.length, `expected "${op}"`);
    p++;
  };
  const level = (ops: string[], next: () => Node, single = false) => (): Node => {
    let left = next();
    for (let op = peekOp(...ops); op; op = single ? undefined : peekOp(...ops)) {
      p++;
      left = binary(op, left, next());
    }
    return left;
  };
  const column = (name: string): Node => {
    const idx = resolve(name);
    if (!columns.includes(name)) columns.push(name);
    return (v) => {
      const s = v[idx];
      return s === null || s === undefined || missing.has(s) ? null : s;
    };
  };
  const primary = (): Node => {
    const t = toks[p++];
    if (!t) return fail(source.length, 'unexpected end of expression');
    if (t.kind === 'num') { const n = t.value; return () => n; }
    if (t.kind === 'str') { const s = t.value; return () => s; }
    if (t.kind === 'col') return column(t.value);
    if (t.kind === 'id') {
      if (!peekOp('(')) return column(t.value);
      const arity = FUNCS[t.value];
      if (arity === undefined) fail(t.pos, `unknown function "${t.value}" (expected one of ${Object.keys(FUNCS).join(', ')})`);
      p++;
      const args: Node[] = [];
      if (!peekOp(')')) {
        args.push(or());
        while (peekOp(',')) { p++; args.push(or()); }
      }
      expect(')');
      if ((arity === -1 && args.length === 0) || (arity !== -1 && args.length !== arity)) fail(t.pos, `${t.value}() takes ${arity === -1 ? 'at least 1' : arity} argument(s), got ${args.length}`);
      return call(t.value, args);
    }
    if (t.value === '(') { const e = or(); expect(')'); return e; }
    if (t.value === '-') { const e = primary(); return (v) => { const x = e(v); return x === null ? null : -num(x); }; }
    if (t.value === '!') { const e = primary(); return (v) => { const x = e(v); return x === null ? null : num(x) === 0 ? 1 : 0; }; }
    return fail(t.pos, `unexpected "${t.value}"`);
  };
  const mul = level(['*', '/'], primary);
  const add = level(['+', '-'], mul);
  const cmp = level(['==', '!=', '<=', '>=', '<', '>'], add, true);
  const and = level(['&&'], cmp);
  const or: () => Node = level(['||'], and);
  const root = or();
  if (p < toks.length) fail(toks[p]!.pos, `unexpected "${String(toks[p]!.value)}"`);
  return { source, columns, evaluate: root };
}
