/** RdpAccountant: composition, caching, state round-trip and validation; calibration; the exact Gaussian PLD; the registry. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ConfigError, hasCode } from '../../common/errors.js';
import { MAX_NOISE_MULTIPLIER, UnreachableEpsilonError, noiseMultiplierFor } from './calibrate.js';
import { DEFAULT_RDP_ORDERS } from './orders.js';
import { gaussianPldDelta, gaussianPldEpsilon } from './pld/gaussian-pld.js';
import { computeRdp, rdpToEpsilon } from './rdp-analysis.js';
import { RdpAccountant } from './rdp-accountant.js';
import { createAccountant } from './registry.js';

describe('RdpAccountant', () => {
  it('gives 5.632010670081592 at order 4.7, when 10,000 steps of q = 0.01, σ = 1.1 are recorded one by one', () => {
    const acc = new RdpAccountant();
    for (let i = 0; i < 10_000; i++) acc.step({ noiseMultiplier: 1.1, sampleRate: 0.01 });
    const { epsilon, order } = acc.epsilon(1e-5);
    expect(epsilon).toBeCloseTo(5.632010670081592, 9);
    expect(order).toBe(4.7);
    expect(acc.steps).toBe(10_000);
    expect(acc.toState()).toEqual({ mechanism: 'rdp', history: [[1.1, 0.01, 10_000]] });
    expect(acc.delta(epsilon)).toBeCloseTo(1e-5, 12);
  });

  it('adds RDP per order, when steps are heterogeneous', () => {
    const acc = new RdpAccountant();
    acc.step({ noiseMultiplier: 1.1, sampleRate: 0.01 }, 300);
    acc.step({ noiseMultiplier: 2, sampleRate: 0.05 }, 200);
    acc.step({ noiseMultiplier: 1.1, sampleRate: 0.01 }, 100);
    const a = computeRdp(0.01, 1.1, 400, DEFAULT_RDP_ORDERS);
    const b = computeRdp(0.05, 2, 200, DEFAULT_RDP_ORDERS);
    const want = rdpToEpsilon(DEFAULT_RDP_ORDERS, a.map((x, k) => x + b[k]!), 1e-5);
    expect(acc.epsilon(1e-5).epsilon).toBeCloseTo(want.epsilon, 12);
    expect(acc.toState().history).toEqual([[1.1, 0.01, 300], [2, 0.05, 200], [1.1, 0.01, 100]]);
  });

  it('round-trips exactly through JSON, for any history and custom orders', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.double({ min: 0.1, max: 50, noNaN: true }), fc.double({ min: 1e-6, max: 1, noNaN: true }), fc.integer({ min: 1, max: 1e6 })), { maxLength: 6 }),
        fc.boolean(),
        (history, custom) => {
          const acc = new RdpAccountant(custom ? [1.5, 2, 8, 64] : undefined);
          for (const [noiseMultiplier, sampleRate, count] of history) acc.step({ noiseMultiplier, sampleRate }, count);
          const state = acc.toState();
          const back = RdpAccountant.fromState(JSON.parse(JSON.stringify(state)));
          expect(back.toState()).toEqual(state);
          expect(back.steps).toBe(acc.steps);
          if (history.length > 0 && !custom) expect(back.epsilon(1e-5)).toEqual(acc.epsilon(1e-5));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('rejects the state with a ConfigError, when it holds NaN, negative values, q > 1 or an unknown mechanism', () => {
    const bad: unknown[] = [
      { mechanism: 'rdp', history: [[NaN, 0.01, 1]] },
      { mechanism: 'rdp', history: [[-1, 0.01, 1]] },
      { mechanism: 'rdp', history: [[1, 1.5, 1]] },
      { mechanism: 'rdp', history: [[1, 0.01, 0]] },
      { mechanism: 'rdp', history: [[1, 0.01, 1.5]] },
      { mechanism: 'rdp', orders: [0.5], history: [] },
      { mechanism: 'pld', history: [] },
      null,
    ];
    for (const s of bad) {
      expect(() => RdpAccountant.fromState(s)).toThrow(ConfigError);
      expect(() => createAccountant(s)).toThrow(ConfigError);
    }
  });

  it('computes the RDP of a (σ, q) pair once, when the same step is recorded many times', () => {
    const acc = new RdpAccountant();
    acc.step({ noiseMultiplier: 1.1, sampleRate: 0.01 }, 10_000);
    acc.epsilon(1e-5);
    const cache = (acc as unknown as { cache: Map<string, Float64Array> }).cache;
    expect(cache.size).toBe(1);
    acc.step({ noiseMultiplier: 1.1, sampleRate: 0.01 }, 5);
    acc.epsilon(1e-5);
    expect(cache.size).toBe(1);
  });

  it('builds an rdp accountant by name, when the registry is asked for "rdp"', () => {
    expect(createAccountant('rdp').mechanism).toBe('rdp');
    expect(() => createAccountant('prv')).toThrow(ConfigError);
    const acc = createAccountant({ mechanism: 'rdp', history: [[1.1, 0.01, 10000]] });
    expect(acc.epsilon(1e-5).epsilon).toBeCloseTo(5.632010670081592, 9);
  });
});

describe('noiseMultiplierFor', () => {
  it('lands within 1e-4 relative below the target, when ε = 8, δ = 1e-5, q = 0.04, 2000 steps (Opacus: 1.3562 with its orders)', () => {
    const sigma = noiseMultiplierFor({ targetEpsilon: 8, delta: 1e-5, sampleRate: 0.04, steps: 2000 });
    const e = rdpToEpsilon(DEFAULT_RDP_ORDERS, computeRdp(0.04, sigma, 2000, DEFAULT_RDP_ORDERS), 1e-5).epsilon;
    expect(e).toBeLessThanOrEqual(8);
    expect(e).toBeGreaterThanOrEqual(8 * (1 - 1e-4));
    expect(sigma).toBeCloseTo(1.3562, 2); // documented comparison: Opacus alphas + epsilon_tolerance 0.01
  });

  it('never overshoots, for any target, δ, q and step count', () => {
    const orders = DEFAULT_RDP_ORDERS.filter((_, i) => i % 6 === 0);
    fc.assert(
      fc.property(
        fc.double({ min: 0.05, max: 50, noNaN: true }),
        fc.double({ min: 1e-9, max: 0.1, noNaN: true }),
        fc.double({ min: 1e-4, max: 1, noNaN: true }),
        fc.integer({ min: 1, max: 20_000 }),
        (targetEpsilon, delta, sampleRate, steps) => {
          let sigma: number;
          try {
            sigma = noiseMultiplierFor({ targetEpsilon, delta, sampleRate, steps, orders });
          } catch (err) {
            // A real floor: with few orders and tiny δ, ε cannot go below log(1−1/α) − log(δα)/(α−1).
            expect(err).toBeInstanceOf(UnreachableEpsilonError);
            expect((err as UnreachableEpsilonError).bestEpsilon).toBeGreaterThan(targetEpsilon);
            return;
          }
          const e = rdpToEpsilon(orders, computeRdp(sampleRate, sigma, steps, orders), delta).epsilon;
          expect(e).toBeLessThanOrEqual(targetEpsilon);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('throws UnreachableEpsilonError (code config-invalid), when even σ = 2^20 is not enough', () => {
    const call = () => noiseMultiplierFor({ targetEpsilon: 1e-12, delta: 1e-10, sampleRate: 1, steps: 1e9, orders: [2, 64] });
    expect(call).toThrow(UnreachableEpsilonError);
    try {
      call();
    } catch (err) {
      expect(hasCode(err, 'config-invalid')).toBe(true);
      expect((err as Error).message).toContain(String(MAX_NOISE_MULTIPLIER));
    }
  });
});

describe('gaussianPldDelta and gaussianPldEpsilon', () => {
  it('gives the Balle–Wang KAT 0.12693673750664392, when μ = 1 and ε = 1', () => {
    expect(gaussianPldDelta(1, { noiseMultiplier: 1 })).toBeCloseTo(0.12693673750664392, 14);
  });

  it('gives δ(ε=1) = 0.126936 and ε(δ=0.126936) = 1, when σ = √3 is composed 3 times (dp_accounting PLD test)', () => {
    const mech = { noiseMultiplier: Math.sqrt(3), count: 3 };
    expect(gaussianPldDelta(1, mech)).toBeCloseTo(0.12693673750664392, 12);
    expect(Math.abs(gaussianPldDelta(1, mech) - 0.126936)).toBeLessThan(1e-6); // upstream prints 6 digits
    expect(gaussianPldEpsilon(0.126936, mech)).toBeCloseTo(1, 4);
  });

  it('inverts δ(ε) and never reports less ε than exact, for any σ, count and δ', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.2, max: 20, noNaN: true }), fc.integer({ min: 1, max: 1000 }), fc.double({ min: 1e-10, max: 0.5, noNaN: true }), (noiseMultiplier, count, delta) => {
        const mech = { noiseMultiplier, count };
        const e = gaussianPldEpsilon(delta, mech);
        expect(gaussianPldDelta(e, mech)).toBeLessThanOrEqual(delta);
        if (e > 0) expect(gaussianPldDelta(e * (1 - 1e-9), mech)).toBeGreaterThanOrEqual(delta * (1 - 1e-6));
      }),
      { numRuns: 50 },
    );
  });

  it('is tighter than RDP, when the same Gaussian steps are accounted both ways', () => {
    const acc = new RdpAccountant();
    acc.step({ noiseMultiplier: 4, sampleRate: 1 }, 100);
    expect(gaussianPldEpsilon(1e-5, { noiseMultiplier: 4, count: 100 })).toBeLessThan(acc.epsilon(1e-5).epsilon);
    expect(gaussianPldEpsilon(0.5, { noiseMultiplier: 0 })).toBe(Infinity);
  });
});
