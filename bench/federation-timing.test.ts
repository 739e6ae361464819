/** Tests of the federation benchmark's timing helpers: medians, paired call order and counts, units. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cell, mbPerSecond, median, pairedAsync, verdict } from './federation-timing.js';

describe('median', () => {
  it('returns the middle value, when the count is odd', () => {
    expect(median([5, 1, 3])).toBe(3);
  });

  it('returns the mean of the two middle values, when the count is even', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('throws a RangeError naming the argument, when the list is empty', () => {
    expect(() => median([])).toThrow(/median: "xs" expected a non-empty list/);
  });

  it('lies between the minimum and the maximum and leaves its input unsorted, when given any list', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true, min: -1e9, max: 1e9 }), { minLength: 1, maxLength: 50 }), (xs) => {
        const copy = [...xs];
        const m = median(xs);
        expect(m).toBeGreaterThanOrEqual(Math.min(...xs));
        expect(m).toBeLessThanOrEqual(Math.max(...xs));
        expect(xs).toEqual(copy);
      }),
      { numRuns: 200 },
    );
  });
});

describe('pairedAsync', () => {
  it('runs warm-up pairs then timed pairs, baseline first in each pair, when both functions are async', async () => {
    // Prepare
    const calls: string[] = [];
    const subject = async (): Promise<void> => void calls.push('s');
    const baseline = async (): Promise<void> => void calls.push('b');

    // Execute
    const out = await pairedAsync(subject, baseline, 3, 1);

    // Assert
    expect(calls.join('')).toBe('bs' + 'bs'.repeat(3));
    expect(out.runs).toBe(3);
    expect(out.ms).toBeGreaterThanOrEqual(0);
    expect(out.baselineMs).toBeGreaterThanOrEqual(0);
  });

  it('awaits each call before starting the next, when the subject resolves later', async () => {
    let running = 0;
    let overlap = false;
    const slow = async (): Promise<void> => {
      running++;
      if (running > 1) overlap = true;
      await new Promise((r) => setTimeout(r, 1));
      running--;
    };
    await pairedAsync(slow, slow, 2, 0);
    expect(overlap).toBe(false);
  });
});

describe('mbPerSecond', () => {
  it('gives 10^6 bytes per second units, when 4,000,000 bytes move in 1000 ms', () => {
    expect(mbPerSecond(4_000_000, 1000)).toBe(4);
  });
});

describe('cell and verdict', () => {
  it('right-aligns a number with fixed decimals, when given a width', () => {
    expect(cell(3.14159, 7, 2)).toBe('   3.14');
  });

  it('says whether a ratio meets its target, when at and below it', () => {
    expect(verdict(0.5, 0.5)).toBe('meets target');
    expect(verdict(0.49, 0.5)).toBe('BELOW target');
  });
});
