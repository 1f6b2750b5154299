/**
 * The Discord adapter: a discord.js v14 client wired to the shared commands. Needs no privileged
 * intent: Discord delivers the content of messages that mention the bot, of DMs, and of a
 * context-menu command's target message without Message Content.
 */
import { Client, Events, GatewayIntentBits, Partials } from 'discord.js';
import type { Cited } from '../cited.js';
import type { Logger } from '../logger.js';
import { commands as allCommands, type Command } from '../../commands/index.js';
import { AnswerMemory } from './answer-memory.js';
import { Cooldown, defaultCooldown, type CooldownOptions } from './cooldown.js';
import { handleInteraction, handleMessage, type HandlerContext } from './handlers.js';
import { noMentions } from './send.js';

export interface BotOptions {
  token: string;
  cited: Cited;
  logger: Logger;
  /** Base URL of the REST API (DISCORD_API_URL); Discord's own when unset. */
  apiUrl?: string;
  cooldown?: CooldownOptions;
  /** Commands to serve; all of `commands/` by default. */
  commands?: readonly Command[];
  /** Defer an interaction whose command is still running after this many ms. Default 2000. */
  deferAfterMs?: number;
}

export interface Bot {
  client: Client;
  stop(): Promise<void>;
}

export async function startBot(options: BotOptions): Promise<Bot> {
  const { logger } = options;
  const client = new Client({
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.DirectMessages],
    partials: [Partials.Channel], // DM channels arrive uncached
    allowedMentions: noMentions,
    ...(options.apiUrl ? { rest: { api: options.apiUrl } } : {}),
  });
  const ctx: HandlerContext = {
    cited: options.cited,
    commands: options.commands ?? allCommands,
    memory: new AnswerMemory(),
    cooldown: new Cooldown(options.cooldown ?? defaultCooldown),
    logger,
    deferAfterMs: options.deferAfterMs ?? 2000,
  };

  client.on(Events.InteractionCreate, (interaction) => void handleInteraction(interaction, ctx));
  client.on(Events.MessageCreate, (message) => void handleMessage(message, client.user!.id, ctx));
  client.on(Events.Error, (err) => logger.error({ err }, 'client error'));
  client.on(Events.Warn, (message) => logger.warn(message));
  client.on(Events.ShardDisconnect, (event, shard) => logger.warn({ shard, code: event.code }, 'gateway disconnected'));
  client.on(Events.ShardReconnecting, (shard) => logger.info({ shard }, 'gateway reconnecting'));
  client.on(Events.ShardResume, (shard, replayed) => logger.info({ shard, replayed }, 'gateway resumed'));
  client.rest.on('rateLimited', (info) => logger.warn({ route: info.route, retryAfter: info.retryAfter, global: info.global }, 'rate limited by Discord'));

  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  const started = Date.now();
  await client.login(options.token);
  await ready;
  logger.info({ user: client.user?.tag, guilds: client.guilds.cache.size, ms: Date.now() - started }, 'connected to Discord');

  return {
    client,
    async stop() {
      logger.info('shutting down');
      await client.destroy();
    },
  };
}
