/** `OUT/report.md` of a search: trials, the best configuration, its test-set metrics, the privacy of the search, and a chart of the validation metric by trial with the best so far. */
import { join } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import { writeFileAtomic } from '../../common/atomic-file.js';
import { renderSvg } from '../charts.js';
import { mdTable } from '../report.js';
import { formatParams } from './search-space.js';
import type { TuneResult } from './tune-result.js';

const f3 = (x: number | null | undefined): string => (x === null || x === undefined || !Number.isFinite(x) ? '–' : x.toFixed(3));

/** The best validation value after each trial (failed trials keep the previous best). */
export function bestSoFar(r: Pick<TuneResult, 'trials' | 'search'>): (number | null)[] {
  let best: number | null = null;
  return r.trials.map((t) => {
    if (t.validation !== null && (best === null || (r.search.direction === 'max' ? t.validation > best : t.validation < best))) best = t.validation;
    return best;
  });
}

/** Validation metric of every trial (points) and the best so far (a step line). */
export function trialsChart(r: TuneResult): TopLevelSpec {
  const so = bestSoFar(r);
  const values = [
    ...r.trials.filter((t) => t.validation !== null).map((t) => ({ trial: t.index, value: t.validation, series: 'trial', params: formatParams(t.params) })),
    ...r.trials.flatMap((t, i) => (so[i] === null ? [] : [{ trial: t.index, value: so[i], series: 'best so far', params: '' }])),
  ];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 520,
    height: 280,
    background: 'white',
    title: `Validation ${r.search.metric} (banks' holdouts) by trial — ${r.search.method}, ${r.search.direction === 'max' ? 'higher' : 'lower'} is better`,
    data: { values },
    layer: [
      { transform: [{ filter: "datum.series === 'best so far'" }], mark: { type: 'line', interpolate: 'step-after' }, encoding: { x: { field: 'trial', type: 'quantitative', title: 'trial', axis: { tickMinStep: 1 } }, y: { field: 'value', type: 'quantitative', title: r.search.metric, scale: { zero: false } }, color: { field: 'series', type: 'nominal', title: '' } } },
      { transform: [{ filter: "datum.series === 'trial'" }], mark: { type: 'point', filled: true, size: 60 }, encoding: { x: { field: 'trial', type: 'quantitative' }, y: { field: 'value', type: 'quantitative' }, color: { field: 'series', type: 'nominal', title: '' }, tooltip: [{ field: 'params' }] } },
    ],
  } as TopLevelSpec;
}

/** Writes OUT/report.md and OUT/charts/validation-by-trial.svg. */
export async function renderTuneReport(r: TuneResult, outDir: string): Promise<void> {
  writeFileAtomic(join(outDir, 'charts', 'validation-by-trial.svg'), await renderSvg(trialsChart(r)));
  const p = r.privacy;
  const lines = [
    `# Hyperparameter search ${r.name}`,
    '',
    `Method **${r.search.method}**, ${r.trials.length} trials (${r.cachedTrials} from the cache), seed ${r.search.seed}. Objective: ${r.search.direction === 'max' ? 'maximise' : 'minimise'} the federated **validation ${r.search.metric}** — pooled over each bank's own holdout, never the common test set. ${(r.wallTimeMs / 1000).toFixed(0)} s.`,
    '',
    '## Best configuration',
    '',
    r.best ? `Trial ${r.best.index}: \`${formatParams(r.best.params)}\` — validation ${r.search.metric} ${f3(r.best.validation)}.` : 'No trial produced a validation metric.',
    '',
  ];
  if (r.test) {
    lines.push(
      `Run once more and scored on the common test set (${r.test.testRows} rows; not used to select — [full run](${r.test.results.replace('results.json', 'report.md')})${r.test.reproduced ? ', repeating the best trial exactly' : ''}):`,
      '',
      mdTable(['model', 'test AUC', 'KS', 'log-loss', 'Brier'], [['federated, best configuration', f3(r.test.federated.auc), f3(r.test.federated.ks), f3(r.test.federated.logLoss), f3(r.test.federated.brier)], ...(r.test.centralizedAuc !== null ? [['centralised (same configuration)', f3(r.test.centralizedAuc), '', '', '']] : []), ...(r.test.localOnlyMeanAuc !== null ? [['banks alone (mean)', f3(r.test.localOnlyMeanAuc), '', '', '']] : [])]),
      '',
    );
  }
  lines.push('## Privacy of the search', '');
  lines.push(
    p
      ? `Every trial's DP-SGD composed per bank (RDP): **ε = ${p.tuning.epsilonTotal.toFixed(3)} at δ = ${p.tuning.delta}** for the bank that spent most, over ${p.tuning.trials} trainings (one trial alone: at most ε = ${p.maxTrialEpsilon.toFixed(3)}). Selecting the best trial is post-processing of these releases. The holdout rows the validation metric is computed on are not covered by DP (as in every federated evaluation).`
      : 'No DP in this search: no ε to report.',
    '',
    '## Chart',
    '',
    `![Validation ${r.search.metric} by trial](charts/validation-by-trial.svg)`,
    '',
    '## Trials',
    '',
    mdTable(['trial', 'parameters', `validation ${r.search.metric}`, 'best so far', 'ε', 'status', 'wall s'], r.trials.map((t, i) => [String(t.index), formatParams(t.params), f3(t.validation), f3(bestSoFar(r)[i]), t.epsilon === null ? '–' : t.epsilon.toFixed(3), t.cached ? `${t.status} (cached)` : t.status, (t.wallTimeMs / 1000).toFixed(1)])),
    '',
  );
  if (r.warnings.length > 0) lines.push('## Warnings', '', ...r.warnings.map((w) => `- ${w}`), '');
  writeFileAtomic(join(outDir, 'report.md'), `${lines.join('\n')}\n`);
}
