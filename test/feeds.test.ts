/**
 * News feeds in process, with real parts: the loopback news site serving RSS, Atom and JSON feeds
 * that change between polls, a SQLite moderation store, a Library over a temporary corpus, the
 * moderation service and the poller. Polls are run one round at a time (`pollDue`), with every feed
 * made due, so nothing depends on timers.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Library } from '../src/library.js';
import { Moderation, type Who } from '../src/moderation/moderation.js';
import { openStore } from '../src/moderation/open-store.js';
import { Pages } from '../src/pages/pages.js';
import { FeedPoller, type FeedLedger } from '../src/feeds/poller.js';
import { readFeed } from '../src/feeds/read-feed.js';
import { fetchFeed } from '../src/feeds/fetch-feed.js';
import type { Article } from '../src/core/types.js';
import type { Feed } from '../src/moderation/store.js';
import { isCitedError } from '../src/core/errors.js';
import { freshDir, tempCorpus } from './helpers.js';
import { startNewsSite, stories, type NewsSite } from './support/news-site.js';

const INTERVAL = 60_000;
const admin: Who = { guildId: 'g1', userId: '410000000000000001', isModerator: true };
const stranger: Who = { guildId: 'g1', userId: '410000000000000002', isModerator: true };

let site: NewsSite;
let moderation: Moderation;
let library: Library;
let pages: Pages;
let poller: FeedPoller;
const added: { article: Article; feed: Feed }[] = [];

beforeAll(async () => {
  site = await startNewsSite();
  const data = freshDir('cited-data-');
  library = await Library.open({ corpusDir: tempCorpus({ 'talks.txt': 'Negotiators met in Geneva on Friday to discuss a ceasefire along the contact line.\n' }) }, join(data, 'removed'));
  pages = new Pages(library, { keepDir: join(data, 'pages'), fetch: { timeoutMs: 5000, allowPrivate: true } });
  const store = await openStore({ sqliteFile: join(data, 'cited.sqlite') });
  moderation = await Moderation.open(store, library, { corpusAdmins: [admin.userId], pages });
  // Every feed due at every round: the rounds are driven by the test, not by the clock.
  const ledger = moderation.feedLedger;
  const due: FeedLedger = { ...ledger, followedFeeds: async () => (await ledger.followedFeeds()).map((f) => ({ ...f, nextPollAt: 0 })) };
  poller = new FeedPoller(due, pages, { intervalMs: INTERVAL, onAdded: (article, feed) => void added.push({ article, feed }) });
});

afterAll(async () => {
  await poller?.stop();
  await pages?.close();
  await moderation?.close();
  await site?.stop();
});

const feedsNow = async () => (await moderation.feeds(admin)).map((f) => f.feed);

describe('reading feeds', () => {
  it('reads RSS 2.0, Atom and JSON Feed alike: keys, links, titles, dates, full text when carried', async () => {
    site.setFeed('r.rss', 'Wire & World', [{ story: stories.rail, fullText: true }, { story: stories.dam }]);
    site.setFeed('a.atom', 'Atom wire', [{ story: stories.rail, fullText: true }, { story: stories.dam }]);
    site.setFeed('j.json', 'JSON wire', [{ story: stories.rail, fullText: true }, { story: stories.dam }]);
    for (const name of ['r.rss', 'a.atom', 'j.json']) {
      const fetched = await fetchFeed(`${site.url}/feeds/${name}`, { timeoutMs: 5000, allowPrivate: true });
      if (fetched.notModified) throw new Error('not modified on a first fetch');
      const [rail, dam] = fetched.feed.items;
      expect(rail).toMatchObject({ url: `${site.url}/news/${stories.rail.slug}`, title: stories.rail.headline, date: '2026-11-21' });
      expect(rail!.html).toContain(stories.rail.paragraphs[1]);
      expect(dam!.html).toBe(null);
      expect(dam!.key).not.toBe(rail!.key);
    }
    expect(readFeed((await fetch(`${site.url}/feeds/r.rss`).then((r) => r.text())), site.url).title).toBe('Wire & World');
  });

  it('says what is wrong with an address that is not a feed', async () => {
    const pageError = await fetchFeed(`${site.url}/news/${stories.rail.slug}`, { timeoutMs: 5000, allowPrivate: true }).catch((e: unknown) => e);
    expect(isCitedError(pageError) && pageError.message).toBe(`${site.url}/news/${stories.rail.slug} is not a feed Cited can read: it is an HTML page (/sources add url: adds a page). Give the address of an RSS, Atom or JSON Feed.`);
    const pdfError = await fetchFeed(`${site.url}/report.pdf`, { timeoutMs: 5000, allowPrivate: true }).catch((e: unknown) => e);
    expect(isCitedError(pdfError) && pdfError.message).toBe(`${site.url}/report.pdf is not a feed Cited can read: it is application/pdf. Give the address of an RSS, Atom or JSON Feed.`);
  });
});

describe('following and polling', () => {
  const url = () => `${site.url}/feeds/world.rss`;

  it('only corpus admins may follow, and nothing is fetched for anyone else', async () => {
    site.setFeed('world.rss', 'World wire', [{ story: stories.rail }, { story: stories.dam, fullText: true }]);
    const before = site.requests.length;
    const refused = await moderation.followFeed(url(), stranger).catch((e: unknown) => e);
    expect(isCitedError(refused) && refused.code).toBe('NOT_A_CORPUS_ADMIN');
    expect(site.requests.length).toBe(before);
    await expect(moderation.feeds(stranger)).rejects.toThrow(/Only the corpus admins can see the feeds/);
  });

  it('follows a feed once; the first poll adds each item, from its page or from the full text the feed carries', async () => {
    const { feed, items } = await moderation.followFeed(url(), admin);
    expect(items).toBe(2);
    await expect(moderation.followFeed(url(), admin)).rejects.toThrow(`Feed #${feed.id} already follows ${url()}.`);
    await poller.pollDue();
    const rail = library.current.article('127.0.0.1-odesa-rail-reopens')!;
    const dam = library.current.article('127.0.0.1-reservoir-levels')!;
    // The rail item's page was fetched (JSON-LD metadata); the dam item came from content:encoded.
    expect(rail).toMatchObject({ outlet: 'Southern Wire', date: '2026-11-21', url: `${site.url}/news/${stories.rail.slug}` });
    expect(dam).toMatchObject({ title: stories.dam.headline, date: '2026-11-22', url: `${site.url}/news/${stories.dam.slug}` });
    expect(site.requests.filter((r) => r.path === `/news/${stories.dam.slug}`)).toHaveLength(0);
    expect(added.map((a) => a.article.id).sort()).toEqual([dam.id, rail.id].sort());
    const [state] = await feedsNow();
    expect(state).toMatchObject({ title: 'World wire', taken: 2, failures: 0, lastError: null, etag: '"world.rss-v1"', lastOutcome: '2 new items: 2 added, 0 already in the corpus, 0 failed' });
    expect(state!.nextPollAt - state!.lastFetchAt!).toBe(INTERVAL);
  });

  it('asks again with If-None-Match and takes the 304 as nothing new', async () => {
    await poller.pollDue();
    const last = site.requests.filter((r) => r.path === '/feeds/world.rss').at(-1)!;
    expect(last.headers['if-none-match']).toBe('"world.rss-v1"');
    expect(last.status).toBe(304);
    expect((await feedsNow())[0]).toMatchObject({ lastOutcome: 'not modified', taken: 2 });
  });

  it('a new version: only the new item is taken; a syndicated copy of an article already there is not', async () => {
    // The grain story first, then a copy of it by another outlet in the same feed.
    site.setFeed('world.rss', 'World wire', [
      { story: stories.rail },
      { story: stories.dam, fullText: true },
      { story: stories.grain },
      { story: { ...stories.grain, slug: 'syndicated-grain', headline: 'Black Sea grain deal back on the table', published: '2026-11-17T08:00:00Z' } },
    ]);
    added.length = 0;
    await poller.pollDue();
    expect(added.map((a) => a.article.id)).toEqual(['127.0.0.1-grain-corridor-talks']);
    const [state] = await feedsNow();
    expect(state).toMatchObject({ taken: 3, etag: '"world.rss-v2"', lastOutcome: '2 new items: 1 added, 1 already in the corpus, 0 failed' });
    expect(library.current.articles.filter((a) => a.id.includes('grain'))).toHaveLength(1);
  });

  it('a failing feed keeps its error and backs off, twice as long after each failure; a success resets it', async () => {
    site.failFeed('world.rss', true);
    await poller.pollDue();
    let [state] = await feedsNow();
    expect(state).toMatchObject({ failures: 1, lastError: `Could not fetch ${url()}: the server answered 500 Internal Server Error.` });
    expect(state!.nextPollAt - state!.lastErrorAt!).toBe(2 * INTERVAL);
    await poller.pollDue();
    [state] = await feedsNow();
    expect(state!.failures).toBe(2);
    expect(state!.nextPollAt - state!.lastErrorAt!).toBe(4 * INTERVAL);
    site.failFeed('world.rss', false);
    await poller.pollDue();
    [state] = await feedsNow();
    expect(state).toMatchObject({ failures: 0, lastOutcome: 'not modified', lastError: `Could not fetch ${url()}: the server answered 500 Internal Server Error.` });
    expect(state!.nextPollAt - state!.lastFetchAt!).toBe(INTERVAL);
  });

  it('an item whose page fails for a passing reason is tried again at the next poll; one that is no article is not', async () => {
    site.setFeed('world.rss', 'World wire', [
      { story: stories.rail },
      { story: stories.dam, fullText: true },
      { story: stories.grain },
      { story: stories.bridge, link: `${site.url}/error` },
      { story: { ...stories.power, slug: 'premium' }, link: `${site.url}/premium/inside` },
    ]);
    await poller.pollDue();
    let [state] = await feedsNow();
    expect(state!.lastOutcome).toBe('2 new items: 0 added, 0 already in the corpus, 2 failed');
    // Validators are not saved while an item waits to be tried again: the next poll is not a 304.
    expect(state!.etag).toBe('"world.rss-v2"');
    const errorsBefore = site.requests.filter((r) => r.path === '/error').length;
    const premiumBefore = site.requests.filter((r) => r.path === '/premium/inside').length;
    await poller.pollDue();
    [state] = await feedsNow();
    expect(state!.lastOutcome).toBe('1 new item: 0 added, 0 already in the corpus, 1 failed');
    expect(site.requests.filter((r) => r.path === '/error').length).toBe(errorsBefore + 1);
    expect(site.requests.filter((r) => r.path === '/premium/inside').length).toBe(premiumBefore);
    await poller.pollDue(); // the third and last try
    await poller.pollDue();
    [state] = await feedsNow();
    expect(site.requests.filter((r) => r.path === '/error').length).toBe(errorsBefore + 2);
    expect(state).toMatchObject({ lastOutcome: 'not modified', etag: '"world.rss-v3"' });
  });

  it('Atom and JSON feeds are polled the same way; unfollowing keeps their articles', async () => {
    site.setFeed('news.atom', 'Atom wire', [{ story: stories.bridge }]);
    site.setFeed('news.json', 'JSON wire', [{ story: stories.mobilisation, fullText: true }]);
    const atom = await moderation.followFeed(`${site.url}/feeds/news.atom`, admin);
    await moderation.followFeed(`${site.url}/feeds/news.json`, admin);
    added.length = 0;
    await poller.pollDue();
    expect(added.map((a) => a.article.id).sort()).toEqual(['127.0.0.1-mobilisation-rules', '127.0.0.1-pontoon-bridge']);
    const { feed } = await moderation.unfollowFeed(`#${atom.feed.id}`, admin);
    expect(feed).toMatchObject({ url: `${site.url}/feeds/news.atom`, taken: 1 });
    expect((await feedsNow()).map((f) => f.url)).toEqual([url(), `${site.url}/feeds/news.json`]);
    expect(library.current.article('127.0.0.1-pontoon-bridge')).toBeDefined();
    await expect(moderation.unfollowFeed('#999', admin)).rejects.toThrow('No feed followed is "#999".');
  });

  it('writes an audit entry for each article a feed added, by the feed, in the server that followed it', async () => {
    const log = await moderation.log(admin, 50);
    const adds = log.filter((e) => e.action === 'source-add');
    expect(adds.map((e) => e.target)).toContain('127.0.0.1-odesa-rail-reopens');
    expect(adds.every((e) => /^feed:\d+$/.test(e.actorId))).toBe(true);
    expect(log.map((e) => e.action)).toEqual(expect.arrayContaining(['feed-follow', 'feed-unfollow']));
  });
});
