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
}

/** Questions are counted together when they differ only in case, spacing and end punctuation. */
export function gapKey(question: string): string {
  return question.toLowerCase().replace(/\s+/g, ' ').replace(/[\s?!.]+$/, '').trim();
}
