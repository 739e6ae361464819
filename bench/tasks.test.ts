/** Tests of `npm run bench -- tasks`' predict fixture and the streaming predict it measures: same scores as the bare model, phases filled. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyPredictPhases, predictFile } from '../cli/predict.js';
import { loadLayersModelDir, predictLogits } from '../tasks/model-artifacts.js';
import { initTfBackend } from '../tasks/tf-backend.js';
import { predictFixture, type PredictFixture } from './tasks-fixture.js';

describe('tasks bench: predictFile against the bare model', () => {
  let fx: PredictFixture;
  beforeAll(async () => {
    await initTfBackend();
    fx = await predictFixture(400, [8]);
  }, 30_000);
  afterAll(() => fx?.cleanup());

  it('writes sigmoid(bare logits) for every row in file order and fills every phase timer, when all rows are valid', async () => {
    const phases = emptyPredictPhases();
    const out = join(fx.dir, 'scores.csv');
    const s = await predictFile({ modelDir: fx.modelDir, data: fx.csv, mapping: fx.mapping, out }, phases);
    expect(s.scored).toBe(fx.rows);
    const model = await loadLayersModelDir(fx.modelDir);
    const logits = predictLogits(model, fx.encoded, fx.spec.numFeatures);
    model.dispose();
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('row,score');
    expect(lines.length - 1).toBe(fx.rows);
    lines.slice(1).forEach((l, i) => expect(Number(l.split(',')[1])).toBeCloseTo(1 / (1 + Math.exp(-logits[i]!)), 6));
    for (const k of ['read', 'desensitize', 'encode', 'infer', 'write'] as const) expect(phases[k]).toBeGreaterThan(0);
  });

  it('skips and counts a row the reader cannot split, naming its row, when the file has one', async () => {
    const bad = join(fx.dir, 'bad.csv');
    writeFileSync(bad, `${readFileSync(fx.csv, 'utf8')}x\n`);
    const s = await predictFile({ modelDir: fx.modelDir, data: bad, mapping: fx.mapping, out: join(fx.dir, 'bad-scores.csv') });
    expect(s).toMatchObject({ scored: fx.rows, rejected: 1, rowsRead: fx.rows + 1 });
    expect(s.firstRejects).toEqual([{ row: fx.rows + 1, field: '(row)' }]);
  });

  it('gives the same logits whatever the tfjs call size, when rows do not divide evenly into calls', async () => {
    const model = await loadLayersModelDir(fx.modelDir);
    const d = fx.spec.numFeatures;
    const x = fx.encoded.subarray(0, 101 * d);
    const whole = predictLogits(model, x, d, 4096);
    const sliced = predictLogits(model, x, d, 7);
    model.dispose();
    Array.from(whole).forEach((v, i) => expect(sliced[i]).toBeCloseTo(v, 5));
  });

  it('throws a RangeError naming batchSize, when the call size is not a positive integer', async () => {
    const model = await loadLayersModelDir(fx.modelDir);
    try {
      expect(() => predictLogits(model, fx.encoded, fx.spec.numFeatures, 0)).toThrow(/predictLogits: "batchSize"/);
    } finally {
      model.dispose();
    }
  });
});
