/**
 * `npm run start:sharded`: the bot under discord.js's ShardingManager, one process per shard (each
 * runs `main.js`, loads the index snapshot, and shares moderation through DATABASE_URL). The shard
 * count is SHARD_COUNT, or the count Discord recommends (asked through DISCORD_API_URL if set).
 * SIGINT or SIGTERM stops every shard gracefully. See README, "Scaling".
 */
import { fileURLToPath } from 'node:url';
import { REST, Routes, ShardingManager } from 'discord.js';
import { loadDotEnv, readConfig } from './config.js';
import { citedError } from './core/errors.js';
import { createLogger } from './logger.js';
import { run } from './cli/common.js';

async function main(): Promise<number> {
  loadDotEnv();
  const config = readConfig();
  if (!config.discordToken) throw citedError('BAD_CONFIG', 'DISCORD_TOKEN', 'is not set; start:sharded runs the Discord bot only');
  const logger = createLogger(config.logLevel);
  if (!config.databaseUrl) logger.warn('DATABASE_URL is not set: each shard keeps its own SQLite moderation store; use PostgreSQL so shards share reports and suppressions');
  const totalShards =
    config.shardCount ??
    ((await new REST(config.discordApiUrl ? { api: config.discordApiUrl } : {}).setToken(config.discordToken).get(Routes.gatewayBot())) as { shards: number }).shards;
  const manager = new ShardingManager(fileURLToPath(new URL('./main.js', import.meta.url)), { token: config.discordToken, totalShards, respawn: true });
  manager.on('shardCreate', (shard) => {
    logger.info({ shard: shard.id, of: totalShards }, 'shard started');
    shard.on('death', () => logger.warn({ shard: shard.id }, 'shard exited'));
  });
  await manager.spawn({ amount: totalShards, timeout: 120_000 });
  logger.info({ shards: totalShards }, 'all shards ready');
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
