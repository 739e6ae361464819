/** `fedfin data validate` for market files: besides row validation, each symbol's dates must be unique and without gaps (market-forecast reads them as series). */
import { readAcceptedRecords } from '../client/data/read-records.js';
import type { DatasetSchema } from '../schema/field.js';
import type { MappingSpec } from '../schema/mapping-spec.js';
import type { DataFormat } from '../schema/readers/index.js';
import { checkSeries, describeIssue, type SeriesIssue } from '../tasks/market-forecast/series.js';

/** The default tolerance of market-forecast jobs (job spec `forecast.maxMissingWeekdays`). */
export const DEFAULT_MAX_MISSING_WEEKDAYS = 3;

/**
 * Duplicated dates and gaps per symbol of a market file's accepted rows, or undefined for other
 * schema kinds. Rejected rows were already reported by the row validation.
 */
export async function marketSeriesIssues(file: string, schema: DatasetSchema, mapping: MappingSpec | undefined, format: DataFormat | undefined): Promise<SeriesIssue[] | undefined> {
  if (schema.kind !== 'market') return undefined;
  const read = await readAcceptedRecords(file, schema, mapping, format);
  return checkSeries(read.records, DEFAULT_MAX_MISSING_WEEKDAYS).issues;
}

/** Human lines for the issues (at most `limit`), under a heading. */
export function renderSeriesIssues(issues: readonly SeriesIssue[], limit = 20): string {
  if (issues.length === 0) return `series: every symbol has one bar per date and no gap over ${DEFAULT_MAX_MISSING_WEEKDAYS} weekdays`;
  const lines = [`series: ${issues.length} problem(s) (market-forecast needs one bar per symbol and trading day, at most ${DEFAULT_MAX_MISSING_WEEKDAYS} weekdays missing in a row):`];
  for (const i of issues.slice(0, limit)) lines.push(`  ${describeIssue(i)}`);
  if (issues.length > limit) lines.push(`  … and ${issues.length - limit} more`);
  return lines.join('\n');
}
