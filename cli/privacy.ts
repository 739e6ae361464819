/** `fedfin privacy …`: ε of a DP-SGD/DP-FedAvg run from its parameters, and the noise multiplier for a target ε. */
import { InvalidArgumentError, type Command } from 'commander';
import { noiseMultiplierFor } from '../privacy/accounting/calibrate.js';
import { DEFAULT_RDP_ORDERS } from '../privacy/accounting/orders.js';
import { RdpAccountant } from '../privacy/accounting/rdp-accountant.js';
import { printJson, type CliIo } from './io.js';

/** A flag parser for a number in a range; commander turns the thrown InvalidArgumentError into a usage error (exit 2). */
function numberIn(what: string, ok: (x: number) => boolean): (raw: string) => number {
  return (raw) => {
    const x = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(x) || !ok(x)) throw new InvalidArgumentError(`expected ${what}, got "${raw}"`);
    return x;
  };
}

const sampleRate = numberIn('a sample rate in (0, 1]', (x) => x > 0 && x <= 1);
const delta = numberIn('a delta in (0, 1)', (x) => x > 0 && x < 1);
const positive = numberIn('a positive number', (x) => x > 0);
const nonNegative = numberIn('a non-negative number', (x) => x >= 0);
const steps = numberIn('a positive integer', (x) => Number.isSafeInteger(x) && x >= 1);

/** Registers the `privacy` group: `epsilon` and `noise`. */
export function registerPrivacyCommands(program: Command, io: CliIo): void {
  const group = program.command('privacy').description('DP accounting: epsilon of a run, noise for a target');

  group
    .command('epsilon')
    .description('epsilon of T Poisson-subsampled Gaussian steps (RDP)')
    .requiredOption('--sample-rate <q>', 'Poisson sampling probability per step, in (0, 1]', sampleRate)
    .requiredOption('--noise-multiplier <z>', 'noise std / clipping norm, >= 0', nonNegative)
    .requiredOption('--steps <T>', 'number of steps (positive integer)', steps)
    .requiredOption('--delta <d>', 'target delta, in (0, 1)', delta)
    .option('--json', 'print JSON')
    .action((opts: { sampleRate: number; noiseMultiplier: number; steps: number; delta: number; json?: boolean }) => {
      const acc = new RdpAccountant();
      acc.step({ noiseMultiplier: opts.noiseMultiplier, sampleRate: opts.sampleRate }, opts.steps);
      const { epsilon, order } = acc.epsilon(opts.delta);
      const edge = order === DEFAULT_RDP_ORDERS[0] || order === DEFAULT_RDP_ORDERS[DEFAULT_RDP_ORDERS.length - 1];
      if (opts.json) {
        printJson(io, {
          epsilon,
          order,
          delta: opts.delta,
          accountant: 'rdp',
          steps: opts.steps,
          sampleRate: opts.sampleRate,
          noiseMultiplier: opts.noiseMultiplier,
        });
        return;
      }
      const sampling = opts.sampleRate === 1 ? 'no sampling (q = 1)' : `Poisson sampling q = ${opts.sampleRate}`;
      io.out(`epsilon = ${epsilon.toFixed(6)} at delta = ${opts.delta} (RDP, optimal order ${order}, ${opts.steps} steps, ${sampling})`);
      if (edge) io.out('note: the optimal order is at the edge of the order list; the true RDP bound may be lower');
    });

  group
    .command('noise')
    .description('noise multiplier for a target epsilon (never overshoots)')
    .requiredOption('--epsilon <e>', 'target epsilon, > 0', positive)
    .requiredOption('--delta <d>', 'target delta, in (0, 1)', delta)
    .requiredOption('--sample-rate <q>', 'Poisson sampling probability per step, in (0, 1]', sampleRate)
    .requiredOption('--steps <T>', 'number of steps (positive integer)', steps)
    .option('--json', 'print JSON')
    .action((opts: { epsilon: number; delta: number; sampleRate: number; steps: number; json?: boolean }) => {
      const noiseMultiplier = noiseMultiplierFor({ targetEpsilon: opts.epsilon, delta: opts.delta, sampleRate: opts.sampleRate, steps: opts.steps });
      const acc = new RdpAccountant();
      acc.step({ noiseMultiplier, sampleRate: opts.sampleRate }, opts.steps);
      const achieved = acc.epsilon(opts.delta);
      if (opts.json) {
        printJson(io, { noiseMultiplier, epsilon: achieved.epsilon, order: achieved.order, targetEpsilon: opts.epsilon, delta: opts.delta, accountant: 'rdp' });
        return;
      }
      io.out(
        `noise multiplier = ${noiseMultiplier.toPrecision(6)} (epsilon = ${achieved.epsilon.toFixed(6)} <= ${opts.epsilon} at delta = ${opts.delta}, RDP optimal order ${achieved.order}, ${opts.steps} steps, q = ${opts.sampleRate})`,
      );
    });
}
