/** Tests of the per-symbol series: ordering, and duplicated dates and gaps reported with the symbol and dates. */
import { describe, expect, it } from 'vitest';
import { hasCode } from '../../common/errors.js';
import { checkSeries, loadSeries, weekdaysBetween } from './series.js';

const bar = (symbol: string, date: string, close = 10) => ({ symbol, date, open: close, high: close, low: close, close, volume: 100 });

describe('market series', () => {
  it('groups by symbol and sorts by date, when rows arrive shuffled', () => {
    const s = loadSeries([bar('B', '2024-01-03', 3), bar('A', '2024-01-02', 1), bar('B', '2024-01-02', 2), bar('A', '2024-01-03', 4)], 3);
    expect(s.map((x) => x.symbol)).toEqual(['A', 'B']);
    expect(s[1]!.dates).toEqual(['2024-01-02', '2024-01-03']);
    expect([...s[1]!.close]).toEqual([2, 3]);
  });

  it('counts weekdays between dates, skipping weekends', () => {
    expect(weekdaysBetween('2024-01-05', '2024-01-08')).toBe(0); // Fri → Mon
    expect(weekdaysBetween('2024-01-02', '2024-01-05')).toBe(2);
    expect(weekdaysBetween('2024-03-28', '2024-04-02')).toBe(2); // Good Friday and Easter Monday
  });

  it('names the symbol, date and count of a duplicated date', () => {
    const { issues } = checkSeries([bar('ABC.AS', '2024-03-04'), bar('ABC.AS', '2024-03-04'), bar('ABC.AS', '2024-03-04'), bar('ABC.AS', '2024-03-05')], 3);
    expect(issues).toEqual([{ symbol: 'ABC.AS', kind: 'duplicate', dates: ['2024-03-04'], count: 3 }]);
  });

  it('tolerates holidays up to maxMissingWeekdays and reports a longer gap with both dates', () => {
    const rows = [bar('X', '2024-03-27'), bar('X', '2024-03-28'), bar('X', '2024-04-02'), bar('X', '2024-04-12')];
    const err = (() => {
      try {
        loadSeries(rows, 3, 'bars.csv');
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    expect(err && hasCode(err, 'data-invalid')).toBe(true);
    expect(err?.message).toContain('bars.csv: 1 problem(s)');
    expect(err?.message).toContain('X: gap 2024-04-02 → 2024-04-12 (7 weekdays missing)');
    expect(checkSeries(rows, 7).issues).toEqual([]);
  });

  it('lists every issue of every symbol in one error', () => {
    expect(() => loadSeries([bar('A', '2024-01-02'), bar('A', '2024-01-02'), bar('B', '2024-01-02'), bar('B', '2024-02-02')], 3)).toThrow(
      /2 problem\(s\).*A: date 2024-01-02 appears 2 times; B: gap 2024-01-02 → 2024-02-02 \(22 weekdays missing\)/,
    );
  });
});
