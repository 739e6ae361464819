/** Tests for compose and the standard middleware: order, short-circuit, the next-twice guard, cache and failure guard. */
import { describe, expect, it } from 'vitest';
import { FedfinError } from '../../common/errors.js';
import { silentLogger } from '../../common/log.js';
import type { InstructionInfo } from '../../schema/fleet.js';
import { bareResult, type HandlerContext, type Middleware, type Outcome } from '../handlers/types.js';
import { openLedger } from '../ledger/ledger.js';
import { compose } from './compose.js';
import { failureGuard, fromResultCache } from './standard.js';

const INS: InstructionInfo = { instructionId: 'j/r1/a1/fit/b', jobId: 'j', round: 1, stage: 'fit', jobSpecJson: '{}', roundConfig: {}, modelBytes: 0, numBanks: 2, deadlineUnixMs: 0, encodingStatsJson: '' };
const ok = (): Promise<Outcome> => Promise.resolve({ result: bareResult(INS.instructionId, 'ok'), bytes: undefined });
const ctx = (): HandlerContext => ({ ledger: openLedger(':memory:'), logger: silentLogger, signal: new AbortController().signal } as unknown as HandlerContext);

describe('compose', () => {
  it('runs middleware outermost first around the handler, when dispatched', async () => {
    const seen: string[] = [];
    const mw = (name: string): Middleware => async (_i, _c, next) => {
      seen.push(`${name}>`);
      const out = await next();
      seen.push(`<${name}`);
      return out;
    };
    await compose([mw('a'), mw('b')], async () => (seen.push('h'), ok()))(INS, ctx());
    expect(seen).toEqual(['a>', 'b>', 'h', '<b', '<a']);
  });

  it('rejects, when a middleware calls next() twice', async () => {
    const twice: Middleware = async (_i, _c, next) => {
      await next();
      return next();
    };
    await expect(compose([twice], ok)(INS, ctx())).rejects.toThrow('next() called multiple times');
  });

  it('answers without the handler, when the ledger has a cached result', async () => {
    const c = ctx();
    c.ledger.cacheResult('j', 'fit', { ...bareResult(INS.instructionId, 'ok'), numExamples: 7 });
    let ran = false;
    const out = await compose([fromResultCache], async () => ((ran = true), ok()))(INS, c);
    expect(ran).toBe(false);
    expect(out.result.numExamples).toBe(7);
  });

  it('turns a throw into a failed result with the error code and no stack, when the handler fails', async () => {
    const c = ctx();
    const out = await compose([failureGuard], () => Promise.reject(new FedfinError('encoding-mismatch', 'widths differ')))(INS, c);
    expect(out.result.status).toBe('failed');
    expect(out.result.reason).toBe('encoding-mismatch: widths differ');
    const generic = await compose([failureGuard], () => Promise.reject(new Error('row 5 value 1234.5')))(INS, c);
    expect(generic.result.reason).toBe('internal error in the bank daemon (see its log)');
    expect(c.ledger.auditEvents().map((e) => e.type)).toEqual(['failed', 'failed']);
  });
});
