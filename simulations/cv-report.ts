/** The cross-validation section of a run's `report.md`: per-fold table, mean ± std, and the per-fold AUC chart (SVG). */
import { join } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import { writeFileAtomic } from '../common/atomic-file.js';
import { renderSvg } from './charts.js';
import type { CrossValidationResult } from './cv-results.js';

const f3 = (x: number | null | undefined): string => (x === undefined || x === null || !Number.isFinite(x) ? '–' : x.toFixed(3));
const pm = (mean: number | null | undefined, std: number | null | undefined): string => (mean === null || mean === undefined ? '–' : `${f3(mean)} ± ${f3(std)}`);

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [`| ${header.join(' | ')} |`, `| ${header.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

/** The markdown lines of the section (the chart referenced by its path relative to the report). */
export function cvReportLines(cv: CrossValidationResult, chart: string | undefined): string[] {
  const rows = cv.folds.map((f) => [String(f.fold), f3(f.federated.auc), f3(f.federated.ks), f3(f.federated.logLoss), f3(f.centralized?.auc), f3(f.localOnlyMeanAuc), f3(f.federatedTest.auc), String(f.evalRows)]);
  rows.push([
    '**mean ± std**',
    pm(cv.mean.federated.auc, cv.std.federated.auc),
    pm(cv.mean.federated.ks, cv.std.federated.ks),
    pm(cv.mean.federated.logLoss, cv.std.federated.logLoss),
    pm(cv.mean.centralized?.auc, cv.std.centralized?.auc),
    pm(cv.mean.localOnlyMeanAuc, cv.std.localOnlyMeanAuc),
    pm(cv.mean.federatedTest.auc, cv.std.federatedTest.auc),
    '',
  ]);
  const lines = [
    `## Cross-validation (${cv.k} folds)`,
    '',
    `Each bank split its own training rows into ${cv.k} folds (stratified by label, seeded); for fold i every bank trained on its other ${cv.k - 1} folds and the federation was evaluated on the banks' fold-i rows by the federated evaluation (pooled score histograms). Centralised: all banks' other folds pooled, scored on all banks' fold i; banks alone: each bank on its own other folds, scored on its own fold i (mean AUC over banks). The last column scores each fold's federated model on the common test set. Std is the sample standard deviation over folds.${cv.cachedFolds > 0 ? ` ${cv.cachedFolds} fold(s) came from the cache.` : ''}`,
    '',
    table(['fold', 'federated AUC', 'KS', 'log-loss', 'centralised AUC', 'banks alone AUC', 'fed. on test set AUC', 'eval rows'], rows),
    '',
  ];
  if (chart) lines.push(`![AUC per fold](${chart})`, '');
  const local = cv.folds[0]?.localOnly ?? [];
  if (local.length > 0) {
    lines.push(table(['bank', ...cv.folds.map((f) => `fold ${f.fold} alone AUC`), 'rows per fold'], local.map((l, b) => [l.bank, ...cv.folds.map((f) => f3(f.localOnly[b]?.auc)), cv.banks[b]?.rows.join(' / ') ?? ''])), '');
  }
  if (cv.privacy) lines.push(cvPrivacyLine(cv.privacy, cv.folds), '');
  if (cv.warnings.length > 0) lines.push(...cv.warnings.map((w) => `- ${w}`), '');
  return lines;
}

/** The report's privacy sentence: the run and every fold composed, per bank. */
export function cvPrivacyLine(p: NonNullable<CrossValidationResult['privacy']>, folds: CrossValidationResult['folds']): string {
  const perFold = folds.flatMap((f) => (f.epsilon === null ? [] : [f.epsilon]));
  const range = perFold.length > 0 ? ` (each fold alone: ε ${f3(Math.min(...perFold))}–${f3(Math.max(...perFold))})` : '';
  return `**Privacy of the cross-validation.** Each bank's rows took part in ${p.runs} trainings — the run and every fold${range}. Composed per bank in one RDP accountant: **ε = ${f3(p.epsilonTotal)} at δ = ${p.delta}** for the bank that spent most (${p.perBank.map((b) => `${b.bank} ${f3(b.epsilon)}`).join(', ')}); this, not the run's own ε, is what the whole cross-validated run cost.`;
}

/** Per fold: federated vs centralised vs the mean of the banks alone (grouped bars), plus the mean over folds. */
export function cvFoldsChart(cv: CrossValidationResult): TopLevelSpec {
  const values = [...cv.folds.map((f) => ({ fold: `fold ${f.fold}`, federated: f.federated.auc, centralised: f.centralized?.auc ?? null, local: f.localOnlyMeanAuc })), { fold: 'mean', federated: cv.mean.federated.auc, centralised: cv.mean.centralized?.auc ?? null, local: cv.mean.localOnlyMeanAuc }].flatMap((r) => [
    { fold: r.fold, model: 'federated', value: r.federated },
    ...(r.centralised === null ? [] : [{ fold: r.fold, model: 'centralised', value: r.centralised }]),
    ...(r.local === null ? [] : [{ fold: r.fold, model: 'banks alone (mean)', value: r.local }]),
  ]);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 520,
    height: 280,
    background: 'white',
    title: `AUC per cross-validation fold (${cv.k} folds)`,
    data: { values },
    mark: 'bar',
    encoding: {
      x: { field: 'fold', type: 'nominal', title: 'fold', sort: null },
      xOffset: { field: 'model', type: 'nominal', sort: null },
      y: { field: 'value', type: 'quantitative', title: 'AUC on the fold', scale: { zero: false } },
      color: { field: 'model', type: 'nominal', title: 'model', sort: null },
    },
  } as TopLevelSpec;
}

/** Writes `DIR/charts/cv-folds.svg`; returns its path relative to DIR. */
export async function renderCvChart(cv: CrossValidationResult, dir: string): Promise<string> {
  writeFileAtomic(join(dir, 'charts', 'cv-folds.svg'), await renderSvg(cvFoldsChart(cv)));
  return 'charts/cv-folds.svg';
}

/** A sweep report's cross-validation table: one row per run with `--cv` (none: no lines). */
export function sweepCvLines(runs: readonly { readonly variant: string; readonly config: { readonly seed: number }; readonly crossValidation?: CrossValidationResult | undefined }[]): string[] {
  const cv = runs.filter((r) => r.crossValidation !== undefined);
  if (cv.length === 0) return [];
  const rows = cv.map((r) => {
    const c = r.crossValidation!;
    return [r.variant, String(r.config.seed), String(c.k), pm(c.mean.federated.auc, c.std.federated.auc), pm(c.mean.federated.logLoss, c.std.federated.logLoss), pm(c.mean.centralized?.auc, c.std.centralized?.auc), pm(c.mean.localOnlyMeanAuc, c.std.localOnlyMeanAuc)];
  });
  return ['## Cross-validation (mean ± std over folds, per run)', '', table(['variant', 'seed', 'K', 'federated AUC', 'log-loss', 'centralised AUC', 'banks alone AUC'], rows), ''];
}
