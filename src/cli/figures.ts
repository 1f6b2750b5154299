/**
 * `npm run figures -- [--json] [--corpus DIR] [topic]`: the figures on a topic (or the overview
 * without one), as text or as JSON (shape: figures-json.ts).
 */
import { parseArgs } from 'node:util';
import { figuresToJson } from './figures-json.js';
import { endQuietlyWhenOutputCloses, openCorpus, run, usageError } from './common.js';
import { renderFigures } from '../console/render.js';
import { printable, terminalStyle } from '../console/style.js';

const USAGE = `usage: npm run figures -- [--json] [--corpus DIR] [topic]
  topic          what the numbers count, e.g. troops (none: the subjects with the most figures)
  --json         one JSON object
  --corpus DIR   another folder of articles (default: CORPUS_DIR, else the bundled corpus)
`;

async function main(): Promise<number> {
  endQuietlyWhenOutputCloses();
  let args;
  try {
    args = parseArgs({ allowPositionals: true, options: { json: { type: 'boolean' }, corpus: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  } catch (error) {
    return usageError((error as Error).message, USAGE);
  }
  const { values, positionals } = args;
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const cited = await openCorpus(values.corpus);
  const topic = positionals.join(' ').trim();
  const result = cited.figures(topic === '' ? null : topic);
  process.stdout.write(values.json ? JSON.stringify(figuresToJson(result)) + '\n' : printable(renderFigures(result, terminalStyle(process.stdout))) + '\n');
  return 0;
}

run(main);
