/** `OUT/report.md` of a scenario sweep: variants (mean ± std over seeds), and charts — AUC by round per variant, privacy–utility, dropout vs quality, banks alone vs federated. */
import { join } from 'node:path';
import { writeFileAtomic } from '../common/atomic-file.js';
import { localVsFederatedChart, metricByRoundChart, renderSvg, sweepChart } from './charts.js';
import { sweepCvLines } from './cv-report.js';
import { mdTable } from './report.js';
import type { MeanStd, SweepResult } from './sweep.js';

const pm = (m: MeanStd | null): string => (m === null ? '–' : m.n > 1 ? `${m.mean.toFixed(3)} ± ${m.std.toFixed(3)}` : m.mean.toFixed(3));

/** Writes OUT/report.md and OUT/charts/*.svg; returns the chart files written. */
export async function renderSweepReport(r: SweepResult, outDir: string): Promise<string[]> {
  const charts: { file: string; caption: string }[] = [];
  const save = async (file: string, caption: string, spec: Parameters<typeof renderSvg>[0]): Promise<void> => {
    writeFileAtomic(join(outDir, 'charts', file), await renderSvg(spec));
    charts.push({ file: `charts/${file}`, caption });
  };
  const first = r.variants[0]!;
  const refs = [...(first.centralizedAuc ? [{ label: 'centralised', value: first.centralizedAuc.mean }] : []), ...(first.localOnlyMeanAuc ? [{ label: 'mean of banks alone', value: first.localOnlyMeanAuc.mean }] : [])];
  await save('auc-by-round.svg', 'Test AUC by round per variant (mean ± std over seeds)', metricByRoundChart('AUC', r.variants.flatMap((v) => v.aucByRound.map((p) => ({ variant: v.variant, round: p.round, value: p.mean, std: p.std }))), refs));

  const eps = r.variants.filter((v) => 'epsilon' in v.params);
  if (eps.length > 0) {
    const finite = eps.filter((v) => typeof v.params['epsilon'] === 'number');
    const noDp = eps.find((v) => v.params['epsilon'] === null);
    const points = finite.map((v) => ({ x: v.params['epsilon'] as number, label: v.variant, series: 'federated (DP-SGD)', mean: v.federated.auc.mean, std: v.federated.auc.std }));
    const central = finite.filter((v) => v.centralizedAuc).map((v) => ({ x: v.params['epsilon'] as number, label: v.variant, series: 'centralised (same DP)', mean: v.centralizedAuc!.mean, std: v.centralizedAuc!.std }));
    const spec = sweepChart(`Privacy–utility: test AUC against ε per bank${noDp ? ` (no DP: ${noDp.federated.auc.mean.toFixed(3)})` : ''}`, 'ε (record level, δ = 1e-5)', 'AUC', [...points, ...central], true);
    await save('privacy-utility.svg', 'Privacy–utility curve: federated and centralised AUC against the per-bank ε', spec);
  }
  const drop = r.variants.filter((v) => typeof v.params['dropoutRate'] === 'number');
  if (drop.length > 0) {
    await save('dropout-quality.svg', 'Dropout rate against the final federated AUC', sweepChart('Dropout vs quality: final test AUC', 'dropout probability per bank and round', 'AUC', drop.map((v) => ({ x: v.params['dropoutRate'] as number, label: v.variant, series: 'federated', mean: v.federated.auc.mean, std: v.federated.auc.std }))));
  }
  const run = r.runs.find((x) => x.variant === first.variant && x.localOnly.length > 0);
  if (run) {
    await save('banks-local-vs-federated.svg', `Each bank alone vs federated (${run.variant}, seed ${run.config.seed})`, localVsFederatedChart('AUC', run.localOnly.flatMap((l) => [{ bank: l.bank, model: 'alone', value: l.auc }, { bank: l.bank, model: 'federated', value: run.federated.auc }])));
  }

  const s = r.scenario;
  const dataLine = 'file' in s.data ? `\`${s.data.file}\` (schema \`${s.data.schema}\`)` : `synthetic ${s.data.synth.schema}, ${s.data.synth.rows} rows (seed ${s.data.synth.seed}, skew ${s.data.synth.skew})`;
  const lines = [
    `# Scenario ${s.name}`,
    '',
    s.description,
    '',
    `Data: ${dataLine}. Task **${s.task}**, ${s.split.banks} banks split \`${s.split.partition}\`, common test set ${(100 * s.split.testFraction).toFixed(0)} %. Seeds: ${s.seeds.join(', ')}. ${r.runs.length} runs (${r.cachedRuns} from the cache), ${(r.wallTimeMs / 1000).toFixed(0)} s.`,
    '',
    '## Variants (mean ± std over seeds, common test set)',
    '',
    mdTable(['variant', 'federated AUC', 'KS', 'log-loss', 'centralised AUC', 'banks alone (mean AUC)', 'ε per bank'], r.variants.map((v) => [v.variant, pm(v.federated.auc), pm(v.federated.ks), pm(v.federated.logLoss), pm(v.centralizedAuc), pm(v.localOnlyMeanAuc), v.epsilon ? pm(v.epsilon) : 'no DP'])),
    '',
    ...sweepCvLines(r.runs),
    '## Charts',
    '',
    ...charts.flatMap((c) => [`### ${c.caption}`, '', `![${c.caption}](${c.file})`, '']),
    '## Runs',
    '',
    mdTable(['variant', 'seed', 'rounds', 'federated AUC', 'centralised AUC', 'ε', 'wall s'], r.runs.map((x) => [x.variant, String(x.config.seed), String(x.rounds), x.federated.auc.toFixed(3), x.centralized ? x.centralized.auc.toFixed(3) : '–', x.privacy ? x.privacy.epsilon.toFixed(2) : '–', (x.wallTimeMs / 1000).toFixed(1)])),
    '',
  ];
  writeFileAtomic(join(outDir, 'report.md'), `${lines.join('\n')}\n`);
  return charts.map((c) => c.file);
}
