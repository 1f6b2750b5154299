/**
 * The Discord adapter: a discord.js v14 client wired to the shared commands and to moderation.
 * Needs no privileged intent: Discord delivers the content of messages that mention the bot, of
 * DMs, and of a context-menu command's target message without Message Content.
 */
import { Client, Events, GatewayIntentBits, Partials, RESTEvents } from 'discord.js';
import type { App } from '../app.js';
import type { Logger } from '../logger.js';
import { commands as allCommands, type Command } from '../../commands/index.js';
import { Cooldown, defaultCooldown, type CooldownOptions } from './cooldown.js';
import { handleInteraction, handleMessage } from './handlers.js';
import { WorkQueue } from './work-queue.js';
import type { HandlerContext } from './context.js';
import { discordAnswerMessages, postPendingReviews } from './reports.js';
import { noMentions } from './send.js';
import { gatewayClosedError, loginError, settledWithin, waitForDiscord } from './connect.js';
import { acknowledgementResponse } from './observe.js';
import { GatewayWatch } from './gateway-health.js';
import { readFrom } from '../metrics/metrics.js';
import type { Check } from '../metrics/server.js';

/** How long shutdown waits for the gateway to confirm closing: with Discord unreachable it never does. */
const gatewayCloseWaitMs = 3_000;

export interface BotOptions {
  token: string;
  app: App;
  logger: Logger;
  /** Base URL of the REST API (DISCORD_API_URL); Discord's own when unset. */
  apiUrl?: string;
  /** discord.js's global REST budget (DISCORD_REQUESTS_PER_SECOND), default 50. */
  requestsPerSecond?: number;
  cooldown?: CooldownOptions;
  /** Review channel for reports (MOD_CHANNEL_ID) and moderator role (MOD_ROLE_ID). */
  modChannelId?: string;
  modRoleId?: string;
  /** Commands to serve; all of `commands/` by default. */
  commands?: readonly Command[];
  /** Defer an interaction whose command is still running after this many ms. Default 2000. */
  deferAfterMs?: number;
  /** Defer first when more than this many interactions are in hand. Default 20. */
  busyAfter?: number;
  /** Retry posting review messages that failed, this often (ms). Default 60000. */
  reviewRetryMs?: number;
  /** A stop signal: while Discord cannot be reached yet, start-up stops retrying and rejects. */
  signal?: AbortSignal;
}

export interface Bot {
  client: Client;
  /** Rejects when Discord closes the gateway for good (a token reset: 4004 …); never resolves. */
  lost: Promise<never>;
  /** For /readyz: every shard connected, with heartbeats acknowledged (`gateway-health.ts`). */
  gateway(): Check;
  stop(): Promise<void>;
}

export async function startBot(options: BotOptions): Promise<Bot> {
  const { logger } = options;
  const client = new Client({
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.DirectMessages],
    partials: [Partials.Channel], // DM channels arrive uncached
    allowedMentions: noMentions,
    rest: { ...(options.apiUrl ? { api: options.apiUrl } : {}), globalRequestsPerSecond: options.requestsPerSecond ?? 50 },
  });
  const ctx: HandlerContext = {
    app: options.app,
    commands: options.commands ?? allCommands,
    cooldown: new Cooldown(options.cooldown ?? defaultCooldown),
    logger,
    deferAfterMs: options.deferAfterMs ?? 2000,
    client,
    inFlight: 0,
    busyAfter: options.busyAfter ?? 20,
    queue: new WorkQueue(),
    ...(options.modChannelId ? { modChannelId: options.modChannelId } : {}),
    ...(options.modRoleId ? { modRoleId: options.modRoleId } : {}),
  };
  options.app.moderation.messages = discordAnswerMessages(client, ctx);
  readFrom({ queueDepth: () => ctx.queue.waiting, inFlight: () => ctx.inFlight });
  const gateway = new GatewayWatch(client);

  client.on(Events.InteractionCreate, (interaction) => void handleInteraction(interaction, ctx));
  client.on(Events.MessageCreate, (message) => void handleMessage(message, client.user!.id, ctx));
  client.on(Events.Error, (err) => logger.error({ err }, 'client error'));
  client.on(Events.Warn, (message) => logger.warn(message));
  client.on(Events.ShardDisconnect, (event, shard) => logger.warn({ shard, code: event.code }, 'gateway disconnected'));
  client.on(Events.ShardReconnecting, (shard) => logger.info({ shard }, 'gateway reconnecting'));
  client.on(Events.ShardResume, (shard, replayed) => logger.info({ shard, replayed }, 'gateway resumed'));
  client.rest.on('rateLimited', (info) => logger.warn({ route: info.route, retryAfter: info.retryAfter, global: info.global }, 'rate limited by Discord'));
  // Acknowledgement latency, whichever way a handler acknowledged: its callback's REST response.
  client.rest.on(RESTEvents.Response, (request, response) => acknowledgementResponse(request.method, request.path, response.status));

  // On such a close discord.js stops reconnecting and the bot would sit idle: it ends the process instead.
  let stopping = false;
  const lost = new Promise<never>((_, reject) => client.on(Events.ShardDisconnect, (event) => stopping || reject(gatewayClosedError(event.code))));
  lost.catch(() => undefined); // observed by the caller (and the login below)

  // No network yet or a Discord outage is waited out with backoff; a bad token is fatal (connect.ts).
  await waitForDiscord({ token: options.token, logger, ...(options.apiUrl ? { apiUrl: options.apiUrl } : {}), ...(options.signal ? { signal: options.signal } : {}) });
  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  const started = Date.now();
  try {
    await Promise.race([client.login(options.token).then(() => ready), lost]);
  } catch (error) {
    stopping = true;
    gateway.stop();
    await settledWithin(client.destroy(), gatewayCloseWaitMs);
    throw loginError(error);
  }
  logger.info({ user: client.user?.tag, guilds: client.guilds.cache.size, ms: Date.now() - started }, 'connected to Discord');

  // Reports stored while Discord failed (or before a crash) are posted now, and retried later —
  // in the background: the bot is up (and ready) without waiting on the database or the posts.
  const retry = async () => {
    const posted = await postPendingReviews(ctx).catch((err: unknown) => (logger.warn({ err }, 'posting pending reviews failed'), 0));
    if (posted > 0) logger.info({ posted }, 'posted pending review messages');
  };
  void retry();
  const timer = setInterval(() => void retry(), options.reviewRetryMs ?? 60_000);
  timer.unref();

  return {
    client,
    lost,
    gateway: () => (stopping ? { ok: false, reason: 'shutting down' } : gateway.check()),
    async stop() {
      logger.info('shutting down');
      stopping = true;
      clearInterval(timer);
      gateway.stop();
      // A gateway that has gone away never answers the close (ws would wait 30 s): go on without it.
      if (!(await settledWithin(client.destroy(), gatewayCloseWaitMs))) logger.warn({ ms: gatewayCloseWaitMs }, 'the gateway did not confirm closing; going on');
    },
  };
}
