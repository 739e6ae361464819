/** Tests for the approval gate and the ledger's approvals: refusal and audit before approval, acceptance after, revocation. */
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../common/log.js';
import { FLEET_STAGES, type InstructionInfo } from '../../schema/fleet.js';
import { bareResult, type HandlerContext, type Outcome } from '../handlers/types.js';
import { openLedger } from '../ledger/ledger.js';
import { approvalGate, awaitingApprovalReason } from './approval.js';
import { compose } from './compose.js';
import { fromResultCache } from './standard.js';

const ins = (stage: InstructionInfo['stage'], jobId = 'job-1'): InstructionInfo => ({ instructionId: `${jobId}/r1/a1/${stage}/b`, jobId, round: 1, stage, jobSpecJson: '{}', roundConfig: {}, modelBytes: 0, numBanks: 2, deadlineUnixMs: 0, encodingStatsJson: '' });
const ctx = (requireApproval: boolean): HandlerContext =>
  ({ ledger: openLedger(':memory:'), logger: silentLogger, signal: new AbortController().signal, policy: { requireApproval } } as unknown as HandlerContext);

function gated(): { run: (i: InstructionInfo, c: HandlerContext) => Promise<Outcome>; ran: string[] } {
  const ran: string[] = [];
  const run = compose([fromResultCache, approvalGate], async (i) => (ran.push(i.stage), { result: bareResult(i.instructionId, 'ok'), bytes: undefined }));
  return { run, ran };
}

describe('approvalGate', () => {
  it('passes every instruction through, when the site policy does not require approval', async () => {
    const g = gated();
    const out = await g.run(ins('fit'), ctx(false));
    expect(out.result.status).toBe('ok');
    expect(g.ran).toEqual(['fit']);
  });

  it('refuses every stage of an unapproved job with the approve command in the reason, and audits each refusal', async () => {
    const g = gated();
    const c = ctx(true);
    for (const stage of FLEET_STAGES) {
      const out = await g.run(ins(stage), c);
      expect(out.result.status).toBe('refused');
      expect(out.result.reason).toBe(awaitingApprovalReason('job-1'));
      expect(out.result.reason).toContain('fedfin client approve --config');
    }
    expect(g.ran).toEqual([]);
    const events = c.ledger.auditEvents();
    expect(events.map((e) => e.type)).toEqual(FLEET_STAGES.map(() => 'refused'));
    expect(events[0]?.detail).toMatchObject({ job: 'job-1', stage: 'stats' });
  });

  it('accepts the next instruction once the job is approved, and only that job', async () => {
    const g = gated();
    const c = ctx(true);
    expect((await g.run(ins('stats'), c)).result.status).toBe('refused');
    expect(c.ledger.approve('job-1', 'alice')).toBe(true);
    expect((await g.run(ins('fit'), c)).result.status).toBe('ok');
    expect((await g.run(ins('fit', 'job-2'), c)).result.status).toBe('refused');
    expect(g.ran).toEqual(['fit']);
  });

  it('refuses again after the approval is revoked', async () => {
    const g = gated();
    const c = ctx(true);
    c.ledger.approve('job-1', 'alice');
    expect(c.ledger.revokeApproval('job-1', 'bob')).toBe(true);
    expect((await g.run(ins('fit'), c)).result.status).toBe('refused');
  });
});

describe('ledger approvals', () => {
  it('records who approved and when, once, with hash-chained audit entries for grant and revoke', () => {
    const l = openLedger(':memory:');
    expect(l.approve('job-1', 'alice')).toBe(true);
    expect(l.approve('job-1', 'bob')).toBe(false);
    expect(l.approval('job-1')).toMatchObject({ jobId: 'job-1', approvedBy: 'alice' });
    expect(l.approvals().map((a) => a.jobId)).toEqual(['job-1']);
    expect(l.revokeApproval('job-2', 'alice')).toBe(false);
    expect(l.revokeApproval('job-1', 'carol')).toBe(true);
    expect(l.approval('job-1')).toBeUndefined();
    expect(l.auditEvents().map((e) => [e.type, e.detail['job'], e.detail['by']])).toEqual([
      ['approval-granted', 'job-1', 'alice'],
      ['approval-revoked', 'job-1', 'carol'],
    ]);
  });
});
