/**
 * `npm start`: the Discord bot when DISCORD_TOKEN is set, otherwise the local console chat over
 * the corpus, so Cited works with no set-up at all.
 */
import { loadDotEnv, metricsPortOf, readConfig, type Config } from './config.js';
import { endQuietlyWhenOutputCloses, run } from './cli/common.js';
import { consoleUser, runChat } from './console/chat.js';
import { openApp, type App } from './app.js';
import { progressReporter } from './console/progress.js';
import { createLogger, type Logger } from './logger.js';
import { startBot, type Bot } from './discord/bot.js';
import { announcer } from './discord/announce.js';
import { pollFeedsWhileLeased } from './feeds/lease.js';
import { isCitedError } from './core/errors.js';
import { exitDeadline, listenForStop, type StopRequest } from './shutdown.js';
import { collectProcessMetrics, databaseErrors, labelShard, readFrom, registry } from './metrics/metrics.js';
import { startMetricsServer, type MetricsServer, type ReadinessChecks } from './metrics/server.js';
import { databaseCheck, type DatabaseCheck } from './metrics/database-check.js';

async function main(): Promise<number> {
  loadDotEnv();
  const config = readConfig();
  return config.discordToken ? runBot(config, config.discordToken) : runConsole(config);
}

async function runConsole(config: Config): Promise<number> {
  endQuietlyWhenOutputCloses();
  const app = await openApp(config, {
    onWarning: (w) => process.stderr.write(`warning: ${w.file}: ${w.message}\n`),
    onNote: (message) => process.stderr.write(`note: ${message}\n`),
    onProgress: progressReporter(process.stderr, 'analysing articles'),
    onModeration: (level, message) => process.stderr.write(`${level === 'info' ? 'note' : 'warning'}: ${message}\n`),
    onFeeds: (level, message, detail) => process.stderr.write(`${level === 'info' ? 'note' : 'warning'}: ${feedNote(message, detail)}\n`),
    onCorpus: (level, message) => process.stderr.write(`${level === 'info' ? 'note' : 'warning'}: ${message}\n`),
  }, { corpusAdmins: [consoleUser()] });
  app.feeds.onAdded = (article, feed) => void process.stderr.write(`note: added ${article.id} from feed #${feed.id} (${article.title ?? 'untitled'})\n`);
  app.feeds.start();
  try {
    await runChat(app);
  } finally {
    await app.close();
  }
  return 0;
}

/** A feed event as one line for the console: "feed polled: #1 https://…: 3 new items: …". */
function feedNote(message: string, detail: Record<string, unknown>): string {
  const feed = detail['feed'] !== undefined ? ` #${String(detail['feed'])} ${String(detail['url'] ?? '')}` : '';
  const what = detail['outcome'] ?? (typeof detail['err'] === 'string' ? detail['err'] : detail['err'] instanceof Error ? detail['err'].message : '');
  return `${message}${feed}${what ? `: ${String(what)}` : ''}`;
}

async function runBot(config: Config, token: string): Promise<number> {
  const logger = createLogger(config.logLevel);
  // A stray rejection is logged, never fatal: one bad interaction must not take the bot down.
  process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled rejection'));
  // Listened for from the first moment: a SIGTERM during start-up (a deploy that changes its mind)
  // still shuts down in order once the bot is up, instead of killing it mid-way; and whatever
  // hangs, the process ends within SHUTDOWN_TIMEOUT_SECONDS of the signal (src/shutdown.ts).
  const stop = listenForStop(logger, config.shutdownTimeoutMs);
  const opened: { app?: App } = {};
  let code = 0;
  await serveBot(config, token, logger, stop, opened).catch((error: unknown) => {
    if (stop.signal.aborted && error === stop.signal.reason) return logger.info('stopped before connecting to Discord');
    // Start-up failed, or Discord closed the gateway for good: one line saying why, and status 1.
    code = 1;
    exitDeadline(logger, config.shutdownTimeoutMs, 'closing after a fatal error');
    if (isCitedError(error)) logger.fatal({ code: error.code }, error.message);
    else logger.fatal({ err: error }, 'the bot stopped on an unexpected error');
  });
  await opened.app?.close().catch((err: unknown) => logger.error({ err }, 'closing the store failed'));
  // Exit now rather than when the event loop drains: after destroy(), discord.js can go on retrying
  // an unreachable gateway on timers, and a shard's channel to its manager stays open too.
  process.exit(code);
}

/** Start-up, then serving until a stop signal (or Discord closing the gateway for good), then the bot's shutdown. */
async function serveBot(config: Config, token: string, logger: Logger, stop: StopRequest, opened: { app?: App }): Promise<void> {
  const serving: Serving = {};
  // Listening before the long part of start-up, so /healthz answers while the index loads and a
  // port already taken stops the bot at once.
  const endpoint = config.metrics ? await serveHealth(config, logger, serving) : null;
  try {
    await serve(config, token, logger, stop, opened, serving);
  } finally {
    await endpoint?.close();
  }
}

/** What /readyz looks at: set as each part comes up. */
interface Serving {
  app?: App;
  bot?: Bot;
}

async function serve(config: Config, token: string, logger: Logger, stop: StopRequest, opened: { app?: App }, serving: Serving): Promise<void> {
  const loading = Date.now();
  let quarter = -1;
  const app = (opened.app = serving.app = await openApp(config, {
    onModeration: (level, message, detail) => {
      if (level !== 'info') databaseErrors.inc({ kind: level === 'warn' ? 'outage' : 'failed' });
      logger[level](detail, message);
    },
    onFeeds: (level, message, detail) => logger[level](detail, message),
    onCorpus: (level, message, detail) => logger[level](detail, message),
    onWarning: (w) => logger.warn({ file: w.file }, w.message),
    onNote: (message) => logger.info(message),
    onProgress: (done, total) => {
      // Start-up phases in the log: the analysis at every quarter, for corpora large enough to wait on.
      if (total < 100 || Math.floor((done / total) * 4) === quarter) return;
      quarter = Math.floor((done / total) * 4);
      logger.info({ done, total, ms: Date.now() - loading }, 'analysing articles');
    },
  }));
  readFrom({ index: () => ({ sentences: app.library.current.sentenceCount, segments: app.library.current.segments }) });
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
    signal: stop.signal,
  });
  serving.bot = bot;
  if (config.announceChannelId) app.feeds.onAdded = announcer(bot.client, config.announceChannelId);
  // One poller among every process sharing the moderation database (shards, machines): the holder
  // of the feed-polling lease, which it gives up on the way out so another takes over at once.
  const feedLease = pollFeedsWhileLeased(app.feeds, app.moderation.leases, { ttlMs: config.feedLeaseSeconds * 1000, onEvent: (level, message, detail) => logger[level](detail, message) });
  readFrom({ feedLeaseHeld: () => feedLease.held });
  feedLease.start();
  await Promise.race([stop.requested, bot.lost]).finally(() => Promise.all([bot.stop(), feedLease.stop()]));
}

/**
 * The health and metrics endpoint (README, "Health and metrics"): on METRICS_PORT, or METRICS_PORT
 * plus the shard id under the sharding manager, so every shard process serves its own series and
 * its own readiness.
 */
async function serveHealth(config: Config, logger: Logger, serving: Serving): Promise<{ close(): Promise<void> }> {
  const metrics = config.metrics!;
  if (config.shardId !== undefined) labelShard(config.shardId);
  collectProcessMetrics();
  const database: DatabaseCheck | null = config.databaseUrl ? databaseCheck(config.databaseUrl) : null;
  const checks: ReadinessChecks = {
    index: () => {
      if (!serving.app) return { ok: false, reason: 'the index is loading' };
      const { sentenceCount, segments } = serving.app.library.current;
      return { ok: true, detail: `${sentenceCount} sentences in ${segments} segment${segments === 1 ? '' : 's'}` };
    },
    gateway: () => serving.bot?.gateway() ?? { ok: false, reason: 'not connected to Discord yet' },
    ...(database ? { database: () => database.check() } : {}),
  };
  let server: MetricsServer;
  try {
    server = await startMetricsServer({
      host: metrics.host,
      port: metricsPortOf(metrics, config.shardId),
      registry,
      checks,
      onError: (err) => logger.error({ err }, 'the metrics endpoint failed to answer'),
    });
  } catch (error) {
    await database?.close();
    throw error;
  }
  logger.info({ host: metrics.host, port: server.port }, 'health and metrics endpoint listening');
  return {
    async close() {
      await server.close();
      // Not awaited: a probe stuck on a silent database would hold the shutdown until its query timeout.
      void database?.close().catch(() => undefined);
    },
  };
}

run(main);
