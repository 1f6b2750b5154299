/**
 * Every failure a user or operator can meet has a code and a message that says what to do.
 * Code raises `citedError(code, ...)`; the adapters (console, CLI, Discord) turn a CitedError
 * into a user-facing message in one place each, and treat anything else as an internal error.
 */
const messages = {
  EMPTY_QUESTION: () => 'Ask a question, for example: /ask How many troops has Russia amassed?',
  QUESTION_TOO_LONG: (length: number, limit: number) =>
    `That question is ${length.toLocaleString('en-US')} characters long; the limit is ${limit.toLocaleString('en-US')}. Shorten it to the claim or question you want checked.`,
  NO_SEARCHABLE_WORDS: () =>
    'That question has no words to search for. Ask with words, for example: /ask What did Peskov say?',
  ONLY_COMMON_WORDS: (words: string) =>
    `That question has only common words (${words}). Add a name, place, number or topic to search for.`,
  UNKNOWN_COMMAND: (name: string) => `There is no command /${name}. Type /help to see the commands.`,
  UNKNOWN_SOURCE: (id: string) => `No article has the id "${id}". Type /sources to see the ids.`,
  NO_SUCH_SOURCE: (value: string) => `No article has the id, outlet or link "${value}". Type /sources to see the articles with their outlets and ids.`,
  AMBIGUOUS_SOURCE: (value: string, ids: string) => `"${value}" names more than one article: ${ids}. Give one of these ids instead, e.g. source:<id>.`,
  UNKNOWN_ARTICLE_URL: (url: string) =>
    `No article in the corpus has the link ${url}. Type /sources to see the articles and their links, or ask a question in words.`,
  BAD_OPTION_VALUE: (option: string, takes: string, value: string) =>
    `${option}: takes ${takes}, not ${value === '' ? 'nothing' : `"${value}"`}. Type /help to see how to use it.`,
  REPEATED_OPTION: (option: string) => `${option}: is given twice; give it once.`,
  UNEXPECTED_TEXT: (text: string, usage: string) => `"${text}" does not fit ${usage}. Type /help to see how to use it.`,
  SOURCE_EXISTS: (id: string) => `An article with the id "${id}" is already in the corpus. Rename the file, or remove the old one first with /sources remove.`,
  BAD_ARTICLE_FILE: (file: string, why: string) => `${file} was not added: ${why}.`,
  NOT_A_MODERATOR: (action: string) => `Only moderators can ${action}. (Moderators have Manage Messages, or the moderator role.)`,
  NOT_A_CORPUS_ADMIN: (action: string) =>
    `Only the corpus admins can ${action}: the articles are shared by every server Cited is in. Whoever runs Cited lists them in CORPUS_ADMINS.`,
  NO_SERVER_LIBRARY: () => 'Only a Discord server keeps articles of its own (library:server); here they go to the shared corpus (library:shared).',
  NOT_REVIEWABLE_HERE: () =>
    'Answers in direct messages have no moderators to review them, so they cannot be reported. Ask in a server that has Cited to have an answer reviewed.',
  REVIEW_CHANNEL_NOT_HERE: () => 'Only a Discord server has a review channel; here, /moderation queue lists the reports.',
  REVIEW_CHANNEL_UNUSABLE: (why: string) => `That channel cannot receive review posts: ${why}.`,
  STORE_UNAVAILABLE: (what: string) => `${what}: the moderation database cannot be reached right now. Try again in a few minutes.`,
  ALREADY_RETRACTED: () => 'That answer is already retracted. /moderation unretract restores it.',
  UNKNOWN_SENTENCE: (id: string) => `No sentence has the id "${id}".`,
  NOT_AN_ANSWER: () => 'Only answers Cited posted can be reported or retracted, and this message is not one it has on record.',
  UNKNOWN_REPORT: (id: number) => `Report ${id} is not open any more; it may already have been reviewed.`,
  NOT_SUPPRESSED: (target: string) => `Nothing is suppressed under "${target}". /moderation suppressed lists what is.`,
  MODERATION_UNAVAILABLE: () => 'Moderation is not available here.',
  MISSING_OPTION: (command: string, option: string) => `/${command} needs ${option}. Type /help to see how to use it.`,
  NO_APPLICATION_ID: () =>
    'The invite link needs the bot\'s application id: set DISCORD_APPLICATION_ID (developer portal → your application → General Information → Application ID), or DISCORD_TOKEN, from which it is read.',
  TOKEN_WITHOUT_ID: () =>
    'DISCORD_TOKEN does not begin with a bot\'s user id, so the application id cannot be read from it. Set DISCORD_APPLICATION_ID (developer portal → your application → General Information → Application ID).',
  CORPUS_NOT_FOUND: (dir: string) => `The corpus folder ${dir} does not exist. Set CORPUS_DIR to a folder of article .txt files.`,
  CORPUS_EMPTY: (dir: string) => `No readable articles in ${dir}. Add article .txt files (see README, "The corpus").`,
  BAD_SOURCES_FILE: (file: string, why: string) => `${file} is not valid: ${why}. Fix or remove it; see README, "The corpus".`,
  BAD_ALIASES_FILE: (file: string, line: number, why: string) => `${file}, line ${line}: ${why}.`,
  BAD_CONFIG: (name: string, why: string) => `Configuration ${name}: ${why}.`,
  DATABASE_UNREACHABLE: (server: string, why: string) =>
    `Could not reach PostgreSQL at ${server} (DATABASE_URL): ${why}. Check that the server is running and accepts connections from this machine, or leave DATABASE_URL unset to use SQLite.`,
  DATABASE_REFUSED: (server: string, why: string) =>
    `PostgreSQL at ${server} (DATABASE_URL) refused to open the moderation store: ${why}. Check the user, password and database name in DATABASE_URL, and that the user may create tables.`,
  CORPUS_DATABASE_DOWN: () => 'The corpus database cannot be reached right now, so nothing was added or removed. Try again in a few minutes; questions are still answered meanwhile.',
  DATA_DIR_UNUSABLE: (dir: string, why: string) => `The data folder ${dir} cannot be used: ${why}. Set DATA_DIR to a folder the bot may write to.`,
  STORE_FILE_UNUSABLE: (file: string, why: string, fix: string) => `The moderation store ${file} cannot be opened: ${why}. ${fix}`,
  URL_REFUSED: (url: string, why: string) => `${url} was not fetched: ${why}.`,
  FETCH_FAILED: (url: string, why: string) => `Could not fetch ${url}: ${why}.`,
  NOT_AN_ARTICLE: (what: string, why: string) => `${what} was not added: ${why}.`,
  DUPLICATE_ARTICLE: (what: string, id: string, how: string) =>
    `${what} was not added: the corpus already has it as ${id} (${how}). /sources remove ${id} first to replace it.`,
  NOT_A_FEED: (url: string, why: string) => `${url} is not a feed Cited can read: ${why}. Give the address of an RSS, Atom or JSON Feed.`,
  FEED_FOLLOWED: (url: string, id: number) => `Feed #${id} already follows ${url}. /sources feeds lists the feeds.`,
  UNKNOWN_FEED: (what: string) => `No feed followed is "${what}". /sources feeds lists the feeds with their numbers.`,
  MISSING_SOURCE_INPUT: () => '/sources add needs an article: attach a .txt or .html file, or give url: with the address of a page.',
  CONFLICTING_OPTIONS: (command: string, one: string, other: string) => `/${command} takes ${one}: or ${other}:, not both.`,
  TWO_SOURCE_INPUTS: () => '/sources add takes one article at a time: attach a file or give url:, not both.',
  DISCORD_TOKEN_REJECTED: (how: string) =>
    `Discord rejected DISCORD_TOKEN (${how}). Copy the token again from the Discord developer portal (your application → Bot → Reset Token) and restart.`,
  DISCORD_GATEWAY_CLOSED: (code: number, name: string) =>
    `Discord closed the gateway for good (${code} ${name}); the bot cannot reconnect. See https://discord.com/developers/docs/topics/opcodes-and-status-codes#gateway-gateway-close-event-codes.`,
  DISCORD_REFUSED: (status: number, why: string) =>
    `Discord answered ${status} (${why}) when asked for its gateway. Check DISCORD_API_URL if it is set; otherwise see https://discordstatus.com.`,
} as const;

export type ErrorCode = keyof typeof messages;

export class CitedError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'CitedError';
    this.code = code;
  }
}

export function citedError<C extends ErrorCode>(code: C, ...args: Parameters<(typeof messages)[C]>): CitedError {
  const format = messages[code] as (...a: unknown[]) => string;
  return new CitedError(code, format(...args));
}

export function isCitedError(value: unknown): value is CitedError {
  return value instanceof CitedError;
}
