/**
 * `npm run ask -- "question"` answers once and exits.
 *   --json            print one JSON object (see answer-json.ts for the shape)
 *   --batch           read one question per line from stdin (blank lines skipped), answer each
 *   --corpus DIR      use another corpus folder (default: CORPUS_DIR, else the bundled corpus)
 *   --excerpts N      excerpts per answer (1 to 50; default 3)
 *   --offset N        skip the first N excerpts: the next page of an answer (default 0)
 * Exit status: 0 answered or abstained, 1 a question could not be asked, 2 wrong usage.
 * Load warnings go to stderr, so stdout stays pure output (use `npm run -s` to drop npm's banner).
 */
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import type { Cited } from '../cited.js';
import { isCitedError } from '../core/errors.js';
import { endQuietlyWhenOutputCloses, openCorpus, run, usageError, wholeNumber } from './common.js';
import { renderAnswer } from '../console/render.js';
import { answerNotes, spellingNotes } from '../answer/notes.js';
import { printable, terminalStyle } from '../console/style.js';
import { answerToJson, errorToJson } from './answer-json.js';

const USAGE = `usage: npm run ask -- [--json] [--corpus DIR] [--excerpts N] [--offset N] "question"
       npm run ask -- [--json] [--corpus DIR] [--excerpts N] [--offset N] --batch < questions.txt
  --json         one JSON object per question
  --batch        one question per line from stdin
  --corpus DIR   another folder of articles (default: CORPUS_DIR, else the bundled corpus)
  --excerpts N   excerpts per answer, 1 to 50 (default 3)
  --offset N     skip the first N excerpts, for the next page of an answer (default 0)
`;

/** More than this many excerpts is a list, not an answer; the search ranks a limited number of passages anyway. */
const MAX_EXCERPTS = 50;

interface Page {
  excerpts?: number;
  offset: number;
}

async function main(): Promise<number> {
  endQuietlyWhenOutputCloses();
  let args;
  try {
    args = parseArgs({
      allowPositionals: true,
      options: {
        json: { type: 'boolean' },
        batch: { type: 'boolean' },
        corpus: { type: 'string' },
        excerpts: { type: 'string' },
        offset: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    return usageError((error as Error).message, USAGE);
  }
  const { values, positionals } = args;
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const page: Page = { offset: 0 };
  try {
    if (values.excerpts !== undefined) page.excerpts = wholeNumber('--excerpts', values.excerpts, 1, MAX_EXCERPTS);
    if (values.offset !== undefined) page.offset = wholeNumber('--offset', values.offset, 0);
  } catch (error) {
    return usageError((error as Error).message, USAGE);
  }
  const question = positionals.join(' ');
  if (!values.batch && question.trim() === '' && positionals.length === 0) return usageError('a question is needed', USAGE);
  if (values.batch && positionals.length > 0) return usageError('--batch reads its questions from stdin; give no question after it', USAGE);
  const cited = await openCorpus(values.corpus);

  if (!values.batch) return answerOne(cited, question, values.json === true, page) ? 0 : 1;
  let ok = true;
  for await (const line of createInterface({ input: process.stdin })) {
    if (line.trim() === '') continue;
    ok = answerOne(cited, line, values.json === true, page) && ok;
    if (!values.json) process.stdout.write('\n');
  }
  return ok ? 0 : 1;
}

/** Prints one answer; false when the question could not be asked. */
function answerOne(cited: Cited, question: string, json: boolean, page: Page): boolean {
  try {
    const answer = cited.ask(question, { offset: page.offset, ...(page.excerpts !== undefined ? { limit: page.excerpts } : {}) });
    if (json) process.stdout.write(JSON.stringify(answerToJson(answer, answerNotes(answer, cited.vocabulary))) + '\n');
    else {
      const next = nextPage(answer.question, page, page.offset + answer.excerpts.length);
      process.stdout.write(`${printable(renderAnswer(answer, terminalStyle(process.stdout), { spelling: spellingNotes(answer, cited.vocabulary), next }))}\n`);
    }
    return true;
  } catch (error) {
    if (!isCitedError(error)) throw error;
    if (json) process.stdout.write(JSON.stringify(errorToJson(question.trim(), error)) + '\n');
    else process.stderr.write(`${error.message}\n`);
    return false;
  }
}

/** The command line that shows the next excerpts (a one-shot program has no /more). */
function nextPage(question: string, page: Page, offset: number): string {
  const excerpts = page.excerpts !== undefined ? ` --excerpts ${page.excerpts}` : '';
  return `next excerpts: npm run ask --${excerpts} --offset ${offset} ${shellQuoted(question)}`;
}

/** A question as one shell word, whatever it holds. */
function shellQuoted(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

run(main);
