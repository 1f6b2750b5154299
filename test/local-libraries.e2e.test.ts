/**
 * A server's own articles, end to end: the real bot process in two servers (A and B) and direct
 * messages through the Discord stand-in. A's moderators add an article to A's library; it is quoted,
 * listed, autocompleted and counted in /figures in A — and reached in B by no path at all: answers,
 * "Find sources", figures, autocomplete, source:, buttons of A's old messages, suppression, removal.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDir, startScript, tempCorpus, type Started } from './helpers.js';
import { startDiscordStandIn, type DiscordStandIn, type Json, type RestCall } from './discord/stand-in.js';
import { readInert } from '../src/discord/escape.js';

const TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.Gstand.in-token';
const A = { guildId: '330000000000000001', channelId: '330000000000000002' };
const B = { guildId: '340000000000000001', channelId: '340000000000000002' };
const STRING = 3;
const MANAGE_MESSAGES = String(1 << 13);
const NOTHING = '0';
const BRIEFING =
  '---\ntitle: Harbour briefing\noutlet: Port Gazette\ndate: 2026-11-30\nurl: https://gazette.example/harbour\n---\nThe harbour master said 42 trawlers were stranded by the ice on Tuesday.\n\nShe added that icebreakers from Tallinn would arrive within a week.\n';
const QUESTION = 'How many trawlers were stranded by the ice?';
/** Words only the server's article has (no question here uses them): none of them may reach B. */
const SECRET = /harbour master|Port Gazette|Harbour briefing|local\.briefing|icebreakers|gazette\.example/i;

let discord: DiscordStandIn;
let bot: Started;
let files: Server;
let filesUrl = '';
let counter = 0;
const person = (): Json => ({ id: String(420000000000000000n + BigInt(++counter)), username: `person${counter}`, discriminator: '0', avatar: null, global_name: null });
const modA = person();
const modB = person();

type Place = { guildId: string; channelId: string } | 'dm';
const extrasOf = (place: Place, user: Json) => (place === 'dm' ? { dm: true, user } : { ...place, user });
function as(payload: Partial<Json>, user: Json, place: Place, permissions = NOTHING): Partial<Json> {
  if (place === 'dm') return { ...payload, user };
  return { ...payload, member: { user, roles: [], permissions, joined_at: new Date().toISOString(), deaf: false, mute: false, flags: 0, nick: null, avatar: null, pending: false, premium_since: null, communication_disabled_until: null } };
}
const callbackOf = (id: string) => (c: RestCall) => c.method === 'POST' && c.path.startsWith(`/interactions/${id}/`) && c.status < 300;
const send = (payload: Partial<Json>, user: Json, place: Place, permissions = NOTHING) => discord.interaction(as(payload, user, place, permissions), extrasOf(place, user));
/** The interaction's reply (the message it posted, when it posted one), once the bot is done with it. */
async function reply(id: string): Promise<Json> {
  const call = await discord.waitForCall(callbackOf(id));
  await bot.waitFor(new RegExp(`"interaction":"${id}"[^\\n]*"msg":"interaction handled"`));
  return ((call.response as Json)?.['resource']?.['message'] as Json | undefined) ?? ((call.body as Json)['data'] as Json);
}
/** What a member reads: Cited's escapes and highlighting taken out. */
const shown = (json: Json) => readInert(JSON.stringify(json)).replace(/\*\*/g, '');

const ask = (place: Place, question: string, user = person(), extra: { name: string; type: number; value: string }[] = []) =>
  reply(send(discord.chatInput('ask', [{ name: 'question', type: STRING, value: question }, ...extra], extrasOf(place, user)), user, place));
const command = (place: Place, name: string, sub: string, options: { name: string; type: number; value: string }[], user: Json, permissions = MANAGE_MESSAGES) =>
  reply(send(discord.chatInput(name, [{ name: sub, type: 1, options }], extrasOf(place, user)), user, place, permissions));

/** `/sources add` with the briefing attached, as `user` in `place`. */
function addBriefing(place: Place, user: Json, permissions = MANAGE_MESSAGES, library?: string): Promise<Json> {
  const payload = discord.chatInput('sources', [{ name: 'add', type: 1, options: [{ name: 'file', type: 11, value: '900' }, ...(library ? [{ name: 'library', type: STRING, value: library }] : [])] }], extrasOf(place, user));
  const attachment = { id: '900', filename: 'briefing.txt', size: Buffer.byteLength(BRIEFING), url: `${filesUrl}/briefing.txt`, proxy_url: `${filesUrl}/briefing.txt`, content_type: 'text/plain' };
  const data = { ...(payload['data'] as Json), resolved: { attachments: { '900': attachment } } };
  return reply(send({ ...payload, data }, user, place, permissions));
}

beforeAll(async () => {
  files = createServer((req, res) => {
    if (req.url === '/briefing.txt') res.writeHead(200, { 'content-type': 'text/plain' }).end(BRIEFING);
    else res.writeHead(404).end();
  }).listen(0, '127.0.0.1');
  await new Promise((r) => files.once('listening', r));
  filesUrl = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
  discord = await startDiscordStandIn({
    heartbeatInterval: 500,
    guilds: [
      { id: A.guildId, name: 'Harbour desk', channels: [{ id: A.channelId, type: 0, name: 'general' }] },
      { id: B.guildId, name: 'Other desk', channels: [{ id: B.channelId, type: 0, name: 'general' }] },
    ],
  });
  bot = startScript('src/main.js', { DISCORD_TOKEN: TOKEN, DISCORD_API_URL: discord.apiUrl, DATA_DIR: freshDir('cited-data-'), CORPUS_DIR: tempCorpus({}, true), CORPUS_ADMINS: undefined, COOLDOWN_QUESTIONS: '500', LOG_LEVEL: 'info' });
  await bot.waitFor(/connected to Discord/);
});

afterAll(async () => {
  await bot?.stop();
  await discord?.stop();
  files?.close();
});

describe("a server's own articles", () => {
  let answerInA: Json;

  it("are added by that server's moderators only, and never from a direct message", async () => {
    expect(shown(await addBriefing(A, person(), NOTHING))).toContain("Only moderators can add articles to this server's library.");
    expect(shown(await addBriefing(A, modA, MANAGE_MESSAGES, 'shared'))).toContain('Only the corpus admins can add articles');
    expect(shown(await addBriefing('dm', person()))).toContain('Only a Discord server keeps articles of its own');
    const added = await addBriefing(A, modA);
    expect(added['flags']).toBe(64);
    expect(readInert(String(added['content']))).toBe('Added local.briefing (Port Gazette, 2026-11-30): 2 quotable sentences. It is searched from now on, in this server only (its own library).');
  });

  it('are quoted in that server, with their citation', async () => {
    answerInA = await ask(A, QUESTION);
    expect(shown(answerInA)).toContain('42 trawlers were stranded by the ice');
    expect(shown(answerInA)).toContain('Port Gazette');
  });

  it('are never quoted in another server or a direct message: /ask, a mention, "Find sources", source:', async () => {
    for (const place of [B, 'dm'] as const) expect(shown(await ask(place, QUESTION))).not.toMatch(SECRET);
    for (const source of ['local.briefing', 'port gazette', 'https://gazette.example/harbour']) {
      const sourced = await ask(B, QUESTION, person(), [{ name: 'source', type: STRING, value: source }]);
      expect(readInert(String(sourced['content']))).toBe(`No article has the id, outlet or link "${source}". Type /sources to see the articles with their outlets and ids.`);
    }
    const claim = discord.buildMessage({ channel_id: B.channelId, guild_id: B.guildId, content: 'I read that 42 trawlers were stranded by the ice', author: person() });
    expect(shown(await reply(send(discord.messageCommand('Find sources', claim, extrasOf(B, person())), person(), B)))).not.toMatch(SECRET);
    const claimInA = discord.buildMessage({ channel_id: A.channelId, guild_id: A.guildId, content: 'I read that 42 trawlers were stranded by the ice', author: person() });
    expect(shown(await reply(send(discord.messageCommand('Find sources', claimInA, extrasOf(A, person())), person(), A)))).toContain('42 trawlers were stranded');
  });

  it('are listed, autocompleted and counted in /figures in that server only', async () => {
    const listA = await command(A, 'sources', 'list', [], person(), NOTHING);
    expect((listA['embeds'] as Json[])[0]!['title']).toBe("6 articles: 5 shared, 1 this server's own");
    const listB = await command(B, 'sources', 'list', [], person(), NOTHING);
    expect((listB['embeds'] as Json[])[0]!['title']).toBe('5 articles in the corpus');
    expect(shown(listB)).not.toMatch(SECRET);
    const complete = async (place: Place, command: string, option: string, typed: string) => {
      const user = person();
      const id = send(discord.autocomplete(command, [{ name: option, type: STRING, value: typed, focused: true }], extrasOf(place, user)), user, place);
      return (await discord.waitForCall(callbackOf(id))).body as Json;
    };
    expect(shown(await complete(A, 'ask', 'source', 'harbour'))).toContain('local.briefing');
    expect(shown(await complete(B, 'ask', 'source', 'harbour'))).not.toMatch(SECRET);
    expect(shown(await complete(B, 'ask', 'source', ''))).not.toMatch(SECRET);
    expect(shown(await complete(A, 'figures', 'topic', 'trawl'))).toContain('trawlers');
    expect(shown(await complete(B, 'figures', 'topic', 'trawl'))).not.toContain('trawlers');
    const figuresA = await reply(send(discord.chatInput('figures', [{ name: 'topic', type: STRING, value: 'trawlers' }], extrasOf(A, person())), person(), A));
    expect(shown(figuresA)).toContain('42');
    expect(shown(figuresA)).toContain('Port Gazette');
    const figuresB = await reply(send(discord.chatInput('figures', [{ name: 'topic', type: STRING, value: 'trawlers' }], extrasOf(B, person())), person(), B));
    expect(shown(figuresB)).not.toMatch(SECRET);
  });

  it("reach nobody through the buttons of the server's old messages pressed from elsewhere", async () => {
    const buttons = ((answerInA['components'] as Json[])[0]?.['components'] as Json[]).map((b) => String(b['custom_id']));
    expect(buttons).toEqual(expect.arrayContaining(['cites:0']));
    for (const customId of buttons.filter((b) => /^(more|cites):/.test(b))) {
      const body = await reply(send(discord.button(customId, answerInA, extrasOf(B, person())), person(), B));
      expect(shown(body), customId).not.toMatch(SECRET);
    }
  });

  it("are suppressed and removed by that server's moderators; another server's are told no such article exists", async () => {
    const suppressB = await command(B, 'moderation', 'suppress', [{ name: 'target', type: STRING, value: 'local.briefing' }, { name: 'reason', type: STRING, value: 'probe' }], modB);
    expect(readInert(String(suppressB['content']))).toBe('No article has the id "local.briefing". Type /sources to see the ids.');
    const removeB = await command(B, 'sources', 'remove', [{ name: 'id', type: STRING, value: 'local.briefing' }], modB);
    expect(readInert(String(removeB['content']))).toBe('No article has the id "local.briefing". Type /sources to see the ids.');
    expect(shown(await ask(A, QUESTION))).toContain('42 trawlers were stranded');

    await command(A, 'moderation', 'suppress', [{ name: 'target', type: STRING, value: 'local.briefing' }, { name: 'reason', type: STRING, value: 'checking the count' }], modA);
    expect(shown(await ask(A, QUESTION))).not.toContain('42 trawlers were stranded');
    await command(A, 'moderation', 'unsuppress', [{ name: 'target', type: STRING, value: 'local.briefing' }], modA);
    expect(shown(await ask(A, QUESTION))).toContain('42 trawlers were stranded');

    expect(shown(await command(A, 'sources', 'remove', [{ name: 'id', type: STRING, value: 'local.briefing' }], person(), NOTHING))).toContain("Only moderators can remove articles from this server's library");
    const removed = await command(A, 'sources', 'remove', [{ name: 'id', type: STRING, value: 'local.briefing' }], modA);
    expect(readInert(String(removed['content']))).toBe("Removed local.briefing (Port Gazette) from this server's library. It will not be quoted again.");
    expect(shown(await ask(A, QUESTION))).not.toContain('42 trawlers were stranded');
    const log = await command(A, 'moderation', 'log', [], modA);
    expect(shown(log)).toContain('source-add');
    expect(shown(await command(B, 'moderation', 'log', [], modB))).not.toMatch(SECRET);
  });
});
