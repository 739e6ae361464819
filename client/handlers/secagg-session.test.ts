/** The bank's in-memory SecAgg sessions: one client per attempt, wiped on a newer attempt, on failure and after unmask. */
import { describe, expect, it } from 'vitest';
import { hasCode } from '../../common/errors.js';
import { silentLogger } from '../../common/log.js';
import { seededRandom } from '../../common/seeded-random.js';
import { generateIdentityKey } from '../../security/identity-keys.js';
import type { InstructionInfo } from '../../schema/fleet.js';
import { parseJobSpec } from '../../schema/job-spec.js';
import { secaggMiddleware } from '../middleware/secagg.js';
import { attemptOf, SecAggSessions } from './secagg-session.js';
import type { HandlerContext } from './types.js';

const JOB = { name: 'j', task: 'credit-scoring', schema: 'credit.v1', model: { type: 'logistic' }, rounds: 2, minBanks: 3, secureAggregation: { enabled: true } };
const ins = (stage: InstructionInfo['stage'], attempt = 1, round = 1): InstructionInfo => ({
  instructionId: `job-1/r${round}/a${attempt}/${stage}/bank-a`, jobId: 'job-1', round, stage, jobSpecJson: JSON.stringify(JOB), roundConfig: { secaggDimension: 10 }, modelBytes: 0, numBanks: 3, deadlineUnixMs: 0, encodingStatsJson: '',
});
const sessions = () => new SecAggSessions({ identity: generateIdentityKey(seededRandom(1)), rng: seededRandom(2) });
const job = parseJobSpec(JOB);

describe('SecAggSessions', () => {
  it('reads the attempt from the deterministic instruction id', () => {
    expect(attemptOf(ins('secagg-unmask', 7))).toBe(7);
  });

  it('keeps one client per attempt and wipes the older attempt, when a retry starts', () => {
    const s = sessions();
    const a1 = s.start(ins('secagg-advertise', 1), 'bank-a', job);
    expect(s.start(ins('secagg-advertise', 1), 'bank-a', job)).toBe(a1);
    s.start(ins('secagg-advertise', 2), 'bank-a', job);
    expect(s.size).toBe(1);
    expect(a1.stage).toBe('wiped');
    expect(() => s.get(ins('secagg-share-keys', 1))).toThrow(/no secure-aggregation state for round 1 attempt 1/);
  });

  it('drops out of the round, when a stage arrives with no state (the daemon restarted)', () => {
    let err: unknown;
    try {
      sessions().get(ins('secagg-masked-input'));
    } catch (e) {
      err = e;
    }
    expect(hasCode(err, 'protocol-violation')).toBe(true);
  });

  it('wipes the attempt\'s secrets, when a SecAgg stage fails on the bank', async () => {
    const s = sessions();
    const client = s.start(ins('secagg-advertise'), 'bank-a', job);
    const mw = secaggMiddleware(s);
    const ctx = { logger: silentLogger } as unknown as HandlerContext;
    await expect(mw(ins('secagg-share-keys'), ctx, () => Promise.reject(new Error('bad roster')))).rejects.toThrow('bad roster');
    expect(client.stage).toBe('wiped');
    expect(s.size).toBe(0);
  });
});
