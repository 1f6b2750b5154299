/**
 * `npm run start:sharded`: the bot under discord.js's ShardingManager, one process per shard (each
 * runs `main.js`, loads the index snapshot, and shares moderation through DATABASE_URL). The shard
 * count is TOTAL_SHARDS (or SHARD_COUNT), or the count Discord recommends (asked through
 * DISCORD_API_URL if set); this machine runs the shards of SHARD_LIST, or all of them, so several
 * machines can split one bot's shards. SIGINT or SIGTERM stops every shard gracefully. With
 * METRICS_PORT, each shard serves its own health and metrics on METRICS_PORT + its id.
 * See README, "Scaling".
 */
import { fileURLToPath } from 'node:url';
import { REST, Routes, ShardingManager } from 'discord.js';
import { loadDotEnv, metricsPortOf, readConfig } from './config.js';
import { citedError } from './core/errors.js';
import { createLogger } from './logger.js';
import { run } from './cli/common.js';

async function main(): Promise<number> {
  loadDotEnv();
  const config = readConfig();
  if (!config.discordToken) throw citedError('BAD_CONFIG', 'DISCORD_TOKEN', 'is not set; start:sharded runs the Discord bot only');
  const logger = createLogger(config.logLevel);
  if (!config.databaseUrl) {
    logger.warn(
      config.shardList
        ? 'DATABASE_URL is not set: this machine keeps moderation in its own SQLite store, which the shards of other machines (SHARD_LIST) never see; use PostgreSQL so every shard shares reports and suppressions'
        : 'DATABASE_URL is not set: each shard keeps its own SQLite moderation store; use PostgreSQL so shards share reports and suppressions',
    );
  }
  const totalShards =
    config.totalShards ??
    ((await new REST(config.discordApiUrl ? { api: config.discordApiUrl } : {}).setToken(config.discordToken).get(Routes.gatewayBot())) as { shards: number }).shards;
  const shardList = config.shardList ?? [...Array(totalShards).keys()];
  // Every shard's port checked before any starts, rather than one shard failing after minutes of spawning.
  const ports = config.metrics ? shardList.map((id) => metricsPortOf(config.metrics!, id)) : [];
  const manager = new ShardingManager(fileURLToPath(new URL('./main.js', import.meta.url)), { token: config.discordToken, totalShards, shardList, respawn: true });
  manager.on('shardCreate', (shard) => {
    logger.info({ shard: shard.id, of: totalShards, ...(config.metrics ? { metricsPort: metricsPortOf(config.metrics, shard.id) } : {}) }, 'shard started');
    shard.on('death', () => logger.warn({ shard: shard.id }, 'shard exited'));
  });
  logger.info({ shards: shardList, of: totalShards, ...(ports.length > 0 ? { metricsPorts: ports } : {}) }, 'starting shards');
  await manager.spawn({ amount: totalShards, timeout: 120_000 });
  logger.info({ shards: shardList, of: totalShards }, 'all shards ready');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  logger.info('stopping shards');
  manager.respawn = false;
  await Promise.all(
    manager.shards.map(
      (shard) =>
        new Promise<void>((resolve) => {
          if (!shard.process || shard.process.exitCode !== null) return resolve();
          shard.process.once('exit', () => resolve());
          shard.process.kill('SIGTERM');
        }),
    ),
  );
  return 0;
}

run(main);
