import { describe, expect, it } from 'vitest';
import { runScript } from './helpers.js';

describe('npm run bench:load (the real bot process under a burst, through the Discord stand-in)', () => {
  it('acknowledges and answers every interaction of a burst from many members: none lost', async () => {
    const run = await runScript('test/bench/load.js', ['--interactions', '300', '--burst', '100', '--requests-per-second', '1000', '--json']);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
    expect(report).toMatchObject({ interactions: 300, lost: 0, answered: 300 });
    // Reported, not asserted: latency is the benchmark's to measure (README "Under load").
    expect(report['ack_p99_ms']).toEqual(expect.any(Number));
    expect(report['answer_p99_ms']).toEqual(expect.any(Number));
    // Every interaction had exactly one successful first response (a reply or a deferral).
    const calls = report['calls'] as Record<string, number>;
    const callbacks = Object.entries(calls).filter(([k]) => /^POST \/interactions\/:id\/[^ ]+\/callback 20\d$/.test(k)).reduce((sum, [, n]) => sum + n, 0);
    expect(callbacks).toBe(300);
  }, 180_000);
});
