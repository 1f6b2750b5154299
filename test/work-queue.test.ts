import { describe, expect, it } from 'vitest';
import { WorkQueue } from '../src/discord/work-queue.js';

/** Keeps the CPU busy for `ms` milliseconds (a stand-in for computing an answer). */
const busy = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until);
};

describe('the answer work queue', () => {
  it('runs jobs in the order they came, each result to its caller, a failure only to its own', async () => {
    const queue = new WorkQueue();
    const order: number[] = [];
    const results = await Promise.allSettled([1, 2, 3, 4].map((n) => queue.run(() => {
      order.push(n);
      if (n === 3) throw new Error('three failed');
      return n * 10;
    })));
    expect(order).toEqual([1, 2, 3, 4]);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual([10, 20, 'three failed', 40]);
    expect(queue.waiting).toBe(0);
  });

  it('lets the event loop through between slices, so what arrives meanwhile is not stuck behind every job', async () => {
    const queue = new WorkQueue(10);
    const events: string[] = [];
    const jobs = Array.from({ length: 20 }, (_, i) => queue.run(() => {
      busy(4);
      events.push(`job ${i}`);
    }));
    // Something arriving from outside (an interaction to acknowledge), after the jobs were queued.
    setImmediate(() => events.push('arrived'));
    await Promise.all(jobs);
    const at = events.indexOf('arrived');
    expect(at).toBeGreaterThan(0); // not before any job: jobs had started…
    expect(at).toBeLessThan(10); // …but handled within the first slices, not after all 20 jobs
    expect(events.filter((e) => e.startsWith('job'))).toEqual(Array.from({ length: 20 }, (_, i) => `job ${i}`));
  });
});
