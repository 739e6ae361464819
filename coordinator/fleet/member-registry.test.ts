import { describe, expect, it } from 'vitest';
import { MemberRegistry } from './member-registry.js';

describe('MemberRegistry', () => {
  it('keeps a member online while its long-poll is in flight, however long', () => {
    let now = 0;
    const r = new MemberRegistry(1000, () => now);
    const s = r.join('bank-a', ['credit-scoring'], 'wasm');
    r.pullStarted(s.sessionId);
    now = 60_000;
    expect(r.isOnline('bank-a')).toBe(true);
    r.pullEnded(s.sessionId);
    now = 60_500;
    expect(r.isOnline('bank-a')).toBe(true);
    now = 61_500;
    expect(r.isOnline('bank-a')).toBe(false);
    expect(r.online()).toEqual([]);
  });

  it('lists online members accepting a task, sorted', () => {
    const r = new MemberRegistry(1000, () => 0);
    r.join('bank-b', ['credit-scoring'], 'wasm');
    r.join('bank-a', [], 'cpu');
    r.join('bank-c', ['fraud-detection'], 'wasm');
    expect(r.online('credit-scoring')).toEqual(['bank-a', 'bank-b']);
  });

  it('ends the previous session when a member joins again', () => {
    const r = new MemberRegistry(1000, () => 0);
    const first = r.join('bank-a', [], 'wasm');
    r.join('bank-a', [], 'wasm');
    expect(r.touch(first.sessionId)).toBeUndefined();
  });
});
