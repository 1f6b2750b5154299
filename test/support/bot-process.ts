/**
 * A real bot process (the compiled src/main.js, started as `startScript` starts it) for tests with
 * several of them: each with its own DATA_DIR and corpus folder, all sharing one database and one
 * Discord stand-in. Given a shard, a process identifies as that shard of the count (SHARDS and
 * SHARD_COUNT, as discord.js's ShardingManager tells its children), so the stand-in sends it the
 * events of its own servers. `startBotProcess` resolves once it is connected to Discord.
 */
import { freshDir, startScript, tempCorpus, type Started } from '../helpers.js';
import type { DiscordStandIn, Json } from '../discord/stand-in.js';

export const BOT_TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.Gstand.in-token';

export interface BotProcessOptions {
  discord: DiscordStandIn;
  /** PostgreSQL shared with the other processes; unset: SQLite in DATA_DIR. */
  databaseUrl?: string;
  /** Default: a new folder. The folder of a process that ended starts "the same" process again. */
  dataDir?: string;
  /** Default: a copy of the bundled corpus of its own. */
  corpusDir?: string;
  /** The shard it runs, of how many in all. Default: the only one. */
  shard?: { id: number; count: number };
  /** More environment; LOG_LEVEL is info unless given. */
  env?: Record<string, string | undefined>;
  /** How long it may take to connect. Default 60 s: several processes analyse their corpus at once. */
  connectTimeoutMs?: number;
}

export interface BotProcess extends Started {
  dataDir: string;
  corpusDir: string;
  pid: number;
  /** Its JSON log lines (stdout) whose `msg` matches, parsed. */
  logged(msg: string | RegExp): Json[];
  /** SIGKILL: it dies at once, giving nothing up (no lease released, no shutdown). Resolves once it has. */
  kill(): Promise<void>;
}

export async function startBotProcess(options: BotProcessOptions): Promise<BotProcess> {
  const dataDir = options.dataDir ?? freshDir('cited-data-');
  const corpusDir = options.corpusDir ?? tempCorpus({}, true);
  const started = startScript('src/main.js', {
    DISCORD_TOKEN: BOT_TOKEN,
    DISCORD_API_URL: options.discord.apiUrl,
    DATA_DIR: dataDir,
    CORPUS_DIR: corpusDir,
    DATABASE_URL: options.databaseUrl,
    SHARDS: options.shard ? String(options.shard.id) : undefined,
    SHARD_COUNT: options.shard ? String(options.shard.count) : undefined,
    TOTAL_SHARDS: undefined,
    SHARD_LIST: undefined,
    SHARDING_MANAGER: undefined,
    METRICS_PORT: undefined,
    LOG_LEVEL: 'info',
    ...options.env,
  });
  // Its log on its own: complete stdout lines only, never cut by what stderr wrote meanwhile.
  let log = '';
  started.child.stdout!.on('data', (chunk: string) => (log += chunk));
  const bot: BotProcess = {
    ...started,
    dataDir,
    corpusDir,
    pid: started.child.pid!,
    logged(msg) {
      const wanted = (m: unknown) => (typeof msg === 'string' ? m === msg : msg.test(String(m)));
      const lines = log.split('\n').slice(0, -1);
      return lines.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Json).filter((entry) => wanted(entry['msg']));
    },
    async kill() {
      await started.stop('SIGKILL');
    },
  };
  const timeout = options.connectTimeoutMs ?? 60_000;
  const exitedEarly = started.exited.then((code) => {
    throw new Error(`the bot process exited (${code}) before connecting to Discord:\n${started.output()}`);
  });
  try {
    await Promise.race([started.waitFor(/"msg":"connected to Discord"/, timeout), exitedEarly]);
  } catch (error) {
    await started.stop('SIGKILL');
    throw error;
  }
  exitedEarly.catch(() => undefined); // it may end later, on purpose
  return bot;
}
