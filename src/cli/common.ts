/** What the command-line programs share: loading the corpus as configured, and one way to exit. */
import { createCited, type Cited } from '../cited.js';
import { loadDotEnv, readConfig } from '../config.js';
import { citedOptions } from '../app.js';
import { isCitedError } from '../core/errors.js';
import { progressReporter } from '../console/progress.js';

/** The corpus of CORPUS_DIR (or `corpusOverride`), with warnings, snapshot notes and progress on stderr. */
export async function openCorpus(corpusOverride?: string): Promise<Cited> {
  loadDotEnv();
  const config = readConfig();
  const corpusDir = corpusOverride ?? config.corpusDir;
  return createCited({
    ...citedOptions({ ...config, ...(corpusDir ? { corpusDir } : {}) }),
    onWarning: (w) => process.stderr.write(`warning: ${w.file}: ${w.message}\n`),
    onNote: (message) => process.stderr.write(`note: ${message}\n`),
    onProgress: progressReporter(process.stderr, 'analysing articles'),
  });
}

/** Runs a program's main and sets the exit status: its own, or 1 with the error's message (wrong usage: 2). */
export function run(main: () => Promise<number>): void {
  main().then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      process.stderr.write(isCitedError(error) ? `${error.message}\n` : `${error instanceof Error ? error.stack : String(error)}\n`);
      process.exitCode = error instanceof TypeError && /parseArgs|option/i.test(String(error)) ? 2 : 1;
    },
  );
}
