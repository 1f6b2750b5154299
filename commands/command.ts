/**
 * The contract every slash command follows, whoever runs it (the console today, Discord next).
 * A command declares its options and returns a Reply; the adapter renders the Reply and turns a
 * thrown CitedError into a user message in its one error boundary.
 */
import type { Answer, Article, Cited, FigureResult } from '../src/cited.js';

export interface CommandOption {
  name: string;
  description: string;
  type: 'string' | 'boolean' | 'integer';
  required?: boolean;
  /** Discord offers choices while typing (the console ignores it). */
  autocomplete?: boolean;
  maxLength?: number;
}

export type CommandInput = Record<string, string | number | boolean | undefined>;

export interface SourceSummary {
  id: string;
  title: string | null;
  outlet: string | null;
  date: string | null;
  url: string | null;
  /** Sentences that can be quoted. */
  sentences: number;
}

export type Reply =
  | { kind: 'answer'; answer: Answer; private?: boolean }
  | { kind: 'sources'; sources: SourceSummary[] }
  | { kind: 'figures'; result: FigureResult }
  | { kind: 'help'; commands: readonly Command[] };

export interface CommandContext {
  cited: Cited;
  /** Every command, for /help. */
  commands: readonly Command[];
}

export interface Command {
  name: string;
  description: string;
  options: readonly CommandOption[];
  /** One example, shown by /help. */
  example: string;
  run(input: CommandInput, context: CommandContext): Reply | Promise<Reply>;
}

/** Summaries of the corpus's articles, as /sources lists them. */
export function summarize(article: Article): SourceSummary {
  const { id, title, outlet, date, url } = article;
  return { id, title, outlet, date, url, sentences: article.sentences.filter((s) => !s.excluded).length };
}
