/**
 * `npm start`: the Discord bot when DISCORD_TOKEN is set, otherwise the local console chat over
 * the corpus, so Cited works with no set-up at all.
 */
import { createCited } from './cited.js';
import { loadDotEnv, readConfig } from './config.js';
import { isCitedError } from './core/errors.js';
import { runChat } from './console/chat.js';

async function main(): Promise<number> {
  loadDotEnv();
  const config = readConfig();
  if (config.discordToken) {
    process.stderr.write('DISCORD_TOKEN is set, but this version of Cited has no Discord adapter yet; unset it to use the console.\n');
    return 2;
  }
  const cited = await createCited({
    ...(config.corpusDir ? { corpusDir: config.corpusDir } : {}),
    onWarning: (w) => process.stderr.write(`warning: ${w.file}: ${w.message}\n`),
  });
  await runChat(cited);
  return 0;
}

main().then(
  (code) => (process.exitCode = code),
  (error) => {
    process.stderr.write(isCitedError(error) ? `${error.message}\n` : `${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  },
);
