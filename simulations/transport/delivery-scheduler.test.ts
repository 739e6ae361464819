import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DeliveryScheduler } from './delivery-scheduler.js';

/** Resolves once `count()` reaches `total` (checked every turn). */
async function until(count: () => number, total: number): Promise<void> {
  while (count() < total) await new Promise((r) => setImmediate(r));
}

describe('DeliveryScheduler', () => {
  it('never runs a delivery inside the caller’s stack', async () => {
    const s = new DeliveryScheduler();
    const log: string[] = [];
    s.lane().post(() => log.push('ran'));
    log.push('posted');
    await until(() => log.length, 2);
    expect(log).toEqual(['posted', 'ran']);
  });

  it('runs one lane’s chain to its end before the next lane’s delivery (depth-first, not breadth-first)', async () => {
    const s = new DeliveryScheduler();
    const [a, b, c] = [s.lane(), s.lane(), s.lane()];
    const log: string[] = [];
    a.post(() => {
      log.push('a1');
      a.post(() => {
        log.push('a2');
        a.post(() => log.push('a3'));
      });
    });
    b.post(() => {
      log.push('b1');
      b.post(() => log.push('b2'));
    });
    c.post(() => log.push('c1'));
    await until(() => log.length, 6);
    // Breadth-first (one global FIFO) gives a1 b1 c1 a2 b2 a3.
    expect(log).toEqual(['a1', 'a2', 'a3', 'b1', 'b2', 'c1']);
  });

  it('a lane that used its run length queues again behind the waiting lanes', async () => {
    const s = new DeliveryScheduler({ maxRunLength: 2 });
    const [a, b] = [s.lane(), s.lane()];
    const log: string[] = [];
    for (let i = 1; i <= 5; i++) a.post(() => log.push(`a${i}`));
    b.post(() => log.push('b1'));
    await until(() => log.length, 6);
    expect(log).toEqual(['a1', 'a2', 'b1', 'a3', 'a4', 'a5']);
  });

  it('runs every delivery exactly once, each lane in posting order, and never skips a waiting lane for more than (lanes − 1) × maxRunLength steps', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.record({ lane: fc.nat(4), parent: fc.nat() }), { minLength: 1, maxLength: 60 }),
        async (lanes, maxRunLength, script) => {
          const s = new DeliveryScheduler({ maxRunLength });
          const ls = Array.from({ length: lanes }, () => s.lane());
          const posted: number[][] = ls.map(() => []);
          const ran: number[][] = ls.map(() => []);
          const pending = new Array<number>(lanes).fill(0);
          const skipped = new Array<number>(lanes).fill(0);
          let worstSkip = 0;
          // Item i > 0 is posted by the item `parent` picks among 0..i-1, or at the start when it picks i.
          const children = script.map(() => [] as number[]);
          const roots: number[] = [];
          script.forEach((item, i) => (i === 0 || item.parent % (i + 1) === i ? roots.push(i) : children[item.parent % (i + 1)]!.push(i)));
          let done = 0;
          const post = (i: number): void => {
            const lane = script[i]!.lane % lanes;
            posted[lane]!.push(i);
            pending[lane]!++;
            ls[lane]!.post(() => {
              pending[lane]!--;
              ran[lane]!.push(i);
              for (let l = 0; l < lanes; l++) {
                skipped[l] = l === lane || pending[l] === 0 ? 0 : skipped[l]! + 1;
                worstSkip = Math.max(worstSkip, skipped[l]!);
              }
              done++;
              for (const c of children[i]!) post(c);
            });
          };
          for (const r of roots) post(r);
          await until(() => done, script.length);
          expect(ran).toEqual(posted);
          expect(worstSkip).toBeLessThanOrEqual((lanes - 1) * maxRunLength);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('refuses a run length below 1', () => {
    expect(() => new DeliveryScheduler({ maxRunLength: 0 })).toThrow(/maxRunLength must be an integer ≥ 1, got 0/);
  });
});
