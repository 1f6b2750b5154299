import { describe, expect, it } from 'vitest';
import { runScript } from './helpers.js';

describe('npm run bench:load (the real bot process under a burst, through the Discord stand-in)', () => {
  it('acknowledges and answers every interaction of a burst from many members: none lost', async () => {
    const run = await runScript('test/bench/load.js', ['--interactions', '300', '--burst', '100', '--requests-per-second', '1000', '--add-article-mib', '0.05', '--json']);
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
    // Then a moderator adds a (small, here) generated article while members ask: the add is
    // answered, every question asked meanwhile is acknowledged, and the figures are reported.
    const duringAdd = report['during_add'] as Record<string, unknown>;
    expect(duringAdd['article_bytes']).toBeGreaterThan(0.04 * 1024 * 1024);
    expect(duringAdd['article_bytes']).toBeLessThanOrEqual(0.05 * 1024 * 1024);
    expect(duringAdd['add_reply']).toMatch(/^Added generated-dispatch \(Example, 2026-02-24\): \d+ quotable sentences\./);
    expect(duringAdd['asks']).toBeGreaterThanOrEqual(10);
    expect(duringAdd).toMatchObject({ lost: 0, acknowledged_within_3s: duringAdd['asks'] });
    for (const figure of ['add_ms', 'ack_p50_ms', 'ack_p99_ms', 'ack_max_ms']) expect(duringAdd[figure]).toEqual(expect.any(Number));
  }, 180_000);

  it('reports the during-add block in the text output too, and leaves it out with --add-article-mib 0', async () => {
    const text = await runScript('test/bench/load.js', ['--interactions', '20', '--burst', '20', '--requests-per-second', '1000', '--add-article-mib', '0.01']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^during_add\.add_reply: Added generated-dispatch /m);
    expect(text.stdout).toMatch(/^during_add\.ack_p99_ms: \d+$/m);
    const none = await runScript('test/bench/load.js', ['--interactions', '20', '--burst', '20', '--requests-per-second', '1000', '--add-article-mib', '0', '--json']);
    expect(JSON.parse(none.stdout.trim().split('\n').at(-1)!)).not.toHaveProperty('during_add');
  }, 180_000);
});
