/**
 * The contract every moderation store keeps (SQLite and PostgreSQL alike): run by
 * moderation-store.test.ts against each backend.
 */
import { describe, expect, it } from 'vitest';
import type { ModerationStore } from '../src/moderation/store.js';

const answer = (messageId: string, guildId = 'g1') => ({
  messageId,
  guildId,
  channelId: 'c1',
  askerId: 'u-asker',
  question: 'How many troops?',
  source: null,
  offset: 0,
  excerpts: [{ sentenceIds: ['a#1', 'b#2'], score: 7.5 }, { sentenceIds: ['c#3'], score: 3 }],
  abstained: false,
  createdAt: 1000,
});

/** `open` gives a store on a fresh, empty database; `reopen` a new store on the same database. */
export function storeContract(name: string, open: () => Promise<ModerationStore>, reopen: () => Promise<ModerationStore>) {
  describe(`${name} moderation store`, () => {
    it('migrates idempotently and records answers as given', async () => {
      const store = await open();
      await store.migrate();
      await store.recordAnswer(answer('m1'));
      await store.recordAnswer({ ...answer('m1'), question: 'ignored: an answer is recorded once' });
      expect(await store.answer('m1')).toEqual({ ...answer('m1'), retractedAt: null, retractedBy: null });
      expect(await store.answer('nope')).toBe(null);
      await store.close();
    });

    it('retracts and restores an answer, with the previous state in the audit log', async () => {
      const store = await open();
      await store.recordAnswer(answer('m2'));
      const retracted = await store.retract('m2', { guildId: 'g1', userId: 'mod', reason: 'misquoted', at: 2000 });
      expect(retracted).toMatchObject({ retractedAt: 2000, retractedBy: 'mod' });
      expect(await store.retract('m2', { guildId: 'g1', userId: 'mod' })).toBe(null); // already retracted: nothing changes
      expect(await store.unretract('m2', { guildId: 'g1', userId: 'mod2', at: 3000 })).toMatchObject({ retractedAt: null });
      const log = await store.auditLog('g1', 10);
      expect(log.map((e) => [e.action, e.actorId, e.target, e.reason, e.before, e.after])).toEqual([
        ['unretract', 'mod2', 'm2', null, { retractedAt: 2000 }, { retractedAt: null }],
        ['retract', 'mod', 'm2', 'misquoted', { retractedAt: null }, { retractedAt: 2000 }],
      ]);
      await store.close();
    });

    it('keeps one review item per reported answer, however many members report it', async () => {
      const store = await open();
      await store.recordAnswer(answer('m3'));
      const first = await store.report('m3', { guildId: 'g1', userId: 'u1', reason: 'wrong number', at: 10 });
      expect(first.created).toBe(true);
      const second = await store.report('m3', { guildId: 'g1', userId: 'u2', reason: null, at: 20 });
      expect(second.created).toBe(false);
      expect(second.report.id).toBe(first.report.id);
      const again = await store.report('m3', { guildId: 'g1', userId: 'u1', reason: 'still wrong', at: 30 });
      expect(again.report.reporters).toEqual([
        { userId: 'u2', reason: null, at: 20 },
        { userId: 'u1', reason: 'still wrong', at: 30 },
      ]);
      expect((await store.openReports('g1')).map((r) => r.id)).toEqual([first.report.id]);
      await store.close();
    });

    it('concurrent reports of one answer land on one review item', async () => {
      const store = await open();
      await store.recordAnswer(answer('m4'));
      const results = await Promise.all(Array.from({ length: 12 }, (_, i) => store.report('m4', { guildId: 'g1', userId: `u${i}`, reason: null })));
      expect(new Set(results.map((r) => r.report.id)).size).toBe(1);
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect((await store.reportById(results[0]!.report.id))!.reporters).toHaveLength(12);
      await store.close();
    });

    it('concurrent moderators: one retraction, one resolution, one suppression — each audited once', async () => {
      const store = await open();
      await store.recordAnswer(answer('m8', 'g8'));
      const { report } = await store.report('m8', { guildId: 'g8', userId: 'u1' });
      const mods = Array.from({ length: 6 }, (_, i) => ({ guildId: 'g8', userId: `mod${i}`, reason: 'r' }));
      const retracted = await Promise.all(mods.map((m) => store.retract('m8', m)));
      expect(retracted.filter((r) => r !== null)).toHaveLength(1);
      const resolved = await Promise.all(mods.map((m) => store.resolve(report.id, 'retracted', m)));
      expect(resolved.filter((r) => r !== null)).toHaveLength(1);
      const suppressed = await Promise.all(mods.map((m) => store.suppress('source', 'article-q', m)));
      expect(new Set(suppressed.map((s) => s.id)).size).toBe(1);
      const lifted = await Promise.all(mods.map((m) => store.unsuppress('source', 'article-q', m)));
      expect(lifted.filter(Boolean)).toHaveLength(1);
      const counts = new Map<string, number>();
      for (const e of await store.auditLog('g8', 100)) counts.set(e.action, (counts.get(e.action) ?? 0) + 1);
      expect(Object.fromEntries(counts)).toEqual({ report: 1, retract: 1, 'resolve-retracted': 1, suppress: 1, unsuppress: 1 });
      await store.close();
    });

    it('lists reports not yet posted for review until their review message is saved', async () => {
      const store = await open();
      await store.recordAnswer(answer('m5'));
      const { report } = await store.report('m5', { guildId: 'g1', userId: 'u1' });
      expect((await store.unposted('g1')).map((r) => r.id)).toContain(report.id);
      expect((await store.unposted('g2')).map((r) => r.id)).not.toContain(report.id);
      await store.setReviewMessage(report.id, 'mod-channel', 'review-1');
      expect((await store.unposted('g1')).map((r) => r.id)).not.toContain(report.id);
      expect(await store.reportById(report.id)).toMatchObject({ reviewChannelId: 'mod-channel', reviewMessageId: 'review-1' });
      await store.close();
    });

    it('resolves a report once; a later report of the same answer opens a new item', async () => {
      const store = await open();
      await store.recordAnswer(answer('m6'));
      const { report } = await store.report('m6', { guildId: 'g1', userId: 'u1' });
      expect(await store.resolve(report.id, 'kept', { guildId: 'g1', userId: 'mod', reason: 'quote is right' })).toMatchObject({ status: 'kept', resolvedBy: 'mod' });
      expect(await store.resolve(report.id, 'retracted', { guildId: 'g1', userId: 'mod' })).toBe(null);
      const next = await store.report('m6', { guildId: 'g1', userId: 'u9' });
      expect(next.created).toBe(true);
      expect(next.report.id).not.toBe(report.id);
      await store.close();
    });

    it('suppresses and restores sentences and sources per guild, idempotently and audited', async () => {
      const store = await open();
      const mod = { guildId: 'g1', userId: 'mod', reason: 'misleading out of context' };
      const s = await store.suppress('sentence', 'a#1', mod);
      expect(await store.suppress('sentence', 'a#1', { ...mod, reason: 'again' })).toEqual(s);
      await store.suppress('source', 'article-b', { ...mod, reason: 'not a news outlet' });
      await Promise.all([store.suppress('source', 'article-c', mod), store.suppress('source', 'article-c', mod)]);
      expect((await store.suppressions('g1')).map((x) => [x.kind, x.target])).toEqual([
        ['sentence', 'a#1'],
        ['source', 'article-b'],
        ['source', 'article-c'],
      ]);
      expect(await store.suppressions('g2')).toEqual([]);
      expect(await store.unsuppress('sentence', 'a#1', { guildId: 'g1', userId: 'mod2' })).toBe(true);
      expect(await store.unsuppress('sentence', 'a#1', { guildId: 'g1', userId: 'mod2' })).toBe(false);
      const log = await store.auditLog('g1', 50);
      expect(log.filter((e) => e.action === 'suppress' && e.target === 'source article-c')).toHaveLength(1);
      expect(log[0]).toMatchObject({ action: 'unsuppress', target: 'sentence a#1', before: { kind: 'sentence', target: 'a#1', reason: 'misleading out of context', by: 'mod' } });
      await store.close();
    });

    it('files a report, and audits every change, in the server of the answer acted on', async () => {
      const store = await open();
      await store.recordAnswer(answer('m9', 'home'));
      const { report } = await store.report('m9', { guildId: 'elsewhere', userId: 'u1' });
      expect(report.guildId).toBe('home');
      await store.retract('m9', { guildId: 'elsewhere', userId: 'mod' });
      await store.resolve(report.id, 'retracted', { guildId: 'elsewhere', userId: 'mod' });
      expect((await store.auditLog('home', 10)).map((e) => e.action)).toEqual(['resolve-retracted', 'retract', 'report']);
      expect(await store.auditLog('elsewhere', 10)).toEqual([]);
      await store.close();
    });

    it('lists every server\'s active suppressions at once', async () => {
      const store = await open();
      await store.suppress('source', 'article-1', { guildId: 'ga', userId: 'mod', reason: 'r' });
      await store.suppress('sentence', 'article-2#x', { guildId: 'gb', userId: 'mod', reason: 'r' });
      await store.suppress('source', 'article-3', { guildId: 'gb', userId: 'mod', reason: 'r' });
      await store.unsuppress('source', 'article-3', { guildId: 'gb', userId: 'mod' });
      expect((await store.allSuppressions()).map((s) => [s.guildId, s.kind, s.target])).toEqual([
        ['ga', 'source', 'article-1'],
        ['gb', 'sentence', 'article-2#x'],
      ]);
      await store.close();
    });

    it('keeps an audit log per guild, newest first, refusals included', async () => {
      const store = await open();
      await store.audit({ guildId: 'g3', actorId: 'u1', action: 'refused', target: 'retract m1', reason: 'lacks Manage Messages', before: null, after: null, at: 1 });
      await store.audit({ guildId: 'g3', actorId: 'mod', action: 'source-add', target: 'new-article', reason: null, before: null, after: { sentences: 12 }, at: 2 });
      await store.audit({ guildId: 'g4', actorId: 'x', action: 'refused', target: 'y', reason: null, before: null, after: null });
      expect((await store.auditLog('g3', 10)).map((e) => [e.action, e.after])).toEqual([
        ['source-add', { sentences: 12 }],
        ['refused', null],
      ]);
      expect(await store.auditLog('g3', 1)).toHaveLength(1);
      await store.close();
    });

    it('counts unanswered questions, most asked first', async () => {
      const store = await open();
      await store.recordGap('g5', 'What is the capital of Australia?', 1);
      await store.recordGap('g5', 'what is the capital of  australia', 2);
      await store.recordGap('g5', 'Who won the match?', 3);
      await store.recordGap('g6', 'Who won the match?', 4);
      expect(await store.gaps('g5', 10)).toEqual([
        { question: 'what is the capital of australia', count: 2, lastAskedAt: 2 },
        { question: 'who won the match', count: 1, lastAskedAt: 3 },
      ]);
      await store.close();
    });

    it('follows a feed once, however many admins follow it at the same moment, and audits it once', async () => {
      const store = await open();
      const url = 'https://wire.example/world.rss';
      const results = await Promise.all(Array.from({ length: 6 }, (_, i) => store.followFeed(url, 'World', { guildId: 'gf', userId: `admin${i}`, at: 100 + i })));
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(new Set(results.map((r) => r.feed.id)).size).toBe(1);
      const [feed] = await store.feeds();
      expect(feed).toMatchObject({ url, title: 'World', guildId: 'gf', failures: 0, nextPollAt: 0, taken: 0, etag: null, lastFetchAt: null, lastError: null });
      expect((await store.auditLog('gf', 10)).map((e) => [e.action, e.target])).toEqual([['feed-follow', url]]);
      await store.close();
    });

    it('records polls: validators, outcome, errors kept after a later success, failures in a row, next poll', async () => {
      const store = await open();
      const { feed } = await store.followFeed('https://wire.example/a.xml', null, { guildId: 'gf', userId: 'admin' });
      await store.feedPolled(feed.id, { at: 1000, title: 'Wire', etag: '"v1"', lastModified: 'Tue, 03 Jun 2025 09:00:00 GMT', outcome: '2 new items', failures: 0, nextPollAt: 2000 });
      await store.feedPolled(feed.id, { at: 3000, error: 'Could not fetch …: the server answered 500.', failures: 1, nextPollAt: 5000 });
      let [read] = await store.feeds();
      expect(read).toMatchObject({ title: 'Wire', etag: '"v1"', lastModified: 'Tue, 03 Jun 2025 09:00:00 GMT', lastFetchAt: 1000, lastOutcome: '2 new items', lastError: 'Could not fetch …: the server answered 500.', lastErrorAt: 3000, failures: 1, nextPollAt: 5000 });
      await store.feedPolled(feed.id, { at: 6000, outcome: 'not modified', failures: 0, nextPollAt: 7000 });
      [read] = await store.feeds();
      expect(read).toMatchObject({ etag: '"v1"', lastFetchAt: 6000, lastOutcome: 'not modified', lastErrorAt: 3000, failures: 0, nextPollAt: 7000 });
      await store.pollFeedNow(feed.id);
      expect((await store.feeds())[0]!.nextPollAt).toBe(0);
      await store.close();
    });

    it('remembers what became of each item, across an unfollow and a follow again, and counts the articles taken', async () => {
      const store = await open();
      const url = 'https://wire.example/b.json';
      const first = (await store.followFeed(url, null, { guildId: 'gf', userId: 'admin' })).feed;
      const item = (key: string, outcome: 'added' | 'duplicate' | 'failed', extra: Partial<import('../src/moderation/store.js').FeedItemRecord> = {}) => ({ feedId: first.id, key, url: `https://wire.example/${key}`, outcome, articleId: outcome === 'failed' ? null : `art-${key}`, detail: null, attempts: 1, retry: false, at: 10, ...extra });
      await store.recordFeedItem(item('k1', 'added'));
      await store.recordFeedItem(item('k2', 'failed', { detail: 'timeout', retry: true }));
      await store.recordFeedItem(item('k2', 'added', { attempts: 2, at: 20 }));
      await store.recordFeedItem(item('k3', 'duplicate', { detail: 'the same address' }));
      expect((await store.feeds())[0]!.taken).toBe(2);
      expect(await store.unfollowFeed(first.id, { guildId: 'gf', userId: 'admin', at: 30 })).toMatchObject({ id: first.id, taken: 2 });
      expect(await store.unfollowFeed(first.id, { guildId: 'gf', userId: 'admin' })).toBe(null);
      expect(await store.feeds()).toEqual([]);
      const again = await store.followFeed(url, null, { guildId: 'gf2', userId: 'admin2' });
      expect(again.created).toBe(true);
      expect(again.feed.id).not.toBe(first.id);
      expect(again.feed.taken).toBe(2);
      const known = await store.feedItems(url, ['k1', 'k2', 'k3', 'k4']);
      expect(known.map((k) => [k.key, k.outcome, k.attempts, k.retry, k.articleId])).toEqual([
        ['k1', 'added', 1, false, 'art-k1'],
        ['k3', 'duplicate', 1, false, 'art-k3'],
        ['k2', 'added', 2, false, 'art-k2'],
      ]);
      expect(await store.feedItems('https://other.example/feed', ['k1'])).toEqual([]);
      const many = Array.from({ length: 450 }, (_, i) => `many-${i}`);
      expect(await store.feedItems(url, many)).toEqual([]);
      expect((await store.auditLog('gf', 10)).map((e) => e.action)).toEqual(['feed-unfollow', 'feed-follow']);
      await store.close();
    });

    it('gives a lease to one holder at a time: taken when free, renewed by its holder, taken over once it expires', async () => {
      const store = await open();
      expect(await store.takeLease('feed-poller', 'A', 30_000, 1_000)).toEqual({ name: 'feed-poller', holder: 'A', expiresAt: 31_000 });
      expect(await store.takeLease('feed-poller', 'B', 30_000, 2_000)).toBe(null);
      expect(await store.lease('feed-poller', 2_000)).toEqual({ name: 'feed-poller', holder: 'A', expiresAt: 31_000 });
      expect(await store.takeLease('feed-poller', 'A', 30_000, 11_000)).toEqual({ name: 'feed-poller', holder: 'A', expiresAt: 41_000 });
      expect(await store.takeLease('feed-poller', 'B', 30_000, 40_999)).toBe(null);
      // Expired: the next to ask takes it over, and the old holder's renewal is refused.
      expect(await store.lease('feed-poller', 41_000)).toBe(null);
      expect(await store.takeLease('feed-poller', 'B', 30_000, 41_000)).toEqual({ name: 'feed-poller', holder: 'B', expiresAt: 71_000 });
      expect(await store.takeLease('feed-poller', 'A', 30_000, 42_000)).toBe(null);
      expect(await store.lease('feed-poller', 42_000)).toMatchObject({ holder: 'B' });
      // Each name is a lease of its own.
      expect(await store.takeLease('other-job', 'A', 30_000, 42_000)).toMatchObject({ holder: 'A' });
      await store.close();
    });

    it('frees a released lease at once; a release by anyone else changes nothing', async () => {
      const store = await open();
      await store.takeLease('feed-poller', 'A', 30_000, 1_000);
      expect(await store.releaseLease('feed-poller', 'B')).toBe(false);
      expect(await store.lease('feed-poller', 2_000)).toMatchObject({ holder: 'A' });
      expect(await store.releaseLease('feed-poller', 'A')).toBe(true);
      expect(await store.lease('feed-poller', 2_000)).toBe(null);
      expect(await store.releaseLease('feed-poller', 'A')).toBe(false);
      expect(await store.takeLease('feed-poller', 'B', 30_000, 2_000)).toMatchObject({ holder: 'B', expiresAt: 32_000 });
      await store.close();
    });

    it('reads lease time on the database\'s clock: a lease of no time is free at once, one of a minute is not', async () => {
      const store = await open();
      expect(await store.takeLease('feed-poller', 'A', 0)).toMatchObject({ holder: 'A' });
      expect(await store.lease('feed-poller')).toBe(null);
      const taken = await store.takeLease('feed-poller', 'B', 60_000);
      expect(taken).toMatchObject({ holder: 'B' });
      expect(await store.takeLease('feed-poller', 'A', 60_000)).toBe(null);
      expect(await store.lease('feed-poller')).toEqual(taken);
      await store.close();
    });

    it('gives a free lease to exactly one of the processes asking for it at the same moment', async () => {
      const first = await open();
      const second = await reopen();
      const holders = Array.from({ length: 8 }, (_, i) => `process-${i}`);
      const results = await Promise.all(holders.map((holder, i) => (i % 2 === 0 ? first : second).takeLease('feed-poller', holder, 60_000)));
      const winners = results.filter((lease) => lease !== null);
      expect(winners).toHaveLength(1);
      expect(await second.lease('feed-poller')).toEqual(winners[0]);
      await first.close();
      await second.close();
    });

    it("keeps each server's review channel: set, replaced, cleared, each audited in that server only", async () => {
      const store = await open();
      expect(await store.reviewChannel('g11')).toBeNull();
      expect(await store.setReviewChannel({ channelId: 'c1', name: 'reports' }, { guildId: 'g11', userId: 'mod', at: 100 })).toBeNull();
      await store.setReviewChannel({ channelId: 'c9', name: 'elsewhere' }, { guildId: 'g12', userId: 'other', at: 100 });
      expect(await store.reviewChannel('g11')).toEqual({ guildId: 'g11', channelId: 'c1', name: 'reports', by: 'mod', at: 100 });
      const replaced = await store.setReviewChannel({ channelId: 'c2', name: 'review-desk' }, { guildId: 'g11', userId: 'mod2', at: 200 });
      expect(replaced).toMatchObject({ channelId: 'c1', name: 'reports' });
      expect(await store.reviewChannel('g11')).toMatchObject({ channelId: 'c2', name: 'review-desk', by: 'mod2', at: 200 });
      expect((await store.reviewChannels()).map((c) => [c.guildId, c.channelId])).toEqual([['g11', 'c2'], ['g12', 'c9']]);
      expect(await store.setReviewChannel(null, { guildId: 'g11', userId: 'mod', at: 300 })).toMatchObject({ channelId: 'c2' });
      expect(await store.reviewChannel('g11')).toBeNull();
      expect(await store.reviewChannel('g12')).toMatchObject({ channelId: 'c9' });
      const log = await store.auditLog('g11', 10);
      expect(log.map((e) => [e.action, e.target, e.before, e.after])).toEqual([
        ['review-channel', 'none', { channel: 'c2', name: 'review-desk' }, null],
        ['review-channel', 'c2', { channel: 'c1', name: 'reports' }, { channel: 'c2', name: 'review-desk' }],
        ['review-channel', 'c1', null, { channel: 'c1', name: 'reports' }],
      ]);
      expect((await store.auditLog('g12', 10)).map((e) => e.target)).toEqual(['c9']);
      await store.close();
      const again = await reopen();
      expect(await again.reviewChannel('g12')).toMatchObject({ channelId: 'c9', name: 'elsewhere' });
      await again.close();
    });

    it('keeps every record across a restart', async () => {
      const store = await open();
      await store.recordAnswer(answer('m7', 'g7'));
      const { report } = await store.report('m7', { guildId: 'g7', userId: 'u1', reason: 'why' });
      await store.suppress('source', 'article-z', { guildId: 'g7', userId: 'mod', reason: 'r' });
      const { feed } = await store.followFeed('https://wire.example/kept.rss', 'Kept', { guildId: 'g7', userId: 'admin' });
      await store.feedPolled(feed.id, { at: 50, etag: '"e"', outcome: '1 new item', failures: 0, nextPollAt: 60 });
      await store.recordFeedItem({ feedId: feed.id, key: 'guid-1', url: null, outcome: 'added', articleId: 'a1', detail: null, attempts: 1, retry: false, at: 50 });
      await store.close();
      const again = await reopen();
      expect((await again.answer('m7'))?.question).toBe('How many troops?');
      expect((await again.openReports('g7')).map((r) => r.id)).toEqual([report.id]);
      expect((await again.suppressions('g7')).map((s) => s.target)).toEqual(['article-z']);
      expect((await again.auditLog('g7', 10)).map((e) => e.action)).toEqual(['feed-follow', 'suppress', 'report']);
      expect(await again.feeds()).toEqual([expect.objectContaining({ url: 'https://wire.example/kept.rss', title: 'Kept', etag: '"e"', lastOutcome: '1 new item', taken: 1 })]);
      expect((await again.feedItems('https://wire.example/kept.rss', ['guid-1'])).map((i) => i.articleId)).toEqual(['a1']);
      await again.close();
    });
  });
}
