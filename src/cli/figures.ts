/**
 * `npm run figures -- [--json] [--corpus DIR] [topic]`: the figures on a topic (or the overview
 * without one), as text or as JSON (shape: figures-json.ts).
 */
import { parseArgs } from 'node:util';
import { figuresToJson } from './figures-json.js';
import { openCorpus, run } from './common.js';
import { renderFigures } from '../console/render.js';
import { printable, terminalStyle } from '../console/style.js';

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { json: { type: 'boolean' }, corpus: { type: 'string' } } });
  const cited = await openCorpus(values.corpus);
  const topic = positionals.join(' ').trim();
  const result = cited.figures(topic === '' ? null : topic);
  process.stdout.write(values.json ? JSON.stringify(figuresToJson(result)) + '\n' : printable(renderFigures(result, terminalStyle(process.stdout))) + '\n');
  return 0;
}

run(main);
