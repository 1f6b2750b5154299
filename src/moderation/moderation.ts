/**
 * What moderators and members can do, independent of Discord: record answers, report them,
 * keep or retract them, suppress excerpts and sources, change the corpus, read the queue, the
 * audit log and the coverage gaps. Every mod-only action checks the actor's right here, on the
 * server side, whatever the client showed: a refusal is audited and never acted on.
 *
 * The corpus is shared by every server the bot is in; suppressions are per server. When
 * DISCORD_GUILD_ID names a home server, only its moderators may add or remove articles.
 */
import type { Article, Exclusions } from '../cited.js';
import { citedError } from '../core/errors.js';
import type { Library } from '../library.js';
import type { Actor, AnswerRecord, AuditEntry, Gap, ModerationStore, Report, Suppression, SuppressionKind } from './store.js';

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

export interface ModerationOptions {
  /** Only moderators of this server may add or remove articles (unset: any server's moderators). */
  homeGuildId?: string;
}

export class Moderation {
  private readonly exclusionCache = new Map<string, Exclusions>();
  messages: AnswerMessages | null = null;

  constructor(
    readonly store: ModerationStore,
    readonly library: Library,
    private readonly options: ModerationOptions = {},
  ) {}

  /** What a server must never be shown (its active suppressions). */
  async exclusions(guildId: string): Promise<Exclusions> {
    const cached = this.exclusionCache.get(guildId);
    if (cached) return cached;
    const all = await this.store.suppressions(guildId);
    const exclusions = {
      sentenceIds: new Set(all.filter((s) => s.kind === 'sentence').map((s) => s.target)),
      articleIds: new Set(all.filter((s) => s.kind === 'source').map((s) => s.target)),
    };
    this.exclusionCache.set(guildId, exclusions);
    return exclusions;
  }

  /** Throws NOT_A_MODERATOR (after writing the refusal to the audit log) unless `who` moderates. */
  async requireModerator(who: Who, action: string, target: string): Promise<void> {
    if (who.isModerator) return;
    await this.store.audit({ guildId: who.guildId, actorId: who.userId, action: 'refused', target: `${action} ${target}`.trim(), reason: 'not a moderator', before: null, after: null });
    throw citedError('NOT_A_MODERATOR', action);
  }

  async recordAnswer(record: Omit<AnswerRecord, 'retractedAt' | 'retractedBy'>): Promise<void> {
    await this.store.recordAnswer(record);
    if (record.abstained && record.offset === 0) await this.store.recordGap(record.guildId, record.question, record.createdAt);
  }

  /** A member reports an answer; repeated reports of it join one review item. */
  async report(answerId: string, who: Who): Promise<{ report: Report; created: boolean; answer: AnswerRecord }> {
    const answer = await this.store.answer(answerId);
    if (!answer) throw citedError('NOT_AN_ANSWER');
    return { ...(await this.store.report(answerId, who)), answer };
  }

  async keep(reportId: number, who: Who): Promise<Report> {
    await this.requireModerator(who, 'keep an answer', `report ${reportId}`);
    const report = await this.store.resolve(reportId, 'kept', who);
    if (!report) throw citedError('UNKNOWN_REPORT', reportId);
    return report;
  }

  /** Retracts an answer: the record stays, the message becomes a retraction notice, its open report closes. */
  async retract(messageId: string, who: Who): Promise<AnswerRecord> {
    await this.requireModerator(who, 'retract an answer', messageId);
    const record = await this.store.retract(messageId, who);
    if (!record) {
      if (!(await this.store.answer(messageId))) throw citedError('NOT_AN_ANSWER');
      throw citedError('ALREADY_RETRACTED');
    }
    for (const report of await this.store.openReports(who.guildId)) if (report.answerId === messageId) await this.store.resolve(report.id, 'retracted', who);
    await this.messages?.retracted(record, who.reason ?? null);
    return record;
  }

  async unretract(messageId: string, who: Who): Promise<AnswerRecord> {
    await this.requireModerator(who, 'restore an answer', messageId);
    const record = await this.store.unretract(messageId, who);
    if (!record) throw citedError('NOT_AN_ANSWER');
    await this.messages?.restored(record);
    return record;
  }

  /** Suppresses every sentence of one excerpt of a reported answer (merged copies included). */
  async suppressExcerpt(reportId: number, excerpt: number, who: Who & { reason: string }): Promise<Suppression[]> {
    await this.requireModerator(who, 'suppress an excerpt', `report ${reportId}`);
    const report = await this.openReport(reportId);
    const answer = await this.store.answer(report.answerId);
    const ids = answer?.excerpts[excerpt]?.sentenceIds ?? [];
    if (ids.length === 0) throw citedError('NOT_SUPPRESSED', `excerpt ${excerpt + 1}`);
    const done = [];
    for (const id of ids) done.push(await this.store.suppress('sentence', id, who));
    await this.store.resolve(reportId, 'suppressed', who);
    this.exclusionCache.delete(who.guildId);
    return done;
  }

  /** Suppresses a whole article from a reported answer. */
  async suppressReportedSource(reportId: number, articleId: string, who: Who & { reason: string }): Promise<Suppression> {
    await this.requireModerator(who, 'suppress a source', `report ${reportId}`);
    await this.openReport(reportId);
    const done = await this.suppress(articleId, who);
    await this.store.resolve(reportId, 'suppressed', who);
    return done;
  }

  /** Suppresses a sentence (an id with "#") or a whole article (an article id) in this server. */
  async suppress(target: string, who: Who & { reason: string }): Promise<Suppression> {
    await this.requireModerator(who, 'suppress excerpts or sources', target);
    const kind = this.kindOf(target);
    const suppression = await this.store.suppress(kind, target, who);
    this.exclusionCache.delete(who.guildId);
    return suppression;
  }

  async unsuppress(target: string, who: Who): Promise<void> {
    await this.requireModerator(who, 'lift a suppression', target);
    const kind: SuppressionKind = target.includes('#') ? 'sentence' : 'source';
    if (!(await this.store.unsuppress(kind, target, who))) throw citedError('NOT_SUPPRESSED', target);
    this.exclusionCache.delete(who.guildId);
  }

  async suppressed(who: Who): Promise<Suppression[]> {
    await this.requireModerator(who, 'see the suppressions', '');
    return this.store.suppressions(who.guildId);
  }

  async queue(who: Who): Promise<{ report: Report; answer: AnswerRecord | null }[]> {
    await this.requireModerator(who, 'see the report queue', '');
    const reports = await this.store.openReports(who.guildId);
    return Promise.all(reports.map(async (report) => ({ report, answer: await this.store.answer(report.answerId) })));
  }

  async log(who: Who, limit: number): Promise<AuditEntry[]> {
    await this.requireModerator(who, 'read the audit log', '');
    return this.store.auditLog(who.guildId, limit);
  }

  async gaps(who: Who, limit: number): Promise<Gap[]> {
    await this.requireModerator(who, 'see the coverage gaps', '');
    return this.store.gaps(who.guildId, limit);
  }

  async addSource(fileName: string, bytes: Uint8Array, who: Who): Promise<Article> {
    await this.requireCorpusEditor(who, 'add articles', fileName);
    const article = await this.library.add(fileName, bytes);
    await this.store.audit({ guildId: who.guildId, actorId: who.userId, action: 'source-add', target: article.id, reason: who.reason ?? null, before: null, after: { file: article.file, title: article.title, outlet: article.outlet, sentences: article.sentences.length } });
    return article;
  }

  async removeSource(id: string, who: Who): Promise<Article> {
    await this.requireCorpusEditor(who, 'remove articles', id);
    const article = await this.library.remove(id);
    await this.store.audit({ guildId: who.guildId, actorId: who.userId, action: 'source-remove', target: article.id, reason: who.reason ?? null, before: { file: article.file, title: article.title, outlet: article.outlet }, after: null });
    return article;
  }

  private async requireCorpusEditor(who: Who, action: string, target: string): Promise<void> {
    const home = this.options.homeGuildId;
    await this.requireModerator(home && who.guildId !== home ? { ...who, isModerator: false } : who, action, target);
  }

  private async openReport(reportId: number): Promise<Report> {
    const report = await this.store.reportById(reportId);
    if (!report || report.status !== 'open') throw citedError('UNKNOWN_REPORT', reportId);
    return report;
  }

  private kindOf(target: string): SuppressionKind {
    const library = this.library.current;
    if (target.includes('#')) {
      if (!library.sentence(target)) throw citedError('UNKNOWN_SENTENCE', target);
      return 'sentence';
    }
    if (!library.article(target)) throw citedError('UNKNOWN_SOURCE', target);
    return 'source';
  }
}
