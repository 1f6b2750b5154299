/**
 * The contract every slash command follows, whoever runs it (the console or Discord). A command
 * declares its options (or subcommands) and returns a Reply; the adapter renders the Reply and
 * turns a thrown CitedError into a user message in its one error boundary.
 */
import type { AnswerRequest, Answers } from '../src/answers.js';
import type { Answer, Article, Cited, FigureResult } from '../src/cited.js';
import { LOCAL_PREFIX } from '../src/corpus/load.js';
import type { Moderation, Who } from '../src/moderation/moderation.js';

export interface CommandOption {
  name: string;
  description: string;
  /** `channel`: a text channel of the server (Discord offers them; the console takes an id). */
  type: 'string' | 'boolean' | 'integer' | 'attachment' | 'channel';
  required?: boolean;
  /** Discord offers choices while typing (the console ignores it). */
  autocomplete?: boolean;
  maxLength?: number;
  /**
   * The value may hold spaces (a question, a reason, a path): in the console it runs to the next
   * option on the line. Other values are one word there, or a "quoted phrase".
   */
  freeText?: boolean;
  /** What the value is, for the console's /help: `reason:<why>` (default: the option's name). */
  hint?: string;
  /** The values a string option takes, with what each means (Discord offers them as choices; the console refuses others). */
  choices?: readonly { value: string; name: string }[];
  /** Smallest and largest value of an integer option (the console refuses others; Discord's command clamps). */
  min?: number;
  max?: number;
}

export interface Subcommand {
  name: string;
  description: string;
  options: readonly CommandOption[];
  /** Its reply is shown only to whoever ran it (Discord: ephemeral). */
  private?: boolean;
}

/** A file given to a command (a Discord attachment; a path in the console). */
export interface Attachment {
  name: string;
  bytes: Uint8Array;
}

export type CommandInput = { subcommand?: string } & Record<string, string | number | boolean | Attachment | undefined>;

export interface SourceSummary {
  id: string;
  title: string | null;
  outlet: string | null;
  date: string | null;
  url: string | null;
  /** Sentences that can be quoted. */
  sentences: number;
  /** One of the server's own articles (quoted in that server only), not the shared corpus's. */
  local: boolean;
}

export type Reply =
  /** `request` is what was asked, for the adapter to record the answer once it is posted. */
  | { kind: 'answer'; answer: Answer; request: AnswerRequest; private?: boolean }
  | { kind: 'sources'; sources: SourceSummary[] }
  | { kind: 'figures'; result: FigureResult }
  | { kind: 'help'; commands: readonly Command[] }
  /** A short confirmation ("Suppressed …"). */
  | { kind: 'notice'; text: string; private?: boolean }
  /** A titled list (report queue, audit log, gaps, suppressions); `empty` is said when there are no lines. */
  | { kind: 'list'; title: string; lines: string[]; empty: string; private?: boolean };

export interface CommandContext {
  cited: Cited;
  /** Every command, for /help. */
  commands: readonly Command[];
  /** Who runs the command and in which server; the adapter vouches for `isModerator`. */
  who: Who;
  /** Answers and figures as this server may see them (its suppressions applied). */
  answers: Answers;
  /** Moderation, where the adapter has a store. */
  moderation?: Moderation;
  /** Review channels, where the adapter has channels (Discord). */
  reviewChannels?: ReviewChannelAccess;
}

/** What only the adapter can do with a review channel (see /moderation channel). */
export interface ReviewChannelAccess {
  /**
   * Makes sure `channelId` is a text channel of server `guildId` where Cited can post — by posting
   * a first message there, saying what the channel is now for — and gives its name. Throws
   * REVIEW_CHANNEL_UNUSABLE saying why not.
   */
  prepare(channelId: string, guildId: string): Promise<string>;
  /** The name of the channel the configuration names for `guildId`'s reports (MOD_CHANNEL_ID), if it is one of that server's. */
  configured(guildId: string): Promise<string | null>;
  /** Posts `guildId`'s open reports that have no review post yet (after its channel changed); how many. */
  postPending(guildId: string): Promise<number>;
}

export interface Command {
  name: string;
  description: string;
  options: readonly CommandOption[];
  /** When set, the command is used through one of these, e.g. /sources add (options then belong to them). */
  subcommands?: readonly Subcommand[];
  /** The subcommand the console runs for a bare "/name" (e.g. /sources → list). */
  defaultSubcommand?: string;
  /** Hidden from members without Manage Messages in Discord (still checked on every action); replies are private. */
  moderatorsOnly?: boolean;
  /** Its reply is shown only to whoever ran it (Discord: ephemeral). */
  private?: boolean;
  /** It searches the corpus on a member's behalf, so it counts against their cooldown. */
  rateLimited?: boolean;
  /** One example, shown by /help. */
  example: string;
  run(input: CommandInput, context: CommandContext): Reply | Promise<Reply>;
}

/** Summaries of the corpus's articles, as /sources lists them. */
export function summarize(article: Article): SourceSummary {
  const { id, title, outlet, date, url } = article;
  return { id, title, outlet, date, url, sentences: article.sentences.filter((s) => !s.excluded).length, local: id.startsWith(LOCAL_PREFIX) };
}

/** The string value of an option, trimmed; undefined when absent or blank. */
export function text(input: CommandInput, name: string): string | undefined {
  const value = input[name];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}
