/** Tests of the derive expression compiler: precedence, functions, missing values, errors. */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { FedfinError } from '../common/errors.js';
import { compileExpression, ExprEvalError } from './mapping-expr.js';

const header = ['a', 'b', 'class', 'dob', 'app date', 'empty'];
const resolve = (c: string): number => {
  const i = header.indexOf(c);
  if (i === -1) throw new FedfinError('mapping-invalid', `no column ${c}`);
  return i;
};
const row = ['6', '4', '2', '1990-06-15', '2020-06-15', null];
const ev = (src: string, values: (string | null)[] = row) => compileExpression(src, resolve).evaluate(values);

describe('compileExpression', () => {
  it('follows arithmetic precedence and parentheses, when mixing operators', () => {
    expect(ev('a + b * 2')).toBe(14);
    expect(ev('(a + b) * 2')).toBe(20);
    expect(ev('-a + 10 / b')).toBe(-3.5);
    expect(ev('a - b - 1')).toBe(1);
  });

  it('yields 1/0, when comparing and combining with logic', () => {
    expect(ev('class == 2')).toBe(1);
    expect(ev('class != 2')).toBe(0);
    expect(ev('a > b && b >= 4')).toBe(1);
    expect(ev('a < b || !(class == 2)')).toBe(0);
    expect(ev('`app date` == "2020-06-15"')).toBe(1);
  });

  it('computes functions, when called with the right arity', () => {
    expect(ev('min(a, b, 5)')).toBe(4);
    expect(ev('max(a, b)')).toBe(6);
    expect(ev('abs(b - a)')).toBe(2);
    expect(ev('round(a / b)')).toBe(2);
    expect(ev('floor(years_between(dob, `app date`))')).toBe(30);
  });

  it('propagates null, when an input is missing', () => {
    expect(ev('empty + 1')).toBeNull();
    expect(ev('empty == 2')).toBeNull();
  });

  it('throws ExprEvalError, when text is used as a number or dividing by zero', () => {
    expect(() => ev('a + 1', ['x', '4', '2', '', '', null])).toThrow(ExprEvalError);
    expect(() => ev('a / (b - 4)')).toThrow('division by zero');
    expect(() => ev('years_between(a, dob)')).toThrow('is not a date');
  });

  it('lists the columns read, when compiled', () => {
    expect(compileExpression('a + `app date` * a', resolve).columns).toEqual(['a', 'app date']);
  });

  it('throws mapping-invalid naming the position, when the syntax is wrong', () => {
    expect(() => ev('a +')).toThrow('derive "a +": unexpected end of expression at position 4');
    expect(() => ev('a b')).toThrow(/unexpected "b" at position 3/);
    expect(() => ev('pow(a, 2)')).toThrow(/unknown function "pow"/);
    expect(() => ev('abs(a, b)')).toThrow(/abs\(\) takes 1 argument/);
    expect(() => ev('a $ b')).toThrow(/unexpected "\$"/);
    expect(() => ev('nope + 1')).toThrow('no column nope');
  });

  it('never evaluates code, when given JavaScript', () => {
    expect(() => ev('process.exit(1)')).toThrow(FedfinError);
    expect(() => ev('a; b')).toThrow(FedfinError);
  });

  it('throws only FedfinError at compile time, for arbitrary source text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (src) => {
        try {
          compileExpression(src, () => 0);
        } catch (err) {
          expect(err).toBeInstanceOf(FedfinError);
        }
      }),
      { numRuns: 500 },
    );
  });
});
