/**
 * `npm run ask -- "question"` answers once and exits.
 *   --json            print one JSON object (see answer-json.ts for the shape)
 *   --batch           read one question per line from stdin (blank lines skipped), answer each
 *   --corpus DIR      use another corpus folder (default: CORPUS_DIR, else the bundled corpus)
 * Exit status: 0 answered or abstained, 1 a question could not be asked, 2 wrong usage.
 * Load warnings go to stderr, so stdout stays pure output (use `npm run -s` to drop npm's banner).
 */
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import type { Cited } from '../cited.js';
import { isCitedError } from '../core/errors.js';
import { openCorpus, run } from './common.js';
import { renderAnswer } from '../console/render.js';
import { printable, terminalStyle } from '../console/style.js';
import { answerToJson, errorToJson } from './answer-json.js';

const USAGE = 'usage: npm run ask -- [--json] [--corpus DIR] "question"\n       npm run ask -- [--json] --batch < questions.txt\n';

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({
      allowPositionals: true,
      options: { json: { type: 'boolean' }, batch: { type: 'boolean' }, corpus: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = args;
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const question = positionals.join(' ');
  if (!values.batch && question.trim() === '' && positionals.length === 0) {
    process.stderr.write(USAGE);
    return 2;
  }
  const cited = await openCorpus(values.corpus);

  if (!values.batch) return answerOne(cited, question, values.json === true) ? 0 : 1;
  let ok = true;
  for await (const line of createInterface({ input: process.stdin })) {
    if (line.trim() === '') continue;
    ok = answerOne(cited, line, values.json === true) && ok;
    if (!values.json) process.stdout.write('\n');
  }
  return ok ? 0 : 1;
}

/** Prints one answer; false when the question could not be asked. */
function answerOne(cited: Cited, question: string, json: boolean): boolean {
  try {
    const answer = cited.ask(question);
    process.stdout.write(json ? JSON.stringify(answerToJson(answer)) + '\n' : `${printable(renderAnswer(answer, terminalStyle(process.stdout)))}\n`);
    return true;
  } catch (error) {
    if (!isCitedError(error)) throw error;
    if (json) process.stdout.write(JSON.stringify(errorToJson(question.trim(), error)) + '\n');
    else process.stderr.write(`${error.message}\n`);
    return false;
  }
}

run(main);
