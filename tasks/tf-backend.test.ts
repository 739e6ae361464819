/** Tests of the run-time tfjs backend choice. */
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hasCode } from '../common/errors.js';
import { createLogger } from '../common/log.js';
import { activeTfBackend, initTfBackend, resetTfBackendChoiceForTests, TF_BACKEND_ENV, useTfBackend } from './tf-backend.js';

const NODE_PKG = '@tensorflow/tfjs-node';
const nodeInstalled = await import(NODE_PKG).then(
  () => true,
  () => false,
);

describe('initTfBackend', () => {
  beforeEach(() => {
    delete process.env[TF_BACKEND_ENV];
    resetTfBackendChoiceForTests();
  });
  afterEach(() => {
    delete process.env[TF_BACKEND_ENV];
    resetTfBackendChoiceForTests();
  });

  it.skipIf(nodeInstalled)('picks wasm and logs it, when tfjs-node is not installed', async () => {
    const lines: string[] = [];
    const name = await initTfBackend(createLogger({ write: (l) => lines.push(l) }));
    expect(name).toBe('wasm');
    expect(activeTfBackend()).toBe('wasm');
    expect(lines.some((l) => l.includes('tfjs backend') && l.includes('backend=wasm'))).toBe(true);
  });

  it.skipIf(nodeInstalled)('returns the memoised choice without switching back, when called again after a manual switch', async () => {
    expect(await initTfBackend()).toBe('wasm');
    expect(await useTfBackend('cpu')).toBe(true);
    expect(await initTfBackend()).toBe('wasm');
    expect(tf.getBackend()).toBe('cpu');
  });

  it('honours FEDFIN_TF_BACKEND, when it forces cpu', async () => {
    process.env[TF_BACKEND_ENV] = 'cpu';
    expect(await initTfBackend()).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
  });

  it('throws config-invalid, when FEDFIN_TF_BACKEND names an unknown backend', async () => {
    process.env[TF_BACKEND_ENV] = 'gpu';
    await expect(initTfBackend()).rejects.toSatisfy((e) => hasCode(e, 'config-invalid'));
  });

  it.skipIf(nodeInstalled)('throws config-invalid and allows a later choice, when the forced node backend cannot load', async () => {
    await expect(initTfBackend(undefined, { force: 'node' })).rejects.toSatisfy((e) => hasCode(e, 'config-invalid'));
    expect(await initTfBackend(undefined, { force: 'cpu' })).toBe('cpu');
  });
});

describe('useTfBackend', () => {
  it('runs a matmul with the same result on wasm and cpu, when switching between them', async () => {
    const results: Float32Array[] = [];
    for (const name of ['wasm', 'cpu'] as const) {
      expect(await useTfBackend(name)).toBe(true);
      const out = tf.tidy(() => tf.matMul(tf.tensor2d([[1, 2], [3, 4]]), tf.tensor2d([[5], [6]])));
      results.push(out.dataSync() as Float32Array);
      out.dispose();
    }
    expect(Array.from(results[0]!)).toEqual([17, 39]);
    expect(Array.from(results[1]!)).toEqual([17, 39]);
  });

  it.skipIf(nodeInstalled)('returns false, when tfjs-node is not installed', async () => {
    expect(await useTfBackend('node')).toBe(false);
  });
});
