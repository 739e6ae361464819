/** Tests of the exported model format: privacy statement, metadata validation, tfjs files round trip. */
import fc from 'fast-check';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hasCode } from '../common/errors.js';
import { seededRandom } from '../common/seeded-random.js';
import { buildLayersModel, loadLayersModelDir, predictLogits, writeModelPackage } from './model-artifacts.js';
import { parseModelMetadata, privacyStatement, readModelMetadata, type ModelMetadata } from './model-package.js';
import { initMlpWeights, mlpLogits, type MlpSpec } from './models/mlp.js';

const HASH = 'ab'.repeat(32);

function metadata(spec: MlpSpec): ModelMetadata {
  return {
    format: 'fedfin-model', version: 1, jobId: 'job-1', jobName: 'j', task: 'credit-scoring', schema: { id: 'credit.v1', hash: HASH },
    model: { kind: 'mlp', numFeatures: spec.numFeatures, hiddenUnits: [...spec.hiddenUnits], activation: spec.activation, output: 'logit' },
    encoding: { schemaId: 'credit.v1', featureHash: HASH, numFeatures: spec.numFeatures, includeSensitive: false, stats: { age: { mean: 40, std: 10 } }, spec: null },
    round: 3, roundsCompleted: 3, roundsTotal: 3, jobStatus: 'completed', metrics: { auc: 0.7 },
    privacy: privacyStatement(undefined, []), exportedAt: '2026-01-01T00:00:00.000Z',
  };
}

describe('privacyStatement', () => {
  it('reports the largest job total over banks with delta, rdp, record unit and Poisson sampling, when the job ran DP-SGD', () => {
    const s = privacyStatement({ delta: 1e-5, maxEpsilon: 8, clippingNorm: 1 }, [
      { memberId: 'b', epsilon: 2.5, rounds: 3, noiseMultiplier: 1.2 },
      { memberId: 'a', epsilon: 1.25, rounds: 2, noiseMultiplier: 1.1 },
    ]);
    expect(s).toMatchObject({ mode: 'dp-sgd', epsilon: 2.5, delta: 1e-5, accountant: 'rdp', unit: 'record', sampling: 'Poisson', noiseMultipliers: [1.1, 1.2], maxEpsilon: 8 });
    expect(s.perBank.map((b) => b.memberId)).toEqual(['a', 'b']);
    expect(s.statement).toContain('ε = 2.500, δ = 0.00001');
  });

  it('says there is no guarantee and gives no epsilon, when the job ran without DP', () => {
    const s = privacyStatement(undefined, []);
    expect(s).toMatchObject({ mode: 'none', epsilon: null, delta: null, accountant: null });
    expect(s.statement).toMatch(/^No differential privacy/);
  });

  it('is the maximum of the banks\' totals, for any spends', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 100, noNaN: true }), { minLength: 1, maxLength: 8 }), (eps) => {
        const s = privacyStatement({ delta: 1e-6, maxEpsilon: 100, clippingNorm: 1 }, eps.map((e, i) => ({ memberId: `b${i}`, epsilon: e, rounds: 1, noiseMultiplier: 1 })));
        expect(s.epsilon).toBe(Math.max(...eps));
      }),
    );
  });
});

describe('parseModelMetadata', () => {
  it('names the path of each invalid field, when the metadata is malformed', () => {
    const bad = { ...metadata({ numFeatures: 3, hiddenUnits: [], activation: 'relu' }), privacy: { mode: 'dp-sgd' }, round: -1 };
    try {
      parseModelMetadata(JSON.stringify(bad), 'm.json');
      expect.unreachable();
    } catch (err) {
      expect(hasCode(err, 'config-invalid')).toBe(true);
      expect((err as Error).message).toMatch(/m\.json: .*round/);
      expect((err as Error).message).toContain('privacy.epsilon');
    }
  });

  it('refuses text that is not JSON, naming the source', () => {
    expect(() => parseModelMetadata('{', 'x.json')).toThrow(/x\.json: not valid JSON/);
  });
});

describe('writeModelPackage', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('writes three files that load back as a LayersModel predicting mlpLogits, when given an MLP checkpoint', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fedfin-pkg-'));
    dirs.push(dir);
    const spec: MlpSpec = { numFeatures: 6, hiddenUnits: [5, 3], activation: 'tanh' };
    const weights = initMlpWeights(spec, seededRandom('pkg'));
    await writeModelPackage(dir, metadata(spec), weights);
    expect(readdirSync(dir).sort()).toEqual(['fedfin-model.json', 'model.json', 'weights.bin']);
    expect(readModelMetadata(dir).model.hiddenUnits).toEqual([5, 3]);
    const model = await loadLayersModelDir(dir);
    const x = Float32Array.from({ length: 7 * 6 }, (_, i) => Math.cos(i * 0.7));
    const got = predictLogits(model, x, 6, 3);
    model.dispose();
    Array.from(mlpLogits(spec, weights, x)).forEach((v, i) => expect(got[i]).toBeCloseTo(v, 5));
  });

  it('refuses weights that do not fit the spec, naming expected and received shapes', () => {
    const w = initMlpWeights({ numFeatures: 4, hiddenUnits: [], activation: 'relu' }, seededRandom(1));
    expect(() => buildLayersModel({ numFeatures: 5, hiddenUnits: [], activation: 'relu' }, w)).toThrow(/buildLayersModel: "weights" expected dense_0\/kernel\[5x1\].*got dense_0\/kernel\[4x1\]/);
  });

  it('names the missing file, when a model directory has no weights', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fedfin-pkg-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'model.json'), JSON.stringify({ modelTopology: {}, weightsManifest: [{ paths: ['./weights.bin'], weights: [] }] }));
    await expect(loadLayersModelDir(dir)).rejects.toThrow(/weights\.bin: missing from the model directory/);
    expect(() => readModelMetadata(dir)).toThrow(/fedfin-model\.json: no fedfin-model\.json here/);
  });
});
