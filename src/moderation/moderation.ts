/**
 * What moderators and members can do, independent of Discord: record answers, report them, keep
 * or retract them, suppress excerpts and sources, change the corpus, read the queue, the audit
 * log and the coverage gaps. This is the one place that decides who may do what, and where:
 *
 * - Every server is on its own. An action reaches only answers, reports and suppressions of the
 *   server it is invoked in; anything else is "not found" (the same words as for an id that does
 *   not exist, so nothing of another server leaks), and the refusal is written to the acting
 *   server's audit log. A report belongs to the server where the answer was posted; answers in
 *   direct messages have no moderators and cannot be reported.
 * - Mod-only actions check the actor's right here, whatever the client showed; a refusal is
 *   audited and never acted on. The adapter vouches for `isModerator` (only it knows Discord's
 *   permissions).
 * - The corpus is shared by every server: only the corpus admins (CORPUS_ADMINS) may change it —
 *   add articles (files, pages by address) and follow or unfollow news feeds. The right is checked
 *   before any page or feed is fetched, so nobody else can make the bot fetch anything.
 * - The store is private to this service. Suppressions are held in memory (loaded at start,
 *   changed here at once, refreshed from the database by `sync()` so other processes' changes
 *   arrive), so what is quoted never depends on the database being up. Answer records made while
 *   it is down are kept and written when it returns.
 */
import type { Article, Exclusions } from '../cited.js';
import { citedError, isCitedError } from '../core/errors.js';
import type { Library } from '../library.js';
import type { Pages } from '../pages/pages.js';
import type { FeedLedger } from '../feeds/poller.js';
import type { LeaseStore } from '../feeds/lease.js';
import { fetchFeed } from '../feeds/fetch-feed.js';
import { isOutage } from './outage.js';
import { LOCAL_PREFIX } from '../corpus/load.js';
import { DIRECT_MESSAGES, type Actor, type AnswerRecord, type AuditEntry, type Feed, type FeedItemRecord, type FeedPoll, type Gap, type ModerationStore, type Report, type ReviewChannel, type Suppression, type SuppressionKind } from './store.js';

/** A Discord server's id (a snowflake): not a direct message, not the console. */
const SERVER_ID = /^\d{1,20}$/;

/** Someone acting, as the adapter vouches for them. */
export interface Who extends Actor {
  /** Has Manage Messages in the server, or the moderator role. */
  isModerator: boolean;
}

/** How retractions reach the answer's message (the Discord adapter edits it; elsewhere: nothing to edit). */
export interface AnswerMessages {
  retracted(record: AnswerRecord, reason: string | null): Promise<void>;
  restored(record: AnswerRecord): Promise<void>;
}

/** What the service tells its operator: outages, and records written after one. */
/**
 * Where an added article goes: the shared corpus every server quotes (corpus admins only), or the
 * acting server's own library (its moderators; quoted there only). Left out, corpus admins add to
 * the shared corpus and other moderators to their server's.
 */
export type LibraryChoice = 'shared' | 'server';

export type ModerationEvent = (level: 'info' | 'warn' | 'error', message: string, detail: Record<string, unknown>) => void;

export interface ModerationOptions {
  /** User ids that may add and remove articles of the shared corpus (CORPUS_ADMINS). Nobody else may. */
  corpusAdmins?: Iterable<string>;
  /** Answer records held in memory while the database is down, at most (the oldest go first). Default 10,000. */
  maxPending?: number;
  /** Recently posted answers kept in memory for their buttons (More excerpts, Sources, Report). Default 5,000. */
  recentAnswers?: number;
  onEvent?: ModerationEvent;
  /** Pages from the web (`/sources add url:`, .html files, feeds); without it only .txt files can be added. */
  pages?: Pages;
  /** Feeds listed in configuration (FEEDS): followed at start, and named so by /sources unfollow. */
  configuredFeeds?: readonly string[];
}

/** The actor of what configuration does (FEEDS), in the audit log. */
export const CONFIGURATION = 'config';

export type NewAnswerRecord = Omit<AnswerRecord, 'retractedAt' | 'retractedBy'>;

const NOTHING_EXCLUDED: Exclusions = { sentenceIds: new Set(), articleIds: new Set() };
const NOT_FOUND_HERE = 'not found in this server';

export class Moderation {
  readonly #store: ModerationStore;
  readonly #library: Library;
  readonly #corpusAdmins: ReadonlySet<string>;
  readonly #maxPending: number;
  readonly #recentLimit: number;
  readonly #onEvent: ModerationEvent;
  /** Active suppressions by server, as answers read them. */
  #suppressions = new Map<string, { sentenceIds: Set<string>; articleIds: Set<string> }>();
  /** Bumped by every local change: a refresh that started before one is stale and is dropped. */
  #changes = 0;
  /** Answer records not yet written (the database was down), oldest first. */
  #pending: NewAnswerRecord[] = [];
  #flushing: Promise<void> | null = null;
  /** The last answers posted, newest last, so their buttons work without (or before) the database. */
  #recent = new Map<string, NewAnswerRecord>();
  messages: AnswerMessages | null = null;
  readonly #pages: Pages | null;
  readonly #configuredFeeds: ReadonlySet<string>;
  /** Told when a feed is followed, so the poller reads it at once. */
  onFeedsChanged: (() => void) | null = null;

  private constructor(store: ModerationStore, library: Library, options: ModerationOptions) {
    this.#store = store;
    this.#library = library;
    this.#corpusAdmins = new Set(options.corpusAdmins ?? []);
    this.#maxPending = options.maxPending ?? 10_000;
    this.#recentLimit = options.recentAnswers ?? 5_000;
    this.#onEvent = options.onEvent ?? (() => undefined);
    this.#pages = options.pages ?? null;
    this.#configuredFeeds = new Set(options.configuredFeeds ?? []);
  }

  /** The service over an opened store, with every server's suppressions loaded. */
  static async open(store: ModerationStore, library: Library, options: ModerationOptions = {}): Promise<Moderation> {
    const moderation = new Moderation(store, library, options);
    await moderation.#loadSuppressions();
    for (const url of moderation.#configuredFeeds) await store.followFeed(url, null, { guildId: CONFIGURATION, userId: CONFIGURATION });
    return moderation;
  }

  close(): Promise<void> {
    return this.#store.close();
  }

  /** What a server must never be shown (its active suppressions), from memory: no database needed. */
  exclusions(guildId: string): Exclusions {
    return this.#suppressions.get(guildId) ?? NOTHING_EXCLUDED;
  }

  /**
   * Writes answer records held during an outage and refreshes the suppressions from the database
   * (other processes' changes). Run it every few seconds; it never throws (an outage is logged).
   */
  async sync(): Promise<void> {
    await this.#flush();
    try {
      await this.#loadSuppressions();
    } catch (error) {
      if (!isOutage(error)) this.#onEvent('error', 'could not refresh suppressions', { err: error });
    }
  }

  /** Answer records waiting for the database. */
  get pendingRecords(): number {
    return this.#pending.length;
  }

  // --- Answers ---------------------------------------------------------------------------

  /**
   * Records an answer the bot posted (for reports, retractions and its buttons) and, when nothing
   * answered the question, counts it as a coverage gap. Never fails for an outage: the record is
   * kept and written when the database is back.
   */
  async recordAnswer(record: NewAnswerRecord): Promise<void> {
    this.#remember(record);
    if (this.#pending.length > 0) {
      this.#hold(record); // keep the order: earlier records are still waiting
      void this.#flush();
      return;
    }
    try {
      await this.#write(record);
    } catch (error) {
      if (!isOutage(error)) throw error;
      this.#onEvent('warn', 'moderation database unreachable: answer records are kept in memory until it is back', { err: error });
      this.#hold(record);
    }
  }

  /** Counts a question nothing answered, where no answer was posted to record (the console). */
  async recordGap(guildId: string, question: string): Promise<void> {
    await this.#db('The question could not be counted', () => this.#store.recordGap(guildId, question));
  }

  /**
   * A posted answer of this server, for its buttons: from memory when recent, else from the
   * database. Null when unknown, another server's, or the database is down and it is not in memory.
   */
  async postedAnswer(messageId: string, guildId: string): Promise<NewAnswerRecord | null> {
    let record: NewAnswerRecord | null = this.#recent.get(messageId) ?? null;
    if (!record) {
      try {
        record = await this.#store.answer(messageId);
      } catch (error) {
        if (!isOutage(error)) throw error;
        record = null;
      }
    }
    return record && record.guildId === guildId ? record : null;
  }

  // --- Reports ---------------------------------------------------------------------------

  /** A member reports an answer posted in their server; repeated reports of it join one review item. */
  async report(messageId: string, who: Who): Promise<{ report: Report; created: boolean; answer: AnswerRecord }> {
    if (who.guildId === DIRECT_MESSAGES) throw citedError('NOT_REVIEWABLE_HERE');
    const saving = 'Your report could not be saved';
    await this.#db(saving, () => this.#flush());
    const answer = await this.#answerIn(messageId, who, 'report an answer', saving);
    return { ...(await this.#db(saving, () => this.#store.report(messageId, who))), answer };
  }

  /**
   * Checks a moderator may act on an open report of their server (before a form asks them why);
   * returns the report and its answer.
   */
  async reviewable(reportId: number, who: Who, action: string): Promise<{ report: Report; answer: AnswerRecord }> {
    await this.requireModerator(who, action, `report ${reportId}`);
    const report = await this.#openReportIn(reportId, who, action);
    const answer = await this.#db('That could not be done', () => this.#store.answer(report.answerId));
    if (!answer) throw citedError('UNKNOWN_REPORT', reportId);
    return { report, answer };
  }

  /** A report of this server and its answer, in whatever state (to show it); null for anything else. */
  async reportIn(reportId: number, guildId: string): Promise<{ report: Report; answer: AnswerRecord } | null> {
    const report = await this.#db('That could not be read', () => this.#store.reportById(reportId));
    if (!report || report.guildId !== guildId) return null;
    const answer = await this.#db('That could not be read', () => this.#store.answer(report.answerId));
    return answer ? { report, answer } : null;
  }

  /** This server's open reports whose review message was never posted (after a failure or a crash). */
  unpostedReports(guildId: string): Promise<Report[]> {
    return this.#db('Pending reports could not be read', () => this.#store.unposted(guildId));
  }

  setReviewMessage(reportId: number, channelId: string, messageId: string): Promise<void> {
    return this.#db('The review message could not be saved', () => this.#store.setReviewMessage(reportId, channelId, messageId));
  }

  async keep(reportId: number, who: Who): Promise<Report> {
    await this.reviewable(reportId, who, 'keep an answer');
    const report = await this.#db('That could not be done', () => this.#store.resolve(reportId, 'kept', who));
    if (!report) throw citedError('UNKNOWN_REPORT', reportId);
    return report;
  }

  /** Retracts an answer of this server: the record stays, the message becomes a retraction notice, its open report closes. */
  async retract(messageId: string, who: Who): Promise<AnswerRecord> {
    await this.requireModerator(who, 'retract an answer', messageId);
    await this.#answerIn(messageId, who, 'retract an answer');
    const record = await this.#db('The retraction could not be saved', () => this.#store.retract(messageId, who));
    if (!record) throw citedError('ALREADY_RETRACTED');
    const open = await this.#db('The retraction could not be saved', () => this.#store.openReports(record.guildId));
    for (const report of open) if (report.answerId === messageId) await this.#db('The retraction could not be saved', () => this.#store.resolve(report.id, 'retracted', who));
    await this.messages?.retracted(record, who.reason ?? null);
    return record;
  }

  async unretract(messageId: string, who: Who): Promise<AnswerRecord> {
    await this.requireModerator(who, 'restore an answer', messageId);
    await this.#answerIn(messageId, who, 'restore an answer');
    const record = await this.#db('That could not be done', () => this.#store.unretract(messageId, who));
    if (!record) throw citedError('NOT_AN_ANSWER');
    await this.messages?.restored(record);
    return record;
  }

  // --- Suppressions ----------------------------------------------------------------------

  /** Suppresses every sentence of one excerpt of a reported answer (merged copies included). */
  async suppressExcerpt(reportId: number, excerpt: number, who: Who & { reason: string }): Promise<Suppression[]> {
    const { answer } = await this.reviewable(reportId, who, 'suppress an excerpt');
    const ids = answer.excerpts[excerpt]?.sentenceIds ?? [];
    if (ids.length === 0) throw citedError('NOT_SUPPRESSED', `excerpt ${excerpt + 1}`);
    const done = [];
    for (const id of ids) done.push(await this.#suppress('sentence', id, who));
    await this.#db('That could not be done', () => this.#store.resolve(reportId, 'suppressed', who));
    return done;
  }

  /** Suppresses a whole article from a reported answer. */
  async suppressReportedSource(reportId: number, articleId: string, who: Who & { reason: string }): Promise<Suppression> {
    await this.reviewable(reportId, who, 'suppress a source');
    const done = await this.suppress(articleId, who);
    await this.#db('That could not be done', () => this.#store.resolve(reportId, 'suppressed', who));
    return done;
  }

  /** Suppresses a sentence (an id with "#") or a whole article (an article id) in this server. */
  async suppress(target: string, who: Who & { reason: string }): Promise<Suppression> {
    await this.requireModerator(who, 'suppress excerpts or sources', target);
    return this.#suppress(this.#kindOf(target, who.guildId), target, who);
  }

  async unsuppress(target: string, who: Who): Promise<void> {
    await this.requireModerator(who, 'lift a suppression', target);
    const kind: SuppressionKind = target.includes('#') ? 'sentence' : 'source';
    if (!(await this.#db('That could not be done', () => this.#store.unsuppress(kind, target, who)))) throw citedError('NOT_SUPPRESSED', target);
    this.#changes++;
    this.#suppressions.get(who.guildId)?.[kind === 'sentence' ? 'sentenceIds' : 'articleIds'].delete(target);
  }

  async suppressed(who: Who): Promise<Suppression[]> {
    await this.requireModerator(who, 'see the suppressions', '');
    return this.#db('The suppressions could not be read', () => this.#store.suppressions(who.guildId));
  }

  // --- The desk --------------------------------------------------------------------------

  async queue(who: Who): Promise<{ report: Report; answer: AnswerRecord | null }[]> {
    await this.requireModerator(who, 'see the report queue', '');
    return this.#db('The report queue could not be read', async () => {
      const reports = await this.#store.openReports(who.guildId);
      return Promise.all(reports.map(async (report) => ({ report, answer: await this.#store.answer(report.answerId) })));
    });
  }

  async log(who: Who, limit: number): Promise<AuditEntry[]> {
    await this.requireModerator(who, 'read the audit log', '');
    return this.#db('The audit log could not be read', () => this.#store.auditLog(who.guildId, limit));
  }

  async gaps(who: Who, limit: number): Promise<Gap[]> {
    await this.requireModerator(who, 'see the coverage gaps', '');
    return this.#db('The coverage gaps could not be read', () => this.#store.gaps(who.guildId, limit));
  }

  // --- The review channel ----------------------------------------------------------------

  /**
   * Sets the acting server's review channel, where its reports are posted (null: none; reports then
   * wait in /moderation queue). `prepare` is the adapter's: it makes sure the channel is this
   * server's and that Cited can post there, and gives its name; it runs only after the rights are
   * checked, so nobody but a moderator can make Cited post anywhere. Returns the channel replaced.
   */
  async setReviewChannel(channelId: string | null, who: Who, prepare: (channelId: string, guildId: string) => Promise<string>): Promise<ReviewChannel | null> {
    await this.requireModerator(who, 'set the review channel', channelId ?? 'none');
    if (!SERVER_ID.test(who.guildId)) throw citedError('REVIEW_CHANNEL_NOT_HERE');
    const channel = channelId === null ? null : { channelId, name: await prepare(channelId, who.guildId) };
    return this.#db('The review channel could not be set', () => this.#store.setReviewChannel(channel, who));
  }

  /** The acting server's review channel, for its moderators. */
  async reviewChannel(who: Who): Promise<ReviewChannel | null> {
    await this.requireModerator(who, 'see the review channel', '');
    if (!SERVER_ID.test(who.guildId)) throw citedError('REVIEW_CHANNEL_NOT_HERE');
    return this.#db('The review channel could not be read', () => this.#store.reviewChannel(who.guildId));
  }

  /** Where server `guildId`'s reports go (for the adapter that posts them; no rights involved). */
  reviewChannelOf(guildId: string): Promise<ReviewChannel | null> {
    return this.#store.reviewChannel(guildId);
  }

  /** Every server's review channel (for posting what is pending). */
  reviewChannels(): Promise<ReviewChannel[]> {
    return this.#store.reviewChannels();
  }

  // --- The shared corpus -----------------------------------------------------------------

  /**
   * Adds an uploaded article: a .txt file as it is, an .html or .htm page extracted (its HTML kept
   * in DATA_DIR/pages), to the shared corpus or the acting server's own library (LibraryChoice).
   */
  async addSource(fileName: string, bytes: Uint8Array, who: Who, library?: LibraryChoice): Promise<Article> {
    const into = await this.#mayAdd(who, library, fileName);
    if (!/\.(txt|html?)$/i.test(fileName)) throw citedError('BAD_ARTICLE_FILE', fileName, 'only .txt, .html and .htm files can be added as articles');
    const pages = this.#pages;
    const guildId = into === 'server' ? who.guildId : undefined;
    const article =
      /\.html?$/i.test(fileName) && pages !== null
        ? await pages.add(await pages.fromFile(fileName, bytes), { uniqueName: false, ...(guildId ? { guildId } : {}) })
        : guildId
          ? await this.#library.addLocal(guildId, fileName, bytes)
          : await this.#library.add(fileName, bytes);
    await this.#auditAdd(article, who);
    return article;
  }

  /** Fetches the page at `url` and adds its article (checked for the right before anything is fetched). */
  async addPage(url: string, who: Who, library?: LibraryChoice): Promise<Article> {
    const into = await this.#mayAdd(who, library, url);
    const pages = this.#pagesOrRefuse();
    const article = await pages.add(await pages.fromUrl(url), { uniqueName: true, ...(into === 'server' ? { guildId: who.guildId } : {}) });
    await this.#auditAdd(article, who, url);
    return article;
  }

  /** Where `who` adds (see LibraryChoice), once their right to is checked (a refusal audited). */
  async #mayAdd(who: Who, library: LibraryChoice | undefined, target: string): Promise<LibraryChoice> {
    const into = library ?? (this.#corpusAdmins.has(who.userId) ? 'shared' : 'server');
    if (into === 'shared') await this.#requireCorpusAdmin(who, 'add articles', target);
    else {
      if (!this.#library.keepsLocal(who.guildId)) throw citedError('NO_SERVER_LIBRARY');
      await this.requireModerator(who, "add articles to this server's library", target);
    }
    return into;
  }

  async #auditAdd(article: Article, who: Actor, from?: string): Promise<void> {
    const local = article.id.startsWith(LOCAL_PREFIX) ? { library: 'server' } : {};
    await this.#audit({ guildId: who.guildId, actorId: who.userId, action: 'source-add', target: article.id, reason: who.reason ?? null, before: null, after: { file: article.file, title: article.title, outlet: article.outlet, url: article.url, sentences: article.sentences.length, ...local, ...(from ? { from } : {}) } });
  }

  #pagesOrRefuse(): Pages {
    if (this.#pages === null) throw citedError('MODERATION_UNAVAILABLE');
    return this.#pages;
  }

  /** Removes an article: a shared one (corpus admins), or one of the acting server's own (its moderators). */
  async removeSource(id: string, who: Who): Promise<Article> {
    if (id.startsWith(LOCAL_PREFIX)) await this.requireModerator(who, "remove articles from this server's library", id);
    else await this.#requireCorpusAdmin(who, 'remove articles', id);
    const article = await this.#library.remove(id, who.guildId);
    await this.#audit({ guildId: who.guildId, actorId: who.userId, action: 'source-remove', target: article.id, reason: who.reason ?? null, before: { file: article.file, title: article.title, outlet: article.outlet }, after: null });
    return article;
  }

  // --- News feeds ------------------------------------------------------------------------

  /**
   * Follows a feed: it is fetched and read first (a page, a dead address or a private one is
   * refused with the reason), then stored and polled at once. Returns it with its items now.
   */
  async followFeed(url: string, who: Who): Promise<{ feed: Feed; items: number }> {
    await this.#requireCorpusAdmin(who, 'follow feeds', url);
    const followed = (await this.#db('The feeds could not be read', () => this.#store.feeds())).find((f) => f.url === url);
    if (followed) throw citedError('FEED_FOLLOWED', url, followed.id);
    const fetched = await fetchFeed(url, this.#pagesOrRefuse().fetchSettings);
    const parsed = fetched.notModified ? null : fetched.feed;
    const { feed, created } = await this.#db('The feed could not be saved', () => this.#store.followFeed(url, parsed?.title ?? null, who));
    if (!created) throw citedError('FEED_FOLLOWED', url, feed.id);
    this.onFeedsChanged?.();
    return { feed, items: parsed?.items.length ?? 0 };
  }

  /** Stops following a feed, named by its number (`3` or `#3`) or its address. The articles taken from it stay. */
  async unfollowFeed(target: string, who: Who): Promise<{ feed: Feed; configured: boolean }> {
    await this.#requireCorpusAdmin(who, 'unfollow feeds', target);
    const feeds = await this.#db('The feeds could not be read', () => this.#store.feeds());
    const number = /^#?(\d+)$/.exec(target.trim())?.[1];
    const found = feeds.find((f) => (number !== undefined ? f.id === Number(number) : f.url === target.trim()));
    const feed = found && (await this.#db('The feed could not be changed', () => this.#store.unfollowFeed(found.id, who)));
    if (!feed) throw citedError('UNKNOWN_FEED', target);
    return { feed, configured: this.#configuredFeeds.has(feed.url) };
  }

  /** The feeds followed, with their last fetch, last error and articles taken. */
  async feeds(who: Who): Promise<{ feed: Feed; configured: boolean }[]> {
    await this.#requireCorpusAdmin(who, 'see the feeds', '');
    const feeds = await this.#db('The feeds could not be read', () => this.#store.feeds());
    return feeds.map((feed) => ({ feed, configured: this.#configuredFeeds.has(feed.url) }));
  }

  /**
   * What the feed poller reads and writes (no rights: it acts for the admins who followed the
   * feeds). An outage is thrown as STORE_UNAVAILABLE; the poller tries again later.
   */
  get feedLedger(): FeedLedger {
    return {
      followedFeeds: () => this.#db('The feeds could not be read', () => this.#store.feeds()),
      feedPolled: (id: number, poll: FeedPoll) => this.#db('The feed could not be saved', () => this.#store.feedPolled(id, poll)),
      feedItems: (url: string, keys: readonly string[]) => this.#db('The feed items could not be read', () => this.#store.feedItems(url, keys)),
      feedItemDone: async (feed: Feed, record: FeedItemRecord) => {
        await this.#db('The feed item could not be saved', () => this.#store.recordFeedItem(record));
        const article = record.outcome === 'added' && record.articleId !== null ? this.#library.current.article(record.articleId) : undefined;
        // Audited where the feed was followed, by the feed: the admin chose the feed, not the article.
        if (article) await this.#auditAdd(article, { guildId: feed.guildId, userId: `feed:${feed.id}` }, record.url ?? feed.url);
      },
    };
  }

  /**
   * The store's leases, for work one process among all sharing the database must do alone
   * (feeds/lease.ts). Errors come as they are: the lease keeper decides what an outage means.
   */
  get leases(): LeaseStore {
    const store = this.#store;
    return { takeLease: (...args) => store.takeLease(...args), releaseLease: (...args) => store.releaseLease(...args), lease: (...args) => store.lease(...args) };
  }

  // --- Rights ----------------------------------------------------------------------------

  /** Throws NOT_A_MODERATOR (after writing the refusal to the audit log) unless `who` moderates. */
  async requireModerator(who: Who, action: string, target: string): Promise<void> {
    if (who.isModerator && who.guildId !== DIRECT_MESSAGES) return;
    await this.#refuse(who, action, target, 'not a moderator');
    throw citedError('NOT_A_MODERATOR', action);
  }

  async #requireCorpusAdmin(who: Who, action: string, target: string): Promise<void> {
    if (this.#corpusAdmins.has(who.userId)) return;
    await this.#refuse(who, action, target, 'not a corpus admin');
    throw citedError('NOT_A_CORPUS_ADMIN', action);
  }

  /** An answer of the acting server, from the database; anything else is "not an answer", audited. */
  async #answerIn(messageId: string, who: Who, action: string, failing = 'That could not be done'): Promise<AnswerRecord> {
    const answer = await this.#db(failing, () => this.#store.answer(messageId));
    if (answer && answer.guildId === who.guildId) return answer;
    await this.#refuse(who, action, messageId, NOT_FOUND_HERE);
    throw citedError('NOT_AN_ANSWER');
  }

  /** An open report of the acting server; anything else is "not open", audited when it is not theirs. */
  async #openReportIn(reportId: number, who: Who, action: string): Promise<Report> {
    const report = await this.#db('That could not be done', () => this.#store.reportById(reportId));
    if (!report || report.guildId !== who.guildId) {
      await this.#refuse(who, action, `report ${reportId}`, NOT_FOUND_HERE);
      throw citedError('UNKNOWN_REPORT', reportId);
    }
    if (report.status !== 'open') throw citedError('UNKNOWN_REPORT', reportId);
    return report;
  }

  /** Writes a refusal to the acting server's audit log (an outage is logged, not thrown: the refusal stands). */
  async #refuse(who: Who, action: string, target: string, reason: string): Promise<void> {
    await this.#audit({ guildId: who.guildId, actorId: who.userId, action: 'refused', target: `${action} ${target}`.trim(), reason, before: null, after: null });
  }

  async #audit(entry: Omit<AuditEntry, 'id' | 'at'>): Promise<void> {
    try {
      await this.#store.audit(entry);
    } catch (error) {
      if (!isOutage(error)) throw error;
      this.#onEvent('warn', 'audit entry not written: the moderation database is unreachable', { entry });
    }
  }

  // --- Suppressions in memory ------------------------------------------------------------

  async #suppress(kind: SuppressionKind, target: string, who: Who & { reason: string }): Promise<Suppression> {
    const suppression = await this.#db('The suppression could not be saved', () => this.#store.suppress(kind, target, who));
    this.#changes++;
    this.#exclusionsOf(suppression.guildId)[kind === 'sentence' ? 'sentenceIds' : 'articleIds'].add(target);
    return suppression;
  }

  async #loadSuppressions(): Promise<void> {
    const startedAt = this.#changes;
    const all = await this.#store.allSuppressions();
    if (this.#changes !== startedAt) return; // a change made meanwhile is newer than what was read
    const next = new Map<string, { sentenceIds: Set<string>; articleIds: Set<string> }>();
    for (const s of all) {
      let entry = next.get(s.guildId);
      if (!entry) next.set(s.guildId, (entry = { sentenceIds: new Set(), articleIds: new Set() }));
      entry[s.kind === 'sentence' ? 'sentenceIds' : 'articleIds'].add(s.target);
    }
    this.#suppressions = next;
  }

  #exclusionsOf(guildId: string): { sentenceIds: Set<string>; articleIds: Set<string> } {
    let entry = this.#suppressions.get(guildId);
    if (!entry) this.#suppressions.set(guildId, (entry = { sentenceIds: new Set(), articleIds: new Set() }));
    return entry;
  }

  /** A target as the acting server knows it: a sentence or article of the shared corpus, or of its own library. */
  #kindOf(target: string, guildId: string): SuppressionKind {
    const library = this.#library.forServer(guildId);
    if (target.includes('#')) {
      if (!library.sentence(target)) throw citedError('UNKNOWN_SENTENCE', target);
      return 'sentence';
    }
    if (!library.article(target)) throw citedError('UNKNOWN_SOURCE', target);
    return 'source';
  }

  // --- Answer records through an outage ----------------------------------------------------

  async #write(record: NewAnswerRecord): Promise<void> {
    await this.#store.recordAnswer(record);
    if (record.abstained && record.offset === 0) await this.#store.recordGap(record.guildId, record.question, record.createdAt);
  }

  #remember(record: NewAnswerRecord): void {
    this.#recent.set(record.messageId, record);
    if (this.#recent.size > this.#recentLimit) this.#recent.delete(this.#recent.keys().next().value!);
  }

  #hold(record: NewAnswerRecord): void {
    this.#pending.push(record);
    if (this.#pending.length > this.#maxPending) {
      this.#pending.shift();
      this.#onEvent('warn', 'answer records dropped: the database has been down too long', { kept: this.#maxPending });
    }
  }

  /** Writes held records in order; stops at the first outage (one flush at a time). */
  #flush(): Promise<void> {
    if (this.#pending.length === 0) return Promise.resolve();
    this.#flushing ??= (async () => {
      let written = 0;
      try {
        while (this.#pending.length > 0) {
          await this.#write(this.#pending[0]!);
          this.#pending.shift();
          written++;
        }
      } catch (error) {
        if (!isOutage(error)) {
          this.#onEvent('error', 'an answer record could not be written; it is dropped', { err: error, message: this.#pending[0]?.messageId });
          this.#pending.shift();
        }
      } finally {
        this.#flushing = null;
        if (written > 0) this.#onEvent('info', 'answer records written after a database outage', { written, waiting: this.#pending.length });
      }
    })();
    return this.#flushing;
  }

  /** Runs a store call; an outage becomes a CitedError that says `what` failed and to try again later. */
  async #db<T>(what: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (isCitedError(error) || !isOutage(error)) throw error;
      this.#onEvent('warn', 'moderation database unreachable', { err: error });
      throw citedError('STORE_UNAVAILABLE', what);
    }
  }
}
