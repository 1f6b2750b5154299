/**
 * A loopback Discord stand-in: just enough of Discord's REST API (v10) and
 * gateway for the real discord.js v14 client to log in, receive dispatches and
 * answer them, so end-to-end tests can drive a bot the way Discord would and
 * assert on the REST calls it makes.
 *
 *   const discord = await startDiscordStandIn();
 *   const client = new Client({ intents, rest: { api: discord.apiUrl } });
 *   await client.login('any-token');
 *   await discord.ready;
 *   const id = discord.interaction(discord.chatInput('ask', [{ name: 'question', type: 3, value: 'Who?' }]));
 *   const call = await discord.waitForCall((c) => c.path === `/interactions/${id}/${discord.tokenOf(id)}/callback`);
 *
 * Dispatches made while no socket carries the session (after `closeSocket`, before
 * login) are queued and delivered on RESUME, or after the next READY.
 *
 * Shards: each IDENTIFY's `shard: [id, count]` opens that shard's own session (READY echoes
 * the pair and lists only the shard's guilds), so several shard processes can share one
 * stand-in. Dispatches go where Discord sends them: a guild's events to shard
 * `(guild_id >> 22) % count`, everything else (DMs) to shard 0 — or, for an interaction sent with
 * `{ shard }`, to that shard. `identified` records every IDENTIFY payload.
 *
 * What it is not: a Discord. One session per shard id, no permissions
 * checks, no real rate limits (only the ones you inject with `failNext`), no
 * CDN. Where Discord's behaviour is cheap to mimic and catches real bugs it is
 * mimicked (documented per option): the 3 s deadline for the first interaction
 * response, "already acknowledged" on a second callback, follow-ups before an
 * acknowledgement, and stripping of message content without the Message
 * Content intent.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';

// ---------------------------------------------------------------------------
// Types

/** A loose JSON object. Payloads are Discord's shapes; we do not re-declare them all. */
export type Json = Record<string, any>;

/** One REST request the client made, in arrival order. */
export interface RestCall {
  method: string;
  /** Path after `/api/v{n}`, percent-decoded (`/webhooks/1/tok/messages/@original`). */
  path: string;
  /** The same path as it arrived on the wire (`.../messages/%40original`). */
  rawPath: string;
  query: URLSearchParams;
  /** Parsed JSON; for multipart: `{ ...payload_json, files: [{ field, name, size, contentType }] }`; `null` when empty. */
  body: any;
  /** Request headers, lower-cased names. */
  headers: Record<string, string>;
  /** `Date.now()` when the request arrived. */
  at: number;
  /** Status the stand-in answered with. */
  status: number;
  /** JSON the stand-in answered with (`null` for 204). */
  response: any;
}

export interface UploadedFile {
  /** Form field, e.g. `files[0]`. */
  field: string;
  name: string;
  size: number;
  contentType: string;
}

export interface ChannelSpec {
  id: string;
  /** Discord channel type: 0 text, 2 voice, 4 category, 5 announcement, 15 forum ... */
  type: number;
  name?: string;
}

export interface GuildSpec {
  id: string;
  name?: string;
  channels?: ChannelSpec[];
}

export interface StandInOptions {
  /** Default: a generated snowflake. */
  botUserId?: string;
  /** Default: same as the bot user id (as for most bots). */
  applicationId?: string;
  botUsername?: string;
  /** Default: one guild "Stand-in Guild" with a text channel "general". */
  guilds?: GuildSpec[];
  /** Sent in HELLO, ms. Default 41250 (Discord's). Tests: ~500 keeps zombie detection quick. */
  heartbeatInterval?: number;
  /**
   * Milliseconds after INTERACTION_CREATE within which the first callback must arrive,
   * else it gets 404 Unknown interaction (10062) as on Discord. Default 3000. `Infinity` disables.
   */
  interactionDeadlineMs?: number;
  /**
   * Apply the client's IDENTIFY intents to `message()` as Discord does. Default true:
   * guild MESSAGE_CREATEs need GuildMessages (1 << 9), DM ones DirectMessages (1 << 12),
   * else they are not sent (the call is still logged in `gatewayLog` as `dropped`); and
   * without MessageContent (1 << 15) a guild message that does not mention the bot
   * arrives with `content`, `embeds`, `attachments`, `components` blanked.
   */
  enforceIntents?: boolean;
  /** Called for every REST call after it is answered (e.g. `console.log`). */
  onCall?: (call: RestCall) => void;
  /**
   * Listen on this port of 127.0.0.1. Default 0: any free port. A fixed port lets a test start
   * a client first, against a port where nothing listens yet, and the stand-in later.
   */
  port?: number;
}

export interface GatewayEvent {
  dir: 'in' | 'out';
  op: number;
  t?: string;
  s?: number;
  d?: any;
  at: number;
}

export type FailResponse =
  /** discord.js waits `retryAfter` seconds and retries (not counted against `retries`). */
  | { status: 429; retryAfter: number; global?: boolean }
  /** 5xx: discord.js retries (3 times by default) then throws HTTPError; 4xx: DiscordAPIError. */
  | { status: number; code?: number; message?: string };

export interface FailMatch {
  method?: string;
  /** Substring of the decoded path (or the raw path). */
  pathIncludes?: string;
  /** How many matching calls fail. Default 1. */
  times?: number;
}

export interface CommandOption {
  name: string;
  type: number;
  value?: string | number | boolean;
  focused?: boolean;
  options?: CommandOption[];
}

export interface InteractionPayload extends Json {
  id: string;
  application_id: string;
  type: number;
  token: string;
  version: number;
  data?: Json;
  guild_id?: string;
  channel: Json;
  channel_id: string;
  member?: Json;
  user?: Json;
  message?: Json;
  app_permissions: string;
  locale: string;
  guild_locale?: string;
  entitlements: unknown[];
  authorizing_integration_owners: Record<string, string>;
  context?: number;
}

/** Extra knobs for `interaction()` and the payload builders. */
export interface InteractionExtras {
  /** The invoking user (default: a fixed test user). */
  user?: Json;
  /** Send it from a DM instead of the first guild. */
  dm?: boolean;
  guildId?: string;
  channelId?: string;
  /**
   * Deliver it to this shard's session, whatever shard its guild falls in: as when a server's events
   * move to another process (the bot re-sharded), for tests of processes that share a database.
   */
  shard?: number;
}

export interface MessageExtras {
  /** Prefix content with `<@bot>` and list the bot in `mentions`. */
  mentionBot?: boolean;
  /** A DM from the author (no guild_id; DM channel). discord.js needs `Partials.Channel` to see these. */
  dm?: boolean;
}

export interface DiscordStandIn {
  /** Pass to `new Client({ rest: { api: apiUrl } })`. */
  apiUrl: string;
  gatewayUrl: string;
  botUser: Json;
  applicationId: string;
  guilds: Json[];
  /** A fixed non-bot user used as the default author / invoker. */
  defaultUser: Json;
  calls: RestCall[];
  gatewayLog: GatewayEvent[];
  /** Resolves when a client has IDENTIFY'd and received READY plus every GUILD_CREATE. */
  ready: Promise<void>;
  identifies: number;
  resumes: number;
  heartbeats: number;
  /** The last IDENTIFY payload `d` (intents, properties, shard...). */
  lastIdentify: Json | null;
  /** Every IDENTIFY payload `d` in arrival order (the token redacted), e.g. to see which `shard` pairs identified. */
  identified: Json[];
  /** Application commands registered with PUT/POST, keyed by `guildId ?? 'global'`. */
  commands: Map<string, Json[]>;
  /** Every INTERACTION_CREATE sent, by id. */
  interactions: Map<string, InteractionPayload>;
  /** Every message the stand-in knows (sent by the bot or dispatched), by id. */
  messages: Map<string, Json>;

  /** Sends a dispatch where Discord would (its guild's shard), or to `shard` when given. */
  dispatch(type: string, data: unknown, shard?: number): void;
  interaction(data: Partial<InteractionPayload>, extras?: InteractionExtras): string;
  chatInput(name: string, options?: CommandOption[], extras?: InteractionExtras): Partial<InteractionPayload>;
  autocomplete(name: string, options: CommandOption[], extras?: InteractionExtras): Partial<InteractionPayload>;
  button(customId: string, message?: Json | string, extras?: InteractionExtras): Partial<InteractionPayload>;
  messageCommand(name: string, targetMessage: Json | string, extras?: InteractionExtras): Partial<InteractionPayload>;
  modalSubmit(customId: string, fields: Record<string, string>, extras?: InteractionExtras): Partial<InteractionPayload>;
  /** The token of an interaction sent with `interaction()`. */
  tokenOf(interactionId: string): string;
  /** REST calls concerning one interaction (its callback and its webhook). */
  callsFor(interactionId: string): RestCall[];
  message(data?: Json, extras?: MessageExtras): Json;
  /** Build (and remember) a full message object without dispatching it. */
  buildMessage(data?: Json, extras?: MessageExtras): Json;
  /**
   * The first call matching `predicate` — already recorded or arriving within `timeoutMs`
   * (default 5000). Past calls count: make predicates specific (an interaction id, a body field).
   */
  waitForCall(predicate: (c: RestCall) => boolean, timeoutMs?: number): Promise<RestCall>;
  waitForGateway(predicate: (e: GatewayEvent) => boolean, timeoutMs?: number): Promise<GatewayEvent>;
  failNext(match: FailMatch, response: FailResponse): void;
  /**
   * Close the gateway socket: no code (or 1006) = abrupt terminate; 4000 = resumable; 1000 = client re-identifies.
   * `shard` picks the session when several shards are connected (default: shard 0, or the only one).
   */
  closeSocket(code?: number, shard?: number): void;
  /** op 9. */
  invalidateSession(resumable: boolean, shard?: number): void;
  /** op 7: the client closes and resumes. */
  requestReconnect(shard?: number): void;
  /**
   * The next IDENTIFY is answered by closing the socket with `code` (as Discord does:
   * 4004 "Authentication failed" for a bad token, 4014 "Disallowed intent(s)" ...).
   */
  failNextIdentify(code: number, reason?: string): void;
  /**
   * From now on answer nothing, as when the network between the bot and Discord is cut:
   * REST requests are held unanswered, open gateway sockets stop being read (no heartbeat
   * ACK, no reply to a close frame) and new ones get no HELLO. `stop()` still ends it all.
   */
  stopAnswering(): void;
  /** Close everything. Destroy the client first, or it will keep trying to reconnect. */
  stop(): Promise<void>;
}

// ---------------------------------------------------------------------------
// Constants

const DISCORD_EPOCH = 1420070400000n;
const GUILD_MESSAGES_INTENT = 1 << 9;
const DIRECT_MESSAGES_INTENT = 1 << 12;
const MESSAGE_CONTENT_INTENT = 1 << 15;
const EPHEMERAL = 1 << 6;
const LOADING = 1 << 7;
/** Every permission bit up to PIN_MESSAGES (1 << 51), as a decimal string. */
const ALL_PERMISSIONS = ((1n << 52n) - 1n).toString();
const DEFAULT_EVERYONE_PERMISSIONS = '2222085186637376';

enum Op {
  Dispatch = 0,
  Heartbeat = 1,
  Identify = 2,
  PresenceUpdate = 3,
  VoiceStateUpdate = 4,
  Resume = 6,
  Reconnect = 7,
  RequestGuildMembers = 8,
  InvalidSession = 9,
  Hello = 10,
  HeartbeatAck = 11,
}

enum CallbackType {
  Pong = 1,
  ChannelMessageWithSource = 4,
  DeferredChannelMessageWithSource = 5,
  DeferredUpdateMessage = 6,
  UpdateMessage = 7,
  AutocompleteResult = 8,
  Modal = 9,
  LaunchActivity = 12,
}

// ---------------------------------------------------------------------------
// Small helpers

function snowflakes(): () => string {
  let last = 0n;
  return () => {
    const now = (BigInt(Date.now()) - DISCORD_EPOCH) << 22n;
    last = now > last ? now : last + 1n;
    return last.toString();
  };
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

function notFound(what: string, code: number): never {
  throw new HttpError(404, code, `Unknown ${what}`);
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

async function parseBody(raw: Buffer, headers: Record<string, string>): Promise<any> {
  if (raw.length === 0) return null;
  const type = headers['content-type'] ?? '';
  if (type.startsWith('multipart/form-data')) {
    // undici (Node's fetch) parses multipart for us.
    const form = await new Request('http://stand-in.invalid/', { method: 'POST', headers: { 'content-type': type }, body: raw }).formData();
    const files: UploadedFile[] = [];
    let payload: Json = {};
    for (const [field, value] of form.entries()) {
      if (typeof value === 'string') {
        if (field === 'payload_json') payload = JSON.parse(value) as Json;
        else payload[field] = value;
      } else {
        files.push({ field, name: value.name, size: value.size, contentType: value.type });
      }
    }
    return { ...payload, files };
  }
  const text = raw.toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function lowerHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

// ---------------------------------------------------------------------------
// The stand-in

interface InteractionState {
  payload: InteractionPayload;
  sentAt: number;
  acknowledged: boolean;
  /** The @original message once there is one. */
  original: Json | null;
  followUps: Map<string, Json>;
}

interface Waiter<T> {
  predicate: (item: T) => boolean;
  resolve: (item: T) => void;
}

interface PendingFailure {
  match: FailMatch;
  response: FailResponse;
  remaining: number;
}

export async function startDiscordStandIn(options: StandInOptions = {}): Promise<DiscordStandIn> {
  const nextId = snowflakes();
  const heartbeatInterval = options.heartbeatInterval ?? 41250;
  const deadline = options.interactionDeadlineMs ?? 3000;
  const enforceIntents = options.enforceIntents ?? true;

  const botUserId = options.botUserId ?? nextId();
  const applicationId = options.applicationId ?? botUserId;
  const botUser: Json = {
    id: botUserId,
    username: options.botUsername ?? 'Cited',
    global_name: null,
    discriminator: '0',
    avatar: null,
    bot: true,
    system: false,
    flags: 0,
    public_flags: 0,
    mfa_enabled: false,
    verified: true,
  };
  const defaultUser: Json = {
    id: nextId(),
    username: 'tester',
    global_name: 'Tester',
    discriminator: '0',
    avatar: null,
    public_flags: 0,
    flags: 0,
  };
  const now = new Date().toISOString();
  const ownerId = nextId();

  const channels = new Map<string, Json>();
  const guildSpecs: GuildSpec[] = options.guilds ?? [
    { id: nextId(), name: 'Stand-in Guild', channels: [{ id: nextId(), type: 0, name: 'general' }] },
  ];
  const guilds: Json[] = guildSpecs.map((spec) => {
    const guildChannels = (spec.channels ?? [{ id: nextId(), type: 0, name: 'general' }]).map((c, position) => {
      const channel: Json = {
        id: c.id,
        type: c.type,
        guild_id: spec.id,
        name: c.name ?? `channel-${position}`,
        position,
        permission_overwrites: [],
        parent_id: null,
        nsfw: false,
        topic: null,
        last_message_id: null,
        rate_limit_per_user: 0,
        flags: 0,
      };
      channels.set(c.id, channel);
      return channel;
    });
    return {
      id: spec.id,
      name: spec.name ?? 'Stand-in Guild',
      icon: null,
      splash: null,
      discovery_splash: null,
      banner: null,
      description: null,
      owner_id: ownerId,
      afk_channel_id: null,
      afk_timeout: 300,
      verification_level: 0,
      default_message_notifications: 0,
      explicit_content_filter: 0,
      mfa_level: 0,
      nsfw_level: 0,
      premium_tier: 0,
      premium_subscription_count: 0,
      premium_progress_bar_enabled: false,
      system_channel_id: null,
      system_channel_flags: 0,
      rules_channel_id: null,
      public_updates_channel_id: null,
      safety_alerts_channel_id: null,
      application_id: null,
      vanity_url_code: null,
      preferred_locale: 'en-US',
      features: [],
      max_members: 500000,
      max_video_channel_users: 25,
      joined_at: now,
      large: false,
      unavailable: false,
      member_count: 2,
      roles: [
        {
          id: spec.id,
          name: '@everyone',
          color: 0,
          colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
          hoist: false,
          icon: null,
          unicode_emoji: null,
          position: 0,
          permissions: DEFAULT_EVERYONE_PERMISSIONS,
          managed: false,
          mentionable: false,
          flags: 0,
        },
      ],
      emojis: [],
      stickers: [],
      channels: guildChannels,
      threads: [],
      members: [member(botUser)],
      presences: [],
      voice_states: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
    };
  });
  const firstGuild = guilds[0];
  const firstTextChannel = (guildId?: string): Json | undefined =>
    [...channels.values()].find((c) => c['type'] === 0 && (guildId === undefined || c['guild_id'] === guildId));

  function member(user: Json, roles: string[] = []): Json {
    return {
      user,
      nick: null,
      avatar: null,
      banner: null,
      roles,
      joined_at: now,
      premium_since: null,
      deaf: false,
      mute: false,
      flags: 0,
      pending: false,
      communication_disabled_until: null,
    };
  }

  /** A member as Discord embeds it in MESSAGE_CREATE: without `user`. */
  function partialMember(user: Json): Json {
    const { user: _user, ...rest } = member(user);
    return rest;
  }

  // DM channels, one per user.
  const dmChannels = new Map<string, Json>();
  function dmChannelFor(user: Json): Json {
    const userId = String(user['id']);
    let channel = dmChannels.get(userId);
    if (!channel) {
      channel = { id: nextId(), type: 1, recipients: [user], last_message_id: null, flags: 0 };
      dmChannels.set(userId, channel);
      channels.set(String(channel['id']), channel);
    }
    return channel;
  }

  // -------------------------------------------------------------------------
  // State

  const calls: RestCall[] = [];
  const gatewayLog: GatewayEvent[] = [];
  const callWaiters = new Set<Waiter<RestCall>>();
  const gatewayWaiters = new Set<Waiter<GatewayEvent>>();
  const failures: PendingFailure[] = [];
  const commands = new Map<string, Json[]>();
  const interactions = new Map<string, InteractionPayload>();
  const interactionStates = new Map<string, InteractionState>(); // by token
  const messages = new Map<string, Json>();

  let resolveReady!: () => void;
  const ready = new Promise<void>((resolve) => {
    resolveReady = resolve;
  });

  // -------------------------------------------------------------------------
  // HTTP + gateway servers (one port)

  const server: Server = createServer((req, res) => {
    if (silent) return void req.socket.pause(); // never answered; closeAllConnections() in stop() ends it
    handleHttp(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { message: `stand-in error: ${String(error)}`, code: 0 });
    });
  });
  const wss = new WebSocketServer({ noServer: true });
  /** The TCP socket under each gateway connection, and upgrades left hanging by `stopAnswering`. */
  const rawSockets = new Map<WebSocket, Duplex>();
  const held = new Set<Duplex>();
  let silent = false;
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (silent) return void hold(socket);
    wss.handleUpgrade(req, socket, head, (ws) => {
      rawSockets.set(ws, socket);
      onConnection(ws);
    });
  });
  /** Neither read nor answered, until `stop()`. */
  function hold(socket: Duplex): void {
    socket.pause();
    held.add(socket);
    socket.once('close', () => held.delete(socket));
  }
  const identifyFailures: { code: number; reason: string }[] = [];
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  const gatewayUrl = `ws://127.0.0.1:${port}`;

  // -------------------------------------------------------------------------
  // Gateway

  interface Session {
    id: string;
    seq: number;
    /** Socket currently carrying the session, null while disconnected. */
    ws: WebSocket | null;
    /** `[shard id, shard count]` from its IDENTIFY. */
    shard: [number, number];
  }
  /** Sessions by shard id. */
  const sessions = new Map<number, Session>();
  /** The shard count the clients last identified with (1 until one does). */
  let shardCount = 1;
  const sockets = new Set<WebSocket>();
  /** Dispatches made while no socket carried a shard's session, by shard id; replayed on RESUME or after the next READY. */
  const pending = new Map<number, { t: string; d: unknown }[]>();

  /** The shard Discord sends a guild's events to: `(guild_id >> 22) % shard count`; DMs and the rest go to shard 0. */
  function shardOf(guildId: unknown): number {
    if (typeof guildId !== 'string' || !/^\d+$/.test(guildId)) return 0;
    return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
  }

  function sessionOf(ws: WebSocket): Session | undefined {
    for (const session of sessions.values()) if (session.ws === ws) return session;
    return undefined;
  }

  /** The session a test means: the given shard's, else shard 0's or the only one. */
  function chosenSession(shard?: number): Session | undefined {
    if (shard !== undefined) return sessions.get(shard);
    return sessions.get(0) ?? (sessions.size === 1 ? [...sessions.values()][0] : undefined);
  }

  function log(event: Omit<GatewayEvent, 'at'>): void {
    const entry: GatewayEvent = { ...event, at: Date.now() };
    gatewayLog.push(entry);
    for (const waiter of gatewayWaiters) {
      if (waiter.predicate(entry)) {
        gatewayWaiters.delete(waiter);
        waiter.resolve(entry);
      }
    }
  }

  function send(ws: WebSocket, payload: { op: number; d: unknown; t?: string; s?: number }): void {
    if (ws.readyState !== WebSocket.OPEN) return;
    ws.send(JSON.stringify({ t: null, s: null, ...payload }));
    log({ dir: 'out', op: payload.op, ...(payload.t ? { t: payload.t, s: payload.s } : {}), d: payload.d });
  }

  function sendDispatch(session: Session, ws: WebSocket, t: string, d: unknown): void {
    session.seq += 1;
    send(ws, { op: Op.Dispatch, t, s: session.seq, d });
  }

  function flushPending(session: Session, ws: WebSocket): void {
    const queued = pending.get(session.shard[0]) ?? [];
    pending.delete(session.shard[0]);
    for (const { t, d } of queued) sendDispatch(session, ws, t, d);
  }

  function onConnection(ws: WebSocket): void {
    sockets.add(ws);
    send(ws, { op: Op.Hello, d: { heartbeat_interval: heartbeatInterval } });
    ws.on('message', (raw: RawData) => {
      let payload: { op: number; d: any };
      try {
        payload = JSON.parse(raw.toString()) as { op: number; d: any };
      } catch {
        ws.close(4002, 'Error while decoding payload.');
        return;
      }
      log({ dir: 'in', op: payload.op, d: payload.op === Op.Identify || payload.op === Op.Resume ? { ...payload.d, token: '<redacted>' } : payload.d });
      onGatewayMessage(ws, payload);
    });
    ws.on('close', () => {
      sockets.delete(ws);
      rawSockets.delete(ws);
      const session = sessionOf(ws);
      if (session) session.ws = null;
    });
    ws.on('error', () => undefined);
  }

  function onGatewayMessage(ws: WebSocket, payload: { op: number; d: any }): void {
    switch (payload.op) {
      case Op.Heartbeat:
        api.heartbeats += 1;
        send(ws, { op: Op.HeartbeatAck, d: null });
        return;
      case Op.Identify: {
        api.identifies += 1;
        api.lastIdentify = payload.d as Json;
        api.identified.push({ ...(payload.d as Json), token: '<redacted>' });
        const failure = identifyFailures.shift();
        if (failure) {
          ws.close(failure.code, failure.reason);
          return;
        }
        const pair = payload.d?.shard;
        const shard: [number, number] = Array.isArray(pair) && pair.length === 2 ? [Number(pair[0]), Number(pair[1])] : [0, 1];
        shardCount = shard[1];
        const replaced = sessions.get(shard[0]);
        if (replaced?.ws && replaced.ws !== ws) replaced.ws.close(4000, 'Session replaced');
        const session: Session = { id: randomBytes(16).toString('hex'), seq: 0, ws, shard };
        sessions.set(shard[0], session);
        const own = guilds.filter((g) => shardOf(g['id']) === shard[0]);
        sendDispatch(session, ws, 'READY', {
          v: 10,
          user: botUser,
          guilds: own.map((g) => ({ id: g['id'], unavailable: true })),
          session_id: session.id,
          session_type: 'normal',
          resume_gateway_url: gatewayUrl,
          shard,
          private_channels: [],
          presences: [],
          relationships: [],
          guild_join_requests: [],
          user_settings: {},
          geo_ordered_rtc_regions: [],
          auth: {},
          application: { id: applicationId, flags: 0 },
          _trace: ['["stand-in"]'],
        });
        for (const guild of own) sendDispatch(session, ws, 'GUILD_CREATE', guild);
        flushPending(session, ws);
        resolveReady();
        return;
      }
      case Op.Resume: {
        const session = [...sessions.values()].find((s) => s.id === payload.d?.session_id);
        if (!session) {
          send(ws, { op: Op.InvalidSession, d: false });
          return;
        }
        api.resumes += 1;
        session.ws = ws;
        flushPending(session, ws);
        sendDispatch(session, ws, 'RESUMED', { _trace: ['["stand-in"]'] });
        return;
      }
      case Op.RequestGuildMembers: {
        const guild = guilds.find((g) => g['id'] === payload.d?.guild_id);
        const session = sessionOf(ws);
        if (guild && session) {
          sendDispatch(session, ws, 'GUILD_MEMBERS_CHUNK', {
            guild_id: guild['id'],
            members: guild['members'],
            chunk_index: 0,
            chunk_count: 1,
            not_found: [],
            nonce: payload.d?.nonce,
          });
        }
        return;
      }
      default:
        return; // presence, voice state ...: accepted and ignored
    }
  }

  // -------------------------------------------------------------------------
  // Messages

  function buildMessage(data: Json = {}, extras: MessageExtras = {}): Json {
    const author = (data['author'] as Json | undefined) ?? defaultUser;
    let channelId = data['channel_id'] as string | undefined;
    let guildId = data['guild_id'] as string | undefined;
    if (extras.dm) {
      channelId ??= String(dmChannelFor(author)['id']);
      guildId = undefined;
    } else if (!channelId) {
      const channel = firstTextChannel(guildId);
      channelId = channel ? String(channel['id']) : nextId();
      guildId ??= channel?.['guild_id'] as string | undefined;
    } else {
      guildId ??= channels.get(channelId)?.['guild_id'] as string | undefined;
    }
    let content = (data['content'] as string | undefined) ?? '';
    const mentions = [...((data['mentions'] as Json[] | undefined) ?? [])];
    if (extras.mentionBot) {
      if (!content.includes(`<@${botUserId}>`)) content = `<@${botUserId}> ${content}`.trimEnd();
      if (!mentions.some((u) => u['id'] === botUserId)) mentions.push(botUser);
    }
    const message: Json = {
      id: nextId(),
      channel_id: channelId,
      ...(guildId ? { guild_id: guildId } : {}),
      author,
      ...(guildId && !author['bot'] ? { member: partialMember(author) } : {}),
      content,
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions,
      mention_roles: [],
      mention_channels: [],
      attachments: [],
      embeds: [],
      components: [],
      reactions: [],
      pinned: false,
      type: 0,
      flags: 0,
      ...data,
    };
    message['content'] = content;
    message['mentions'] = mentions;
    if (guildId) message['guild_id'] = guildId;
    messages.set(String(message['id']), message);
    return message;
  }

  function botMessage(channelId: string, body: Json, extra: Json = {}): Json {
    const channel = channels.get(channelId);
    const message: Json = {
      id: nextId(),
      channel_id: channelId,
      ...(channel?.['guild_id'] ? { guild_id: channel['guild_id'] } : {}),
      author: botUser,
      content: '',
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      mention_channels: [],
      attachments: [],
      embeds: [],
      components: [],
      pinned: false,
      type: 0,
      flags: 0,
      ...extra,
    };
    applyMessageBody(message, body);
    messages.set(String(message['id']), message);
    return message;
  }

  /** Copy the fields of a create/edit body onto a stored message. */
  function applyMessageBody(message: Json, body: Json | null): void {
    if (!body) return;
    for (const key of ['content', 'embeds', 'components', 'tts', 'poll', 'sticker_ids'] as const) {
      if (body[key] !== undefined) message[key] = body[key] ?? (key === 'content' ? '' : []);
    }
    if (body['flags'] !== undefined && body['flags'] !== null) {
      // Ephemeral can only be set at creation; keep it.
      message['flags'] = (Number(body['flags']) & ~LOADING) | (Number(message['flags'] ?? 0) & EPHEMERAL);
    }
    if (body['message_reference']) message['message_reference'] = body['message_reference'];
    const files = (body['files'] as UploadedFile[] | undefined) ?? [];
    const described = (body['attachments'] as Json[] | undefined) ?? null;
    if (files.length > 0 || described) {
      const kept = (described ?? [])
        .filter((a) => (message['attachments'] as Json[]).some((old) => old['id'] === a['id']))
        .map((a) => (message['attachments'] as Json[]).find((old) => old['id'] === a['id']) as Json);
      const uploaded = files.map((file, index) => {
        const id = nextId();
        const meta = described?.find((a) => String(a['id']) === String(index));
        const filename = (meta?.['filename'] as string | undefined) ?? file.name;
        return {
          id,
          filename,
          size: file.size,
          content_type: file.contentType,
          url: `${origin}/attachments/${message['channel_id']}/${id}/${filename}`,
          proxy_url: `${origin}/attachments/${message['channel_id']}/${id}/${filename}`,
          ...(meta?.['description'] ? { description: meta['description'] } : {}),
        };
      });
      message['attachments'] = [...kept, ...uploaded];
    }
  }

  /** The MESSAGE_CREATE payload the client would get from Discord, or null if its intents exclude it. */
  function asDelivered(message: Json): Json | null {
    const channel = channels.get(String(message['channel_id']));
    const delivered: Json = { ...message, channel_type: message['channel_type'] ?? channel?.['type'] ?? (message['guild_id'] ? 0 : 1) };
    if (!enforceIntents) return delivered;
    const intents = Number(api.lastIdentify?.['intents'] ?? 0);
    const needed = message['guild_id'] ? GUILD_MESSAGES_INTENT : DIRECT_MESSAGES_INTENT;
    if (!(intents & needed)) return null;
    if (!message['guild_id'] || intents & MESSAGE_CONTENT_INTENT) return delivered;
    const author = message['author'] as Json | undefined;
    const mentionsBot = ((message['mentions'] as Json[] | undefined) ?? []).some((u) => u['id'] === botUserId);
    if (mentionsBot || author?.['id'] === botUserId) return delivered;
    return { ...delivered, content: '', embeds: [], attachments: [], components: [] };
  }

  // -------------------------------------------------------------------------
  // Interactions

  function interaction(data: Partial<InteractionPayload>, extras: InteractionExtras = {}): string {
    const id = data.id ?? nextId();
    const token = data.token ?? `stand-in-token.${id}.${randomBytes(6).toString('hex')}`;
    const user = extras.user ?? (data.member?.['user'] as Json | undefined) ?? data.user ?? defaultUser;
    const known = data.channel ?? (extras.channelId ? channels.get(extras.channelId) : undefined);
    const dm = extras.dm ?? (data.guild_id === undefined && (known?.['type'] === 1 || known?.['type'] === 3));
    let payload: InteractionPayload;
    if (dm) {
      const channel = known ?? dmChannelFor(user);
      payload = {
        id,
        application_id: applicationId,
        type: 2,
        token,
        version: 1,
        channel: { ...channel, recipients: [user] },
        channel_id: String(channel['id']),
        user,
        app_permissions: ALL_PERMISSIONS,
        locale: 'en-US',
        entitlements: [],
        authorizing_integration_owners: {},
        context: 1,
        attachment_size_limit: 10 * 1024 * 1024,
        ...data,
      };
    } else {
      const guildId =
        extras.guildId ?? data.guild_id ?? (known?.['guild_id'] as string | undefined) ?? String(firstGuild?.['id'] ?? nextId());
      const channel =
        known ?? firstTextChannel(guildId) ?? { id: extras.channelId ?? nextId(), type: 0, guild_id: guildId, name: 'unknown' };
      channels.set(String(channel['id']), channels.get(String(channel['id'])) ?? channel);
      payload = {
        id,
        application_id: applicationId,
        type: 2,
        token,
        version: 1,
        guild_id: guildId,
        guild: { id: guildId, locale: 'en-US', features: [] },
        channel: { ...channel, guild_id: guildId },
        channel_id: String(channel['id']),
        member: { ...member(user), permissions: ALL_PERMISSIONS },
        app_permissions: ALL_PERMISSIONS,
        locale: 'en-US',
        guild_locale: 'en-US',
        entitlements: [],
        authorizing_integration_owners: { '0': guildId },
        context: 0,
        attachment_size_limit: 10 * 1024 * 1024,
        ...data,
      };
    }
    interactions.set(id, payload);
    interactionStates.set(token, {
      payload,
      sentAt: Date.now(),
      acknowledged: false,
      original: null,
      followUps: new Map(),
    });
    dispatch('INTERACTION_CREATE', payload, extras.shard);
    return id;
  }

  function commandId(name: string, type: number): string {
    for (const list of commands.values()) {
      const found = list.find((c) => c['name'] === name && (c['type'] ?? 1) === type);
      if (found) return String(found['id']);
    }
    return nextId();
  }

  function chatInput(name: string, options: CommandOption[] = [], extras: InteractionExtras = {}): Partial<InteractionPayload> {
    return withExtras({ type: 2, data: { id: commandId(name, 1), name, type: 1, options } }, extras);
  }

  function autocomplete(name: string, options: CommandOption[], extras: InteractionExtras = {}): Partial<InteractionPayload> {
    const hasFocus = (list: CommandOption[]): boolean => list.some((o) => o.focused || hasFocus(o.options ?? []));
    const focusedOptions =
      hasFocus(options) || options.length === 0
        ? options
        : options.map((o, i) => (i === options.length - 1 ? { ...o, focused: true } : o));
    return withExtras({ type: 4, data: { id: commandId(name, 1), name, type: 1, options: focusedOptions } }, extras);
  }

  function resolveMessage(message: Json | string | undefined, extras: InteractionExtras): Json {
    if (typeof message === 'string') {
      const found = messages.get(message);
      if (!found) throw new Error(`stand-in: no message ${message} is known`);
      return found;
    }
    if (message) return message['id'] && messages.has(String(message['id'])) ? message : buildMessage(message);
    // Default: the bot's last message in the channel (typically the one carrying the button).
    const channelId = extras.channelId ?? (firstTextChannel(extras.guildId)?.['id'] as string | undefined);
    const last = [...messages.values()].reverse().find((m) => (m['author'] as Json)['id'] === botUserId && (!channelId || m['channel_id'] === channelId));
    return last ?? botMessage(channelId ?? nextId(), { content: 'stand-in message' });
  }

  function button(customId: string, message?: Json | string, extras: InteractionExtras = {}): Partial<InteractionPayload> {
    const target = resolveMessage(message, extras);
    return withExtras(
      { type: 3, message: target, data: { custom_id: customId, component_type: 2 } },
      { ...extras, channelId: extras.channelId ?? String(target['channel_id']) },
    );
  }

  function messageCommand(name: string, targetMessage: Json | string, extras: InteractionExtras = {}): Partial<InteractionPayload> {
    const target = resolveMessage(targetMessage, extras);
    return withExtras(
      {
        type: 2,
        data: {
          id: commandId(name, 3),
          name,
          type: 3,
          target_id: target['id'],
          resolved: { messages: { [String(target['id'])]: target } },
        },
      },
      { ...extras, channelId: extras.channelId ?? String(target['channel_id']) },
    );
  }

  function modalSubmit(customId: string, fields: Record<string, string>, extras: InteractionExtras = {}): Partial<InteractionPayload> {
    return withExtras(
      {
        type: 5,
        data: {
          custom_id: customId,
          components: Object.entries(fields).map(([fieldId, value], index) => ({
            type: 18, // label
            id: index * 2 + 1,
            component: { type: 4, id: index * 2 + 2, custom_id: fieldId, value },
          })),
        },
      },
      extras,
    );
  }

  /** Builders return payloads; extras that need defaults are applied by interaction(). */
  const pendingExtras = new WeakMap<object, InteractionExtras>();
  function withExtras(payload: Partial<InteractionPayload>, extras: InteractionExtras): Partial<InteractionPayload> {
    pendingExtras.set(payload, extras);
    return payload;
  }

  function stateFor(token: string): InteractionState {
    const state = interactionStates.get(token);
    if (!state) notFound('Webhook', 10015);
    return state;
  }

  function interactionMessageType(state: InteractionState): number {
    const { payload } = state;
    if (payload.type === 2 && payload.data?.['type'] === 1) return 20; // ChatInputCommand
    if (payload.type === 2) return 23; // ContextMenuCommand
    return 19; // Reply (components, modals)
  }

  function interactionMessage(state: InteractionState, body: Json | null, flags: number): Json {
    return botMessage(state.payload.channel_id, body ?? {}, {
      type: interactionMessageType(state),
      flags,
      webhook_id: applicationId,
      application_id: applicationId,
      interaction_metadata: {
        id: state.payload.id,
        type: state.payload.type,
        user: state.payload.member?.['user'] ?? state.payload.user,
        authorizing_integration_owners: state.payload.authorizing_integration_owners,
      },
    });
  }

  function handleCallback(interactionId: string, token: string, body: Json | null, withResponse: boolean): [number, any] {
    const state = interactionStates.get(token);
    if (!state || state.payload.id !== interactionId) notFound('interaction', 10062);
    if (state.acknowledged) throw new HttpError(400, 40060, 'Interaction has already been acknowledged.');
    if (Date.now() - state.sentAt > deadline) notFound('interaction', 10062);
    state.acknowledged = true;
    const type = Number(body?.['type']);
    const data = (body?.['data'] as Json | undefined) ?? null;
    const flags = Number(data?.['flags'] ?? 0);
    let resource: Json | null = null;
    switch (type) {
      case CallbackType.ChannelMessageWithSource:
        state.original = interactionMessage(state, data, flags & (EPHEMERAL | (1 << 2) | (1 << 12) | (1 << 15)));
        resource = { type, message: state.original };
        break;
      case CallbackType.DeferredChannelMessageWithSource:
        state.original = interactionMessage(state, { content: '' }, (flags & EPHEMERAL) | LOADING);
        resource = { type };
        break;
      case CallbackType.DeferredUpdateMessage:
      case CallbackType.UpdateMessage: {
        const target = state.payload.message ? messages.get(String(state.payload.message['id'])) ?? state.payload.message : null;
        if (!target) throw new HttpError(400, 50035, 'Invalid Form Body (no message to update)');
        if (type === CallbackType.UpdateMessage) {
          applyMessageBody(target, data);
          target['edited_timestamp'] = new Date().toISOString();
        }
        messages.set(String(target['id']), target);
        state.original = target;
        resource = type === CallbackType.UpdateMessage ? { type, message: target } : { type };
        break;
      }
      case CallbackType.AutocompleteResult:
      case CallbackType.Modal:
      case CallbackType.Pong:
      case CallbackType.LaunchActivity:
        resource = { type };
        break;
      default:
        state.acknowledged = false;
        throw new HttpError(400, 50035, `Invalid Form Body (unknown callback type ${String(body?.['type'])})`);
    }
    if (!withResponse) return [204, null];
    const original = state.original;
    return [
      200,
      {
        interaction: {
          id: interactionId,
          type: state.payload.type,
          response_message_id: original?.['id'] ?? null,
          response_message_loading: type === CallbackType.DeferredChannelMessageWithSource,
          response_message_ephemeral: original ? (Number(original['flags']) & EPHEMERAL) !== 0 : false,
        },
        resource,
      },
    ];
  }

  // -------------------------------------------------------------------------
  // REST

  function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    if (status === 204 || body === null) {
      res.writeHead(status === 200 ? 204 : status, headers);
      res.end();
      return;
    }
    const text = JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text).toString(), ...headers });
    res.end(text);
  }

  function takeFailure(method: string, path: string, rawPath: string): FailResponse | null {
    const index = failures.findIndex(
      (f) =>
        (!f.match.method || f.match.method.toUpperCase() === method) &&
        (!f.match.pathIncludes || path.includes(f.match.pathIncludes) || rawPath.includes(f.match.pathIncludes)),
    );
    if (index < 0) return null;
    const failure = failures[index]!;
    failure.remaining -= 1;
    if (failure.remaining <= 0) failures.splice(index, 1);
    return failure.response;
  }

  function failureResponse(response: FailResponse, path: string): [number, any, Record<string, string>] {
    if ('retryAfter' in response) {
      const global = response.global ?? false;
      const seconds = response.retryAfter.toString();
      const headers: Record<string, string> = {
        'Retry-After': seconds,
        'X-RateLimit-Scope': global ? 'global' : 'user',
      };
      if (global) headers['X-RateLimit-Global'] = 'true';
      else {
        headers['X-RateLimit-Limit'] = '5';
        headers['X-RateLimit-Remaining'] = '0';
        headers['X-RateLimit-Reset'] = ((Date.now() + response.retryAfter * 1000) / 1000).toFixed(3);
        headers['X-RateLimit-Reset-After'] = seconds;
        headers['X-RateLimit-Bucket'] = `stand-in-${Buffer.from(path).toString('hex').slice(0, 16)}`;
      }
      return [429, { message: 'You are being rate limited.', retry_after: response.retryAfter, global, ...(global ? { code: 0 } : {}) }, headers];
    }
    const message = response.message ?? (response.status >= 500 ? `${response.status}: Internal Server Error` : `${response.status}: Error`);
    return [response.status, { message, code: response.code ?? 0 }, {}];
  }

  async function handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = Date.now();
    const url = new URL(req.url ?? '/', origin);
    const headers = lowerHeaders(req);
    const raw = await readBody(req);
    const method = (req.method ?? 'GET').toUpperCase();
    const rawPath = url.pathname.replace(/^\/api(\/v\d+)?/, '') || '/';
    const segments = rawPath.split('/').map(safeDecode);
    const path = segments.join('/');
    let body: any;
    try {
      body = await parseBody(raw, headers);
    } catch {
      body = raw.toString('utf8');
    }
    const call: RestCall = { method, path, rawPath, query: url.searchParams, body, headers, at, status: 0, response: null };

    let status: number;
    let response: any;
    let extraHeaders: Record<string, string> = {};
    const failure = takeFailure(method, path, rawPath);
    if (failure) {
      [status, response, extraHeaders] = failureResponse(failure, path);
    } else {
      try {
        [status, response] = route(method, segments.slice(1), url.searchParams, body as Json | null);
      } catch (error) {
        if (!(error instanceof HttpError)) throw error;
        status = error.status;
        response = { message: error.message, code: error.code };
      }
    }
    call.status = status;
    call.response = response;
    calls.push(call);
    options.onCall?.(call);
    for (const waiter of callWaiters) {
      if (waiter.predicate(call)) {
        callWaiters.delete(waiter);
        waiter.resolve(call);
      }
    }
    sendJson(res, status, response, extraHeaders);
  }

  function route(method: string, s: string[], query: URLSearchParams, body: Json | null): [number, any] {
    const [a, b, c, d, e, f] = s;

    // Gateway
    if (a === 'gateway' && method === 'GET') {
      if (b === 'bot' && s.length === 2) {
        return [200, { url: gatewayUrl, shards: 1, session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 1 } }];
      }
      if (s.length === 1) return [200, { url: gatewayUrl }];
    }

    // Users / application
    if (a === 'users' && b === '@me' && s.length === 2 && method === 'GET') return [200, botUser];
    if (a === 'users' && b === '@me' && c === 'channels' && method === 'POST') {
      const recipient = { ...defaultUser, id: String(body?.['recipient_id'] ?? defaultUser['id']) };
      return [200, dmChannelFor(recipient)];
    }
    if (a === 'users' && b && s.length === 2 && method === 'GET') {
      if (b === defaultUser['id']) return [200, defaultUser];
      return [200, { ...defaultUser, id: b, username: `user-${b}` }];
    }
    if (a === 'applications' && b === '@me' && s.length === 2 && method === 'GET') {
      return [
        200,
        {
          id: applicationId,
          name: botUser['username'],
          icon: null,
          description: '',
          bot_public: true,
          bot_require_code_grant: false,
          verify_key: '0'.repeat(64),
          flags: 0,
          owner: { ...defaultUser, id: ownerId, username: 'owner' },
          team: null,
          bot: botUser,
          approximate_guild_count: guilds.length,
        },
      ];
    }

    // Application commands
    if (a === 'applications' && b === applicationId && (c === 'commands' || (c === 'guilds' && e === 'commands'))) {
      const guildId = c === 'guilds' ? d : undefined;
      const scope = guildId ?? 'global';
      const commandIdPart = c === 'commands' ? d : f;
      const list = commands.get(scope) ?? [];
      const toCommand = (input: Json, existing?: Json): Json => ({
        type: 1,
        description: '',
        options: [],
        default_member_permissions: null,
        nsfw: false,
        contexts: null,
        integration_types: [0],
        ...existing,
        ...input,
        id: existing?.['id'] ?? nextId(),
        application_id: applicationId,
        ...(guildId ? { guild_id: guildId } : {}),
        version: nextId(),
      });
      if (!commandIdPart) {
        if (method === 'GET') return [200, list];
        if (method === 'PUT') {
          const next = ((body as Json[] | null) ?? []).map((input) =>
            toCommand(input, list.find((old) => old['name'] === input['name'] && (old['type'] ?? 1) === (input['type'] ?? 1))),
          );
          commands.set(scope, next);
          return [200, next];
        }
        if (method === 'POST') {
          const existing = list.find((old) => old['name'] === body?.['name']);
          const command = toCommand(body ?? {}, existing);
          commands.set(scope, [...list.filter((old) => old !== existing), command]);
          return [existing ? 200 : 201, command];
        }
      } else {
        const index = list.findIndex((old) => old['id'] === commandIdPart);
        if (index < 0) notFound('application command', 10063);
        if (method === 'GET') return [200, list[index]];
        if (method === 'PATCH') {
          const updated = toCommand(body ?? {}, list[index]);
          commands.set(scope, list.map((old, i) => (i === index ? updated : old)));
          return [200, updated];
        }
        if (method === 'DELETE') {
          commands.set(scope, list.filter((_, i) => i !== index));
          return [204, null];
        }
      }
    }

    // Interaction callback: /interactions/{id}/{token}/callback
    if (a === 'interactions' && b && c && d === 'callback' && method === 'POST') {
      return handleCallback(b, c, body, query.get('with_response') === 'true');
    }

    // Interaction webhooks: /webhooks/{app}/{token}[/messages/{id|@original}]
    if (a === 'webhooks' && b && c) {
      if (b !== applicationId) notFound('Webhook', 10015);
      const state = stateFor(c);
      if (!state.acknowledged) notFound('Webhook', 10015);
      if (s.length === 3 && method === 'POST') {
        const flags = Number(body?.['flags'] ?? 0) & EPHEMERAL;
        const message = interactionMessage(state, body, flags);
        state.followUps.set(String(message['id']), message);
        // Without ?wait=true Discord answers 204.
        return query.get('wait') === 'true' ? [200, message] : [204, null];
      }
      if (d === 'messages' && e) {
        const message = e === '@original' ? state.original : (state.followUps.get(e) ?? (state.original?.['id'] === e ? state.original : null));
        if (!message) notFound('Message', 10008);
        if (method === 'GET') return [200, message];
        if (method === 'PATCH') {
          applyMessageBody(message, body);
          message['flags'] = Number(message['flags'] ?? 0) & ~LOADING;
          message['edited_timestamp'] = new Date().toISOString();
          return [200, message];
        }
        if (method === 'DELETE') {
          if (e === '@original') state.original = null;
          else state.followUps.delete(e);
          messages.delete(String(message['id']));
          return [204, null];
        }
      }
    }

    // Channels
    if (a === 'channels' && b) {
      const channel = channels.get(b);
      if (!channel) notFound('Channel', 10003);
      if (s.length === 2 && method === 'GET') return [200, channel];
      if (c === 'typing' && method === 'POST') return [204, null];
      if (c === 'messages') {
        if (!d) {
          if (method === 'POST') {
            const message = botMessage(b, body ?? {}, body?.['message_reference'] ? { type: 19 } : {});
            channel['last_message_id'] = message['id'];
            return [200, message];
          }
          if (method === 'GET') {
            const limit = Number(query.get('limit') ?? 50);
            return [200, [...messages.values()].filter((m) => m['channel_id'] === b).reverse().slice(0, limit)];
          }
        } else {
          const message = messages.get(d);
          if (!message || message['channel_id'] !== b) notFound('Message', 10008);
          if (e === 'reactions') return [204, null];
          if (!e && method === 'GET') return [200, message];
          if (!e && method === 'PATCH') {
            applyMessageBody(message, body);
            message['edited_timestamp'] = new Date().toISOString();
            return [200, message];
          }
          if (!e && method === 'DELETE') {
            messages.delete(d);
            return [204, null];
          }
        }
      }
    }

    // Guilds (read-only basics)
    if (a === 'guilds' && b) {
      const guild = guilds.find((g) => g['id'] === b);
      if (!guild) notFound('Guild', 10004);
      if (s.length === 2 && method === 'GET') return [200, guild];
      if (c === 'channels' && s.length === 3 && method === 'GET') return [200, guild['channels']];
      if (c === 'roles' && s.length === 3 && method === 'GET') return [200, guild['roles']];
      if (c === 'members' && d && s.length === 4 && method === 'GET') {
        const found = (guild['members'] as Json[]).find((m) => (m['user'] as Json)['id'] === d);
        if (found) return [200, found];
        if (d === defaultUser['id']) return [200, member(defaultUser)];
        notFound('Member', 10007);
      }
    }

    return [404, { message: '404: Not Found', code: 0 }];
  }

  // -------------------------------------------------------------------------
  // Public API

  function dispatch(type: string, data: unknown, to?: number): void {
    const d = (data ?? {}) as Json;
    const shard = to ?? shardOf(d['guild_id'] ?? (/^GUILD_(CREATE|UPDATE|DELETE)$/.test(type) ? d['id'] : undefined));
    const session = sessions.get(shard);
    if (session?.ws && session.ws.readyState === WebSocket.OPEN) sendDispatch(session, session.ws, type, data);
    else pending.set(shard, [...(pending.get(shard) ?? []), { t: type, d: data }]);
  }

  function waitFor<T>(items: T[], waiters: Set<Waiter<T>>, predicate: (item: T) => boolean, timeoutMs: number, describe: () => string): Promise<T> {
    const found = items.find(predicate);
    if (found) return Promise.resolve(found);
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter<T> = {
        predicate,
        resolve: (item) => {
          clearTimeout(timer);
          resolve(item);
        },
      };
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        reject(new Error(`stand-in: timed out after ${timeoutMs} ms; ${describe()}`));
      }, timeoutMs);
      waiters.add(waiter);
    });
  }

  const api: DiscordStandIn = {
    apiUrl: `${origin}/api`,
    gatewayUrl,
    botUser,
    applicationId,
    guilds,
    defaultUser,
    calls,
    gatewayLog,
    ready,
    identifies: 0,
    resumes: 0,
    heartbeats: 0,
    lastIdentify: null,
    identified: [],
    commands,
    interactions,
    messages,
    dispatch,
    interaction(data, extras) {
      const merged = { ...pendingExtras.get(data), ...extras };
      return interaction(data, merged);
    },
    chatInput,
    autocomplete,
    button,
    messageCommand,
    modalSubmit,
    tokenOf(interactionId) {
      const payload = interactions.get(interactionId);
      if (!payload) throw new Error(`stand-in: no interaction ${interactionId}`);
      return payload.token;
    },
    callsFor(interactionId) {
      const token = api.tokenOf(interactionId);
      return calls.filter((c) => c.path.startsWith(`/interactions/${interactionId}/`) || c.path.startsWith(`/webhooks/${applicationId}/${token}`));
    },
    message(data = {}, extras = {}) {
      const message = buildMessage(data, extras);
      const delivered = asDelivered(message);
      if (delivered) dispatch('MESSAGE_CREATE', delivered);
      else log({ dir: 'out', op: Op.Dispatch, t: 'MESSAGE_CREATE (dropped: intent missing)', d: message });
      return message;
    },
    buildMessage,
    waitForCall(predicate, timeoutMs = 5000) {
      return waitFor(calls, callWaiters, predicate, timeoutMs, () => `REST calls so far: ${calls.map((c) => `${c.method} ${c.path} -> ${c.status}`).join(', ') || 'none'}`);
    },
    waitForGateway(predicate, timeoutMs = 5000) {
      return waitFor(gatewayLog, gatewayWaiters, predicate, timeoutMs, () => `gateway: ${gatewayLog.map((g) => `${g.dir}:${g.op}${g.t ? `:${g.t}` : ''}`).join(' ')}`);
    },
    failNext(match, response) {
      failures.push({ match, response, remaining: match.times ?? 1 });
    },
    closeSocket(code, shard) {
      const session = chosenSession(shard);
      const ws = session?.ws;
      if (!ws || !session) throw new Error('stand-in: no gateway session to close');
      session.ws = null;
      if (code === undefined || code === 1006) ws.terminate();
      else ws.close(code, 'stand-in closeSocket');
    },
    invalidateSession(resumable, shard) {
      const session = chosenSession(shard);
      const ws = session?.ws;
      if (!ws || !session) throw new Error('stand-in: no gateway session to invalidate');
      if (!resumable) sessions.delete(session.shard[0]);
      else session.ws = null;
      send(ws, { op: Op.InvalidSession, d: resumable });
    },
    requestReconnect(shard) {
      const session = chosenSession(shard);
      const ws = session?.ws;
      if (!ws || !session) throw new Error('stand-in: no gateway session');
      session.ws = null;
      send(ws, { op: Op.Reconnect, d: null });
    },
    failNextIdentify(code, reason = code === 4004 ? 'Authentication failed.' : 'stand-in failNextIdentify') {
      identifyFailures.push({ code, reason });
    },
    stopAnswering() {
      silent = true;
      for (const ws of sockets) {
        const socket = rawSockets.get(ws);
        if (socket) socket.pause();
        const session = sessionOf(ws);
        if (session) session.ws = null;
      }
    },
    async stop() {
      for (const ws of sockets) ws.terminate();
      sockets.clear();
      for (const socket of held) socket.destroy();
      held.clear();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return api;
}
