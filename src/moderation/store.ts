/**
 * What moderation remembers, behind one interface with two implementations: SQLite (the embedded
 * default, a file under data/) and PostgreSQL (DATABASE_URL; several bot processes or shards share
 * it). Both pass the same contract tests (test/moderation-store.contract.ts).
 *
 * Every action that changes state writes its audit entry in the same transaction, so the log can
 * never disagree with what happened; a report is stored before anything is posted to Discord.
 * Times are milliseconds since the epoch; "guild" is the Discord server ("console" for the console,
 * "dm" for direct messages).
 *
 * The store answers what it is asked; which server may see or change what is decided by the
 * moderation service (moderation.ts), the only caller. Audit entries are written in the server
 * whose answer, report or suppression changed.
 */

/** Where answers given in direct messages are kept: a place of their own, where nobody moderates. */
export const DIRECT_MESSAGES = 'dm';

/** One answer the bot posted. */
export interface AnswerRecord {
  /** The Discord message id of the answer. */
  messageId: string;
  guildId: string;
  channelId: string;
  askerId: string;
  question: string;
  /** Article the answer was limited to (/ask source:), if any. */
  source: string | null;
  /** Which page of excerpts the message shows (0 for the first). */
  offset: number;
  /** Quoted sentences, excerpt by excerpt (each excerpt's quoted and merged sentence ids). */
  excerpts: { sentenceIds: string[]; score: number }[];
  abstained: boolean;
  createdAt: number;
  retractedAt: number | null;
  retractedBy: string | null;
}

export type ReportStatus = 'open' | 'kept' | 'retracted' | 'suppressed';

export interface Reporter {
  userId: string;
  reason: string | null;
  at: number;
}

/** One review item per reported answer; more reports of the same answer add reporters to it. */
export interface Report {
  id: number;
  guildId: string;
  answerId: string;
  status: ReportStatus;
  reporters: Reporter[];
  /** Where the review message was posted; null until it has been (it is posted again on recovery). */
  reviewChannelId: string | null;
  reviewMessageId: string | null;
  createdAt: number;
  updatedAt: number;
  resolvedBy: string | null;
}

export type SuppressionKind = 'sentence' | 'source';

export interface Suppression {
  id: number;
  guildId: string;
  kind: SuppressionKind;
  /** A sentence id or an article id. */
  target: string;
  reason: string;
  by: string;
  at: number;
}

export interface AuditEntry {
  id: number;
  guildId: string;
  actorId: string;
  /** e.g. report, keep, retract, unretract, suppress, unsuppress, source-add, source-remove, refused. */
  action: string;
  target: string;
  reason: string | null;
  /** State before and after, as JSON-able values (null when there was none). */
  before: unknown;
  after: unknown;
  at: number;
}

export interface Gap {
  question: string;
  count: number;
  lastAskedAt: number;
}

/** A news feed the corpus admins follow (README, "News feeds"). */
export interface Feed {
  id: number;
  url: string;
  /** The feed's own title, as last read. */
  title: string | null;
  /** Who followed it ("config" for a feed listed in FEEDS), and in which server. */
  addedBy: string;
  guildId: string;
  addedAt: number;
  /** Validators of the last answer, sent back as If-None-Match / If-Modified-Since. */
  etag: string | null;
  lastModified: string | null;
  /** The last fetch that reached the feed, and what it found ("3 new items", "not modified"…). */
  lastFetchAt: number | null;
  lastOutcome: string | null;
  /** The last failure, kept after a later success so it can still be read. */
  lastError: string | null;
  lastErrorAt: number | null;
  /** Failures in a row (0 after a success): the backoff grows with it. */
  failures: number;
  /** When it is polled next. */
  nextPollAt: number;
  /** Articles added to the corpus from it, over every time it was followed. */
  taken: number;
}

/** What became of one feed item. */
export type FeedItemOutcome = 'added' | 'duplicate' | 'failed';

export interface FeedItemRecord {
  feedId: number;
  /** The item's guid / id, else its link. */
  key: string;
  url: string | null;
  outcome: FeedItemOutcome;
  /** The article added, or the one it duplicates. */
  articleId: string | null;
  /** Why it failed, or how it duplicates. */
  detail: string | null;
  /** Times it was tried (a passing failure is tried again, up to a limit). */
  attempts: number;
  /** A failure that may pass (a timeout, a 5xx): tried again at a later poll. */
  retry: boolean;
  at: number;
}

/** A feed's state after a poll. */
export interface FeedPoll {
  at: number;
  title?: string | null;
  etag?: string | null;
  lastModified?: string | null;
  /** What the fetch found, when it reached the feed; the error when it did not. */
  outcome?: string;
  error?: string;
  failures: number;
  nextPollAt: number;
}

/**
 * A named lease: one holder at a time, until it expires unless renewed. Processes sharing the
 * database use it for work only one of them may do (polling the feeds: feeds/lease.ts).
 */
export interface Lease {
  name: string;
  /** Who holds it: a process's own name (host, pid and a random part). */
  holder: string;
  /** When it lapses unless renewed, in milliseconds since the epoch on the database's clock. */
  expiresAt: number;
}

/** Where a server's reports are posted for its moderators (set with /moderation channel). */
export interface ReviewChannel {
  guildId: string;
  channelId: string;
  /** The channel's name when it was set, for messages that cannot mention it. */
  name: string;
  by: string;
  at: number;
}

/** Who does something, and why (written to the audit log with the action). */
export interface Actor {
  guildId: string;
  userId: string;
  reason?: string | null;
  at?: number;
}

export interface ModerationStore {
  /** Creates or upgrades the schema; safe to call on every start. */
  migrate(): Promise<void>;
  close(): Promise<void>;

  recordAnswer(record: Omit<AnswerRecord, 'retractedAt' | 'retractedBy'>): Promise<void>;
  answer(messageId: string): Promise<AnswerRecord | null>;
  /** Marks an answer retracted (null if unknown, or already retracted: then nothing changes). */
  retract(messageId: string, actor: Actor): Promise<AnswerRecord | null>;
  unretract(messageId: string, actor: Actor): Promise<AnswerRecord | null>;

  /**
   * Adds a reporter to the answer's review item, creating it if needed; `created` tells which. The
   * item belongs to the answer's server (the caller checks the reporter is in it).
   */
  report(answerId: string, reporter: Actor): Promise<{ report: Report; created: boolean }>;
  reportById(id: number): Promise<Report | null>;
  setReviewMessage(reportId: number, channelId: string, messageId: string): Promise<void>;
  /** A server's open reports whose review message was never posted (for recovery after a failure or crash). */
  unposted(guildId: string): Promise<Report[]>;
  openReports(guildId: string): Promise<Report[]>;
  /** Closes a report with a verdict (null if it is not open). */
  resolve(reportId: number, status: Exclude<ReportStatus, 'open'>, actor: Actor): Promise<Report | null>;

  /** Suppresses a sentence or source in a guild (returns the existing one if already suppressed). */
  suppress(kind: SuppressionKind, target: string, actor: Actor & { reason: string }): Promise<Suppression>;
  /** Lifts a suppression; false if there was none. */
  unsuppress(kind: SuppressionKind, target: string, actor: Actor): Promise<boolean>;
  suppressions(guildId: string): Promise<Suppression[]>;
  /** Every server's active suppressions (the in-memory copy that answers read is made from them). */
  allSuppressions(): Promise<Suppression[]>;

  /** Writes an audit entry on its own (refusals, source changes). */
  audit(entry: Omit<AuditEntry, 'id' | 'at'> & { at?: number }): Promise<void>;
  auditLog(guildId: string, limit: number): Promise<AuditEntry[]>;

  /** Counts a question the bot could not answer. */
  recordGap(guildId: string, question: string, at?: number): Promise<void>;
  gaps(guildId: string, limit: number): Promise<Gap[]>;

  /**
   * Follows a feed (audited as feed-follow); when it is already followed, returns that one with
   * `created` false and changes nothing. A feed followed again after an unfollow is a new row;
   * the items its earlier rows took still count as seen (`feedItems` looks them up by URL).
   */
  followFeed(url: string, title: string | null, actor: Actor): Promise<{ feed: Feed; created: boolean }>;
  /** Stops following (audited as feed-unfollow); null when no followed feed has that id. */
  unfollowFeed(id: number, actor: Actor): Promise<Feed | null>;
  /** Feeds followed now, in the order they were followed. */
  feeds(): Promise<Feed[]>;
  /** Records a poll: its outcome or error, validators, failures in a row, next poll. */
  feedPolled(id: number, poll: FeedPoll): Promise<void>;
  /** Makes a feed due now (a newly followed one polls at once). */
  pollFeedNow(id: number): Promise<void>;
  /** What is recorded of these items of the feed at `url` (under any row that followed that URL). */
  feedItems(url: string, keys: readonly string[]): Promise<FeedItemRecord[]>;
  /** Records what became of an item (replacing an earlier record of it under this feed). */
  recordFeedItem(item: FeedItemRecord): Promise<void>;

  /**
   * Takes lease `name` for `holder` for `ttlMs` when nobody holds it or its holder let it expire,
   * or renews it when `holder` holds it already; returns it then, or null while another holds it.
   * Atomic: of processes asking at the same moment, one gets it. Time is the database's clock, one
   * clock for every machine (`at` stands in for it in tests).
   */
  takeLease(name: string, holder: string, ttlMs: number, at?: number): Promise<Lease | null>;
  /** Gives the lease up, so another may take it at once; false when `holder` did not hold it. */
  releaseLease(name: string, holder: string): Promise<boolean>;
  /** The lease as it stands; null when nobody holds it or it has expired. */
  lease(name: string, at?: number): Promise<Lease | null>;

  /**
   * Sets the actor's server's review channel (null: none), audited in the same transaction; returns
   * the one it replaces (null when there was none).
   */
  setReviewChannel(channel: { channelId: string; name: string } | null, actor: Actor): Promise<ReviewChannel | null>;
  reviewChannel(guildId: string): Promise<ReviewChannel | null>;
  /** Every server's review channel. */
  reviewChannels(): Promise<ReviewChannel[]>;
}

/** Questions are counted together when they differ only in case, spacing and end punctuation. */
export function gapKey(question: string): string {
  return question.toLowerCase().replace(/\s+/g, ' ').replace(/[\s?!.]+$/, '').trim();
}
