/**
 * What each answer message was asked, so its buttons can page and list sources: message id →
 * question, page offset and source filter. Bounded (oldest forgotten first). After a restart, or
 * for a forgotten message, the question is read back from the embed title when the title holds
 * it whole. (Moderation will keep these records in its store.)
 */
export interface AnsweredQuestion {
  question: string;
  /** Article id the answer was limited to, if any. */
  source?: string;
}

export class AnswerMemory {
  private readonly entries = new Map<string, AnsweredQuestion>();

  constructor(private readonly capacity = 10_000) {}

  remember(messageId: string, answered: AnsweredQuestion): void {
    this.entries.delete(messageId);
    this.entries.set(messageId, answered);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }

  recall(messageId: string, embedTitle: string | null | undefined): AnsweredQuestion | null {
    const known = this.entries.get(messageId);
    if (known) return known;
    // A title cut short ends with "…"; then the question is not recoverable from it.
    if (embedTitle && !embedTitle.endsWith('…')) return { question: embedTitle };
    return null;
  }
}
