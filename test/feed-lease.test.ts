/**
 * The feed-polling lease in process: keepers over real SQLite stores (two stores on one file stand
 * for two processes sharing a database), a store that fails or never answers on demand, and the
 * real feed poller started and stopped by it. Every wait is for an event, not for a time.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../src/moderation/open-store.js';
import type { ModerationStore } from '../src/moderation/store.js';
import { FEED_POLLER_LEASE, LeaseKeeper, pollFeedsWhileLeased, type LeaseStore } from '../src/feeds/lease.js';
import { FeedPoller, type FeedLedger } from '../src/feeds/poller.js';
import type { Pages } from '../src/pages/pages.js';
import { freshDir } from './helpers.js';

/** Renewed every second; short enough for tests, long enough that a busy machine answers in time. */
const TTL = 3_000;

const stores: ModerationStore[] = [];
const keepers: LeaseKeeper[] = [];
afterEach(async () => {
  for (const keeper of keepers.splice(0)) await keeper.stop();
  for (const store of stores.splice(0)) await store.close();
});

/** Two stores on one fresh SQLite file: two processes sharing a database. */
async function database(): Promise<[ModerationStore, ModerationStore]> {
  const file = join(freshDir('cited-lease-'), 'cited.sqlite');
  const first = await openStore({ sqliteFile: file });
  const second = await openStore({ sqliteFile: file });
  stores.push(first, second);
  return [first, second];
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((r) => setTimeout(r, 20));
  if (!condition()) throw new Error(`never happened: ${what}`);
}

/** A keeper that records what it did: the work started and stopped, and its log. */
function keeper(store: LeaseStore, holder: string) {
  const did: string[] = [];
  const log: { level: string; message: string; detail: Record<string, unknown> }[] = [];
  const keeper = new LeaseKeeper(store, {
    name: FEED_POLLER_LEASE,
    job: 'feed polling',
    ttlMs: TTL,
    holder,
    onTaken: () => void did.push('started'),
    onLost: () => void did.push('stopped'),
    onEvent: (level, message, detail) => void log.push({ level, message, detail }),
  });
  keepers.push(keeper);
  return { keeper, did, log, logged: (pattern: RegExp) => log.some((e) => pattern.test(e.message)) };
}

/** A store whose lease calls fail as in an outage (`down`), or are never answered (`silent`). */
function unreliable(store: LeaseStore) {
  const state = { down: false, silent: false };
  const call = <T>(work: () => Promise<T>): Promise<T> =>
    state.silent ? new Promise<T>(() => undefined) : state.down ? Promise.reject(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })) : work();
  const wrapped: LeaseStore = {
    takeLease: (...args) => call(() => store.takeLease(...args)),
    releaseLease: (...args) => call(() => store.releaseLease(...args)),
    lease: (...args) => call(() => store.lease(...args)),
  };
  return { store: wrapped, state };
}

describe('the feed-polling lease', () => {
  it('is held by one process at a time; given up on stop, the other takes it over at its next try', async () => {
    const [one, two] = await database();
    const a = keeper(one, 'process-a');
    a.keeper.start();
    await until(() => a.keeper.held, 'A takes the free lease');
    const b = keeper(two, 'process-b');
    b.keeper.start();
    await until(() => b.logged(/held by another process/), 'B finds it held');
    expect(b.log.find((e) => /held by another process/.test(e.message))?.detail['by']).toBe('process-a');
    expect(b.keeper.held).toBe(false);
    expect(b.did).toEqual([]);

    await a.keeper.stop();
    expect(a.did).toEqual(['started', 'stopped']);
    await until(() => b.keeper.held, 'B takes the lease A gave up');
    expect(b.did).toEqual(['started']);
    expect((await one.lease(FEED_POLLER_LEASE))?.holder).toBe('process-b');
  });

  it('is taken over once it expires when its holder died without giving it up', async () => {
    const [one, two] = await database();
    // What a process killed outright leaves behind: its lease, running out.
    await one.takeLease(FEED_POLLER_LEASE, 'killed-process', TTL);
    const b = keeper(two, 'process-b');
    b.keeper.start();
    await until(() => b.logged(/held by another process/), 'B finds it held');
    expect(b.did).toEqual([]);
    await until(() => b.keeper.held, 'B takes the expired lease');
    expect(b.did).toEqual(['started']);
  });

  it('stops the work at once when the database fails to renew it, and starts it again once it holds the lease again', async () => {
    const [one] = await database();
    const { store, state } = unreliable(one);
    const a = keeper(store, 'process-a');
    a.keeper.start();
    await until(() => a.keeper.held, 'A takes the lease');
    state.down = true;
    await until(() => a.did.length === 2, 'A stops on a failed renewal');
    expect(a.did).toEqual(['started', 'stopped']);
    expect(a.log.find((e) => /could not be renewed/.test(e.message))).toMatchObject({ level: 'warn', message: 'feed polling lease could not be renewed: stopped here until it is held again' });
    state.down = false;
    await until(() => a.keeper.held, 'A holds it again');
    expect(a.did).toEqual(['started', 'stopped', 'started']);
  });

  it('stops the work when a renewal goes unanswered, rather than wait past the lease', async () => {
    const [one] = await database();
    const { store, state } = unreliable(one);
    const a = keeper(store, 'process-a');
    a.keeper.start();
    await until(() => a.keeper.held, 'A takes the lease');
    state.silent = true;
    await until(() => !a.keeper.held, 'A gives up waiting for its renewal');
    expect(a.did).toEqual(['started', 'stopped']);
    expect(a.log.at(-1)?.detail['err']).toMatchObject({ message: expect.stringMatching(/^no answer from the database within \d+ ms$/) });
    state.silent = false;
  });

  it('stops the work when another process has taken the lease over', async () => {
    const [one, two] = await database();
    const a = keeper(one, 'process-a');
    a.keeper.start();
    await until(() => a.keeper.held, 'A takes the lease');
    // As if A's lease ran out while A was frozen, and another took it.
    await two.releaseLease(FEED_POLLER_LEASE, 'process-a');
    await two.takeLease(FEED_POLLER_LEASE, 'process-b', 60_000);
    await until(() => !a.keeper.held, 'A notices');
    expect(a.did).toEqual(['started', 'stopped']);
    expect(a.logged(/taken over by another process/)).toBe(true);
  });
});

describe('the feed poller under the lease', () => {
  it('polls while the lease is held, stops when it is lost, and polls again when it is held again', async () => {
    const [one] = await database();
    const { store, state } = unreliable(one);
    let reads = 0;
    const ledger: FeedLedger = { followedFeeds: async () => (reads++, []), feedPolled: async () => undefined, feedItems: async () => [], feedItemDone: async () => undefined };
    const poller = new FeedPoller(ledger, {} as Pages, { intervalMs: 60_000 });
    const lease = pollFeedsWhileLeased(poller, store, { ttlMs: TTL });
    keepers.push(lease);
    lease.start();
    await until(() => reads > 0, 'the poller reads the feeds');
    state.down = true;
    await until(() => !lease.held, 'the lease is lost');
    const whileLost = reads;
    state.down = false;
    await until(() => lease.held, 'the lease is held again');
    // A poller started again after a stop runs a new round at once.
    await until(() => reads > whileLost, 'the poller reads the feeds again');
    await lease.stop();
    expect(await one.lease(FEED_POLLER_LEASE)).toBe(null);
  });
});
