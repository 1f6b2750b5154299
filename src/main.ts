/**
 * `npm start`: the Discord bot when DISCORD_TOKEN is set, otherwise the local console chat over
 * the corpus, so Cited works with no set-up at all.
 */
import { loadDotEnv, readConfig, type Config } from './config.js';
import { run } from './cli/common.js';
import { consoleUser, runChat } from './console/chat.js';
import { openApp } from './app.js';
import { progressReporter } from './console/progress.js';
import { createLogger } from './logger.js';
import { startBot } from './discord/bot.js';

async function main(): Promise<number> {
  loadDotEnv();
  const config = readConfig();
  return config.discordToken ? runBot(config, config.discordToken) : runConsole(config);
}

async function runConsole(config: Config): Promise<number> {
  const app = await openApp(config, {
    onWarning: (w) => process.stderr.write(`warning: ${w.file}: ${w.message}\n`),
    onNote: (message) => process.stderr.write(`note: ${message}\n`),
    onProgress: progressReporter(process.stderr, 'analysing articles'),
    onModeration: (level, message) => process.stderr.write(`${level === 'info' ? 'note' : 'warning'}: ${message}\n`),
  }, { corpusAdmins: [consoleUser()] });
  try {
    await runChat(app);
  } finally {
    await app.close();
  }
  return 0;
}

async function runBot(config: Config, token: string): Promise<number> {
  const logger = createLogger(config.logLevel);
  // A stray rejection is logged, never fatal: one bad interaction must not take the bot down.
  process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled rejection'));
  // Listened for from the first moment: a SIGTERM during start-up (a deploy that changes its mind)
  // still shuts down in order once the bot is up, instead of killing it mid-way.
  const stopRequested = new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      logger.info({ signal }, 'signal received');
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  const loading = Date.now();
  let quarter = -1;
  const app = await openApp(config, {
    onModeration: (level, message, detail) => logger[level](detail, message),
    onWarning: (w) => logger.warn({ file: w.file }, w.message),
    onNote: (message) => logger.info(message),
    onProgress: (done, total) => {
      // Start-up phases in the log: the analysis at every quarter, for corpora large enough to wait on.
      if (total < 100 || Math.floor((done / total) * 4) === quarter) return;
      quarter = Math.floor((done / total) * 4);
      logger.info({ done, total, ms: Date.now() - loading }, 'analysing articles');
    },
  });
  const cited = app.library.current;
  logger.info({ articles: cited.articles.length, sentences: cited.sentenceCount, index: cited.loadedFrom, store: config.databaseUrl ? 'postgresql' : 'sqlite', ms: Date.now() - loading }, 'corpus and store loaded');
  const bot = await startBot({
    token,
    app,
    logger,
    cooldown: config.cooldown,
    ...(config.discordApiUrl ? { apiUrl: config.discordApiUrl } : {}),
    requestsPerSecond: config.discordRequestsPerSecond,
    ...(config.modChannelId ? { modChannelId: config.modChannelId } : {}),
    ...(config.modRoleId ? { modRoleId: config.modRoleId } : {}),
  });
  await stopRequested;
  await bot.stop();
  await app.close();
  logger.flush();
  // As a shard, the channel to the sharding manager would keep this process alive: let it go.
  if (process.connected) process.disconnect();
  return 0;
}

run(main);
