/** `DIR/report.md` of one simulated run: what was run, the comparison table, privacy, and the SVG charts it links. */
import { join } from 'node:path';
import { writeFileAtomic } from '../common/atomic-file.js';
import { cvReportLines, renderCvChart } from './cv-report.js';
import { localVsFederatedChart, metricByRoundChart, renderSvg } from './charts.js';
import type { RunResult } from './results.js';

const f3 = (x: number | undefined | null): string => (x === undefined || x === null || !Number.isFinite(x) ? '–' : x.toFixed(3));

/** A markdown table. */
export function mdTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [`| ${header.join(' | ')} |`, `| ${header.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

/** The markdown text (charts referenced by file name). */
export function runReportMarkdown(r: RunResult, charts: { rounds: string; banks?: string; cv?: string }): string {
  const c = r.config;
  const lines = [
    '# fedfin simulation report',
    '',
    `Data \`${c.data}\` (schema \`${c.schema}\`${c.mapping ? `, mapping \`${c.mapping}\`` : ''}), task **${c.task}**, **${c.banks} banks** split \`${c.partition}\`, **${r.rounds} rounds**, seed ${c.seed}, transport ${c.transport}${c.dropoutRate > 0 ? `, dropout rate ${c.dropoutRate}` : ''}.`,
    `Common test set: ${r.testRows} rows held out before partitioning (${(100 * c.testFraction).toFixed(0)} %); every model below is scored on it with the same metrics. Job status: ${r.status}${r.reason ? ` (${r.reason})` : ''}. Wall time ${(r.wallTimeMs / 1000).toFixed(1)} s.`,
    '',
    '## Results',
    '',
  ];
  const rows: string[][] = [['federated', f3(r.federated.auc), f3(r.federated.ks), f3(r.federated.logLoss), String(r.banks.reduce((a, b) => a + b.rows, 0))]];
  if (r.centralized) rows.push(['centralised (pooled — no bank may do this)', f3(r.centralized.auc), f3(r.centralized.ks), f3(r.centralized.logLoss), String(r.centralized.rows)]);
  for (const l of r.localOnly) rows.push([`${l.bank} alone`, f3(l.auc), f3(l.ks), f3(l.logLoss), String(l.rows)]);
  lines.push(mdTable(['model', 'AUC', 'KS', 'log-loss', 'train rows'], rows), '');
  if (r.centralized && r.localOnlyMeanAuc !== null) {
    const gap = (100 * (r.centralized.auc - r.federated.auc)) / r.centralized.auc;
    lines.push(`Federated AUC is ${gap >= 0 ? `${gap.toFixed(1)} % below` : `${(-gap).toFixed(1)} % above`} centralised and ${r.federated.auc > r.localOnlyMeanAuc ? 'above' : 'NOT above'} the mean of the banks alone (${f3(r.localOnlyMeanAuc)}).`, '');
  }
  if (r.crossValidation) lines.push(...cvReportLines(r.crossValidation, charts.cv));
  lines.push('## Privacy', '');
  lines.push(r.privacy ? `Record-level DP-SGD in every bank: ε = ${f3(r.privacy.epsilon)} at δ = ${r.privacy.delta} per bank (RDP accountant, Poisson sampling, unit: record). Baselines use the same DP setting and budget.` : 'No differential privacy in this run (`privacy.mode: none`): the numbers are an upper reference, not a guarantee.', '');
  lines.push('## Charts', '', `![metric by round](${charts.rounds})`, '');
  if (charts.banks) lines.push(`![each bank alone vs federated](${charts.banks})`, '');
  lines.push('## Banks', '', mdTable(['bank', 'rows', 'positives'], r.banks.map((b) => [b.bank, String(b.rows), String(b.positives)])), '');
  if (r.warnings.length > 0) lines.push('## Warnings', '', ...r.warnings.map((w) => `- ${w}`), '');
  lines.push('## Per round', '', mdTable(['round', 'test AUC', 'test KS', 'test log-loss', 'banks', 'dropped', 'ε'], r.perRound.map((p) => [String(p.round), f3(p.test.auc), f3(p.test.ks), f3(p.test.logLoss), String(p.participants), String(p.dropped), p.epsilon === null ? '–' : f3(p.epsilon)])), '');
  return `${lines.join('\n')}\n`;
}

/** Writes `DIR/report.md` and its charts (`DIR/charts/*.svg`). */
export async function renderRunReport(r: RunResult, dir: string): Promise<void> {
  const refs = [...(r.centralized ? [{ label: 'centralised', value: r.centralized.auc }] : []), ...(r.localOnlyMeanAuc !== null ? [{ label: 'mean of banks alone', value: r.localOnlyMeanAuc }] : [])];
  const rounds = await renderSvg(metricByRoundChart('AUC', r.perRound.map((p) => ({ variant: 'federated', round: p.round, value: p.test.auc })), refs));
  writeFileAtomic(join(dir, 'charts', 'auc-by-round.svg'), rounds);
  let banks: string | undefined;
  if (r.localOnly.length > 0) {
    const bars = r.localOnly.flatMap((l) => [
      { bank: l.bank, model: 'alone', value: l.auc },
      { bank: l.bank, model: 'federated', value: r.federated.auc },
    ]);
    writeFileAtomic(join(dir, 'charts', 'banks-local-vs-federated.svg'), await renderSvg(localVsFederatedChart('AUC', bars)));
    banks = 'charts/banks-local-vs-federated.svg';
  }
  const cv = r.crossValidation ? await renderCvChart(r.crossValidation, dir) : undefined;
  writeFileAtomic(join(dir, 'report.md'), runReportMarkdown(r, { rounds: 'charts/auc-by-round.svg', ...(banks ? { banks } : {}), ...(cv ? { cv } : {}) }));
}
