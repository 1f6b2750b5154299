/**
 * The environment, read and checked once at start-up. A `.env` file in the working folder is
 * loaded first if present (variables already set win); `.env.example` documents every variable.
 * A malformed value stops start-up with a message that names the variable.
 */
import { existsSync } from 'node:fs';
import { isIP } from 'node:net';
import { join, resolve } from 'node:path';
import { citedError } from './core/errors.js';
import { projectRoot } from './core/paths.js';
import type { CooldownOptions } from './discord/cooldown.js';
import { DEFAULT_POLL_SECONDS, defaultFetchSettings } from './pages/limits.js';
import { DEFAULT_LEASE_TTL_MS } from './feeds/lease.js';

export interface Config {
  /** Folder of articles; the bundled corpus when unset. */
  corpusDir?: string;
  /** Bot token; without it Cited runs the local console. */
  discordToken?: string;
  /** Base URL of Discord's REST API (for a REST proxy, or the tests' stand-in), e.g. http://127.0.0.1:8080/api. */
  discordApiUrl?: string;
  /** Register commands in this guild only (instant), instead of globally. */
  discordGuildId?: string;
  /** The application id for deploy-commands; asked from Discord when unset. */
  discordApplicationId?: string;
  logLevel: string;
  cooldown: CooldownOptions;
  /** Where Cited keeps its files: the SQLite store, removed articles. Default: data/ in the project. */
  dataDir: string;
  /** PostgreSQL for the moderation store (several processes share it); SQLite in dataDir when unset. */
  databaseUrl?: string;
  /** Channel where reports are posted for review; without it, /moderation queue lists them. */
  modChannelId?: string;
  /** Members with this role moderate, besides those with Manage Messages. */
  modRoleId?: string;
  /**
   * User ids that may add and remove articles through Discord (CORPUS_ADMINS). The corpus is shared
   * by every server the bot is in, so no server's moderators may change it by their role alone;
   * empty: nobody may (the console's user always may).
   */
  corpusAdmins: string[];
  /**
   * Shards across every machine that runs the bot (TOTAL_SHARDS, or its older name SHARD_COUNT);
   * Discord's recommendation when unset.
   */
  totalShards?: number;
  /**
   * The shard ids this machine's `start:sharded` runs (SHARD_LIST, e.g. `0-3` or `0,1,2,3`), each
   * within 0..totalShards-1; every shard when unset.
   */
  shardList?: number[];
  /**
   * This process's shard id when discord.js's ShardingManager started it (it passes the id in
   * SHARDS); unset for a bot started on its own.
   */
  shardId?: number;
  /** The health and metrics endpoint (METRICS_PORT, METRICS_HOST); off when unset. */
  metrics?: MetricsConfig;
  /**
   * REST requests per second across the bot (discord.js's global budget, 50 as Discord grants by
   * default). Under a burst, deferred answers are edited in at this pace: raise it to the limit
   * Discord has granted a large bot.
   */
  discordRequestsPerSecond: number;
  /**
   * After SIGINT or SIGTERM the bot shuts down in order; if that has not finished within this
   * many ms (a database or Discord that never answers), it logs so and exits with status 1.
   */
  shutdownTimeoutMs: number;
  /** Feeds followed from configuration (FEEDS), besides those the corpus admins follow. */
  feeds: string[];
  /** Seconds between polls of a feed (FEED_POLL_SECONDS). */
  feedPollSeconds: number;
  /**
   * Seconds the feed-polling lease lasts unless renewed (FEED_LEASE_SECONDS, at least 3): it is
   * renewed every third of it, and a process that dies holding it is replaced within about this long.
   */
  feedLeaseSeconds: number;
  /** Seconds a page or feed fetch may take in all (FETCH_TIMEOUT_SECONDS). */
  fetchTimeoutSeconds: number;
  /**
   * Fetch from private, loopback and link-local addresses too (ALLOW_PRIVATE_URLS). Off by default:
   * an address given to /sources add or a feed's link must not reach the bot's own network.
   */
  allowPrivateUrls: boolean;
  /** Channel where articles added from feeds are announced (ANNOUNCE_CHANNEL_ID). */
  announceChannelId?: string;
}

export interface MetricsConfig {
  /** The bot's port; under the sharding manager each shard listens on `port + shard id`. */
  port: number;
  /**
   * The address to listen on. 127.0.0.1 by default: the endpoint has no authentication and tells
   * anyone who reaches it the bot's load and corpus size, so it is opened wider only on purpose.
   */
  host: string;
}

export const defaultMetricsHost = '127.0.0.1';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function loadDotEnv(path = '.env'): void {
  if (existsSync(path)) process.loadEnvFile(path);
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const read = (name: string) => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const bad = (name: string, why: string) => citedError('BAD_CONFIG', name, why);
  const config: Config = { logLevel: 'info', cooldown: { limit: 5, windowSeconds: 30 }, dataDir: join(projectRoot(), 'data'), discordRequestsPerSecond: 50, shutdownTimeoutMs: 10_000, corpusAdmins: [],
    feeds: [], feedPollSeconds: DEFAULT_POLL_SECONDS, feedLeaseSeconds: DEFAULT_LEASE_TTL_MS / 1000, fetchTimeoutSeconds: defaultFetchSettings.timeoutMs / 1000, allowPrivateUrls: false };

  const corpus = read('CORPUS_DIR');
  if (corpus) config.corpusDir = corpus;

  const token = read('DISCORD_TOKEN');
  if (token) {
    if (!/^[\w-]+\.[\w-]+\.[\w-]+$/.test(token)) throw bad('DISCORD_TOKEN', 'is not a bot token (three dot-separated parts); copy it again from the Discord developer portal, Bot page');
    config.discordToken = token;
  }
  const api = read('DISCORD_API_URL');
  if (api) {
    let url: URL;
    try {
      url = new URL(api);
    } catch {
      throw bad('DISCORD_API_URL', `"${api}" is not a URL; expected something like https://proxy.example/api`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw bad('DISCORD_API_URL', 'must be an http:// or https:// URL');
    config.discordApiUrl = api.replace(/\/+$/, '');
  }
  for (const [name, key] of [['DISCORD_GUILD_ID', 'discordGuildId'], ['DISCORD_APPLICATION_ID', 'discordApplicationId'], ['MOD_CHANNEL_ID', 'modChannelId'], ['MOD_ROLE_ID', 'modRoleId'], ['ANNOUNCE_CHANNEL_ID', 'announceChannelId']] as const) {
    const id = read(name);
    if (id === undefined) continue;
    if (!/^\d{15,21}$/.test(id)) throw bad(name, `"${id}" is not a Discord id (15 to 21 digits; right-click → Copy ID with developer mode on)`);
    config[key] = id;
  }
  const admins = read('CORPUS_ADMINS');
  if (admins) {
    const ids = admins.split(',').map((id) => id.trim()).filter((id) => id !== '');
    const wrong = ids.find((id) => !/^\d{15,21}$/.test(id));
    if (wrong !== undefined) throw bad('CORPUS_ADMINS', `"${wrong}" is not a Discord user id (15 to 21 digits, comma-separated; right-click a user → Copy User ID with developer mode on)`);
    config.corpusAdmins = ids;
  }
  const level = read('LOG_LEVEL');
  if (level) {
    if (!LOG_LEVELS.includes(level)) throw bad('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}`);
    config.logLevel = level;
  }
  const positive = (name: string, fallback: number) => {
    const raw = read(name);
    if (raw === undefined) return fallback;
    if (!/^\d+$/.test(raw) || Number(raw) < 1) throw bad(name, `"${raw}" is not a positive whole number`);
    return Number(raw);
  };
  const dataDir = read('DATA_DIR');
  if (dataDir) config.dataDir = resolve(dataDir);
  const databaseUrl = read('DATABASE_URL');
  if (databaseUrl) {
    if (!/^postgres(ql)?:\/\//.test(databaseUrl)) throw bad('DATABASE_URL', 'must be a PostgreSQL URL, postgresql://user:password@host/database (leave it unset for SQLite)');
    config.databaseUrl = databaseUrl;
  }
  config.cooldown = { limit: positive('COOLDOWN_QUESTIONS', 5), windowSeconds: positive('COOLDOWN_SECONDS', 30) };
  readShards(config, read, positive);
  readMetrics(config, read);
  config.discordRequestsPerSecond = positive('DISCORD_REQUESTS_PER_SECOND', 50);
  config.shutdownTimeoutMs = positive('SHUTDOWN_TIMEOUT_SECONDS', 10) * 1000;
  const feeds = read('FEEDS');
  if (feeds) {
    config.feeds = [...new Set(feeds.split(/[\s,]+/).filter((u) => u !== ''))];
    for (const url of config.feeds) {
      let parsed: URL | null = null;
      try {
        parsed = new URL(url);
      } catch {
        // reported below
      }
      if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) throw bad('FEEDS', `"${url}" is not an http:// or https:// address (list feed addresses separated by commas or spaces)`);
    }
  }
  config.feedPollSeconds = positive('FEED_POLL_SECONDS', DEFAULT_POLL_SECONDS);
  config.feedLeaseSeconds = positive('FEED_LEASE_SECONDS', DEFAULT_LEASE_TTL_MS / 1000);
  if (config.feedLeaseSeconds < 3) throw bad('FEED_LEASE_SECONDS', `is ${config.feedLeaseSeconds}; give 3 or more (the lease is renewed every third of it)`);
  config.fetchTimeoutSeconds = positive('FETCH_TIMEOUT_SECONDS', defaultFetchSettings.timeoutMs / 1000);
  const allow = read('ALLOW_PRIVATE_URLS');
  if (allow !== undefined) {
    if (!/^(true|false|1|0|yes|no)$/i.test(allow)) throw bad('ALLOW_PRIVATE_URLS', `"${allow}" is not true or false`);
    config.allowPrivateUrls = /^(true|1|yes)$/i.test(allow);
  }
  return config;
}

/**
 * TOTAL_SHARDS, SHARD_COUNT and SHARD_LIST. SHARD_COUNT is the older name of TOTAL_SHARDS (every
 * shard runs here when SHARD_LIST is unset, as before); when both are set they must agree, which
 * they do inside a shard too, where discord.js's ShardingManager sets SHARD_COUNT to the total.
 * SHARD_LIST needs TOTAL_SHARDS itself: machines that split the shards must agree on the total,
 * and Discord's recommendation may change between their starts; SHARD_COUNT alone would be read
 * by some as "this machine's count" (4 with SHARD_LIST=4-7), so it does not stand in for it.
 */
function readShards(config: Config, read: (name: string) => string | undefined, positive: (name: string, fallback: number) => number): void {
  const bad = (name: string, why: string) => citedError('BAD_CONFIG', name, why);
  const total = read('TOTAL_SHARDS') !== undefined ? positive('TOTAL_SHARDS', 1) : undefined;
  const count = read('SHARD_COUNT') !== undefined ? positive('SHARD_COUNT', 1) : undefined;
  if (total !== undefined && count !== undefined && total !== count) {
    throw bad('SHARD_COUNT', `is ${count} but TOTAL_SHARDS is ${total}; SHARD_COUNT is the older name of TOTAL_SHARDS: set TOTAL_SHARDS only, and SHARD_LIST for the shards this machine runs`);
  }
  const totalShards = total ?? count;
  if (totalShards !== undefined) config.totalShards = totalShards;
  const list = read('SHARD_LIST');
  if (list !== undefined) {
    if (total === undefined) {
      throw bad('SHARD_LIST', 'needs TOTAL_SHARDS, the number of shards across every machine (each machine sets the same TOTAL_SHARDS and its own SHARD_LIST)');
    }
    config.shardList = parseShardList(list, total);
  }
  const id = read('SHARDS');
  if (read('SHARDING_MANAGER') === 'true' && id !== undefined && /^\d+$/.test(id)) config.shardId = Number(id);
}

/**
 * SHARD_LIST: shard ids and ranges separated by commas (`0,1,2,3`, `4-7`, `0-3,8`), in the order
 * given; each id within 0..total-1 and listed once.
 */
export function parseShardList(raw: string, total: number): number[] {
  const bad = (why: string) => citedError('BAD_CONFIG', 'SHARD_LIST', why);
  const ids: number[] = [];
  const seen = new Set<number>();
  for (const item of raw.split(',').map((part) => part.trim()).filter((part) => part !== '')) {
    const match = /^(\d+)(?:\s*-\s*(\d+))?$/.exec(item);
    if (!match) throw bad(`"${item}" is neither a shard id nor a range like 4-7 (ids and ranges separated by commas)`);
    const from = Number(match[1]);
    const to = match[2] === undefined ? from : Number(match[2]);
    if (to < from) throw bad(`the range ${item} runs backwards; write it as ${to}-${from}`);
    if (to >= total) throw bad(`shard ${to} is out of range: with TOTAL_SHARDS=${total} the ids are 0 to ${total - 1}`);
    for (let id = from; id <= to; id++) {
      if (seen.has(id)) throw bad(`shard ${id} is listed twice`);
      seen.add(id);
      ids.push(id);
    }
  }
  if (ids.length === 0) throw bad('lists no shard; give ids or ranges like 0-3 (or leave it unset to run every shard)');
  return ids;
}

/** METRICS_PORT (the endpoint is off without it) and METRICS_HOST. */
function readMetrics(config: Config, read: (name: string) => string | undefined): void {
  const bad = (name: string, why: string) => citedError('BAD_CONFIG', name, why);
  const port = read('METRICS_PORT');
  const host = read('METRICS_HOST');
  if (port === undefined) {
    if (host !== undefined) throw bad('METRICS_HOST', 'is set but METRICS_PORT is not; the health and metrics endpoint is off without a port');
    return;
  }
  if (!/^\d+$/.test(port) || Number(port) < 1 || Number(port) > 65535) throw bad('METRICS_PORT', `"${port}" is not a TCP port (1 to 65535)`);
  if (host !== undefined && isIP(host) === 0 && !/^[a-z\d]([a-z\d-]*[a-z\d])?(\.[a-z\d]([a-z\d-]*[a-z\d])?)*$/i.test(host)) {
    throw bad('METRICS_HOST', `"${host}" is not an IP address or host name (e.g. 127.0.0.1, 0.0.0.0 for every interface, or ::)`);
  }
  config.metrics = { port: Number(port), host: host ?? defaultMetricsHost };
}

/**
 * The port a process's endpoint listens on: METRICS_PORT for a bot on its own, METRICS_PORT + its
 * shard id under the sharding manager (each shard is its own process with its own counters).
 */
export function metricsPortOf(metrics: MetricsConfig, shardId: number | undefined): number {
  const port = metrics.port + (shardId ?? 0);
  if (port > 65535) throw citedError('BAD_CONFIG', 'METRICS_PORT', `${metrics.port} + shard ${shardId} is past the last TCP port (65535); choose a lower METRICS_PORT`);
  return port;
}
