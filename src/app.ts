/**
 * Puts the parts together the same way for every adapter: the corpus (as a Library that can
 * change while running), the moderation store, moderation on top of both, and the answers service
 * every adapter asks through.
 */
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import { Answers } from './answers.js';
import { bundledCorpus, type LoadWarning, type UserOptions } from './cited.js';
import type { Config } from './config.js';
import { Library } from './library.js';
import { Moderation, type ModerationEvent } from './moderation/moderation.js';
import { openStore } from './moderation/open-store.js';
import { Pages } from './pages/pages.js';
import { FeedPoller } from './feeds/poller.js';
import { CorpusSync } from './shared-corpus/sync.js';

export interface App {
  library: Library;
  moderation: Moderation;
  answers: Answers;
  /** Articles from the web: pages by address, .html files, feed items. */
  pages: Pages;
  /** The feed poller; not running until `feeds.start()` (the console and one bot process start it). */
  feeds: FeedPoller;
  close(): Promise<void>;
}

export interface Reporting {
  onWarning: (warning: LoadWarning) => void;
  onNote?: (message: string) => void;
  onProgress?: (done: number, total: number) => void;
  /** Moderation's news: database outages, records written after one. */
  onModeration?: ModerationEvent;
  /** The feed poller's news: polls, failed fetches. */
  onFeeds?: ModerationEvent;
  /** The shared corpus database's news (DATABASE_URL): seeding, outages, changes not applied. */
  onCorpus?: ModerationEvent;
}

/**
 * How often moderation writes answer records held during a database outage and reloads the
 * suppressions (so a suppression made by another process sharing the database applies here within
 * this time).
 */
export const MODERATION_SYNC_MS = 5_000;

export async function openApp(config: Config, reporting: Reporting, extra: { corpusAdmins?: readonly string[] } = {}): Promise<App> {
  // The store first: a database that is down fails start-up in seconds, before minutes of analysis.
  const store = await openStore({ ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}), sqliteFile: join(config.dataDir, 'cited.sqlite') });
  let library: Library;
  let moderation: Moderation;
  let pages: Pages | undefined;
  let sync: CorpusSync | undefined;
  try {
    // The core's options only: they cross to the rebuild worker, which takes no moderation callback.
    const { onModeration, onFeeds, onCorpus, ...loading } = reporting;
    const serversDir = join(config.dataDir, 'servers');
    const removedDir = join(config.dataDir, 'removed-sources');
    let corpus = citedOptions(config);
    if (config.databaseUrl) {
      // PostgreSQL holds the corpus; this process's folder is a copy (shared-corpus/sync.ts).
      const mirrorDir = join(config.dataDir, 'corpus');
      sync = await CorpusSync.open(config.databaseUrl, { seedDir: corpus.corpusDir!, mirrorDir, serversDir, removedDir }, onCorpus);
      corpus = citedOptions({ corpusDir: mirrorDir, dataDir: config.dataDir });
    }
    library = await Library.open({ ...corpus, ...loading }, removedDir, { serversDir, ...(sync ? { ledger: sync } : {}) });
    await sync?.start(library);
    pages = new Pages(library, { keepDir: join(config.dataDir, 'pages'), fetch: { timeoutMs: config.fetchTimeoutSeconds * 1000, allowPrivate: config.allowPrivateUrls } });
    moderation = await Moderation.open(store, library, {
      corpusAdmins: [...config.corpusAdmins, ...(extra.corpusAdmins ?? [])],
      ...(onModeration ? { onEvent: onModeration } : {}),
      pages,
      configuredFeeds: config.feeds,
    });
  } catch (error) {
    await sync?.close().catch(() => undefined);
    await pages?.close().catch(() => undefined);
    await store.close().catch(() => undefined);
    throw error;
  }
  const feeds = new FeedPoller(moderation.feedLedger, pages, { intervalMs: config.feedPollSeconds * 1000, ...(reporting.onFeeds ? { onEvent: reporting.onFeeds } : {}) });
  moderation.onFeedsChanged = () => feeds.wake();
  const moderationSync = setInterval(() => void moderation.sync(), MODERATION_SYNC_MS);
  moderationSync.unref();
  const corpusSync = sync;
  return {
    library,
    moderation,
    answers: new Answers(library, moderation),
    pages,
    feeds,
    async close() {
      // Answer records still held for an outage are lost here: the database did not come back in time.
      clearInterval(moderationSync);
      await corpusSync?.close();
      library.close();
      await feeds.stop();
      await pages.close();
      await moderation.close();
    },
  };
}

/** Options for the core from the configuration: the corpus folder and its index snapshot in DATA_DIR. */
export function citedOptions(config: Pick<Config, 'corpusDir' | 'dataDir'>): UserOptions {
  const corpusDir = resolve(config.corpusDir ?? bundledCorpus);
  // One snapshot per corpus folder, so switching folders never overwrites another's.
  const name = `index-${createHash('sha1').update(corpusDir).digest('hex').slice(0, 12)}.snapshot`;
  return { corpusDir, snapshot: join(config.dataDir, name) };
}
