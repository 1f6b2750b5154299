/**
 * Two real bot processes sharing one PostgreSQL (a private cluster of this test's own), one Discord
 * stand-in with two servers — each process runs one of two shards, so each server's events reach
 * its own process — and a news site on 127.0.0.1 whose feed both are configured to follow (FEEDS,
 * polled every second; the feed-polling lease lasts 6 s, renewed every 2 s).
 *
 * - Exactly one process polls the feed: the one that took the lease (not the one with shard 0);
 *   killed outright, the other takes the lease over once it expires and polls on.
 * - A suppression made by a moderator through one process applies to the answers the other gives
 *   in that server, once the other has reloaded the suppressions (every 5 s, MODERATION_SYNC_MS).
 * - One corpus for both (PostgreSQL holds it): the feed's article, added once by the poller, is
 *   quoted by both; an article added or removed through one process is quoted, or no longer quoted,
 *   by the other within 5 s; a server's own article reaches the other process for that server only;
 *   a process that was down has what changed meanwhile once it is back.
 * - PostgreSQL stopped and started again under both: answers given meanwhile are recorded once it
 *   is back, moderation works through each process, one process holds the lease again, and the
 *   corpus changes again across processes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readInert } from '../src/discord/escape.js';
import { startDiscordStandIn, type DiscordStandIn, type Json, type RestCall } from './discord/stand-in.js';
import { startBotProcess, type BotProcess } from './support/bot-process.js';
import { freePorts, scrape } from './support/metrics-client.js';
import { startNewsSite, stories, type NewsSite } from './support/news-site.js';
import { postgresBinDir, startPgCluster, type PgCluster } from './support/pg-cluster.js';

const installed = postgresBinDir() !== null;
const STRING = 3;
const MANAGE_MESSAGES = String(1 << 13);
const QUESTION = 'How many troops has Russia amassed?';
/** An article this question's answer cites, in the bundled corpus: its id, and its address as the answer links it. */
const CITED = '000_138185aca57c1631';
const CITED_URL = 'https://www.ndtv.com/world-news/pro-russian-leaders-in-ukraine-ask-putin-for-military-against-kyiv-2785807';

/** A guild id Discord routes to `shard` of `count`: (id >> 22) % count. */
function guildOn(shard: number, count: number): string {
  let id = 370000000000000000n;
  while (Number((id >> 22n) % BigInt(count)) !== shard) id += 1n << 22n;
  return String(id);
}
/** Served by process one (shard 0) and process two (shard 1). */
const servers = [
  { id: guildOn(0, 2), channel: '370000000000000101' },
  { id: guildOn(1, 2), channel: '370000000000000102' },
] as const;
type Server = (typeof servers)[number];

let counter = 0;
const person = (): Json => ({ id: String(470000000000000000n + BigInt(++counter)), username: `p${counter}`, discriminator: '0', avatar: null, global_name: null });
const moderator = person();
/** Within this long of its change, an article is quoted (or no longer quoted) by the other process (issue 18). */
const PROPAGATION_MS = 5_000;
/** Questions each story's article answers, and nothing else in the corpus does. */
const ABOUT = {
  rail: 'When did the rail link between Kyiv and Odesa reopen?',
  bridge: 'What can the pontoon bridge across the Inhulets carry?',
  grain: 'How many cargo ships were waiting at anchor off Odesa?',
  power: 'How many heating points did the Kharkiv city council open?',
  dam: 'How low did the water in the Dnipro reservoir fall?',
} as const;
const member = (user: Json, permissions = '0') => ({ user, roles: [], permissions, joined_at: new Date().toISOString(), deaf: false, mute: false, flags: 0, nick: null, avatar: null, pending: false, premium_since: null, communication_disabled_until: null });

async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.skipIf(!installed)('two bot processes sharing one PostgreSQL', () => {
  let cluster: PgCluster;
  let site: NewsSite;
  let discord: DiscordStandIn;
  let metricsBase: number;
  const bots: { one?: BotProcess; two?: BotProcess } = {};
  const one = () => bots.one!;
  const two = () => bots.two!;

  /** Process one runs shard 0 of 2, process two shard 1; each its own metrics port. */
  function startBot(name: 'one' | 'two', again?: BotProcess): Promise<BotProcess> {
    const shard = name === 'one' ? 0 : 1;
    return startBotProcess({
      discord,
      databaseUrl: cluster.url,
      shard: { id: shard, count: 2 },
      ...(again ? { dataDir: again.dataDir, corpusDir: again.corpusDir } : {}),
      env: {
        FEEDS: `${site.url}/feeds/wire.rss`,
        FEED_POLL_SECONDS: '1',
        FEED_LEASE_SECONDS: '6',
        ALLOW_PRIVATE_URLS: 'true',
        COOLDOWN_QUESTIONS: '500',
        CORPUS_ADMINS: String(moderator['id']),
        METRICS_PORT: String(metricsBase + shard),
      },
    });
  }

  const leaseHeld = async (bot: BotProcess) => Number((await scrape(metricsBase + (bot === one() ? 0 : 1))).value('cited_feed_lease_held'));
  const leaseHolder = async () => (await cluster.query<{ holder: string }>(`SELECT holder FROM leases WHERE name = 'feed-poller'`))[0]?.holder;
  const holderOf = (bot: BotProcess) => expect.stringContaining(`/${bot.pid}/`);
  const polls = (bot: BotProcess) => bot.logged('feed polled').length;
  /** The shared corpus's files in the database (live ones, not removed) whose name holds `slug`. */
  const corpusRows = async (slug: string, scope = '') =>
    (await cluster.query<{ file: string }>('SELECT file FROM cited_corpus_files WHERE scope = $1 AND body IS NOT NULL AND file LIKE $2', [scope, `%${slug}%`])).map((r) => r.file);
  const storyUrl = (story: { slug: string }) => `${site.url}/news/${story.slug}`;

  const callbackOf = (id: string) => (c: RestCall) => c.method === 'POST' && c.path.startsWith(`/interactions/${id}/`) && c.status < 300;
  const handledBy = (bot: BotProcess, id: string) => bot.waitFor(new RegExp(`"interaction":"${id}"[^\\n]*"msg":"interaction handled"`), 30_000);

  /** The message interaction `id` ended with: its reply, or the edit of its deferred reply. */
  async function replyTo(id: string, by: BotProcess): Promise<Json> {
    const call = await discord.waitForCall(callbackOf(id), 30_000);
    await handledBy(by, id);
    if (call.body['type'] === 4) return ((call.response as Json)?.['resource']?.['message'] as Json | undefined) ?? (call.body['data'] as Json);
    const token = discord.tokenOf(id);
    return (await discord.waitForCall((c) => c.method === 'PATCH' && c.path.includes(`/${token}/`) && c.status < 300, 30_000)).response as Json;
  }

  /** The answer message to `question` asked in `server`; `by` handles it (with `shard`, the stand-in sends it there). */
  async function ask(server: Server, by: BotProcess, shard?: number, question: string = QUESTION): Promise<Json> {
    const user = person();
    const extras = { guildId: server.id, channelId: server.channel, user, ...(shard !== undefined ? { shard } : {}) };
    const payload = discord.chatInput('ask', [{ name: 'question', type: STRING, value: question }], extras);
    const id = discord.interaction({ ...payload, member: member(user) }, extras);
    return replyTo(id, by);
  }
  /** Whether `by`, asked about `story` in `server`, cites the story's page. */
  const quotes = async (by: BotProcess, server: Server, story: keyof typeof ABOUT, shard?: number) =>
    cites(await ask(server, by, shard, ABOUT[story])).includes(storyUrl(stories[story]));

  /** /sources add|remove by the moderator (a corpus admin) in `server`; what the moderator is shown. */
  async function sources(server: Server, by: BotProcess, sub: 'add' | 'remove', options: { name: string; type: number; value: string }[]): Promise<string> {
    const extras = { guildId: server.id, channelId: server.channel, user: moderator };
    const payload = discord.chatInput('sources', [{ name: sub, type: 1, options }], extras);
    const id = discord.interaction({ ...payload, member: member(moderator, MANAGE_MESSAGES) }, extras);
    return readInert(String((await replyTo(id, by))['content'] ?? ''));
  }
  /** Adds the story's page through `by`; the new article's id. */
  async function addStory(server: Server, by: BotProcess, story: { slug: string }, library?: 'server' | 'shared'): Promise<string> {
    const said = await sources(server, by, 'add', [{ name: 'url', type: STRING, value: storyUrl(story) }, ...(library ? [{ name: 'library', type: STRING, value: library }] : [])]);
    const id = /^Added (\S+) /.exec(said)?.[1];
    if (!id) throw new Error(`not added: ${said}`);
    return id;
  }
  /** Resolves once `check` holds, failing if it does not within PROPAGATION_MS. */
  const propagates = (check: () => Promise<boolean>, what: string) => until(check, what, PROPAGATION_MS);
  /** The addresses of the articles an answer cites (its Sources field links each). */
  const cites = (message: Json) => (((message['embeds'] as Json[])[0]!['fields'] as Json[] | undefined) ?? []).flatMap((f) => [...String(f['value']).matchAll(/\]\((https?:\/\/[^)\s]+)\)/g)].map((m) => m[1]!));

  /** A /moderation subcommand by a moderator in `server` (its own process); what the moderator is shown. */
  async function moderate(server: Server, by: BotProcess, sub: string, options: { name: string; type: number; value: string }[] = []): Promise<string> {
    const extras = { guildId: server.id, channelId: server.channel, user: moderator };
    const payload = discord.chatInput('moderation', [{ name: sub, type: 1, options }], extras);
    const id = discord.interaction({ ...payload, member: member(moderator, MANAGE_MESSAGES) }, extras);
    const body = (await discord.waitForCall(callbackOf(id), 30_000)).body as Json;
    await handledBy(by, id);
    return readInert(String(body['data']?.['content'] ?? ''));
  }

  beforeAll(async () => {
    [cluster, site, metricsBase] = await Promise.all([startPgCluster(), startNewsSite(), freePorts(2)]);
    site.setFeed('wire.rss', 'Wire', [{ story: stories.rail }]);
    discord = await startDiscordStandIn({
      heartbeatInterval: 500,
      guilds: servers.map((s, i) => ({ id: s.id, name: `Server ${i + 1}`, channels: [{ id: s.channel, type: 0, name: 'general' }] })),
    });
    // Process two first: the lease goes to whoever asks first, not to the process with shard 0.
    bots.two = await startBot('two');
    await two().waitFor(/"msg":"feed polling lease taken/, 30_000);
    bots.one = await startBot('one');
  }, 180_000);

  afterAll(async () => {
    for (const bot of [bots.one, bots.two]) await bot?.stop();
    await discord?.stop();
    await site?.stop();
    await cluster?.remove();
  });

  it('polls the feed in exactly one process; killed, that process is replaced by the other, which polls on', async () => {
    await one().waitFor(/"msg":"feed polling lease held by another process"/, 30_000);
    expect(one().logged('feed polling lease held by another process')[0]?.['by']).toEqual(holderOf(two()));
    // Three polls of the holder's from now: process one, whose feed is due at once, would have polled by then if it polled at all.
    const before = polls(two());
    await until(() => polls(two()) >= before + 3, 'process two polled three more times');
    expect(polls(one())).toBe(0);
    expect(await leaseHolder()).toEqual(holderOf(two()));
    expect([await leaseHeld(one()), await leaseHeld(two())]).toEqual([0, 1]);
    // The feed's article was added once, by the holder, to the corpus both share, and both quote it.
    expect(await corpusRows(stories.rail.slug)).toHaveLength(1);
    await propagates(() => quotes(one(), servers[0], 'rail'), 'process one quotes the article process two took from the feed');
    expect(await quotes(two(), servers[1], 'rail')).toBe(true);

    await two().kill();
    site.setFeed('wire.rss', 'Wire', [{ story: stories.bridge, fullText: true }, { story: stories.rail }]);
    await one().waitFor(/"msg":"feed polling lease taken/, 30_000);
    expect(await leaseHolder()).toEqual(holderOf(one()));
    expect(await leaseHeld(one())).toBe(1);
    // It polls on from where the killed one left off: the new item is added, the one taken before is not taken again.
    await one().waitFor(/"outcome":"1 new item: 1 added[^\n]*"msg":"feed polled"/, 30_000);
    expect(await corpusRows(stories.bridge.slug)).toHaveLength(1);
    expect(await corpusRows(stories.rail.slug)).toHaveLength(1);
    expect(await quotes(one(), servers[0], 'bridge')).toBe(true);

    // Started again, process two finds the lease held and leaves the feeds alone; it has the
    // article added while it was down (caught up at start, not taken from the feed again).
    bots.two = await startBot('two', two());
    await two().waitFor(/"msg":"feed polling lease held by another process"/, 30_000);
    expect(await leaseHeld(two())).toBe(0);
    expect(await quotes(two(), servers[1], 'bridge')).toBe(true);
    expect(polls(two())).toBe(0);
  }, 180_000);

  it('applies a suppression made through one process to the answers the other gives in that server', async () => {
    // Server 1's events go to process one; sent to shard 1, its questions reach process two, as after a re-shard.
    expect(cites(await ask(servers[0], two(), 1))).toContain(CITED_URL);
    expect(await moderate(servers[0], one(), 'suppress', [{ name: 'target', type: STRING, value: CITED }, { name: 'reason', type: STRING, value: 'syndicated' }])).toContain('Suppressed the source');
    expect(cites(await ask(servers[0], one()))).not.toContain(CITED_URL);
    // Process two reloads the suppressions every 5 s: asked until then, it applies it from then on.
    await until(async () => !cites(await ask(servers[0], two(), 1)).includes(CITED_URL), 'process two applies the suppression');
    // In server 1 only: server 2's answers still cite the article.
    expect(cites(await ask(servers[1], two()))).toContain(CITED_URL);
  }, 120_000);

  it('quotes an article added through the other process within 5 s, and stops within 5 s of its removal', async () => {
    expect(await quotes(two(), servers[1], 'grain')).toBe(false);
    const id = await addStory(servers[0], one(), stories.grain);
    expect(await quotes(one(), servers[0], 'grain')).toBe(true);
    await propagates(() => quotes(two(), servers[1], 'grain'), 'process two quotes the article added through process one');
    expect(await corpusRows(stories.grain.slug)).toHaveLength(1);

    expect(await sources(servers[1], two(), 'remove', [{ name: 'id', type: STRING, value: id }])).toMatch(new RegExp(`Removed ${id}`));
    expect(await quotes(two(), servers[1], 'grain')).toBe(false);
    await propagates(async () => !(await quotes(one(), servers[0], 'grain')), 'process one stops quoting the article removed through process two');
    expect(await corpusRows(stories.grain.slug)).toEqual([]);
  }, 120_000);

  it("quotes a server's own article in that server through either process, and never in the other server", async () => {
    const id = await addStory(servers[0], one(), stories.power, 'server');
    expect(id).toMatch(/^local\./);
    expect(await quotes(one(), servers[0], 'power')).toBe(true);
    // Server 1's questions sent to process two (as after a re-shard) are answered with it, from its copy.
    await propagates(() => quotes(two(), servers[0], 'power', 1), "process two quotes server 1's own article in server 1");
    expect(await corpusRows(stories.power.slug, servers[0].id)).toHaveLength(1);
    expect(await corpusRows(stories.power.slug)).toEqual([]);
    // Server 2, through either process: never.
    expect(await quotes(two(), servers[1], 'power')).toBe(false);
    expect(await quotes(one(), servers[1], 'power', 0)).toBe(false);
  }, 120_000);

  it('recovers from a PostgreSQL restart: answers given meanwhile are recorded, moderation works through each process, one holds the lease again', async () => {
    const holder = (await leaseHeld(one())) === 1 ? one() : two();
    await cluster.stop();
    // Answered all the same, from memory; the holder stops polling, since it cannot renew its lease.
    const during = [await ask(servers[0], one()), await ask(servers[1], two())].map((m) => String(m['id']));
    await until(async () => (await leaseHeld(holder)) === 0, 'the holder stops polling');
    expect(holder.logged(/^feed polling lease could not be renewed/)).not.toEqual([]);

    const restartedAt = { one: one().output().length, two: two().output().length };
    await cluster.start();
    await until(() => one().output().slice(restartedAt.one).includes('answer records written after a database outage'), 'process one writes the answers held');
    await until(() => two().output().slice(restartedAt.two).includes('answer records written after a database outage'), 'process two writes the answers held');
    const recorded = async (ids: string[]) => (await cluster.query<{ message_id: string }>('SELECT message_id FROM answers WHERE message_id = ANY($1)', [ids])).map((r) => r.message_id).sort();
    expect(await recorded(during)).toEqual([...during].sort());

    expect(await moderate(servers[0], one(), 'unsuppress', [{ name: 'target', type: STRING, value: CITED }])).toBe(`${CITED} can be quoted again.`);
    expect(await moderate(servers[1], two(), 'suppress', [{ name: 'target', type: STRING, value: CITED }, { name: 'reason', type: STRING, value: 'syndicated' }])).toContain('Suppressed the source');
    const after = [await ask(servers[0], one()), await ask(servers[1], two())].map((m) => String(m['id']));
    await until(async () => (await recorded(after)).length === 2, 'the answers given after the restart are recorded');

    await until(async () => (await leaseHeld(one())) + (await leaseHeld(two())) === 1, 'one process holds the lease again');
    const polling = (await leaseHeld(one())) === 1 ? one() : two();
    expect(await leaseHolder()).toEqual(holderOf(polling));
    const since = polls(polling);
    await until(() => polls(polling) > since, 'the holder polls again');

    // The corpus changes across processes again: the listeners reconnected.
    await addStory(servers[1], two(), stories.dam);
    await propagates(() => quotes(one(), servers[0], 'dam'), 'process one quotes the article added through process two after the restart');
  }, 120_000);
});

describe.skipIf(installed)('two bot processes sharing one PostgreSQL', () => {
  it('needs PostgreSQL installed here (CI installs it; see .ci/run)', () => {
    expect(process.env.CI, 'CI must install PostgreSQL so the tests with several processes run').not.toBe('true');
  });
});
