/**
 * The local console chat: the same commands as the Discord bot, over the same corpus, in a
 * terminal. A bare line is a question; `/more` pages the last answer; `/quit` or Ctrl+D leaves.
 */
import { createInterface } from 'node:readline';
import type { Cited } from '../cited.js';
import { citedError, isCitedError } from '../core/errors.js';
import { commands, findCommand, type Reply } from '../../commands/index.js';
import { renderAnswer, renderReply } from './render.js';
import { splitLine, toInput } from './parse-line.js';
import { terminalStyle, type Style } from './style.js';

export interface ChatStreams {
  input: NodeJS.ReadableStream;
  output: NodeJS.WriteStream;
  errors: NodeJS.WritableStream;
}

export async function runChat(cited: Cited, streams: ChatStreams = { input: process.stdin, output: process.stdout, errors: process.stderr }): Promise<void> {
  const style = terminalStyle(streams.output);
  const interactive = streams.output.isTTY === true && (streams.input as NodeJS.ReadStream).isTTY === true;
  const print = (text: string) => streams.output.write(text + '\n');
  print(
    `Cited — ${plural(cited.articles.length, 'article')}, ${plural(cited.sentenceCount, 'quotable sentence')}. ` +
      'Ask a question, or type /help. /quit leaves.',
  );
  const lines = createInterface({ input: streams.input, output: interactive ? streams.output : undefined, terminal: interactive });
  if (interactive) {
    lines.setPrompt('cited> ');
    lines.prompt();
  }
  let last: { question: string; shown: number } | null = null;

  for await (const line of lines) {
    const parsed = splitLine(line);
    if (parsed !== null) {
      if (parsed.name === 'quit' || parsed.name === 'exit') break;
      try {
        if (parsed.name === 'more') {
          print(more(cited, last, style));
        } else {
          const command = findCommand(parsed.name);
          if (!command) throw citedError('UNKNOWN_COMMAND', parsed.name);
          const reply: Reply = await command.run(toInput(command, parsed.rest), { cited, commands });
          if (reply.kind === 'answer') last = { question: reply.answer.question, shown: reply.answer.excerpts.length };
          print(renderReply(reply, style));
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

function more(cited: Cited, last: { question: string; shown: number } | null, style: Style): string {
  if (!last) return 'Ask a question first; /more shows more excerpts for it.';
  const answer = cited.ask(last.question, { offset: last.shown });
  last.shown += answer.excerpts.length;
  return renderAnswer(answer, style);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
