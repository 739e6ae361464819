/** market.v1 bars → per-symbol daily series in date order, refusing duplicated dates and gaps (named by symbol and dates). */
import { FedfinError } from '../../common/errors.js';
import type { CanonicalRecord } from '../../schema/field.js';

/** One symbol's bars, oldest first. Parallel arrays of equal length. */
export interface SymbolSeries {
  readonly symbol: string;
  /** YYYY-MM-DD, strictly increasing. */
  readonly dates: readonly string[];
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
}

/** What `checkSeries` finds wrong with one symbol. */
export interface SeriesIssue {
  readonly symbol: string;
  readonly kind: 'duplicate' | 'gap';
  /** duplicate: [date]; gap: [last date before, first date after]. */
  readonly dates: readonly string[];
  /** duplicate: rows with that date; gap: weekdays missing between the two dates. */
  readonly count: number;
}

const DAY_MS = 86_400_000;

/** Weekdays (Mon–Fri) strictly between two YYYY-MM-DD dates. */
export function weekdaysBetween(from: string, to: string): number {
  let n = 0;
  for (let ms = Date.parse(`${from}T00:00:00Z`) + DAY_MS; ms < Date.parse(`${to}T00:00:00Z`); ms += DAY_MS) {
    const dow = new Date(ms).getUTCDay();
    if (dow !== 0 && dow !== 6) n++;
  }
  return n;
}

/**
 * Groups bars by symbol and sorts each group by date; returns the series and every duplicated date
 * and every gap of more than `maxMissingWeekdays` weekdays (exchange holidays leave one to three
 * weekdays out; a longer hole is missing data that would silently join distant days into one return).
 * Records with a null symbol, date or price cannot occur: market.v1 makes them required.
 */
export function checkSeries(records: readonly Readonly<CanonicalRecord>[], maxMissingWeekdays: number): { series: SymbolSeries[]; issues: SeriesIssue[] } {
  const bySymbol = new Map<string, Readonly<CanonicalRecord>[]>();
  for (const r of records) {
    const s = String(r['symbol']);
    let rows = bySymbol.get(s);
    if (!rows) bySymbol.set(s, (rows = []));
    rows.push(r);
  }
  const series: SymbolSeries[] = [];
  const issues: SeriesIssue[] = [];
  for (const symbol of [...bySymbol.keys()].sort()) {
    const rows = [...(bySymbol.get(symbol) as Readonly<CanonicalRecord>[])].sort((a, b) => (String(a['date']) < String(b['date']) ? -1 : String(a['date']) > String(b['date']) ? 1 : 0));
    const dates: string[] = [];
    const cols = { open: [] as number[], high: [] as number[], low: [] as number[], close: [] as number[], volume: [] as number[] };
    for (let i = 0; i < rows.length; i++) {
      const date = String(rows[i]!['date']);
      const prev = dates[dates.length - 1];
      if (prev === date) {
        let count = 2;
        while (i + 1 < rows.length && String(rows[i + 1]!['date']) === date) {
          count++;
          i++;
        }
        issues.push({ symbol, kind: 'duplicate', dates: [date], count });
        continue;
      }
      if (prev !== undefined) {
        const missing = weekdaysBetween(prev, date);
        if (missing > maxMissingWeekdays) issues.push({ symbol, kind: 'gap', dates: [prev, date], count: missing });
      }
      dates.push(date);
      for (const k of ['open', 'high', 'low', 'close', 'volume'] as const) cols[k].push(Number(rows[i]![k]));
    }
    series.push({ symbol, dates, open: Float64Array.from(cols.open), high: Float64Array.from(cols.high), low: Float64Array.from(cols.low), close: Float64Array.from(cols.close), volume: Float64Array.from(cols.volume) });
  }
  return { series, issues };
}

/** One line per issue, e.g. `ABC.AS: date 2024-03-04 appears 2 times` or `ABC.AS: gap 2024-03-01 → 2024-03-12 (6 weekdays missing)`. */
export function describeIssue(i: SeriesIssue): string {
  return i.kind === 'duplicate' ? `${i.symbol}: date ${i.dates[0]} appears ${i.count} times` : `${i.symbol}: gap ${i.dates[0]} → ${i.dates[1]} (${i.count} weekdays missing)`;
}

/**
 * The series, or an error listing (up to 20 of) the issues by symbol and dates.
 * @param source names the data in the message (a file name at the bank; never sent anywhere).
 * @throws FedfinError('data-invalid').
 */
export function loadSeries(records: readonly Readonly<CanonicalRecord>[], maxMissingWeekdays: number, source = 'market data'): SymbolSeries[] {
  const { series, issues } = checkSeries(records, maxMissingWeekdays);
  if (issues.length > 0) {
    const shown = issues.slice(0, 20).map(describeIssue).join('; ');
    const more = issues.length > 20 ? `; and ${issues.length - 20} more` : '';
    throw new FedfinError(
      'data-invalid',
      `${source}: ${issues.length} problem(s) in the per-symbol date series (each symbol needs one bar per trading day, at most ${maxMissingWeekdays} weekdays missing in a row): ${shown}${more}`,
    );
  }
  return series;
}
