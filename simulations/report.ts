/** `DIR/report.md` of one simulated run: what was run, the comparison table, privacy, and the SVG charts it links. */
import { join } from 'node:path';
import { writeFileAtomic } from '../common/atomic-file.js';
import { cvReportLines, renderCvChart } from './cv-report.js';
import { localVsFederatedChart, metricByRoundChart, renderSvg } from './charts.js';
import type { RunResult } from './results.js';
import { SIMULATE_TASKS, simTask, type SimMetric } from './sim-tasks.js';

const f3 = (x: number | undefined | null): string => (x === undefined || x === null || !Number.isFinite(x) ? '–' : x.toFixed(3));

/** A markdown table. */
export function mdTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [`| ${header.join(' | ')} |`, `| ${header.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

/** A metric value with the column's digits ('–' when the run has none). */
export function fmtMetric(m: SimMetric, scores: Readonly<Record<string, number>> | null | undefined): string {
  const x = scores?.[m.key];
  return x === undefined || !Number.isFinite(x) ? '–' : x.toFixed(m.digits ?? 3);
}

/** The report's metric columns for a run's task (credit's AUC, KS, log-loss for a task simulate does not know). */
export function runMetrics(r: RunResult): readonly SimMetric[] {
  return SIMULATE_TASKS.includes(r.config.task) ? simTask(r.config.task).metrics : simTask('credit-scoring').metrics;
}

/** What the comparison is scored on, in one sentence. */
function evaluationLine(r: RunResult): string {
  const c = r.config;
  if (r.evaluation === 'bank-holdouts') {
    return `No common test set (a market's test set is its future): every model is scored on the last ${(100 * c.testFraction).toFixed(0)} % of each bank's own instruments' period (\`--test-fraction\` = \`forecast.holdoutFraction\`), ${r.testRows} holdout windows pooled by the same regression and backtest sums the coordinator uses.`;
  }
  const units = r.unit === 'row' ? '' : ` (${r.testUnits ?? '?'} whole ${r.unit}s)`;
  return `Common test set: ${r.testRows} rows${units} held out before partitioning (${(100 * c.testFraction).toFixed(0)} %); every model below is scored on it with the same metrics.`;
}

/** The markdown text (charts referenced by file name). */
export function runReportMarkdown(r: RunResult, charts: { rounds: string; banks?: string; cv?: string }): string {
  const c = r.config;
  const metrics = runMetrics(r);
  const head = metrics[0]!;
  const lines = [
    '# fedfin simulation report',
    '',
    `Data \`${c.data}\` (schema \`${c.schema}\`${c.mapping ? `, mapping \`${c.mapping}\`` : ''}), task **${c.task}**, **${c.banks} banks** split \`${c.partition}\`${r.unit === 'row' ? '' : ` by ${r.unit} (each ${r.unit} whole in one bank)`}, **${r.rounds} rounds**, seed ${c.seed}, transport ${c.transport}${c.dropoutRate > 0 ? `, dropout rate ${c.dropoutRate}` : ''}.`,
    `${evaluationLine(r)} Job status: ${r.status}${r.reason ? ` (${r.reason})` : ''}. Wall time ${(r.wallTimeMs / 1000).toFixed(1)} s.`,
    '',
    '## Results',
    '',
  ];
  const row = (name: string, s: Readonly<Record<string, number>>, rows: number): string[] => [name, ...metrics.map((m) => fmtMetric(m, s)), String(rows)];
  const holdouts = r.evaluation === 'bank-holdouts';
  // Market: the federation trains on exactly the windows the centralised model pools; credit/fraud: the banks' rows.
  const fedRows = holdouts && r.centralized ? r.centralized.rows : r.banks.reduce((a, b) => a + b.rows, 0);
  const rows: string[][] = [row('federated', r.federated, fedRows)];
  if (r.centralized) rows.push(row('centralised (pooled — no bank may do this)', r.centralized, r.centralized.rows));
  for (const l of r.localOnly) rows.push(row(`${l.bank} alone`, l, l.rows));
  if (r.buyAndHold) rows.push(['buy-and-hold (same days)', ...metrics.map((m) => fmtMetric(m, r.buyAndHold)), '']);
  lines.push(mdTable(['model', ...metrics.map((m) => m.header), holdouts ? (r.centralized ? 'train windows' : 'bars') : 'train rows'], rows), '');
  const fed = r.federated[head.key];
  const cen = r.centralized?.[head.key];
  if (fed !== undefined && cen !== undefined && r.localOnlyMeanHeadline !== null) {
    const better = (a: number, b: number): boolean => ((head.higherIsBetter ?? true) ? a > b : a < b);
    const gap = (100 * (cen - fed)) / Math.abs(cen);
    lines.push(`Federated ${head.header} is ${gap >= 0 ? `${gap.toFixed(1)} % below` : `${(-gap).toFixed(1)} % above`} centralised and ${better(fed, r.localOnlyMeanHeadline) ? 'better than' : 'NOT better than'} the mean of the banks alone (${r.localOnlyMeanHeadline.toFixed(head.digits ?? 3)}).`, '');
  }
  if (r.crossValidation) lines.push(...cvReportLines(r.crossValidation, charts.cv));
  lines.push('## Privacy', '');
  lines.push(r.privacy ? `Record-level DP-SGD in every bank: ε = ${f3(r.privacy.epsilon)} at δ = ${r.privacy.delta} per bank (RDP accountant, Poisson sampling, unit: ${c.task === 'market-forecast' ? 'one window of one instrument' : 'record'}). Baselines use the same DP setting and budget.` : 'No differential privacy in this run (`privacy.mode: none`): the numbers are an upper reference, not a guarantee.', '');
  lines.push('## Charts', '', `![${head.header} by round](${charts.rounds})`, '');
  if (charts.banks) lines.push(`![each bank alone vs federated](${charts.banks})`, '');
  const unitCol = r.unit === 'row' ? [] : [`${r.unit}s`];
  lines.push('## Banks', '', mdTable(['bank', 'rows', ...unitCol, ...(r.evaluation === 'bank-holdouts' ? [] : ['positives'])], r.banks.map((b) => [b.bank, String(b.rows), ...(r.unit === 'row' ? [] : [String(b.units ?? '–')]), ...(r.evaluation === 'bank-holdouts' ? [] : [String(b.positives)])])), '');
  if (r.warnings.length > 0) lines.push('## Warnings', '', ...r.warnings.map((w) => `- ${w}`), '');
  const roundMetrics = metrics.slice(0, 3);
  lines.push('## Per round', '', mdTable(['round', ...roundMetrics.map((m) => `${r.evaluation === 'bank-holdouts' ? 'holdout' : 'test'} ${m.header}`), 'banks', 'dropped', 'ε'], r.perRound.map((p) => [String(p.round), ...roundMetrics.map((m) => fmtMetric(m, p.test)), String(p.participants), String(p.dropped), p.epsilon === null ? '–' : f3(p.epsilon)])), '');
  return `${lines.join('\n')}\n`;
}

/** The chart file of the headline metric by round (`auc-by-round.svg`, `prauc-by-round.svg` …). */
export function byRoundChartFile(metricKey: string): string {
  return `${metricKey.replace(/[A-Z]/g, (x) => `-${x.toLowerCase()}`).replace(/^-/, '')}-by-round.svg`;
}

/** Writes `DIR/report.md` and its charts (`DIR/charts/*.svg`), plotting the task's headline metric. */
export async function renderRunReport(r: RunResult, dir: string): Promise<void> {
  const head = runMetrics(r)[0]!;
  const value = (s: Readonly<Record<string, number>> | null | undefined): number | undefined => s?.[head.key];
  const refs = [
    ...(value(r.centralized) !== undefined ? [{ label: 'centralised', value: value(r.centralized)! }] : []),
    ...(r.localOnlyMeanHeadline !== null ? [{ label: 'mean of banks alone', value: r.localOnlyMeanHeadline }] : []),
    ...(r.buyAndHold && value(r.buyAndHold) !== undefined ? [{ label: 'buy-and-hold', value: value(r.buyAndHold)! }] : []),
  ];
  const file = byRoundChartFile(head.key);
  const points = r.perRound.flatMap((p) => (value(p.test) !== undefined ? [{ variant: 'federated', round: p.round, value: value(p.test)! }] : []));
  writeFileAtomic(join(dir, 'charts', file), await renderSvg(metricByRoundChart(head.header, points, refs)));
  let banks: string | undefined;
  if (r.localOnly.length > 0 && value(r.federated) !== undefined) {
    const bars = r.localOnly.flatMap((l) => (value(l) === undefined ? [] : [
      { bank: l.bank, model: 'alone', value: value(l)! },
      { bank: l.bank, model: 'federated', value: value(r.federated)! },
    ]));
    writeFileAtomic(join(dir, 'charts', 'banks-local-vs-federated.svg'), await renderSvg(localVsFederatedChart(head.header, bars)));
    banks = 'charts/banks-local-vs-federated.svg';
  }
  const cv = r.crossValidation ? await renderCvChart(r.crossValidation, dir) : undefined;
  writeFileAtomic(join(dir, 'report.md'), runReportMarkdown(r, { rounds: `charts/${file}`, ...(banks ? { banks } : {}), ...(cv ? { cv } : {}) }));
}
