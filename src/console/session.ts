/**
 * The console's answers as its moderator meets them. Every answer shown (a /more page too) is
 * recorded under an answer id of its own, `console-<session>-<n>`, as the Discord adapter records
 * a posted message under its message id — so a console answer can be reported, queued and
 * retracted like any other. The session part (the start time, base 36) keeps ids of earlier runs
 * sharing DATA_DIR apart; the "console-" prefix keeps them apart from Discord's numeric ids.
 * The last answer shown is what /more pages on, /ids explains and /report reports.
 */
import type { Answer } from '../cited.js';
import type { AnswerRequest } from '../answers.js';
import type { App } from '../app.js';
import type { Who } from '../moderation/moderation.js';

export interface Shown {
  id: string;
  request: AnswerRequest;
  answer: Answer;
}

export class ConsoleAnswers {
  readonly #app: App;
  readonly #who: Who;
  readonly #session = Date.now().toString(36);
  #count = 0;
  #last: Shown | null = null;

  constructor(app: App, who: Who) {
    this.#app = app;
    this.#who = who;
  }

  get last(): Shown | null {
    return this.#last;
  }

  /** Records an answer that was just printed (and counts it as a coverage gap when nothing answered); its answer id. */
  async shown(request: AnswerRequest, answer: Answer): Promise<string> {
    const id = `console-${this.#session}-${++this.#count}`;
    this.#last = { id, request, answer };
    await this.#app.answers.record(request, answer, { messageId: id, channelId: this.#who.guildId, askerId: this.#who.userId });
    return id;
  }

  /**
   * The request for the next excerpts of the last question, or why there are none: nothing asked
   * yet, an abstention (paging it would only show the same closest passages again), or the end.
   */
  nextPage(): AnswerRequest | string {
    const last = this.#last;
    if (!last) return 'Ask a question first; /more shows more excerpts for it.';
    const { request, answer } = last;
    if (answer.abstained) return `No passage answered “${answer.question}”, so there is nothing more to show.`;
    if (!answer.more) return `That was every excerpt for “${answer.question}”; there is nothing more to show.`;
    return { ...request, offset: (request.offset ?? 0) + answer.excerpts.length };
  }

  /** Files a report on the last answer, as a member would with Discord's Report button. */
  async report(reason: string | null): Promise<string> {
    const last = this.#last;
    if (!last) return 'Ask a question first; /report reports the last answer.';
    const { report, created } = await this.#app.moderation.report(last.id, { ...this.#who, reason });
    return created
      ? `Reported answer ${last.id} (“${last.answer.question}”) as report #${report.id}. It is in /moderation queue.`
      : `Answer ${last.id} was already reported (report #${report.id}); your report joins it.`;
  }
}
