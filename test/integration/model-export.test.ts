/** Integration: after a DP job with fake banks, `fedfin admin models export` writes a loadable tfjs model with a privacy statement; predict, ledger show and audit tail. */
import * as tf from '@tensorflow/tfjs';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { featureHash, placeholderSpec } from '../../client/data/feature-schema.js';
import { pinPolicyLevels } from '../../client/data/local-data.js';
import type { Command } from 'commander';
import { registerAdminOpsCommands } from '../../cli/admin-ops.js';
import { handleError, type CliIo } from '../../cli/io.js';
import { createProgram } from '../../cli/main.js';
import { registerPredictCommand } from '../../cli/predict.js';
import { desensitizedSchema, resolvePolicy } from '../../privacy/desensitize/index.js';
import type { PrivacySpend } from '../../proto/generated/fedfin/v1/PrivacySpend.js';
import { resolveSchema } from '../../schema/registry.js';
import { readLayersModelArtifacts } from '../../tasks/model-artifacts.js';
import { readModelMetadata } from '../../tasks/model-package.js';
import { mlpLogits } from '../../tasks/models/mlp.js';
import { unaryCall } from '../helpers/fake-bank.js';
import { getJob, jobSpec, submitJob, waitFor, waitForJobEnd, type RunningCoordinator } from '../helpers/coordinator-harness.js';
import { useCoordinatorFixture } from '../helpers/coordinator-fixture.js';

const spend = (perRound: number) => (round: number): PrivacySpend => ({
  accountant: 'rdp', epsilon_round: perRound, epsilon_total: perRound * round, delta: 1e-5, noise_multiplier: 1.1, sample_rate: 0.01, steps: 100, unit: 'record',
});

/** The real feature hash, width and numeric fields of credit.v1 under the default policy, as a daemon reports them. */
function creditEncoding() {
  const schema = resolveSchema('credit.v1');
  const policy = pinPolicyLevels(resolvePolicy({ schema: 'credit.v1', domain: 'it' }, schema, 'policy'));
  const d = desensitizedSchema(schema, policy);
  const spec = placeholderSpec(d, false);
  const stats = Object.fromEntries(spec.inputs.filter((i) => i.kind === 'numeric').map((i, k) => [i.field, { mean: k, std: 1e4 * (1 + k) }]));
  return { hash: featureHash(d, false), numFeatures: spec.numFeatures, stats };
}

/**
 * `main` with this commands registered when cli/main.ts does not register them yet (its owner wires
 * them); once wired, the program's own commands are used.
 */
async function mainWithOps(argv: readonly string[], io: CliIo): Promise<number> {
  const program = createProgram(io);
  const admin = program.commands.find((c) => c.name() === 'admin')!;
  const fresh: Command[] = [];
  if (!admin.commands.some((c) => c.name() === 'ledger')) {
    registerAdminOpsCommands(admin, io);
    fresh.push(...admin.commands);
  }
  if (!program.commands.some((c) => c.name() === 'predict')) {
    registerPredictCommand(program, io);
    fresh.push(program.commands.at(-1)!);
  }
  const inherit = (cmd: Command): void => {
    cmd.exitOverride().configureOutput({ writeOut: (t) => io.out(t), writeErr: (t) => io.err(t) });
    cmd.commands.forEach(inherit);
  };
  fresh.forEach(inherit);
  try {
    await program.parseAsync([...argv]);
    return 0;
  } catch (err) {
    return handleError(io, err);
  }
}

function capture(): CliIo & { stdout: () => string; stderr: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  return { out: (t) => out.push(t), err: (t) => err.push(t), isTty: false, stdout: () => out.join('\n'), stderr: () => err.join('\n') };
}

const CSV_HEAD = 'application_id,age,marital_status,annual_income,employment_status,loan_amount,loan_term_months,housing,has_telephone,default';
const csvRows = (n: number): string =>
  [CSV_HEAD, ...Array.from({ length: n }, (_, i) => `A${i},${20 + (i % 50)},${['single', 'married'][i % 2]},${20000 + 500 * i},employed,${1000 + 97 * i},${12 + (i % 4) * 12},${['rent', 'own'][i % 2]},${i % 3 === 0},${i % 2}`)].join('\n');

describe('model export, predict, ledger and audit tail (fedfin admin)', () => {
  const fx = useCoordinatorFixture({ prefix: 'fedfin-export-', scope: 'all' });
  let coord: RunningCoordinator;
  let jobId = '';
  const enc = creditEncoding();
  const run = async (...args: string[]) => {
    const io = capture();
    const code = await mainWithOps(['node', 'fedfin', ...args], io);
    return { code, out: io.stdout(), err: io.stderr() };
  };

  beforeAll(async () => {
    const common = { numFeatures: enc.numFeatures, encodingHash: enc.hash };
    ({ coord } = await fx.federation({ 'bank-a': { ...common, privacy: spend(0.5) }, 'bank-b': { ...common, privacy: spend(0.75) } }));
    const job = await submitJob(coord.admin, jobSpec({ rounds: 2, model: { type: 'mlp', hidden: [4] }, encoding: { includeSensitive: false, stats: enc.stats }, privacy: { mode: 'dp-sgd', noiseMultiplier: 1.1, maxEpsilon: 4, delta: 1e-5 } }));
    jobId = job.job_id;
    expect((await waitForJobEnd(coord.store, jobId)).status).toBe('completed');
  }, 30_000);

  it('writes model.json, weights.bin and fedfin-model.json whose model gives mlpLogits of the checkpoint, when the job completed', async () => {
    const out = join(fx.dir, 'model');
    const r = await run('admin', '--insecure', '--coordinator', coord.address, 'models', 'export', jobId, '--out', out, '--json');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    for (const f of ['model.json', 'weights.bin', 'fedfin-model.json']) expect(existsSync(join(out, f))).toBe(true);
    const meta = readModelMetadata(out);
    expect(meta).toMatchObject({ jobId, task: 'credit-scoring', round: 2, roundsCompleted: 2, jobStatus: 'completed', schema: { id: 'credit.v1' } });
    expect(meta.encoding).toMatchObject({ featureHash: enc.hash, numFeatures: enc.numFeatures, stats: enc.stats, spec: null });
    expect(meta.privacy).toMatchObject({ mode: 'dp-sgd', epsilon: 1.5, delta: 1e-5, accountant: 'rdp', unit: 'record', sampling: 'Poisson', noiseMultipliers: [1.1], maxEpsilon: 4 });
    expect(meta.privacy.perBank).toEqual([{ memberId: 'bank-a', epsilon: 1, rounds: 2 }, { memberId: 'bank-b', epsilon: 1.5, rounds: 2 }]);
    expect(Object.keys(meta.metrics).length).toBeGreaterThan(0);

    const model = await tf.loadLayersModel(tf.io.fromMemory(readLayersModelArtifacts(out)));
    const ckpt = (await coord.store.latestCheckpoint(jobId))!;
    const x = Float32Array.from({ length: 3 * enc.numFeatures }, (_, i) => Math.sin(i));
    const got = (model.predict(tf.tensor2d(x, [3, enc.numFeatures])) as tf.Tensor).dataSync();
    const want = mlpLogits({ numFeatures: enc.numFeatures, hiddenUnits: [4], activation: 'relu' }, ckpt.weights, x);
    Array.from(want).forEach((v, i) => expect(got[i]).toBeCloseTo(v, 5));
    model.dispose();
  });

  it('scores every valid row with the exported model, and refuses a policy that changes the encoding naming the field', async () => {
    const out = join(fx.dir, 'model-p');
    expect((await run('admin', '--insecure', '--coordinator', coord.address, 'models', 'export', jobId, '--out', out)).code).toBe(0);
    const data = join(fx.dir, 'new.csv');
    writeFileSync(data, csvRows(40));
    const scores = join(fx.dir, 'scores.csv');
    const r = await run('predict', '--model', out, '--data', data, '--out', scores, '--json');
    expect(r.err).toBe('');
    expect(JSON.parse(r.out)).toMatchObject({ scored: 40, rejected: 0, rowsRead: 40, jobId });
    const lines = readFileSync(scores, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('row,score');
    expect(lines.slice(1).map((l) => Number(l.split(',')[0]))).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    const p = lines.slice(1).map((l) => Number(l.split(',')[1]));
    expect(p.every((v) => v > 0 && v < 1)).toBe(true);
    expect(new Set(p).size).toBeGreaterThan(1);

    const policy = join(fx.dir, 'drop-income.json');
    writeFileSync(policy, JSON.stringify({ schema: 'credit.v1', domain: 'it', fields: { annual_income: { action: 'drop' } } }));
    const bad = await run('predict', '--model', out, '--data', data, '--policy', policy, '--out', join(fx.dir, 'never.csv'));
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/encoding hash [0-9a-f]{12}… differs from the model's/);
    expect(bad.err).toContain('annual_income: numeric input of the model');
    expect(existsSync(join(fx.dir, 'never.csv'))).toBe(false);
  });

  it('shows epsilon spent and left per bank, and the audit tail with an intact chain, when the job spent DP budget', async () => {
    const led = await run('admin', '--insecure', '--coordinator', coord.address, 'ledger', 'show', '--job', jobId, '--json');
    expect(led.code).toBe(0);
    const rows = (JSON.parse(led.out) as { rows: { memberId: string; epsilon: number; epsilonLeft: number; maxEpsilon: number; rounds: number }[] }).rows;
    expect(rows.map((x) => [x.memberId, x.epsilon, x.epsilonLeft, x.maxEpsilon, x.rounds])).toEqual([['bank-a', 1, 3, 4, 2], ['bank-b', 1.5, 2.5, 4, 2]]);
    const text = await run('admin', '--insecure', '--coordinator', coord.address, 'ledger', 'show', '--bank', 'bank-b');
    expect(text.out).toMatch(/bank-b\s+credit\.v1\s+2\s+1\.500\s+1e-5\s+4\.000\s+2\.500/);

    const tail = await run('admin', '--insecure', '--coordinator', coord.address, 'audit', 'tail', '-n', '3', '--json');
    expect(tail.code).toBe(0);
    const t = JSON.parse(tail.out) as { entries: { seq: number; type: string }[]; chainOk: boolean; lastSeq: number };
    expect(t.chainOk).toBe(true);
    expect(t.entries.map((e) => e.seq)).toEqual([t.lastSeq - 2, t.lastSeq - 1, t.lastSeq]);
    expect(t.entries.at(-1)!.type).toBe('model-exported');
    const table = await run('admin', '--insecure', '--coordinator', coord.address, 'audit', 'tail');
    expect(table.out).toMatch(/^seq\s+time\s+type\s+job\s+member\s+detail/);
    expect(table.out).toMatch(/hash chain ok \(entries 1\.\./);
  });

  it('refuses to export an aborted job offering its last good round, then exports that round with --round', async () => {
    const job = await submitJob(coord.admin, jobSpec({ rounds: 500, encoding: { includeSensitive: false, stats: enc.stats } }));
    await waitFor(async () => (await coord.store.getJob(job.job_id))!.roundsDone >= 1, 20_000, 'a committed round');
    await unaryCall((cb) => coord.admin.AbortJob({ job_id: job.job_id }, { deadline: Date.now() + 10_000 }, cb));
    const done = (await getJob(coord.admin, job.job_id)).summary!.rounds_done;
    const refused = await run('admin', '--insecure', '--coordinator', coord.address, 'models', 'export', job.job_id, '--out', join(fx.dir, 'x'));
    expect(refused.code).toBe(1);
    expect(refused.err).toContain(`is aborted, not completed`);
    expect(refused.err).toContain(`export it with --round ${done}`);
    expect(existsSync(join(fx.dir, 'x'))).toBe(false);
    const ok = await run('admin', '--insecure', '--coordinator', coord.address, 'models', 'export', job.job_id, '--out', join(fx.dir, 'x'), '--round', String(done));
    expect(ok.code).toBe(0);
    expect(readModelMetadata(join(fx.dir, 'x'))).toMatchObject({ round: done, jobStatus: 'aborted', privacy: { mode: 'none', epsilon: null } });
  }, 30_000);
});
