import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { boundedMemo } from './bounded-memo.js';

describe('boundedMemo', () => {
  it('builds a value once per key and returns the same object again', () => {
    const m = boundedMemo<{ k: string }>(4);
    let built = 0;
    const make = (k: string) => ({ k: `${k}${++built}` });
    const a = m.get('a', make);
    expect(m.get('a', make)).toBe(a);
    expect(built).toBe(1);
    expect(a.k).toBe('a1');
  });

  it('caches nothing when building throws, so the same error comes again', () => {
    const m = boundedMemo<number>(2);
    const bad = (): number => {
      throw new Error('bad spec');
    };
    expect(() => m.get('x', bad)).toThrow('bad spec');
    expect(() => m.get('x', bad)).toThrow('bad spec');
    expect(m.size).toBe(0);
    expect(m.get('x', () => 3)).toBe(3);
  });

  it('agrees with the function it memoises and never holds more than its limit, for any key sequence', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.array(fc.string({ maxLength: 3 }), { maxLength: 60 }), (limit, keys) => {
        const m = boundedMemo<string>(limit);
        for (const k of keys) {
          expect(m.get(k, (x) => `v:${x}`)).toBe(`v:${k}`);
          expect(m.size).toBeLessThanOrEqual(limit);
        }
      }),
    );
  });

  it('refuses a limit below 1', () => {
    expect(() => boundedMemo(0)).toThrow(/boundedMemo: "limit" expected integer ≥ 1, got 0/);
  });
});
