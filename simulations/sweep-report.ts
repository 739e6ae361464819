/** `OUT/report.md` of a scenario sweep: variants (mean ± std over seeds), and charts of the task's headline metric — by round per variant, privacy–utility, dropout vs quality, banks alone vs federated. */
import { join } from 'node:path';
import { writeFileAtomic } from '../common/atomic-file.js';
import { localVsFederatedChart, metricByRoundChart, renderSvg, sweepChart } from './charts.js';
import { sweepCvLines } from './cv-report.js';
import { byRoundChartFile, mdTable } from './report.js';
import { SIMULATE_TASKS, simTask } from './sim-tasks.js';
import type { MeanStd, SweepResult } from './sweep.js';

const pm = (m: MeanStd | null | undefined, digits = 3): string => (m === null || m === undefined ? '–' : m.n > 1 ? `${m.mean.toFixed(digits)} ± ${m.std.toFixed(digits)}` : m.mean.toFixed(digits));

/** Writes OUT/report.md and OUT/charts/*.svg; returns the chart files written. */
export async function renderSweepReport(r: SweepResult, outDir: string): Promise<string[]> {
  const charts: { file: string; caption: string }[] = [];
  const save = async (file: string, caption: string, spec: Parameters<typeof renderSvg>[0]): Promise<void> => {
    writeFileAtomic(join(outDir, 'charts', file), await renderSvg(spec));
    charts.push({ file: `charts/${file}`, caption });
  };
  const first = r.variants[0]!;
  const metrics = simTask(SIMULATE_TASKS.includes(r.scenario.task) ? r.scenario.task : 'credit-scoring').metrics;
  const head = metrics[0]!;
  const H = head.header;
  const fedHead = (v: (typeof r.variants)[number]): MeanStd => v.federated[head.key] ?? { mean: Number.NaN, std: 0, n: 0 };
  const refs = [...(first.centralizedHeadline ? [{ label: 'centralised', value: first.centralizedHeadline.mean }] : []), ...(first.localOnlyMeanHeadline ? [{ label: 'mean of banks alone', value: first.localOnlyMeanHeadline.mean }] : [])];
  await save(byRoundChartFile(head.key), `${r.runs[0]?.evaluation === 'bank-holdouts' ? 'Holdout' : 'Test'} ${H} by round per variant (mean ± std over seeds)`, metricByRoundChart(H, r.variants.flatMap((v) => v.headlineByRound.map((p) => ({ variant: v.variant, round: p.round, value: p.mean, std: p.std }))), refs));

  const eps = r.variants.filter((v) => 'epsilon' in v.params);
  if (eps.length > 0) {
    const finite = eps.filter((v) => typeof v.params['epsilon'] === 'number');
    const noDp = eps.find((v) => v.params['epsilon'] === null);
    const points = finite.map((v) => ({ x: v.params['epsilon'] as number, label: v.variant, series: 'federated (DP-SGD)', mean: fedHead(v).mean, std: fedHead(v).std }));
    const central = finite.filter((v) => v.centralizedHeadline).map((v) => ({ x: v.params['epsilon'] as number, label: v.variant, series: 'centralised (same DP)', mean: v.centralizedHeadline!.mean, std: v.centralizedHeadline!.std }));
    const spec = sweepChart(`Privacy–utility: ${H} against ε per bank${noDp ? ` (no DP: ${fedHead(noDp).mean.toFixed(3)})` : ''}`, 'ε (record level, δ = 1e-5)', H, [...points, ...central], true);
    await save('privacy-utility.svg', `Privacy–utility curve: federated and centralised ${H} against the per-bank ε`, spec);
  }
  const drop = r.variants.filter((v) => typeof v.params['dropoutRate'] === 'number');
  if (drop.length > 0) {
    await save('dropout-quality.svg', `Dropout rate against the final federated ${H}`, sweepChart(`Dropout vs quality: final ${H}`, 'dropout probability per bank and round', H, drop.map((v) => ({ x: v.params['dropoutRate'] as number, label: v.variant, series: 'federated', mean: fedHead(v).mean, std: fedHead(v).std }))));
  }
  const run = r.runs.find((x) => x.variant === first.variant && x.localOnly.length > 0 && x.federated[head.key] !== undefined);
  if (run) {
    await save('banks-local-vs-federated.svg', `Each bank alone vs federated (${run.variant}, seed ${run.config.seed})`, localVsFederatedChart(H, run.localOnly.flatMap((l) => (l[head.key] === undefined ? [] : [{ bank: l.bank, model: 'alone', value: l[head.key]! }, { bank: l.bank, model: 'federated', value: run.federated[head.key]! }]))));
  }

  const s = r.scenario;
  const dataLine = 'file' in s.data ? `\`${s.data.file}\` (schema \`${s.data.schema}\`)` : `synthetic ${s.data.synth.schema}, ${s.data.synth.banks > 1 ? `${s.data.synth.banks} generated banks × ${s.data.synth.rows} rows pooled` : `${s.data.synth.rows} rows`} (seed ${s.data.synth.seed}, skew ${s.data.synth.skew})`;
  const lines = [
    `# Scenario ${s.name}`,
    '',
    s.description,
    '',
    `Data: ${dataLine}. Task **${s.task}**, ${s.split.banks} banks split \`${s.split.partition}\`${r.runs[0] && r.runs[0].unit !== 'row' ? ` by ${r.runs[0].unit}` : ''}, ${r.runs[0]?.evaluation === 'bank-holdouts' ? `no common test set: each bank's last ${(100 * s.split.testFraction).toFixed(0)} % of its period is its holdout, every model scored on all of them` : `common test set ${(100 * s.split.testFraction).toFixed(0)} %`}. Seeds: ${s.seeds.join(', ')}. ${r.runs.length} runs (${r.cachedRuns} from the cache), ${(r.wallTimeMs / 1000).toFixed(0)} s.`,
    '',
    `## Variants (mean ± std over seeds, ${r.runs[0]?.evaluation === 'bank-holdouts' ? "banks' holdouts" : 'common test set'})`,
    '',
    mdTable(['variant', ...metrics.slice(0, 3).map((m, i) => (i === 0 ? `federated ${m.header}` : m.header)), `centralised ${H}`, `banks alone (mean ${H})`, 'ε per bank'], r.variants.map((v) => [v.variant, ...metrics.slice(0, 3).map((m) => pm(v.federated[m.key], m.digits)), pm(v.centralizedHeadline, head.digits), pm(v.localOnlyMeanHeadline, head.digits), v.epsilon ? pm(v.epsilon) : 'no DP'])),
    '',
    ...sweepCvLines(r.runs),
    '## Charts',
    '',
    ...charts.flatMap((c) => [`### ${c.caption}`, '', `![${c.caption}](${c.file})`, '']),
    '## Runs',
    '',
    mdTable(['variant', 'seed', 'rounds', `federated ${H}`, `centralised ${H}`, 'ε', 'wall s'], r.runs.map((x) => [x.variant, String(x.config.seed), String(x.rounds), pm(x.federated[head.key] === undefined ? null : { mean: x.federated[head.key]!, std: 0, n: 1 }, head.digits), pm(x.centralized?.[head.key] === undefined ? null : { mean: x.centralized[head.key]!, std: 0, n: 1 }, head.digits), x.privacy ? x.privacy.epsilon.toFixed(2) : '–', (x.wallTimeMs / 1000).toFixed(1)])),
    '',
  ];
  writeFileAtomic(join(outDir, 'report.md'), `${lines.join('\n')}\n`);
  return charts.map((c) => c.file);
}
