/** RdpAccountant: composes heterogeneous Poisson-subsampled Gaussian steps by adding RDP per order; zod-validated state. */
import { z } from 'zod';
import { assertInRange, assertInt, assertNonNegative, describeValue } from '../../common/assert.js';
import { ConfigError } from '../../common/errors.js';
import type { Accountant, AccountantState, EpsilonSpent, HistoryEntry, MechanismStep } from './accountant.js';
import { DEFAULT_RDP_ORDERS, assertOrders } from './orders.js';
import { computeRdpStep, rdpToDelta, rdpToEpsilon } from './rdp-analysis.js';

const finiteNonNegative = z.number().min(0);

/** The zod schema of a persisted RDP accountant (z.number() already rejects NaN and ±Infinity). */
export const RdpAccountantStateSchema = z.strictObject({
  mechanism: z.literal('rdp'),
  orders: z.array(z.number().min(1)).min(1).optional(),
  history: z.array(
    z.tuple([
      finiteNonNegative.describe('noise multiplier σ'),
      z.number().gt(0).max(1).describe('Poisson sample rate q'),
      z.number().int().positive().describe('number of consecutive steps'),
    ]),
  ),
});

/**
 * Rényi-DP accountant for DP-SGD / DP-FedAvg style runs (Mironov 2017; dp_accounting `RdpAccountant`).
 * The RDP of each distinct (σ, q) pair is computed once and cached, so recording 10,000 equal steps
 * costs one RDP evaluation; ε is then one pass over the orders.
 *
 * @example
 * const acc = new RdpAccountant();
 * acc.step({ noiseMultiplier: 1.1, sampleRate: 0.01 }, 10_000);
 * acc.epsilon(1e-5); // { epsilon: 5.632010670…, order: 4.7 }
 */
export class RdpAccountant implements Accountant {
  readonly mechanism = 'rdp' as const;
  readonly orders: readonly number[];
  private readonly customOrders: boolean;
  private readonly history: [number, number, number][] = [];
  private readonly cache = new Map<string, Float64Array>();
  private totalSteps = 0;

  /**
   * @param orders - RDP orders (finite, ≥ 1); default dp_accounting's DEFAULT_RDP_ORDERS.
   * @throws {TypeError | RangeError} when the orders are not a non-empty list of finite numbers ≥ 1.
   */
  constructor(orders?: readonly number[]) {
    if (orders !== undefined) assertOrders('RdpAccountant', orders, false);
    this.customOrders = orders !== undefined;
    this.orders = Object.freeze([...(orders ?? DEFAULT_RDP_ORDERS)]);
  }

  /**
   * Rebuilds an accountant from `toState()` output (or anything read from disk).
   * @throws {ConfigError} when the state does not match RdpAccountantStateSchema (NaN, negative values, q > 1 …).
   */
  static fromState(state: unknown): RdpAccountant {
    const parsed = RdpAccountantStateSchema.safeParse(state);
    if (!parsed.success) throw new ConfigError('accountant state', parsed.error.issues);
    const acc = new RdpAccountant(parsed.data.orders);
    for (const [noiseMultiplier, sampleRate, count] of parsed.data.history) acc.step({ noiseMultiplier, sampleRate }, count);
    return acc;
  }

  get steps(): number {
    return this.totalSteps;
  }

  step(step: MechanismStep, count = 1): void {
    if (typeof step !== 'object' || step === null) throw new TypeError(`RdpAccountant.step: "step" expected object, got ${describeValue(step)}`);
    assertNonNegative('RdpAccountant.step', 'noiseMultiplier', step.noiseMultiplier);
    assertInRange('RdpAccountant.step', 'sampleRate', step.sampleRate, 0, 1, { lo: true });
    assertInt('RdpAccountant.step', 'count', count, 1);
    const last = this.history[this.history.length - 1];
    if (last && last[0] === step.noiseMultiplier && last[1] === step.sampleRate) last[2] += count;
    else this.history.push([step.noiseMultiplier, step.sampleRate, count]);
    this.totalSteps += count;
  }

  /** The composed RDP curve over `orders` (a fresh copy). */
  rdp(): Float64Array {
    const total = new Float64Array(this.orders.length);
    for (const [sigma, q, count] of this.history) {
      const one = this.stepRdp(sigma, q);
      for (let k = 0; k < total.length; k++) total[k] = (total[k] as number) + count * (one[k] as number);
    }
    return total;
  }

  epsilon(delta: number): EpsilonSpent {
    assertInRange('RdpAccountant.epsilon', 'delta', delta, 0, 1, { hi: true });
    return rdpToEpsilon(this.orders, this.rdp(), delta);
  }

  delta(epsilon: number): number {
    assertNonNegative('RdpAccountant.delta', 'epsilon', epsilon);
    return rdpToDelta(this.orders, this.rdp(), epsilon).delta;
  }

  toState(): AccountantState {
    const history: HistoryEntry[] = this.history.map(([s, q, c]) => [s, q, c] as const);
    return this.customOrders ? { mechanism: 'rdp', orders: [...this.orders], history } : { mechanism: 'rdp', history };
  }

  private stepRdp(sigma: number, q: number): Float64Array {
    const key = `${sigma}:${q}`;
    let v = this.cache.get(key);
    if (!v) {
      v = computeRdpStep(q, sigma, this.orders);
      this.cache.set(key, v);
    }
    return v;
  }
}
