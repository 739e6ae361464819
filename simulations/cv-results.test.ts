/** Tests of the crossValidation block: mean ± sample std over folds, null handling, and its report section. */
import { describe, expect, it } from 'vitest';
import { cvFoldsChart, cvReportLines } from './cv-report.js';
import { CrossValidationSchema, crossValidationResult, localScores, type CvFold } from './cv-results.js';
import { renderSvg } from './charts.js';

const scores = (auc: number) => ({ auc, ks: auc / 2, logLoss: 1 - auc, brier: 0.2, accuracy: 0.7 });
const fold = (f: number, fed: number, cen: number | null, locals: (number | null)[]): CvFold => ({
  fold: f,
  status: 'completed',
  rounds: 2,
  trainRows: 80,
  evalRows: 40,
  federated: { ...scores(fed), evalBanks: 2 },
  federatedEval: { auc: fed, numExamples: 40 },
  federatedTest: scores(fed - 0.01),
  centralized: cen === null ? null : { ...scores(cen), trainRows: 80, evalRows: 40, epsilon: 0 },
  localOnly: locals.map((a, b) => ({ bank: `bank-${b + 1}`, ...scores(0.5), auc: a, ks: a, trainRows: 40, evalRows: 20, epsilon: 0 })),
  localOnlyMeanAuc: locals.some((a) => a !== null) ? (locals.filter((a) => a !== null) as number[]).reduce((x, y) => x + y, 0) / locals.filter((a) => a !== null).length : null,
  epsilon: null,
  wallTimeMs: 1,
});
const banks = [{ bank: 'bank-1', rows: [20, 20, 20], positives: [6, 6, 6] }, { bank: 'bank-2', rows: [20, 20, 20], positives: [2, 2, 1] }];

describe('crossValidationResult', () => {
  it('takes the mean and the sample standard deviation (n − 1) over folds', () => {
    const cv = crossValidationResult(3, [fold(1, 0.7, 0.8, [0.6, 0.7]), fold(2, 0.8, 0.8, [0.6, null]), fold(3, 0.9, 0.8, [0.7, 0.7])], banks, 1, ['w']);
    expect(CrossValidationSchema.parse(cv)).toEqual(cv);
    expect(cv.mean.federated.auc).toBeCloseTo(0.8, 10);
    expect(cv.std.federated.auc).toBeCloseTo(0.1, 10); // sqrt(((0.1)² + 0 + (0.1)²) / 2)
    expect(cv.mean.centralized!.auc).toBeCloseTo(0.8, 10);
    expect(cv.std.centralized!.auc).toBe(0);
    expect(cv.mean.localOnlyMeanAuc).toBeCloseTo((0.65 + 0.6 + 0.7) / 3, 4);
    expect(cv.mean.federatedTest.auc).toBeCloseTo(0.79, 10);
    expect(cv.cachedFolds).toBe(1);
  });

  it('has no centralised or local summary when a fold lacks them (--no-baselines)', () => {
    const cv = crossValidationResult(2, [fold(1, 0.7, null, []), fold(2, 0.8, null, [])], banks, 0, []);
    expect(cv.mean.centralized).toBeNull();
    expect(cv.std.localOnlyMeanAuc).toBeNull();
  });

  it('turns an undefined AUC/KS (a fold missing a class) into null, keeping the exact sums', () => {
    expect(localScores({ auc: Number.NaN, ks: Number.NaN, logLoss: 0.51234567, brier: 0.2, accuracy: 1, numExamples: 3, positiveRate: 0 })).toEqual({ auc: null, ks: null, logLoss: 0.51235, brier: 0.2, accuracy: 1 });
  });
});

describe('cvReportLines + cvFoldsChart', () => {
  const cv = crossValidationResult(3, [fold(1, 0.7, 0.8, [0.6, 0.7]), fold(2, 0.8, 0.8, [0.6, null]), fold(3, 0.9, 0.8, [0.7, 0.7])], banks, 0, ['bank-2 has 2 positive row(s) …']);

  it('tables every fold, the mean ± std, each bank per fold, and the warnings', () => {
    const md = cvReportLines(cv, 'charts/cv-folds.svg').join('\n');
    expect(md).toContain('## Cross-validation (3 folds)');
    expect(md).toContain('| 2 | 0.800 | 0.400 | 0.200 | 0.800 | 0.600 | 0.790 | 40 |');
    expect(md).toContain('| **mean ± std** | 0.800 ± 0.100 |');
    expect(md).toContain('| bank-2 | 0.700 | – | 0.700 | 20 / 20 / 20 |');
    expect(md).toContain('![AUC per fold](charts/cv-folds.svg)');
    expect(md).toContain('- bank-2 has 2 positive row(s) …');
  });

  it('renders the per-fold chart to SVG with a bar per fold and model', async () => {
    const spec = cvFoldsChart(cv) as { data: { values: { fold: string; model: string }[] } };
    expect(spec.data.values).toHaveLength(4 * 3);
    expect(spec.data.values.filter((v) => v.fold === 'mean').map((v) => v.model)).toEqual(['federated', 'centralised', 'banks alone (mean)']);
    expect(await renderSvg(cvFoldsChart(cv))).toMatch(/^<svg/);
  });
});
