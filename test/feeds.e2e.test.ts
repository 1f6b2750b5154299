/**
 * Pages and feeds through Discord: the real bot process against the Discord stand-in, the news
 * site on 127.0.0.1 (ALLOW_PRIVATE_URLS for it), feeds polled every second. Corpus admins
 * (CORPUS_ADMINS) add pages by address and as .html attachments and follow, list and unfollow
 * feeds; anyone else is refused before anything is fetched. New articles from feeds are announced
 * in ANNOUNCE_CHANNEL_ID, and the feeds and what was taken from them survive a restart.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDir, startScript, tempCorpus, type Started } from './helpers.js';
import { readInert } from '../src/discord/escape.js';
import { startDiscordStandIn, type CommandOption, type DiscordStandIn, type Json, type RestCall } from './discord/stand-in.js';
import { ampPage, startNewsSite, stories, type NewsSite } from './support/news-site.js';

const TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.Gstand.in-token';
const GUILD = '300000000000000001';
const GENERAL = '300000000000000002';
const NEWS = '300000000000000004';
const MANAGE_MESSAGES = String(1 << 13);
const admin = { id: '410000000000000001', username: 'editor', discriminator: '0', avatar: null, global_name: null };
const member = { id: '410000000000000002', username: 'reader', discriminator: '0', avatar: null, global_name: null };

let site: NewsSite;
let discord: DiscordStandIn;
let bot: Started;
let files: Server;
let filesUrl = '';
const served = new Map<string, string>();
const dataDir = freshDir('cited-data-');
const corpusDir = tempCorpus({ 'talks.txt': 'Negotiators met in Geneva on Friday to discuss a ceasefire along the contact line.\n' });
let attachmentId = 700;

function startBot(): Started {
  return startScript('src/main.js', {
    DISCORD_TOKEN: TOKEN,
    DISCORD_API_URL: discord.apiUrl,
    DATA_DIR: dataDir,
    CORPUS_DIR: corpusDir,
    CORPUS_ADMINS: admin.id,
    ALLOW_PRIVATE_URLS: 'true',
    FEED_POLL_SECONDS: '1',
    ANNOUNCE_CHANNEL_ID: NEWS,
    COOLDOWN_QUESTIONS: '100',
    LOG_LEVEL: 'info',
  });
}

beforeAll(async () => {
  site = await startNewsSite();
  discord = await startDiscordStandIn({ heartbeatInterval: 500, guilds: [{ id: GUILD, name: 'Newsroom', channels: [{ id: GENERAL, type: 0, name: 'general' }, { id: NEWS, type: 0, name: 'news' }] }] });
  files = createServer((req, res) => {
    const body = served.get(req.url ?? '');
    if (body === undefined) res.writeHead(404).end();
    else res.writeHead(200, { 'content-type': 'text/html' }).end(body);
  }).listen(0, '127.0.0.1');
  await new Promise((r) => files.once('listening', r));
  filesUrl = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
  bot = startBot();
  await bot.waitFor(/connected to Discord/, 30_000);
});

afterAll(async () => {
  await bot?.stop();
  await discord?.stop();
  files?.close();
  await site?.stop();
});

const by = (user: Json, payload: Partial<Json>): Partial<Json> => ({
  ...payload,
  member: { user, roles: [], permissions: MANAGE_MESSAGES, joined_at: new Date().toISOString(), deaf: false, mute: false, flags: 0, nick: null, avatar: null, pending: false, premium_since: null, communication_disabled_until: null },
});

/** What the user is finally shown for an interaction (content, or an embed's title and description), escapes taken out. */
async function shown(interaction: string): Promise<string> {
  const token = discord.tokenOf(interaction);
  const first = await discord.waitForCall((c) => c.method === 'POST' && c.path.startsWith(`/interactions/${interaction}/`) && c.status < 300, 60_000);
  const body = first.body['type'] === 4 ? first.body['data'] : (await discord.waitForCall((c: RestCall) => c.path.includes(`/${token}`) && c.path.startsWith('/webhooks/') && (c.method === 'PATCH' || c.method === 'POST') && c.status < 300, 60_000)).body;
  const embed = (body['embeds'] as Json[] | undefined)?.[0];
  // Query words are in bold in answers: taken out, so the quote reads as printed.
  return readInert([body['content'] ?? '', embed?.['title'] ?? '', embed?.['description'] ?? ''].filter(Boolean).join('\n')).replace(/\*\*/g, '');
}

async function sources(sub: string, options: CommandOption[], user: Json = admin, extra: Json = {}): Promise<string> {
  const payload = discord.chatInput('sources', [{ name: sub, type: 1, options }], { channelId: GENERAL });
  return shown(discord.interaction(by(user, { ...payload, data: { ...(payload['data'] as Json), ...extra } }), { channelId: GENERAL }));
}
const STRING = 3;
const announcements = () => discord.calls.filter((c) => c.method === 'POST' && c.path === `/channels/${NEWS}/messages` && c.status < 300).map((c) => readInert(String(c.body['content'])));
async function announced(count: number): Promise<string[]> {
  for (let i = 0; i < 600 && announcements().length < count; i++) await new Promise((r) => setTimeout(r, 100));
  return announcements();
}
const feedLogs = (output: string, pattern: RegExp) => output.split('\n').filter((l) => /"msg":"feed polled"/.test(l) && pattern.test(l)).length;

describe('corpus admins add pages and follow feeds from Discord', () => {
  it('refuses a member who is not a corpus admin the shared corpus, before anything is fetched', async () => {
    const before = site.requests.length;
    expect(await sources('add', [{ name: 'url', type: STRING, value: `${site.url}/news/${stories.grain.slug}` }, { name: 'library', type: STRING, value: 'shared' }], member)).toBe(
      'Only the corpus admins can add articles: the articles are shared by every server Cited is in. Whoever runs Cited lists them in CORPUS_ADMINS.',
    );
    expect(await sources('follow', [{ name: 'url', type: STRING, value: `${site.url}/feeds/discord.rss` }], member)).toMatch(/^Only the corpus admins can follow feeds/);
    expect(await sources('feeds', [], member)).toMatch(/^Only the corpus admins can see the feeds/);
    expect(site.requests.length).toBe(before);
  });

  it('adds a page by its address, and one uploaded as an .html file', async () => {
    expect(await sources('add', [{ name: 'url', type: STRING, value: `${site.url}/news/${stories.grain.slug}` }])).toBe(
      `Added 127.0.0.1-grain-corridor-talks (Bosphorus Ledger, 2026-11-18): 5 quotable sentences. It is searched from now on. From ${site.url}/news/${stories.grain.slug}; the page's HTML is kept for audit.`,
    );
    const id = String(attachmentId++);
    served.set(`/files/${id}`, ampPage(stories.mobilisation, 'https://courier.example'));
    const url = `${filesUrl}/files/${id}`;
    const attachment = { [id]: { id, filename: 'courier.html', size: 4000, url, proxy_url: url, content_type: 'text/html' } };
    expect(await sources('add', [{ name: 'file', type: 11, value: id }], admin, { resolved: { attachments: attachment } })).toBe(
      'Added courier (Kyiv Courier, 2026-11-20): 4 quotable sentences. It is searched from now on. Extracted from courier.html and saved as courier.txt; the page\'s HTML is kept for audit.',
    );
    expect(await sources('add', [])).toBe('/sources add needs an article: attach a .txt or .html file, or give url: with the address of a page.');
    expect(await sources('add', [{ name: 'url', type: STRING, value: `${site.url}/premium/inside` }])).toMatch(/was not added: only \d sentences .* \(a paywall\)\.$/);
  });

  it('follows a feed: its articles are added and announced, then a new item at the next version', async () => {
    site.setFeed('discord.rss', 'Discord wire', [{ story: stories.rail }]);
    expect(await sources('follow', [{ name: 'url', type: STRING, value: `${site.url}/feeds/discord.rss` }])).toBe(
      `Following feed #1, Discord wire (${site.url}/feeds/discord.rss): 1 item in it now. New articles from it are added in the background; /sources feeds shows how it goes.`,
    );
    const [first] = await announced(1);
    expect(first).toBe(`New article from Discord wire: **Rail link to Odesa reopens after repairs** — Southern Wire, 2026-11-21\n<${site.url}/news/${stories.rail.slug}>\nid: \`127.0.0.1-odesa-rail-reopens\` · ask about it with /ask`);
    site.setFeed('discord.rss', 'Discord wire', [{ story: stories.bridge, fullText: true }, { story: stories.rail }, { story: { ...stories.grain, slug: 'syndicated-grain' } }]);
    const after = await announced(2);
    expect(after).toHaveLength(2);
    expect(after[1]).toMatch(/^New article from Discord wire: \*\*Army engineers open pontoon bridge at Kherson\*\*/);
    const answer = await shown(discord.interaction(by(member, discord.chatInput('ask', [{ name: 'question', type: STRING, value: 'What weight of vehicles can the pontoon bridge carry?' }], { channelId: GENERAL })), { channelId: GENERAL }));
    expect(answer).toContain('The crossing can carry vehicles of up to 40 tonnes');
  });

  it('lists the feeds with their last fetch, last error and articles taken', async () => {
    await bot.waitFor(/"outcome":"not modified"[^\n]*"msg":"feed polled"/, 30_000);
    const list = await sources('feeds', []);
    expect(list).toMatch(new RegExp(`^Feeds followed\\n• #1 Discord wire — ${site.url.replace(/[.]/g, '\\.')}/feeds/discord\\.rss · last fetched \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC \\((not modified|no new items|[^)]*)\\) · 2 articles taken · next poll`));
    site.failFeed('discord.rss', true);
    await bot.waitFor(/"msg":"feed fetch failed"/, 30_000);
    expect(await sources('feeds', [])).toMatch(/failing \(\d+ in a row\) \d{4}-\d\d-\d\d \d\d:\d\d UTC: Could not fetch \S+discord\.rss: the server answered 500 Internal Server Error\. · 2 articles taken/);
    site.failFeed('discord.rss', false);
  });

  it('keeps the feeds and what they took across a restart, without taking anything twice', async () => {
    await bot.stop();
    const before = announcements().length;
    bot = startBot();
    await bot.waitFor(/connected to Discord/, 30_000);
    // Two polls after the restart: the feed is read again, nothing in it is new.
    for (let i = 0; i < 300 && feedLogs(bot.output(), /discord\.rss/) < 2; i++) await new Promise((r) => setTimeout(r, 100));
    expect(feedLogs(bot.output(), /discord\.rss/)).toBeGreaterThanOrEqual(2);
    expect(announcements()).toHaveLength(before);
    expect(await sources('feeds', [])).toMatch(/#1 Discord wire — \S+ · last fetched [^·]+ · (last error [^·]+ · )?2 articles taken/);
    const answer = await shown(discord.interaction(by(member, discord.chatInput('ask', [{ name: 'question', type: STRING, value: 'How many passengers did the first night train to Odesa carry?' }], { channelId: GENERAL })), { channelId: GENERAL }));
    expect(answer).toContain('the first night train carried 640 passengers');
  });

  it('unfollows a feed by its number; its articles stay', async () => {
    expect(await sources('unfollow', [{ name: 'feed', type: STRING, value: '1' }])).toBe(
      `Stopped following feed #1, Discord wire (${site.url}/feeds/discord.rss). The 2 articles taken from it stay in the corpus (/sources remove takes one out).`,
    );
    expect(await sources('feeds', [])).toBe('No feed is followed. /sources follow <address> follows one.');
    expect(await sources('unfollow', [{ name: 'feed', type: STRING, value: '1' }])).toBe('No feed followed is "1". /sources feeds lists the feeds with their numbers.');
  });
});
