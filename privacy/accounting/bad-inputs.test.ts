/** Every exported accounting function rejects the shared bad-input table plus its own out-of-range values, with the house wording. */
import { describe, expect, it } from 'vitest';
import { badInputs } from '../testing/bad-inputs.js';
import { noiseMultiplierFor } from './calibrate.js';
import { gaussianPldDelta, gaussianPldEpsilon } from './pld/gaussian-pld.js';
import { computeRdp, computeRdpStep, rdpToDelta, rdpToEpsilon } from './rdp-analysis.js';
import { RdpAccountant } from './rdp-accountant.js';
import { ConfigError } from '../../common/errors.js';
import * as calibrate from './calibrate.js';
import * as orders from './orders.js';
import * as pld from './pld/gaussian-pld.js';
import * as analysis from './rdp-analysis.js';
import * as registry from './registry.js';
import { assertOrders } from './orders.js';
import { createAccountant } from './registry.js';

type Case = readonly [name: string, call: (v: unknown) => unknown, extra: readonly unknown[]];
const n = (v: unknown): number => v as number;
const base = { targetEpsilon: 1, delta: 1e-5, sampleRate: 0.01, steps: 100 };
const acc = (): RdpAccountant => new RdpAccountant([2, 4]);

const CASES: Case[] = [
  ['computeRdpStep sampleRate', (v) => computeRdpStep(n(v), 1, [2]), [-0.1, 1.5]],
  ['computeRdpStep noiseMultiplier', (v) => computeRdpStep(0.1, n(v), [2]), [-1]],
  ['computeRdpStep orders[0]', (v) => computeRdpStep(0.1, 1, [n(v)]), [0.5, -2]],
  ['computeRdp steps', (v) => computeRdp(0.1, 1, n(v), [2]), [-1, 1.5]],
  ['rdpToEpsilon delta', (v) => rdpToEpsilon([2], [1], n(v)), [-1e-5, 1, 2]],
  ['rdpToEpsilon rdp[0]', (v) => rdpToEpsilon([2], [n(v)], 1e-5), []],
  ['rdpToDelta epsilon', (v) => rdpToDelta([2], [1], n(v)), [-1]],
  ['RdpAccountant.step noiseMultiplier', (v) => acc().step({ noiseMultiplier: n(v), sampleRate: 0.1 }), [-1]],
  ['RdpAccountant.step sampleRate', (v) => acc().step({ noiseMultiplier: 1, sampleRate: n(v) }), [0, -0.5, 1.01]],
  ['RdpAccountant.step count', (v) => acc().step({ noiseMultiplier: 1, sampleRate: 0.1 }, n(v)), [0, -1, 2.5]],
  ['RdpAccountant.epsilon delta', (v) => acc().epsilon(n(v)), [-1e-5, 1]],
  ['RdpAccountant.delta epsilon', (v) => acc().delta(n(v)), [-1]],
  ['RdpAccountant orders[0]', (v) => new RdpAccountant([n(v)]), [0.99]],
  ['noiseMultiplierFor targetEpsilon', (v) => noiseMultiplierFor({ ...base, targetEpsilon: n(v) }), [0, -1]],
  ['noiseMultiplierFor delta', (v) => noiseMultiplierFor({ ...base, delta: n(v) }), [0, 1, -1e-5]],
  ['noiseMultiplierFor sampleRate', (v) => noiseMultiplierFor({ ...base, sampleRate: n(v) }), [0, 1.5]],
  ['noiseMultiplierFor steps', (v) => noiseMultiplierFor({ ...base, steps: n(v) }), [0, 10.5]],
  ['gaussianPldDelta epsilon', (v) => gaussianPldDelta(n(v), { noiseMultiplier: 1 }), [-1]],
  ['gaussianPldDelta noiseMultiplier', (v) => gaussianPldDelta(1, { noiseMultiplier: n(v) }), [-1]],
  ['gaussianPldEpsilon delta', (v) => gaussianPldEpsilon(n(v), { noiseMultiplier: 1 }), [0, 1]],
  ['gaussianPldEpsilon count', (v) => gaussianPldEpsilon(1e-5, { noiseMultiplier: 1, count: n(v) }), [0, 1.5]],
];

describe('accounting argument guards', () => {
  for (const [name, call, extra] of CASES) {
    it(`${name} throws TypeError/RangeError in the house wording, when given a bad value`, () => {
      const fnName = name.split(' ')[0]!;
      for (const bad of badInputs()) {
        // rdp values may legitimately be ±Infinity; only NaN and non-numbers are bad there.
        if (name === 'rdpToEpsilon rdp[0]' && (bad.value === Infinity || bad.value === -Infinity)) continue;
        if (name === 'computeRdpStep orders[0]' && bad.value === Infinity) continue;
        if (name.endsWith(' count') && bad.value === undefined) continue; // undefined selects the default count
        expect(() => call(bad.value), bad.label).toThrow(bad.error);
        expect(() => call(bad.value), bad.label).toThrow(new RegExp(`^${fnName.replace('.', '\\.')}: "[^"]+" expected .+, got `));
      }
      for (const value of extra) expect(() => call(value), String(value)).toThrow(RangeError);
    });
  }

  it('rejects a non-object step or target, when given null', () => {
    expect(() => acc().step(null as never)).toThrow(TypeError);
    expect(() => noiseMultiplierFor(null as never)).toThrow(TypeError);
    expect(() => rdpToEpsilon([2, 3], [1], 1e-5)).toThrow(RangeError);
    expect(() => computeRdpStep(0.1, 1, [])).toThrow(RangeError);
  });

  it('createAccountant rejects every wrong value with a ConfigError, when given neither a mechanism name nor a state', () => {
    for (const bad of [...badInputs().map((b) => b.value), 'pld', { mechanism: 'pld' }, { mechanism: 'rdp', history: 'x' }]) {
      expect(() => createAccountant(bad), String(bad)).toThrow(ConfigError);
    }
  });

  it('assertOrders rejects each bad order list in the house wording, when called directly', () => {
    for (const bad of badInputs()) {
      if (bad.value === Infinity) continue; // an infinite order is legal in pure analysis
      expect(() => assertOrders('f', [bad.value]), bad.label).toThrow(/^f: "orders\[0\]" expected .+, got /);
    }
    expect(() => assertOrders('f', [Infinity], false)).toThrow(RangeError);
  });

  // rdp-log-a.ts is the unguarded numeric kernel behind computeRdpStep (documented so); everything else is listed.
  it('covers every exported accounting function, when the tables are compared with the modules', () => {
    const covered = new Set([...CASES.map(([name]) => name.split(/[ .]/)[0]!), 'createAccountant', 'assertOrders', 'UnreachableEpsilonError']);
    const exported = [calibrate, orders, pld, analysis, registry].flatMap((m) => Object.entries(m).filter(([, v]) => typeof v === 'function').map(([k]) => k));
    expect(exported.filter((k) => !covered.has(k))).toEqual([]);
  });
});
