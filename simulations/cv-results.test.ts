/** Tests of the crossValidation block: mean ± sample std over folds, null handling, composed privacy, and its report section. */
import { describe, expect, it } from 'vitest';
import { RdpAccountant } from '../privacy/accounting/rdp-accountant.js';
import { cvFoldsChart, cvReportLines } from './cv-report.js';
import { cachedFold, CrossValidationSchema, crossValidationResult, cvPrivacy, localScores, type CvFold } from './cv-results.js';
import { mechanismEpsilon, type RunMechanism } from './dp-composition.js';
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

describe('privacy of a cross-validation (the run and every fold composed)', () => {
  // A DP fold as runFold records it: its ledger's largest ε and the per-bank mechanism.
  const dpFold = (f: number, mechanism: RunMechanism): CvFold => ({ ...fold(f, 0.7, 0.8, [0.6, 0.7]), epsilon: Math.round(mechanismEpsilon(mechanism, 1e-5) * 100_000) / 100_000, mechanism: mechanism as CvFold['mechanism'] });

  it('reproduces the published vector when a run of 2,500 steps and folds of 2,500 and 5,000 compose into 10,000', () => {
    // dp_accounting / Opacus: σ = 1.1, q = 0.01, 10,000 steps, δ = 1e-5 → ε ≈ 5.632 (rdp-accountant.test.ts).
    const p = cvPrivacy({ a: [[1.1, 0.01, 2500]] }, [dpFold(1, { a: [[1.1, 0.01, 1000], [1.1, 0.01, 1500]] }), dpFold(2, { a: [[1.1, 0.01, 5000]] })], 1e-5);
    expect(p).toMatchObject({ delta: 1e-5, runs: 3, method: 'composition of the run and every fold (RDP)' });
    expect(p.epsilonTotal).toBeCloseTo(5.63201, 4);
    expect(p.perBank).toEqual([{ bank: 'a', epsilon: p.epsilonTotal }]);
  });

  it('lies between the largest single training and the sum of them, per bank, with each fold at its own sample rate', () => {
    // K = 3: a fold trains on 2/3 of a bank's rows, so with the same batch its sample rate q is 3/2 of the run's.
    const run: RunMechanism = { a: [[1.0, 0.02, 300]], b: [[1.2, 0.04, 150]] };
    const folds = [1, 2, 3].map((f) => dpFold(f, { a: [[1.0, 0.03, 300]], b: [[1.2, 0.06, 150]] }));
    const p = cvPrivacy(run, folds, 1e-5);
    const single = [mechanismEpsilon(run, 1e-5), ...folds.map((f) => f.epsilon!)];
    expect(p.runs).toBe(4);
    expect(p.epsilonTotal).toBeGreaterThan(Math.max(...single));
    expect(p.epsilonTotal).toBeLessThan(single.reduce((x, y) => x + y, 0));
    const acc = new RdpAccountant();
    acc.step({ noiseMultiplier: 1.0, sampleRate: 0.02 }, 300);
    acc.step({ noiseMultiplier: 1.0, sampleRate: 0.03 }, 900);
    expect(p.perBank.map((b) => b.bank)).toEqual(['a', 'b']);
    expect(p.perBank[0]!.epsilon).toBeCloseTo(acc.epsilon(1e-5).epsilon, 4);
    expect(p.epsilonTotal).toBe(Math.max(...p.perBank.map((b) => b.epsilon))); // the worst bank
  });

  it('goes into the block with DP, is null without, and a results.json from before it parses with null', () => {
    const folds = [dpFold(1, { a: [[1.1, 0.01, 100]] }), dpFold(2, { a: [[1.1, 0.01, 100]] })];
    const cv = crossValidationResult(2, folds, banks, 0, [], { mechanism: { a: [[1.1, 0.01, 100]] }, delta: 1e-5 });
    expect(CrossValidationSchema.parse(cv)).toEqual(cv);
    expect(cv.privacy).toMatchObject({ runs: 3, delta: 1e-5 });
    expect(crossValidationResult(2, [fold(1, 0.7, null, []), fold(2, 0.8, null, [])], banks, 0, []).privacy).toBeNull();
    const { privacy: _p, ...old } = cv;
    expect(CrossValidationSchema.parse(old).privacy).toBeNull();
    const md = cvReportLines(cv, undefined).join('\n');
    expect(md).toContain(`**ε = ${cv.privacy!.epsilonTotal.toFixed(3)} at δ = 0.00001**`);
    expect(md).toContain('took part in 3 trainings');
  });

  it('runs again a cached DP fold that predates the mechanism; keeps a no-DP one and a DP one with it', () => {
    const { mechanism: _m, ...old } = dpFold(1, { a: [[1.1, 0.01, 100]] });
    expect(cachedFold(JSON.parse(JSON.stringify(old)))).toBeUndefined();
    expect(cachedFold(JSON.parse(JSON.stringify(dpFold(1, { a: [[1.1, 0.01, 100]] }))))).toMatchObject({ mechanism: { a: [[1.1, 0.01, 100]] } });
    expect(cachedFold(JSON.parse(JSON.stringify(fold(1, 0.7, null, []))))).toMatchObject({ fold: 1, epsilon: null });
    expect(cachedFold({ fold: 1 })).toBeUndefined();
  });

  it('refuses to compose a DP fold that recorded no mechanism, naming the fold', () => {
    expect(() => cvPrivacy({ a: [[1.1, 0.01, 100]] }, [dpFold(1, { a: [[1.1, 0.01, 100]] }), { ...dpFold(2, {}), mechanism: undefined }], 1e-5)).toThrow(/fold 2: no DP mechanism/);
  });
});
