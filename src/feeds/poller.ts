/**
 * Polls the followed feeds and adds their new items to the corpus. It never holds the bot: the
 * network is async, pages are extracted on a worker thread (pages/off-thread.ts), and articles are
 * added one at a time through `Pages.add` → `Library.add` (which rebuilds the index off the main
 * thread). One feed is polled at a time.
 *
 * - **When**: every `intervalMs` (FEED_POLL_SECONDS, default 15 minutes) after its last poll; a
 *   newly followed feed at once. A feed that fails waits twice as long after each failure in a row
 *   (interval × 2, × 4, …, at most a day) and its error is kept for `/sources feeds`.
 * - **Conditional requests**: the feed's ETag and Last-Modified go back as If-None-Match and
 *   If-Modified-Since; a 304 costs no parsing. They are saved only once every item of that version
 *   was dealt with, so items left for a later poll are not hidden behind a 304.
 * - **Items**: new ones newest first, at most MAX_ITEMS_PER_POLL per poll. An item whose full text
 *   the feed carries (content:encoded, Atom content, JSON content_html/content_text) and which is
 *   long enough to be an article is added from it; otherwise its page is fetched and extracted,
 *   with the item's title and date as fallbacks. An item already in the corpus — the same address,
 *   or near-identical text from another outlet (pages/duplicates.ts) — is recorded as a duplicate,
 *   not added. A page that failed for a passing reason (a timeout, a 5xx) is tried again at the
 *   next polls, MAX_ITEM_ATTEMPTS times in all; one that is not an article is not.
 * - What became of every item is kept in the moderation store, so a restart neither loses nor
 *   repeats anything.
 */
import type { Article } from '../core/types.js';
import { isCitedError } from '../core/errors.js';
import type { Feed, FeedItemRecord, FeedPoll } from '../moderation/store.js';
import { checkEnough, fragmentLines } from '../pages/extract.js';
import { PassingFetchError } from '../pages/fetch.js';
import { MAX_BACKOFF_MS, MAX_ITEM_ATTEMPTS, MAX_ITEMS_PER_POLL } from '../pages/limits.js';
import { DuplicateArticleError, type Pages, type PreparedArticle } from '../pages/pages.js';
import { fetchFeed } from './fetch-feed.js';
import type { FeedItem } from './read-feed.js';

/** What the poller reads and writes of the feeds (the moderation service, which keeps the store). */
export interface FeedLedger {
  followedFeeds(): Promise<Feed[]>;
  feedPolled(id: number, poll: FeedPoll): Promise<void>;
  feedItems(url: string, keys: readonly string[]): Promise<FeedItemRecord[]>;
  /** Records an item's outcome (and, for an added article, the audit entry). */
  feedItemDone(feed: Feed, record: FeedItemRecord): Promise<void>;
}

export interface PollerOptions {
  intervalMs: number;
  /** An article was added from a feed (the bot announces it). */
  onAdded?: (article: Article, feed: Feed) => void | Promise<void>;
  onEvent?: (level: 'info' | 'warn' | 'error', message: string, detail: Record<string, unknown>) => void;
}

export class FeedPoller {
  readonly #ledger: FeedLedger;
  readonly #pages: Pages;
  readonly #intervalMs: number;
  readonly #onEvent: NonNullable<PollerOptions['onEvent']>;
  onAdded: PollerOptions['onAdded'];
  #running: Promise<void> | null = null;
  #stopping = new AbortController();
  #wake: (() => void) | null = null;
  #woken = false;

  constructor(ledger: FeedLedger, pages: Pages, options: PollerOptions) {
    this.#ledger = ledger;
    this.#pages = pages;
    this.#intervalMs = options.intervalMs;
    this.onAdded = options.onAdded;
    this.#onEvent = options.onEvent ?? (() => undefined);
  }

  /** Starts polling in the background; again after a stop (the feed lease comes and goes: feeds/lease.ts). */
  start(): void {
    if (this.#running) return;
    if (this.#stopping.signal.aborted) this.#stopping = new AbortController();
    this.#running = this.#loop();
  }

  /** Polls what is due now instead of sleeping on (a feed was just followed). */
  wake(): void {
    this.#woken = true;
    this.#wake?.();
  }

  /** Stops polling: a fetch under way is aborted, an add under way finishes. */
  async stop(): Promise<void> {
    this.#stopping.abort(new Error('the feed poller is stopping'));
    this.#wake?.();
    await this.#running;
    this.#running = null;
  }

  /** One round: every followed feed that is due is polled. Returns when the next one is due. */
  async pollDue(): Promise<number> {
    const now = Date.now();
    for (const feed of await this.#ledger.followedFeeds()) {
      if (this.#stopping.signal.aborted) break;
      if (feed.nextPollAt <= now) await this.#poll(feed);
    }
    const feeds = await this.#ledger.followedFeeds();
    return feeds.reduce((next, f) => Math.min(next, f.nextPollAt), Date.now() + this.#intervalMs);
  }

  async #loop(): Promise<void> {
    while (!this.#stopping.signal.aborted) {
      let next = Date.now() + this.#intervalMs;
      this.#woken = false;
      try {
        next = await this.pollDue();
      } catch (error) {
        // The store unreachable (or a bug): logged, and tried again within the interval or a minute.
        next = Date.now() + Math.min(this.#intervalMs, 60_000);
        this.#onEvent(isCitedError(error) ? 'warn' : 'error', 'feed polling failed', { err: error });
      }
      if (this.#woken) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(100, next - Date.now()));
        timer.unref();
        this.#wake = () => (clearTimeout(timer), resolve());
      });
      this.#wake = null;
    }
  }

  async #poll(feed: Feed): Promise<void> {
    const at = Date.now();
    let fetched;
    try {
      fetched = await fetchFeed(feed.url, this.#pages.fetchSettings, { etag: feed.etag, lastModified: feed.lastModified }, this.#stopping.signal);
    } catch (error) {
      if (this.#stopping.signal.aborted) return;
      const failures = feed.failures + 1;
      const message = error instanceof Error ? error.message : String(error);
      await this.#ledger.feedPolled(feed.id, { at, error: message, failures, nextPollAt: at + Math.min(this.#intervalMs * 2 ** failures, Math.max(MAX_BACKOFF_MS, this.#intervalMs)) });
      this.#onEvent(isCitedError(error) ? 'warn' : 'error', 'feed fetch failed', { feed: feed.id, url: feed.url, failures, err: isCitedError(error) ? message : error });
      return;
    }
    const next = at + this.#intervalMs;
    if (fetched.notModified) {
      await this.#ledger.feedPolled(feed.id, { at, outcome: 'not modified', failures: 0, nextPollAt: next, etag: fetched.etag, lastModified: fetched.lastModified });
      this.#onEvent('info', 'feed polled', { feed: feed.id, url: feed.url, outcome: 'not modified' });
      return;
    }
    const { items, title } = fetched.feed;
    const known = new Map((await this.#ledger.feedItems(feed.url, items.map((i) => i.key))).map((r) => [r.key, r]));
    const due = items
      .filter((item) => {
        const record = known.get(item.key);
        return !record || (record.outcome === 'failed' && record.retry && record.attempts < MAX_ITEM_ATTEMPTS);
      })
      .sort((a, b) => b.publishedAt - a.publishedAt);
    const taking = due.slice(0, MAX_ITEMS_PER_POLL);
    const counts = { added: 0, duplicate: 0, failed: 0 };
    let retryLater = false;
    for (const item of taking) {
      if (this.#stopping.signal.aborted) return;
      const record = await this.#take(feed, item, known.get(item.key)?.attempts ?? 0);
      counts[record.outcome]++;
      retryLater ||= record.retry && record.attempts < MAX_ITEM_ATTEMPTS;
    }
    // Validators saved only when nothing of this version waits for a later poll (see above).
    const settled = due.length === taking.length && !retryLater;
    const outcome = taking.length === 0 ? 'no new items' : `${taking.length} new item${taking.length === 1 ? '' : 's'}: ${counts.added} added, ${counts.duplicate} already in the corpus, ${counts.failed} failed${due.length > taking.length ? ` (${due.length - taking.length} left for the next poll)` : ''}`;
    await this.#ledger.feedPolled(feed.id, { at, title, outcome, failures: 0, nextPollAt: next, ...(settled ? { etag: fetched.etag, lastModified: fetched.lastModified } : {}) });
    this.#onEvent('info', 'feed polled', { feed: feed.id, url: feed.url, outcome });
  }

  /** Adds one item (from the feed's full text, or its page) and records what became of it. */
  async #take(feed: Feed, item: FeedItem, attemptsBefore: number): Promise<FeedItemRecord> {
    const record: FeedItemRecord = { feedId: feed.id, key: item.key, url: item.url, outcome: 'failed', articleId: null, detail: null, attempts: attemptsBefore + 1, retry: false, at: Date.now() };
    let article: Article | null = null;
    try {
      // Already in the corpus under this address: no need to fetch it.
      const known = item.url ? await this.#pages.duplicateOf([item.url]) : null;
      if (known) {
        Object.assign(record, { outcome: 'duplicate', articleId: known.article.id, detail: known.how });
      } else {
        article = await this.#pages.add(await this.#prepare(feed, item), { uniqueName: true });
        Object.assign(record, { outcome: 'added', articleId: article.id });
      }
    } catch (error) {
      if (error instanceof DuplicateArticleError) Object.assign(record, { outcome: 'duplicate', articleId: error.articleId, detail: error.message });
      else {
        Object.assign(record, { detail: error instanceof Error ? error.message : String(error), retry: error instanceof PassingFetchError || !isCitedError(error) });
        if (!isCitedError(error)) this.#onEvent('error', 'a feed item could not be added', { feed: feed.id, item: item.key, err: error });
      }
    }
    await this.#ledger.feedItemDone(feed, record);
    if (article) {
      try {
        await this.onAdded?.(article, feed);
      } catch (error) {
        this.#onEvent('warn', 'announcing an article failed', { article: article.id, err: error });
      }
    }
    return record;
  }

  async #prepare(feed: Feed, item: FeedItem): Promise<PreparedArticle> {
    const meta = { title: item.title, date: item.date, url: item.url, outlet: null };
    const what = item.url ?? `${feed.url} (item ${item.key})`;
    const full = item.html !== null ? fragmentLines(item.html) : item.text !== null ? item.text.split(/\n+/).map((l) => l.replace(/\s+/g, ' ').trim()).filter(Boolean) : [];
    if (full.length > 0 && isEnough(full)) return this.#pages.fromText(meta, full, item.html, what);
    if (item.url) return this.#pages.fromUrl(item.url, { title: item.title, date: item.date }, this.#stopping.signal);
    return this.#pages.fromText(meta, full, item.html, what); // refused as too short, with the reason
  }
}

function isEnough(paragraphs: string[]): boolean {
  try {
    checkEnough(paragraphs, '');
    return true;
  } catch {
    return false;
  }
}
