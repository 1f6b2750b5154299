/**
 * `npm run figures -- [--json] [topic]`: the figures on a topic (or the overview without one).
 * JSON shape, stable like the ask interface:
 *   {"topic","groups":[{"subject","figures":[{"value","text","qualifier","sentence","sources":[{"id","title","outlet","date","url"}]}]}]}
 * `qualifier` is "exact", "approximate", "lower bound" or "upper bound"; unknown metadata is null.
 */
import { parseArgs } from 'node:util';
import { createCited, type FigureResult } from '../cited.js';
import { loadDotEnv, readConfig } from '../config.js';
import { citedOptions } from '../app.js';
import { progressReporter } from '../console/progress.js';
import { isCitedError } from '../core/errors.js';
import { renderFigures } from '../console/render.js';
import { terminalStyle } from '../console/style.js';

export function figuresToJson(result: FigureResult) {
  return {
    topic: result.topic,
    groups: result.groups.map((g) => ({
      subject: g.subject,
      figures: g.figures.map((f) => ({
        value: f.value,
        text: f.text,
        qualifier: f.qualifier,
        sentence: f.sentence,
        sources: [{ id: f.source.articleId, title: f.source.title, outlet: f.source.outlet, date: f.source.date, url: f.source.url }],
      })),
    })),
  };
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { json: { type: 'boolean' }, corpus: { type: 'string' } } });
  loadDotEnv();
  const config = readConfig();
  const corpusDir = values.corpus ?? config.corpusDir;
  const cited = await createCited({
    ...citedOptions({ ...config, ...(corpusDir ? { corpusDir } : {}) }),
    onWarning: (w) => process.stderr.write(`warning: ${w.file}: ${w.message}\n`),
    onSnapshot: (message) => process.stderr.write(`note: ${message}\n`),
    onProgress: progressReporter(process.stderr, 'analysing articles'),
  });
  const topic = positionals.join(' ').trim();
  const result = cited.figures(topic === '' ? null : topic);
  process.stdout.write(values.json ? JSON.stringify(figuresToJson(result)) + '\n' : renderFigures(result, terminalStyle(process.stdout)) + '\n');
  return 0;
}

main().then(
  (code) => (process.exitCode = code),
  (error) => {
    process.stderr.write(isCitedError(error) ? `${error.message}\n` : `${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = error instanceof TypeError && /parseArgs|option/i.test(String(error)) ? 2 : 1;
  },
);
