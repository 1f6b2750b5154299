/** What the command-line programs share: loading the corpus as configured, usage errors, and one way to exit. */
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

/** Wrong usage: what is wrong and the usage on stderr; exit status 2. */
export function usageError(message: string, usage: string): number {
  process.stderr.write(`${message}\n${usage}`);
  return 2;
}

/** A command-line number, checked: a whole number within [min, max], or an Error naming the flag and what it takes. */
export function wholeNumber(flag: string, raw: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const takes = max === Number.MAX_SAFE_INTEGER ? `a whole number, ${min} or more` : `a whole number from ${min} to ${max}`;
  const n = /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
  if (!(n >= min && n <= max)) throw new Error(`${flag} takes ${takes}, not "${raw}"`);
  return n;
}

/**
 * For programs whose output is for a reader (ask, figures, invite, the console): a reader that stops
 * early (`… | head -1`) closes the pipe, which ends the program quietly with status 0 — there is no
 * one left to tell anything — instead of an EPIPE stack trace. Not for the bot, whose stdout is its
 * log and whose work does not end when a log reader goes away.
 */
export function endQuietlyWhenOutputCloses(): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}

/** Runs a program's main and sets the exit status: its own, or 1 with the error's message. */
export function run(main: () => Promise<number>): void {
  main().then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      process.stderr.write(isCitedError(error) ? `${error.message}\n` : `${error instanceof Error ? error.stack : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
