/**
 * The moderation store in SQL, shared by both databases: the schema, its migrations and every
 * query are written once here; `sqlite.ts` and `postgres.ts` only say how to run a statement and a
 * transaction. SQL uses `?` placeholders (PostgreSQL's driver turns them into $1, $2…).
 */
import type { Actor, AnswerRecord, AuditEntry, Feed, FeedItemOutcome, FeedItemRecord, FeedPoll, Gap, Lease, ModerationStore, Report, ReportStatus, ReviewChannel, Suppression, SuppressionKind } from './store.js';
import { gapKey } from './store.js';
import { SqlLeaseQueries } from './sql-leases.js';

export type Row = Record<string, unknown>;

/** How to talk to one database. */
export interface SqlDriver {
  readonly dialect: 'sqlite' | 'postgres';
  query(sql: string, params?: unknown[]): Promise<Row[]>;
  /** Runs `work` in one transaction, with a handle whose queries belong to it. */
  transaction<T>(work: (tx: Pick<SqlDriver, 'query'>) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Migrations, in order; a database records how many it has applied. Never edit one that shipped. */
function migrations(dialect: SqlDriver['dialect']): string[][] {
  const id = dialect === 'postgres' ? 'BIGSERIAL PRIMARY KEY' : 'INTEGER PRIMARY KEY AUTOINCREMENT';
  const time = 'BIGINT';
  return [
    [
      `CREATE TABLE answers (
        message_id TEXT PRIMARY KEY, guild_id TEXT NOT NULL, channel_id TEXT NOT NULL, asker_id TEXT NOT NULL,
        question TEXT NOT NULL, source TEXT, page_offset INTEGER NOT NULL, excerpts TEXT NOT NULL,
        abstained INTEGER NOT NULL, created_at ${time} NOT NULL, retracted_at ${time}, retracted_by TEXT)`,
      `CREATE TABLE reports (
        id ${id}, guild_id TEXT NOT NULL, answer_id TEXT NOT NULL, status TEXT NOT NULL,
        review_channel_id TEXT, review_message_id TEXT, created_at ${time} NOT NULL, updated_at ${time} NOT NULL, resolved_by TEXT)`,
      // One open review item per answer: concurrent reports of it meet here.
      `CREATE UNIQUE INDEX reports_open_answer ON reports (answer_id) WHERE status = 'open'`,
      `CREATE TABLE reporters (
        report_id BIGINT NOT NULL REFERENCES reports (id), user_id TEXT NOT NULL, reason TEXT, at ${time} NOT NULL,
        PRIMARY KEY (report_id, user_id))`,
      `CREATE TABLE suppressions (
        id ${id}, guild_id TEXT NOT NULL, kind TEXT NOT NULL, target TEXT NOT NULL, reason TEXT NOT NULL,
        by_user TEXT NOT NULL, at ${time} NOT NULL, lifted_at ${time}, lifted_by TEXT)`,
      `CREATE UNIQUE INDEX suppressions_active ON suppressions (guild_id, kind, target) WHERE lifted_at IS NULL`,
      `CREATE TABLE audit (
        id ${id}, guild_id TEXT NOT NULL, actor_id TEXT NOT NULL, action TEXT NOT NULL, target TEXT NOT NULL,
        reason TEXT, before_state TEXT, after_state TEXT, at ${time} NOT NULL)`,
      `CREATE INDEX audit_guild ON audit (guild_id, id)`,
      `CREATE TABLE gaps (
        guild_id TEXT NOT NULL, question TEXT NOT NULL, asked INTEGER NOT NULL, last_asked_at ${time} NOT NULL,
        PRIMARY KEY (guild_id, question))`,
    ],
    // 2: news feeds the corpus admins follow, and what became of each item read from them.
    [
      `CREATE TABLE feeds (
        id ${id}, url TEXT NOT NULL, title TEXT, added_by TEXT NOT NULL, guild_id TEXT NOT NULL, added_at ${time} NOT NULL,
        etag TEXT, last_modified TEXT, last_fetch_at ${time}, last_outcome TEXT, last_error TEXT, last_error_at ${time},
        failures INTEGER NOT NULL, next_poll_at ${time} NOT NULL, removed_at ${time}, removed_by TEXT)`,
      // One followed row per URL: two admins following at once meet here.
      `CREATE UNIQUE INDEX feeds_followed ON feeds (url) WHERE removed_at IS NULL`,
      `CREATE TABLE feed_items (
        feed_id BIGINT NOT NULL REFERENCES feeds (id), item_key TEXT NOT NULL, url TEXT, outcome TEXT NOT NULL,
        article_id TEXT, detail TEXT, attempts INTEGER NOT NULL, retry INTEGER NOT NULL, at ${time} NOT NULL,
        PRIMARY KEY (feed_id, item_key))`,
    ],
    // 3: leases, so that one process among all sharing the database polls the feeds (sql-leases.ts).
    [`CREATE TABLE leases (name TEXT PRIMARY KEY, holder TEXT NOT NULL, expires_at ${time} NOT NULL)`],
    // 4: each server's own review channel (/moderation channel), beside the one MOD_CHANNEL_ID names.
    [`CREATE TABLE review_channels (guild_id TEXT PRIMARY KEY, channel_id TEXT NOT NULL, name TEXT NOT NULL, set_by TEXT NOT NULL, set_at ${time} NOT NULL)`],
  ];
}

/**
 * Any constant, the same in every Cited process: the PostgreSQL advisory lock that makes processes
 * starting at once against one database migrate it one after the other. Without it both see the
 * same version and apply the same migration; the second fails (a table or type that exists) and
 * that process does not start.
 */
const MIGRATION_LOCK = 0x43697465; // "Cite"


const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const json = (v: unknown): string | null => (v === undefined || v === null ? null : JSON.stringify(v));
const parse = (v: unknown): unknown => (v === null || v === undefined ? null : JSON.parse(String(v)));

export class SqlModerationStore implements ModerationStore {
  readonly #feeds: SqlFeedQueries;
  readonly #leases: SqlLeaseQueries;
  constructor(private readonly db: SqlDriver) {
    this.#feeds = new SqlFeedQueries(db);
    this.#leases = new SqlLeaseQueries(db);
  }

  takeLease(name: string, holder: string, ttlMs: number, at?: number): Promise<Lease | null> {
    return this.#leases.takeLease(name, holder, ttlMs, at);
  }
  releaseLease(name: string, holder: string): Promise<boolean> {
    return this.#leases.releaseLease(name, holder);
  }
  lease(name: string, at?: number): Promise<Lease | null> {
    return this.#leases.lease(name, at);
  }

  setReviewChannel(channel: { channelId: string; name: string } | null, actor: Actor): Promise<ReviewChannel | null> {
    const at = actor.at ?? Date.now();
    return this.db.transaction(async (tx) => {
      const [old] = await tx.query('SELECT * FROM review_channels WHERE guild_id = ?', [actor.guildId]);
      const before = old ? toReviewChannel(old) : null;
      if (channel) {
        await tx.query(
          `INSERT INTO review_channels (guild_id, channel_id, name, set_by, set_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (guild_id) DO UPDATE SET channel_id = excluded.channel_id, name = excluded.name, set_by = excluded.set_by, set_at = excluded.set_at`,
          [actor.guildId, channel.channelId, channel.name, actor.userId, at],
        );
      } else {
        await tx.query('DELETE FROM review_channels WHERE guild_id = ?', [actor.guildId]);
      }
      const describe = (c: { channelId: string; name: string } | null) => (c ? { channel: c.channelId, name: c.name } : null);
      await writeAudit(tx, { guildId: actor.guildId, actorId: actor.userId, action: 'review-channel', target: channel ? channel.channelId : 'none', reason: actor.reason ?? null, before: describe(before), after: describe(channel), at });
      return before;
    });
  }

  async reviewChannel(guildId: string): Promise<ReviewChannel | null> {
    const [row] = await this.db.query('SELECT * FROM review_channels WHERE guild_id = ?', [guildId]);
    return row ? toReviewChannel(row) : null;
  }

  async reviewChannels(): Promise<ReviewChannel[]> {
    return (await this.db.query('SELECT * FROM review_channels ORDER BY guild_id')).map(toReviewChannel);
  }

  followFeed(url: string, title: string | null, actor: Actor): Promise<{ feed: Feed; created: boolean }> {
    return this.#feeds.followFeed(url, title, actor);
  }
  unfollowFeed(id: number, actor: Actor): Promise<Feed | null> {
    return this.#feeds.unfollowFeed(id, actor);
  }
  feeds(): Promise<Feed[]> {
    return this.#feeds.feeds();
  }
  feedPolled(id: number, poll: FeedPoll): Promise<void> {
    return this.#feeds.feedPolled(id, poll);
  }
  pollFeedNow(id: number): Promise<void> {
    return this.#feeds.pollFeedNow(id);
  }
  feedItems(url: string, keys: readonly string[]): Promise<FeedItemRecord[]> {
    return this.#feeds.feedItems(url, keys);
  }
  recordFeedItem(item: FeedItemRecord): Promise<void> {
    return this.#feeds.recordFeedItem(item);
  }

  async migrate(): Promise<void> {
    await this.db.transaction(async (tx) => {
      // SQLite's BEGIN IMMEDIATE already lets one writer in at a time; PostgreSQL needs the lock.
      if (this.db.dialect === 'postgres') await tx.query(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`);
      await tx.query('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
      const [row] = await tx.query('SELECT MAX(version) AS version FROM schema_version');
      const applied = num(row?.['version']);
      const all = migrations(this.db.dialect);
      for (let v = applied; v < all.length; v++) {
        for (const statement of all[v]!) await tx.query(statement);
        await tx.query('INSERT INTO schema_version (version) VALUES (?)', [v + 1]);
      }
    });
  }

  close(): Promise<void> {
    return this.db.close();
  }

  async recordAnswer(r: Omit<AnswerRecord, 'retractedAt' | 'retractedBy'>): Promise<void> {
    await this.db.query(
      `INSERT INTO answers (message_id, guild_id, channel_id, asker_id, question, source, page_offset, excerpts, abstained, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (message_id) DO NOTHING`,
      [r.messageId, r.guildId, r.channelId, r.askerId, r.question, r.source, r.offset, JSON.stringify(r.excerpts), r.abstained ? 1 : 0, r.createdAt],
    );
  }

  async answer(messageId: string): Promise<AnswerRecord | null> {
    const [row] = await this.db.query('SELECT * FROM answers WHERE message_id = ?', [messageId]);
    return row ? toAnswer(row) : null;
  }

  retract(messageId: string, actor: Actor): Promise<AnswerRecord | null> {
    return this.setRetracted(messageId, actor, true);
  }

  unretract(messageId: string, actor: Actor): Promise<AnswerRecord | null> {
    return this.setRetracted(messageId, actor, false);
  }

  private setRetracted(messageId: string, actor: Actor, retract: boolean): Promise<AnswerRecord | null> {
    const at = actor.at ?? Date.now();
    return this.db.transaction(async (tx) => {
      const [current] = await tx.query('SELECT * FROM answers WHERE message_id = ?', [messageId]);
      if (!current) return null;
      const before = toAnswer(current);
      if ((before.retractedAt !== null) === retract) return null;
      // Compare-and-set: of moderators pressing at the same moment, one changes it; the others get null.
      const [row] = retract
        ? await tx.query('UPDATE answers SET retracted_at = ?, retracted_by = ? WHERE message_id = ? AND retracted_at IS NULL RETURNING *', [at, actor.userId, messageId])
        : await tx.query('UPDATE answers SET retracted_at = NULL, retracted_by = NULL WHERE message_id = ? AND retracted_at = ? RETURNING *', [messageId, before.retractedAt]);
      if (!row) return null;
      const after = toAnswer(row);
      await writeAudit(tx, { guildId: after.guildId, actorId: actor.userId, action: retract ? 'retract' : 'unretract', target: messageId, reason: actor.reason ?? null, before: { retractedAt: before.retractedAt }, after: { retractedAt: after.retractedAt }, at });
      return after;
    });
  }

  report(answerId: string, reporter: Actor): Promise<{ report: Report; created: boolean }> {
    const at = reporter.at ?? Date.now();
    return this.db.transaction(async (tx) => {
      // The review item belongs to the server where the answer was posted.
      const [answer] = await tx.query('SELECT guild_id FROM answers WHERE message_id = ?', [answerId]);
      const guildId = answer ? String(answer['guild_id']) : reporter.guildId;
      // Insert-or-nothing on the partial unique index: of two members reporting at once, one creates
      // the review item; the other's insert waits for it, does nothing, and joins it.
      const [inserted] = await tx.query(
        `INSERT INTO reports (guild_id, answer_id, status, created_at, updated_at) VALUES (?, ?, 'open', ?, ?)
         ON CONFLICT (answer_id) WHERE status = 'open' DO NOTHING RETURNING id`,
        [guildId, answerId, at, at],
      );
      const created = inserted !== undefined;
      let id: number;
      if (inserted) id = num(inserted['id']);
      else {
        const [existing] = await tx.query(`SELECT id FROM reports WHERE answer_id = ? AND status = 'open'`, [answerId]);
        id = num(existing!['id']);
        await tx.query('UPDATE reports SET updated_at = ? WHERE id = ?', [at, id]);
      }
      await tx.query(
        `INSERT INTO reporters (report_id, user_id, reason, at) VALUES (?, ?, ?, ?)
         ON CONFLICT (report_id, user_id) DO UPDATE SET reason = COALESCE(excluded.reason, reporters.reason), at = excluded.at`,
        [id, reporter.userId, reporter.reason ?? null, at],
      );
      await writeAudit(tx, { guildId, actorId: reporter.userId, action: 'report', target: answerId, reason: reporter.reason ?? null, before: null, after: { report: id }, at });
      return { report: (await loadReport(tx, id))!, created };
    });
  }

  reportById(id: number): Promise<Report | null> {
    return loadReport(this.db, id);
  }

  async setReviewMessage(reportId: number, channelId: string, messageId: string): Promise<void> {
    await this.db.query('UPDATE reports SET review_channel_id = ?, review_message_id = ? WHERE id = ?', [channelId, messageId, reportId]);
  }

  async unposted(guildId: string): Promise<Report[]> {
    const rows = await this.db.query(`SELECT id FROM reports WHERE guild_id = ? AND status = 'open' AND review_message_id IS NULL ORDER BY id`, [guildId]);
    return loadReports(this.db, rows);
  }

  async openReports(guildId: string): Promise<Report[]> {
    const rows = await this.db.query(`SELECT id FROM reports WHERE guild_id = ? AND status = 'open' ORDER BY updated_at DESC, id DESC`, [guildId]);
    return loadReports(this.db, rows);
  }

  resolve(reportId: number, status: Exclude<ReportStatus, 'open'>, actor: Actor): Promise<Report | null> {
    const at = actor.at ?? Date.now();
    return this.db.transaction(async (tx) => {
      const [changed] = await tx.query(`UPDATE reports SET status = ?, resolved_by = ?, updated_at = ? WHERE id = ? AND status = 'open' RETURNING id, guild_id`, [status, actor.userId, at, reportId]);
      if (!changed) return null;
      await writeAudit(tx, { guildId: String(changed['guild_id']), actorId: actor.userId, action: status === 'kept' ? 'keep' : `resolve-${status}`, target: `report ${reportId}`, reason: actor.reason ?? null, before: { status: 'open' }, after: { status }, at });
      return loadReport(tx, reportId);
    });
  }

  suppress(kind: SuppressionKind, target: string, actor: Actor & { reason: string }): Promise<Suppression> {
    const at = actor.at ?? Date.now();
    return this.db.transaction(async (tx) => {
      // Insert-or-nothing on the partial unique index: a second suppression of the same target
      // (even at the same moment) returns the first, and is not audited twice.
      const [row] = await tx.query(
        `INSERT INTO suppressions (guild_id, kind, target, reason, by_user, at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (guild_id, kind, target) WHERE lifted_at IS NULL DO NOTHING RETURNING *`,
        [actor.guildId, kind, target, actor.reason, actor.userId, at],
      );
      if (!row) {
        const [existing] = await tx.query('SELECT * FROM suppressions WHERE guild_id = ? AND kind = ? AND target = ? AND lifted_at IS NULL', [actor.guildId, kind, target]);
        return toSuppression(existing!);
      }
      await writeAudit(tx, { guildId: actor.guildId, actorId: actor.userId, action: 'suppress', target: `${kind} ${target}`, reason: actor.reason, before: null, after: { kind, target }, at });
      return toSuppression(row);
    });
  }

  unsuppress(kind: SuppressionKind, target: string, actor: Actor): Promise<boolean> {
    const at = actor.at ?? Date.now();
    return this.db.transaction(async (tx) => {
      const [lifted] = await tx.query('UPDATE suppressions SET lifted_at = ?, lifted_by = ? WHERE guild_id = ? AND kind = ? AND target = ? AND lifted_at IS NULL RETURNING *', [at, actor.userId, actor.guildId, kind, target]);
      if (!lifted) return false;
      const before = toSuppression(lifted);
      await writeAudit(tx, { guildId: actor.guildId, actorId: actor.userId, action: 'unsuppress', target: `${kind} ${target}`, reason: actor.reason ?? null, before: { kind, target, reason: before.reason, by: before.by }, after: null, at });
      return true;
    });
  }

  async suppressions(guildId: string): Promise<Suppression[]> {
    const rows = await this.db.query('SELECT * FROM suppressions WHERE guild_id = ? AND lifted_at IS NULL ORDER BY id', [guildId]);
    return rows.map(toSuppression);
  }

  async allSuppressions(): Promise<Suppression[]> {
    const rows = await this.db.query('SELECT * FROM suppressions WHERE lifted_at IS NULL ORDER BY id');
    return rows.map(toSuppression);
  }

  async audit(entry: Omit<AuditEntry, 'id' | 'at'> & { at?: number }): Promise<void> {
    await writeAudit(this.db, { ...entry, at: entry.at ?? Date.now() });
  }

  async auditLog(guildId: string, limit: number): Promise<AuditEntry[]> {
    const rows = await this.db.query('SELECT * FROM audit WHERE guild_id = ? ORDER BY id DESC LIMIT ?', [guildId, limit]);
    return rows.map((r) => ({
      id: num(r['id']),
      guildId: String(r['guild_id']),
      actorId: String(r['actor_id']),
      action: String(r['action']),
      target: String(r['target']),
      reason: strOrNull(r['reason']),
      before: parse(r['before_state']),
      after: parse(r['after_state']),
      at: num(r['at']),
    }));
  }

  async recordGap(guildId: string, question: string, at = Date.now()): Promise<void> {
    const key = gapKey(question);
    if (key === '') return;
    await this.db.query(
      `INSERT INTO gaps (guild_id, question, asked, last_asked_at) VALUES (?, ?, 1, ?)
       ON CONFLICT (guild_id, question) DO UPDATE SET asked = gaps.asked + 1, last_asked_at = excluded.last_asked_at`,
      [guildId, key, at],
    );
  }

  async gaps(guildId: string, limit: number): Promise<Gap[]> {
    const rows = await this.db.query('SELECT question, asked, last_asked_at FROM gaps WHERE guild_id = ? ORDER BY asked DESC, last_asked_at DESC LIMIT ?', [guildId, limit]);
    return rows.map((r) => ({ question: String(r['question']), count: num(r['asked']), lastAskedAt: num(r['last_asked_at']) }));
  }
}

const FEED_COLUMNS = `f.*, (SELECT COUNT(*) FROM feed_items i JOIN feeds g ON g.id = i.feed_id WHERE g.url = f.url AND i.outcome = 'added') AS taken`;

export class SqlFeedQueries {
  constructor(private readonly db: SqlDriver) {}

  followFeed(url: string, title: string | null, actor: Actor): Promise<{ feed: Feed; created: boolean }> {
    const at = actor.at ?? Date.now();
    return this.db.transaction(async (tx) => {
      // Insert-or-nothing on the partial unique index, as for suppressions.
      const [row] = await tx.query(
        `INSERT INTO feeds (url, title, added_by, guild_id, added_at, failures, next_poll_at) VALUES (?, ?, ?, ?, ?, 0, 0)
         ON CONFLICT (url) WHERE removed_at IS NULL DO NOTHING RETURNING id`,
        [url, title, actor.userId, actor.guildId, at],
      );
      if (row) await writeAudit(tx, { guildId: actor.guildId, actorId: actor.userId, action: 'feed-follow', target: url, reason: actor.reason ?? null, before: null, after: { feed: num(row['id']), title }, at });
      const [feed] = await tx.query(`SELECT ${FEED_COLUMNS} FROM feeds f WHERE f.url = ? AND f.removed_at IS NULL`, [url]);
      return { feed: toFeed(feed!), created: row !== undefined };
    });
  }

  unfollowFeed(id: number, actor: Actor): Promise<Feed | null> {
    const at = actor.at ?? Date.now();
    return this.db.transaction(async (tx) => {
      const [before] = await tx.query(`SELECT ${FEED_COLUMNS} FROM feeds f WHERE f.id = ? AND f.removed_at IS NULL`, [id]);
      if (!before) return null;
      const [changed] = await tx.query('UPDATE feeds SET removed_at = ?, removed_by = ? WHERE id = ? AND removed_at IS NULL RETURNING id', [at, actor.userId, id]);
      if (!changed) return null;
      const feed = toFeed(before);
      await writeAudit(tx, { guildId: actor.guildId, actorId: actor.userId, action: 'feed-unfollow', target: feed.url, reason: actor.reason ?? null, before: { feed: feed.id, title: feed.title, taken: feed.taken }, after: null, at });
      return feed;
    });
  }

  async feeds(): Promise<Feed[]> {
    return (await this.db.query(`SELECT ${FEED_COLUMNS} FROM feeds f WHERE f.removed_at IS NULL ORDER BY f.id`)).map(toFeed);
  }

  async feedPolled(id: number, poll: FeedPoll): Promise<void> {
    const sets = ['failures = ?', 'next_poll_at = ?'];
    const values: unknown[] = [poll.failures, poll.nextPollAt];
    const set = (column: string, value: unknown) => (sets.push(`${column} = ?`), values.push(value));
    if (poll.title !== undefined && poll.title !== null) set('title', poll.title);
    if (poll.etag !== undefined) set('etag', poll.etag);
    if (poll.lastModified !== undefined) set('last_modified', poll.lastModified);
    if (poll.outcome !== undefined) (set('last_fetch_at', poll.at), set('last_outcome', poll.outcome));
    if (poll.error !== undefined) (set('last_error', poll.error), set('last_error_at', poll.at));
    await this.db.query(`UPDATE feeds SET ${sets.join(', ')} WHERE id = ?`, [...values, id]);
  }

  async pollFeedNow(id: number): Promise<void> {
    await this.db.query('UPDATE feeds SET next_poll_at = 0 WHERE id = ?', [id]);
  }

  async feedItems(url: string, keys: readonly string[]): Promise<FeedItemRecord[]> {
    const records: FeedItemRecord[] = [];
    // In slices: a placeholder per key, and a feed may list hundreds.
    for (let i = 0; i < keys.length; i += 200) {
      const slice = keys.slice(i, i + 200);
      const rows = await this.db.query(
        `SELECT i.* FROM feed_items i JOIN feeds f ON f.id = i.feed_id WHERE f.url = ? AND i.item_key IN (${slice.map(() => '?').join(', ')}) ORDER BY i.at, i.item_key`,
        [url, ...slice],
      );
      records.push(...rows.map(toFeedItem));
    }
    return records;
  }

  async recordFeedItem(r: FeedItemRecord): Promise<void> {
    await this.db.query(
      `INSERT INTO feed_items (feed_id, item_key, url, outcome, article_id, detail, attempts, retry, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (feed_id, item_key) DO UPDATE SET url = excluded.url, outcome = excluded.outcome, article_id = excluded.article_id,
         detail = excluded.detail, attempts = excluded.attempts, retry = excluded.retry, at = excluded.at`,
      [r.feedId, r.key, r.url, r.outcome, r.articleId, r.detail, r.attempts, r.retry ? 1 : 0, r.at],
    );
  }
}

function toFeed(row: Row): Feed {
  return {
    id: num(row['id']),
    url: String(row['url']),
    title: strOrNull(row['title']),
    addedBy: String(row['added_by']),
    guildId: String(row['guild_id']),
    addedAt: num(row['added_at']),
    etag: strOrNull(row['etag']),
    lastModified: strOrNull(row['last_modified']),
    lastFetchAt: numOrNull(row['last_fetch_at']),
    lastOutcome: strOrNull(row['last_outcome']),
    lastError: strOrNull(row['last_error']),
    lastErrorAt: numOrNull(row['last_error_at']),
    failures: num(row['failures']),
    nextPollAt: num(row['next_poll_at']),
    taken: num(row['taken']),
  };
}

function toFeedItem(row: Row): FeedItemRecord {
  return {
    feedId: num(row['feed_id']),
    key: String(row['item_key']),
    url: strOrNull(row['url']),
    outcome: String(row['outcome']) as FeedItemOutcome,
    articleId: strOrNull(row['article_id']),
    detail: strOrNull(row['detail']),
    attempts: num(row['attempts']),
    retry: num(row['retry']) === 1,
    at: num(row['at']),
  };
}

async function writeAudit(tx: Pick<SqlDriver, 'query'>, e: Omit<AuditEntry, 'id'>): Promise<void> {
  await tx.query('INSERT INTO audit (guild_id, actor_id, action, target, reason, before_state, after_state, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [
    e.guildId,
    e.actorId,
    e.action,
    e.target,
    e.reason,
    json(e.before),
    json(e.after),
    e.at,
  ]);
}

async function loadReport(db: Pick<SqlDriver, 'query'>, id: number): Promise<Report | null> {
  const [row] = await db.query('SELECT * FROM reports WHERE id = ?', [id]);
  if (!row) return null;
  const reporters = await db.query('SELECT user_id, reason, at FROM reporters WHERE report_id = ? ORDER BY at, user_id', [id]);
  return {
    id: num(row['id']),
    guildId: String(row['guild_id']),
    answerId: String(row['answer_id']),
    status: String(row['status']) as ReportStatus,
    reporters: reporters.map((r) => ({ userId: String(r['user_id']), reason: strOrNull(r['reason']), at: num(r['at']) })),
    reviewChannelId: strOrNull(row['review_channel_id']),
    reviewMessageId: strOrNull(row['review_message_id']),
    createdAt: num(row['created_at']),
    updatedAt: num(row['updated_at']),
    resolvedBy: strOrNull(row['resolved_by']),
  };
}

async function loadReports(db: Pick<SqlDriver, 'query'>, rows: Row[]): Promise<Report[]> {
  const reports: Report[] = [];
  for (const row of rows) {
    const report = await loadReport(db, num(row['id']));
    if (report) reports.push(report);
  }
  return reports;
}

function toAnswer(row: Row): AnswerRecord {
  return {
    messageId: String(row['message_id']),
    guildId: String(row['guild_id']),
    channelId: String(row['channel_id']),
    askerId: String(row['asker_id']),
    question: String(row['question']),
    source: strOrNull(row['source']),
    offset: num(row['page_offset']),
    excerpts: JSON.parse(String(row['excerpts'])) as AnswerRecord['excerpts'],
    abstained: num(row['abstained']) === 1,
    createdAt: num(row['created_at']),
    retractedAt: numOrNull(row['retracted_at']),
    retractedBy: strOrNull(row['retracted_by']),
  };
}

function toSuppression(row: Row): Suppression {
  return {
    id: num(row['id']),
    guildId: String(row['guild_id']),
    kind: String(row['kind']) as SuppressionKind,
    target: String(row['target']),
    reason: String(row['reason']),
    by: String(row['by_user']),
    at: num(row['at']),
  };
}

function toReviewChannel(row: Row): ReviewChannel {
  return { guildId: String(row['guild_id']), channelId: String(row['channel_id']), name: String(row['name']), by: String(row['set_by']), at: num(row['set_at']) };
}
