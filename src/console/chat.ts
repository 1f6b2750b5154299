/**
 * The local console chat: the same commands as the Discord bot, over the same corpus, in a
 * terminal. A bare line is a question; `/more` pages the last answer, `/ids` shows the ids behind
 * it and `/report` reports it; `/quit` or Ctrl+D leaves. The person at the console moderates it
 * ("console" is its server in the moderation store), and its answers are recorded like posted ones.
 */
import { userInfo } from 'node:os';
import { createInterface } from 'node:readline';
import type { App } from '../app.js';
import { citedError, isCitedError } from '../core/errors.js';
import type { Who } from '../moderation/moderation.js';
import { commands, findCommand, type Command, type CommandInput, type Reply } from '../../commands/index.js';
import type { Answer } from '../cited.js';
import type { AnswerRequest } from '../answers.js';
import { renderAnswer, renderAnswerIds, renderReply } from './render.js';
import { spellingNotes } from '../answer/notes.js';
import { ConsoleAnswers } from './session.js';
import { splitLine, toInput } from './parse-line.js';
import { printable, terminalStyle } from './style.js';
import { readAttachment } from './read-attachment.js';

export interface ChatStreams {
  input: NodeJS.ReadableStream;
  output: NodeJS.WriteStream;
  errors: NodeJS.WritableStream;
}

export const CONSOLE_GUILD = 'console';

/** The person at the console, as the moderation store names them. They moderate, and may change the corpus. */
export function consoleUser(): string {
  return `console:${userInfo().username}`;
}

export async function runChat(app: App, streams: ChatStreams = { input: process.stdin, output: process.stdout, errors: process.stderr }): Promise<void> {
  const style = terminalStyle(streams.output);
  const interactive = streams.output.isTTY === true && (streams.input as NodeJS.ReadStream).isTTY === true;
  const print = (text: string) => streams.output.write(printable(text) + '\n');
  const who: Who = { guildId: CONSOLE_GUILD, userId: consoleUser(), isModerator: true };
  const cited = () => app.library.current;
  print(
    `Cited — ${plural(cited().articles.length, 'article')}, ${plural(cited().sentenceCount, 'quotable sentence')}. ` +
      'Ask a question, or type /help. /quit leaves.',
  );
  const lines = createInterface({ input: streams.input, output: interactive ? streams.output : undefined, terminal: interactive });
  if (interactive) {
    lines.setPrompt('cited> ');
    lines.prompt();
  }
  const session = new ConsoleAnswers(app, who);
  const showAnswer = async (request: AnswerRequest, answer: Answer) => {
    print(renderAnswer(answer, style, { spelling: spellingNotes(answer, cited().vocabulary), next: 'type /more for more excerpts' }));
    await session.shown(request, answer);
  };
  // The console's own commands (Discord has buttons for these); they work on the last answer shown.
  const consoleOnly: Record<string, (rest: string) => Promise<void>> = {
    more: async (rest) => {
      nothingAfter('more', rest);
      const next = session.nextPage();
      if (typeof next === 'string') print(next);
      else await showAnswer(next, app.answers.ask(next));
    },
    ids: async (rest) => {
      nothingAfter('ids', rest);
      const last = session.last;
      print(last ? renderAnswerIds(last.id, last.answer, (id) => cited().sentence(id)?.text, style) : 'Ask a question first; /ids shows the ids behind the last answer.');
    },
    report: async (rest) => void print(await session.report(rest.trim() === '' ? null : rest.trim())),
  };

  for await (const line of lines) {
    const parsed = splitLine(line);
    if (parsed !== null) {
      if (parsed.name === 'quit' || parsed.name === 'exit') break;
      try {
        const own = Object.hasOwn(consoleOnly, parsed.name) ? consoleOnly[parsed.name] : undefined;
        if (own) await own(parsed.rest);
        else {
          const command = findCommand(parsed.name);
          if (!command) throw citedError('UNKNOWN_COMMAND', parsed.name);
          const input = withFiles(command, toInput(command, parsed.rest), cited().options.maxArticleBytes);
          const reply: Reply = await command.run(input, { cited: cited(), commands, who, answers: app.answers, moderation: app.moderation });
          if (reply.kind === 'answer') await showAnswer(reply.request, reply.answer);
          else print(renderReply(reply, style));
        }
      } catch (error) {
        // The one error boundary: a CitedError is the user's to fix; anything else is ours.
        if (isCitedError(error)) print(error.message);
        else {
          streams.errors.write(`internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
          print('Something went wrong on our side; the details were logged. Try another question.');
        }
      }
      print('');
    }
    if (interactive) lines.prompt();
  }
  lines.close();
}

function nothingAfter(name: string, rest: string): void {
  if (rest.trim() !== '') throw citedError('UNEXPECTED_TEXT', rest.trim(), `/${name}, which takes nothing after it`);
}

/**
 * In the console a file option is a path: read it, checked and bounded, into an attachment. A web
 * address given there (`/sources add https://…`) goes to the command's `url` option instead.
 */
function withFiles(command: Command, input: CommandInput, maxBytes: number): CommandInput {
  const options = command.subcommands?.find((s) => s.name === input.subcommand)?.options ?? command.options;
  for (const option of options) {
    const path = input[option.name];
    if (option.type !== 'attachment' || typeof path !== 'string') continue;
    if (/^https?:\/\//i.test(path) && options.some((o) => o.name === 'url') && input['url'] === undefined) {
      input['url'] = path;
      delete input[option.name];
    } else input[option.name] = readAttachment(path, maxBytes);
  }
  return input;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

