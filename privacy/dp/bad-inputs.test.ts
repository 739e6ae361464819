/** The shared wrong-type table run against every numeric parameter of every exported function in privacy/dp. */
import { describe, it, expect } from 'vitest';
import { badInputs } from '../testing/bad-inputs.js';
import { seededRandom } from '../../common/seeded-random.js';
import type { Weights } from '../../common/weights.js';
import * as dp from './index.js';

const rng = seededRandom('bad-inputs');
const two: Weights = [
  { name: 'a', shape: [1], values: Float32Array.from([1]) },
  { name: 'b', shape: [1], values: Float32Array.from([1]) },
];
const state = dp.initAdaptiveClip({ expectedClients: 4 });

// Each entry calls one exported function with `x` in one numeric parameter and valid values elsewhere.
const cases: Record<string, (x: unknown) => unknown> = {
  'clipL2(clippingNorm)': (x) => dp.clipL2(new Float32Array(2), x as number),
  'clipL2InPlace(clippingNorm)': (x) => dp.clipL2InPlace(new Float32Array(2), x as number),
  'clipWeights(clippingNorm)': (x) => dp.clipWeights(two, x as number),
  'fillGaussian(std)': (x) => dp.fillGaussian(rng, new Float64Array(2), x as number),
  'fillGaussian(mean)': (x) => dp.fillGaussian(rng, new Float64Array(2), 1, x as number),
  'addGaussianNoise(std)': (x) => dp.addGaussianNoise(rng, new Float64Array(2), x as number),
  'sampleGaussian(std)': (x) => dp.sampleGaussian(rng, x as number),
  'fillDiscreteGaussian(sigma)': (x) => dp.fillDiscreteGaussian(rng, new Int32Array(2), x as number),
  'sampleDiscreteGaussian(sigma)': (x) => dp.sampleDiscreteGaussian(rng, x as number, 2),
  'sampleDiscreteGaussian(count)': (x) => dp.sampleDiscreteGaussian(rng, 1, x as number),
  'discreteGaussianVariance(sigma)': (x) => dp.discreteGaussianVariance(x as number),
  'discreteGaussianPmf(sigma)': (x) => dp.discreteGaussianPmf(x as number, 0),
  'discreteGaussianPmf(k)': (x) => dp.discreteGaussianPmf(1, x as number),
  'fillPoisson(lambda)': (x) => dp.fillPoisson(rng, new Int32Array(2), x as number),
  'samplePoisson(lambda)': (x) => dp.samplePoisson(rng, x as number, 2),
  'samplePoisson(count)': (x) => dp.samplePoisson(rng, 1, x as number),
  'fillSkellam(lambda)': (x) => dp.fillSkellam(rng, new Int32Array(2), x as number),
  'sampleSkellam(lambda)': (x) => dp.sampleSkellam(rng, x as number, 2),
  'sampleSkellam(count)': (x) => dp.sampleSkellam(rng, 1, x as number),
  'skellamLambdaForStd(std)': (x) => dp.skellamLambdaForStd(x as number),
  'skellamPmf(lambda)': (x) => dp.skellamPmf(x as number, 0),
  'skellamPmf(k)': (x) => dp.skellamPmf(1, x as number),
  'initAdaptiveClip(expectedClients)': (x) => dp.initAdaptiveClip({ expectedClients: x as number }),
  'initAdaptiveClip(initialClippingNorm)': (x) => dp.initAdaptiveClip({ expectedClients: 4, initialClippingNorm: x as number }),
  'initAdaptiveClip(targetQuantile)': (x) => dp.initAdaptiveClip({ expectedClients: 4, targetQuantile: x as number }),
  'initAdaptiveClip(learningRate)': (x) => dp.initAdaptiveClip({ expectedClients: 4, learningRate: x as number }),
  'initAdaptiveClip(countNoiseStd)': (x) => dp.initAdaptiveClip({ expectedClients: 4, countNoiseStd: x as number }),
  'noisyUnclippedFraction(norms[0])': (x) => dp.noisyUnclippedFraction(state, [x as number], rng),
  'updateClippingNorm(unclippedFraction)': (x) => dp.updateClippingNorm(state, x as number),
  'splitNoiseMultiplier(noiseMultiplier)': (x) => dp.splitNoiseMultiplier(x as number, 5),
  'splitNoiseMultiplier(countNoiseStd)': (x) => dp.splitNoiseMultiplier(1, x as number),
  'logFactorial(k)': (x) => dp.logFactorial(x as number),
  'adaptiveClipRound(norms[0])': (x) => dp.adaptiveClipRound(state, [x as number], rng),
  'gaussianMechanism(clippingNorm)': (x) => dp.gaussianMechanism({ clippingNorm: x as number, noiseMultiplier: 1 }),
  'gaussianMechanism(noiseMultiplier)': (x) => dp.gaussianMechanism({ clippingNorm: 1, noiseMultiplier: x as number }),
  'gaussianMechanism(sampleRate)': (x) => dp.gaussianMechanism({ clippingNorm: 1, noiseMultiplier: 1, sampleRate: x as number }),
};

// `undefined` is a legal value for optional settings (it means "use the default").
const optional = new Set(['fillGaussian(mean)', 'initAdaptiveClip(initialClippingNorm)', 'initAdaptiveClip(targetQuantile)', 'initAdaptiveClip(learningRate)', 'initAdaptiveClip(countNoiseStd)', 'gaussianMechanism(sampleRate)']);

describe('privacy/dp argument guards', () => {
  for (const [name, call] of Object.entries(cases)) {
    for (const { label, value, error } of badInputs()) {
      if (value === undefined && optional.has(name)) continue;
      // A per-layer list is a legal clipping norm; [1] for two tensors is a RangeError (wrong length).
      const expected = Array.isArray(value) && name.startsWith('clipWeights') ? RangeError : Array.isArray(value) && name.startsWith('gaussianMechanism(clippingNorm') ? null : error;
      if (expected === null) continue;
      it(`${name} throws ${expected.name}, when given ${label}`, () => {
        expect(() => call(value)).toThrow(expected);
      });
    }
  }

  it('rejects a value that is not a RandomSource, when readerFor is given one', () => {
    for (const { label, value } of badInputs()) expect(() => dp.readerFor(value as never), label).toThrow(/^readerFor: "rng" expected RandomSource, got /);
  });

  it('rejects a negative or fractional k, when logFactorial is given one', () => {
    expect(() => dp.logFactorial(-1)).toThrow(RangeError);
    expect(() => dp.logFactorial(2.5)).toThrow(RangeError);
  });

  it('covers every exported function, when the table is compared with the index', () => {
    const covered = new Set([...Object.keys(cases).map((k) => k.split('(')[0]!), 'readerFor']);
    const exported = Object.entries(dp).filter(([, v]) => typeof v === 'function').map(([k]) => k);
    expect(exported.filter((k) => !covered.has(k))).toEqual([]);
  });
});
