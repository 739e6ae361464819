/** Tests of the admin CLI's text output: the per-round line, tables, and the gRPC-error → domain-error mapping. */
import * as grpc from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { ConfigError, FedfinError, formatIssue } from '../common/errors.js';
import { adminError, issuesFromDetails, type JobDetailView, type RoundView } from './admin-client.js';
import { fmtDelta, formatJobList, formatJobStatus, formatMembers, formatRoundLine, jobDetailJson, table } from './admin-format.js';

const round = (over: Partial<RoundView> = {}): RoundView => ({
  round: 3,
  participants: ['bank-a', 'bank-b', 'bank-c'],
  dropped: [],
  metrics: { auc: 0.78123, ks: 0.4519, logLoss: 0.5124 },
  epsilon: 1.2345,
  delta: 1e-5,
  completedAt: '2026-01-01T00:00:00.000Z',
  trainMs: 10,
  evaluateMs: 5,
  ...over,
});

describe('formatRoundLine', () => {
  it('prints round, metrics, ε with δ and the bank count, when the round used DP', () => {
    expect(formatRoundLine(round(), 12)).toBe('round 3/12  auc 0.781  ks 0.452  logloss 0.512  ε 1.23 (δ 1e-5)  banks 3');
  });

  it('names dropped banks and omits ε, when DP is off and a bank timed out', () => {
    const r = round({ delta: 0, epsilon: 0, participants: ['bank-a', 'bank-b'], dropped: ['bank-c (timeout: no result within 300000 ms)'] });
    expect(formatRoundLine(r, 12)).toBe('round 3/12  auc 0.781  ks 0.452  logloss 0.512  banks 2  dropped bank-c (timeout: no result within 300000 ms)');
  });

  it('shows the given columns instead of auc/ks/logloss, when a demo profile names its round metrics', () => {
    const r = round({ metrics: { prAuc: 0.81234, recallAtFpr: 0.9, auc: 0.99 } });
    const columns = [{ key: 'prAuc', header: 'pr-auc' }, { key: 'recallAtFpr', header: 'recall@1%fpr' }, { key: 'precisionAtK', header: 'prec@k', digits: 2 }];
    expect(formatRoundLine(r, 12, columns)).toBe('round 3/12  pr-auc 0.812  recall@1%fpr 0.900  prec@k -  ε 1.23 (δ 1e-5)  banks 3');
  });

  it('prints "-" for a metric, when no bank evaluated the round', () => {
    expect(formatRoundLine(round({ metrics: {} }), 4)).toMatch(/^round 3\/4 {2}auc - {2}ks - {2}logloss - /);
  });
});

describe('tables', () => {
  it('aligns columns and right-aligns numeric ones, when rows differ in width', () => {
    expect(table(['a', 'n'], [['xx', '1'], ['y', '100']], [false, true])).toBe('a     n\nxx    1\ny   100');
  });

  it('shows the summary, a rounds table and the ε note, when a job has committed rounds', () => {
    const d: JobDetailView = {
      job: { jobId: 'job-1', name: 'demo', task: 'credit-scoring', status: 'failed', roundsTotal: 2, roundsDone: 1, createdAt: 't0', reason: 'boom' },
      specJson: '{"rounds":2}',
      rounds: [round({ round: 1 })],
    };
    const text = formatJobStatus(d);
    expect(text.split('\n').slice(0, 3)).toEqual(['job job-1  demo', 'task credit-scoring  status failed  rounds 1/2  created t0', 'reason: boom']);
    expect(text).toMatch(/round +participants +dropped +auc +ks +logLoss +ε\n +1 +bank-a,bank-b,bank-c +- +0\.781 +0\.452 +0\.512 +1\.23/);
    expect(text).toContain('at δ 1e-5 (RDP accountant)');
    expect(jobDetailJson(d).spec).toEqual({ rounds: 2 });
  });

  it('says so, when there are no jobs or members', () => {
    expect(formatJobList([])).toBe('no jobs');
    expect(formatMembers([])).toBe('no members have joined yet');
  });

  it('writes δ in exponent form, when it is small', () => {
    expect(fmtDelta(1e-5)).toBe('1e-5');
    expect(fmtDelta(2.5e-6)).toBe('2.5e-6');
    expect(fmtDelta(0.01)).toBe('0.01');
  });
});

describe('adminError', () => {
  const svc = (code: grpc.status, details: string) => Object.assign(new Error(details), { code, details, metadata: new grpc.Metadata() });

  it('splits INVALID_ARGUMENT details into one issue per zod path, when the spec has several problems', () => {
    const e = adminError(svc(grpc.status.INVALID_ARGUMENT, 'job spec: model.type: Invalid option: expected one of "logistic"|"mlp"; rounds: Too small: expected number to be >=1; (root): not valid JSON (x; y)'), 'h:1', 'job spec f.json');
    expect(e).toBeInstanceOf(ConfigError);
    expect((e as ConfigError).issues.map(formatIssue)).toEqual(['model.type: Invalid option: expected one of "logistic"|"mlp"', 'rounds: Too small: expected number to be >=1', '(root): not valid JSON (x; y)']);
    expect(issuesFromDetails('job spec: privacy.0.delta: bad')[0]!.path).toEqual(['privacy', 0, 'delta']);
  });

  it('maps UNAVAILABLE to client-unavailable naming the address, and NOT_FOUND to job-not-found', () => {
    const u = adminError(svc(grpc.status.UNAVAILABLE, 'No connection established'), '127.0.0.1:9', 'x') as FedfinError;
    expect(u.code).toBe('client-unavailable');
    expect(u.message).toMatch(/^cannot reach coordinator at 127\.0\.0\.1:9 \(No connection established\)/);
    expect((adminError(svc(grpc.status.NOT_FOUND, 'no job "j"'), 'h:1', 'x') as FedfinError).code).toBe('job-not-found');
    expect((adminError(svc(grpc.status.INTERNAL, 'internal error'), 'h:1', 'x') as FedfinError).code).toBe('internal');
  });
});
