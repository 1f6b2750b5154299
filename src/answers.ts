/**
 * The answers service: every adapter (Discord, console) asks here, never the index directly, so
 * that one spot applies a server's view of the corpus (its own articles) and its suppressions, and
 * records what was posted. Discord-agnostic:
 * a request names the server ("dm" for direct messages, "console" for the console).
 */
import type { Answer, FigureResult } from './cited.js';
import { citedError } from './core/errors.js';
import type { Library } from './library.js';
import type { Moderation } from './moderation/moderation.js';

export interface AnswerRequest {
  question: string;
  /** The server asking: its suppressions apply, and its moderators see the record. */
  guildId: string;
  /** Excerpts to skip (the next page of an answer). Default 0. */
  offset?: number;
  /** Quote only this article (its id). */
  source?: string | null;
}

/** Where an answer was posted, as the adapter knows it. */
export interface Posted {
  messageId: string;
  channelId: string;
  askerId: string;
}

export class Answers {
  constructor(
    private readonly library: Library,
    private readonly moderation: Moderation,
  ) {}

  /** The answer as this server may see it: from the shared articles and its own, its suppressed excerpts and sources left out. */
  ask(request: AnswerRequest): Answer {
    const cited = this.library.forServer(request.guildId);
    const source = request.source ?? null;
    if (source !== null && !cited.article(source)) throw citedError('UNKNOWN_SOURCE', source);
    return cited.ask(request.question, {
      offset: request.offset ?? 0,
      exclude: this.moderation.exclusions(request.guildId),
      ...(source !== null ? { sources: [source] } : {}),
    });
  }

  /** Figures on a topic as this server may see them (its own articles' too). */
  figures(topic: string | null, guildId: string): FigureResult {
    return this.library.forServer(guildId).figures(topic, this.moderation.exclusions(guildId));
  }

  /**
   * Records an answer once it is posted (for reports, retractions and its buttons) and counts it
   * as a coverage gap when nothing answered. Without a message (the console) only the gap is
   * counted. A database outage never makes it fail: the record is kept until the database is back.
   */
  async record(request: AnswerRequest, answer: Answer, posted: Posted | null): Promise<void> {
    if (posted === null) {
      if (answer.abstained && (request.offset ?? 0) === 0) await this.moderation.recordGap(request.guildId, answer.question);
      return;
    }
    await this.moderation.recordAnswer({
      ...posted,
      guildId: request.guildId,
      question: answer.question,
      source: request.source ?? null,
      offset: request.offset ?? 0,
      // What was shown: the answer's quotes, or the closest passages (so those too can be reported and suppressed).
      excerpts: [...answer.excerpts, ...answer.related].map((e) => ({ sentenceIds: [...e.sentenceIds, ...e.duplicateIds], score: e.score })),
      abstained: answer.abstained,
      createdAt: Date.now(),
    });
  }
}
