/**
 * `/sources add` file names and contents end to end: the real bot process against the Discord
 * stand-in, attachments served from a local HTTP server as Discord's CDN would. Long names, names
 * in other scripts and files of punctuation only each get a clear outcome.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startScript, tempCorpus, type Started } from './helpers.js';
import { readInert } from '../src/discord/escape.js';
import { startDiscordStandIn, type DiscordStandIn, type Json, type RestCall } from './discord/stand-in.js';

const TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.Gstand.in-token';
const MANAGE_MESSAGES = String(1 << 13);
const moderator = { id: '410000000000000001', username: 'editor', discriminator: '0', avatar: null, global_name: null };
/** Served files: path → content. */
const served = new Map<string, string>();

let discord: DiscordStandIn;
let bot: Started;
let files: Server;
let filesUrl = '';
let attachmentId = 900;

beforeAll(async () => {
  discord = await startDiscordStandIn({ heartbeatInterval: 500 });
  files = createServer((req, res) => {
    const body = served.get(decodeURIComponent(req.url ?? ''));
    if (body === undefined) res.writeHead(404).end();
    else res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end(body);
  }).listen(0, '127.0.0.1');
  await new Promise((r) => files.once('listening', r));
  filesUrl = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
  bot = startScript('src/main.js', { DISCORD_TOKEN: TOKEN, DISCORD_API_URL: discord.apiUrl, CORPUS_DIR: tempCorpus({}, true), CORPUS_ADMINS: moderator.id, LOG_LEVEL: 'info' });
  await bot.waitFor(/connected to Discord/);
});

afterAll(async () => {
  await bot?.stop();
  await discord?.stop();
  files?.close();
});

const asModerator = (payload: Partial<Json>): Partial<Json> => ({
  ...payload,
  member: { user: moderator, roles: [], permissions: MANAGE_MESSAGES, joined_at: new Date().toISOString(), deaf: false, mute: false, flags: 0, nick: null, avatar: null, pending: false, premium_since: null, communication_disabled_until: null },
});

/** Sends `/sources add` with `filename` holding `content`; resolves with the text the moderator is finally shown (Cited's escapes taken out). */
async function add(filename: string, content: string): Promise<string> {
  const id = String(attachmentId++);
  const path = `/files/${id}`;
  served.set(path, content);
  const payload = discord.chatInput('sources', [{ name: 'add', type: 1, options: [{ name: 'file', type: 11, value: id }] }]);
  const url = `${filesUrl}${path}`;
  const data = { ...(payload['data'] as Json), resolved: { attachments: { [id]: { id, filename, size: Buffer.byteLength(content), url, proxy_url: url, content_type: 'text/plain' } } } };
  const interaction = discord.interaction(asModerator({ ...payload, data }));
  const token = discord.tokenOf(interaction);
  const first = await discord.waitForCall((c) => c.method === 'POST' && c.path.startsWith(`/interactions/${interaction}/`) && c.status < 300, 30_000);
  if (first.body['type'] === 4) return readInert(String(first.body['data']['content']));
  // Deferred: the answer is edited in (or an error follows up).
  const later = await discord.waitForCall((c: RestCall) => c.path.includes(`/${token}`) && c.path.startsWith('/webhooks/') && (c.method === 'PATCH' || c.method === 'POST') && c.status < 300, 30_000);
  return readInert(String(later.body['content']));
}

describe('/sources add: names and contents', () => {
  it('a 246-character file name is added under a shortened id, and the reply says the name it was saved as', async () => {
    const name = `${'ukraine-border-troops-'.repeat(10)}geneva-talks-round-one.txt`;
    expect(name).toHaveLength(246);
    const text = await add(name, 'Negotiators met in Geneva on Friday to discuss a ceasefire.\n');
    const id = /^Added (\S+) /.exec(text)?.[1];
    expect(id).toHaveLength(80);
    expect(text).toBe(
      `Added ${id} (unknown outlet, date unknown): 1 quotable sentences. It is searched from now on. The file was saved as ${id}.txt: article ids keep letters, digits, _ . and -, and are at most 80 characters.`,
    );
  });

  it('names in other scripts keep their own ids, and autocomplete offers them', async () => {
    expect(await add('новости.txt', 'Shelling hit the water station in Donetsk on Tuesday.\n')).toMatch(/^Added новости \(unknown outlet, date unknown\): 1 quotable sentences\. It is searched from now on\.$/);
    expect(await add('報道.txt', 'Talks resumed in Minsk on Monday.\n')).toMatch(/^Added 報道 /);
    const complete = discord.interaction(asModerator(discord.autocomplete('sources', [{ name: 'remove', type: 1, options: [{ name: 'id', type: 3, value: '', focused: true }] }])));
    const call = await discord.waitForCall((c) => c.path.startsWith(`/interactions/${complete}/`) && c.status < 300);
    const values = (call.body['data']['choices'] as Json[]).map((c) => c['value']);
    expect(values).toEqual(expect.arrayContaining(['новости', '報道']));
  });

  it('a file of punctuation only is refused as having nothing to quote', async () => {
    expect(await add('shouting.txt', '!!! ... ???\n')).toBe('shouting.txt was not added: it has no sentences that could be quoted.');
  });
});
