/**
 * A moderation database outage, end to end: the real bot process on a real PostgreSQL server,
 * reached through a TCP proxy the test cuts and restores. While the database is away, members in
 * a server and in DMs get exactly the answers they got before (the server's suppressions still
 * apply), buttons keep working, a report is refused with "try again in a few minutes"; once it is
 * back, the answers given meanwhile are on record and can be reported.
 *
 * Needs TEST_DATABASE_URL (CI sets it; see .ci/run).
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDir, startScript, tempCorpus, type Started } from './helpers.js';
import { startDiscordStandIn, type DiscordStandIn, type Json, type RestCall } from './discord/stand-in.js';
import { postgresUrlParts, startTcpProxy, type TcpProxy } from './support/tcp-proxy.js';
import { readInert } from '../src/discord/escape.js';

const postgresUrl = process.env.TEST_DATABASE_URL;
const TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.Gstand.in-token';
const A = { guildId: '330000000000000001', channelId: '330000000000000002' };
const REVIEW = '330000000000000003';
const STRING = 3;
const MANAGE_MESSAGES = String(1 << 13);
const QUESTION = 'How many troops has Russia amassed?';

let counter = 0;
const person = (): Json => ({ id: String(430000000000000000n + BigInt(++counter)), username: `p${counter}`, discriminator: '0', avatar: null, global_name: null });
const moderator = person();

describe.skipIf(!postgresUrl)('the moderation database goes away and comes back', () => {
  let discord: DiscordStandIn;
  let bot: Started;
  let proxy: TcpProxy;
  let admin: pg.Pool;
  const schema = `cited_outage_${randomUUID().replace(/-/g, '')}`;

  const member = (user: Json, permissions = '0') => ({ user, roles: [], permissions, joined_at: new Date().toISOString(), deaf: false, mute: false, flags: 0, nick: null, avatar: null, pending: false, premium_since: null, communication_disabled_until: null });
  const callbackOf = (id: string) => (c: RestCall) => c.method === 'POST' && c.path.startsWith(`/interactions/${id}/`) && c.status < 300;
  const callback = async (id: string) => (await discord.waitForCall(callbackOf(id))).body as Json;
  const handled = (id: string) => bot.waitFor(new RegExp(`"interaction":"${id}"[^\\n]*"msg":"interaction handled"`));
  const shown = (body: Json) => readInert(String(body['data']?.['content'] ?? ''));
  const firstQuote = (message: Json) => readInert(String((message['embeds'] as Json[])[0]!['description'])).split('\n')[0]!.replace(/\*\*/g, '');

  async function ask(question: string, dm = false): Promise<Json> {
    const user = person();
    const payload = discord.chatInput('ask', [{ name: 'question', type: STRING, value: question }], dm ? { dm: true, user } : { ...A, user });
    const id = discord.interaction(dm ? { ...payload, user } : { ...payload, member: member(user) }, dm ? { dm: true, user } : { ...A, user });
    const call = await discord.waitForCall(callbackOf(id));
    await handled(id);
    return (call.response as Json)['resource']['message'] as Json;
  }
  async function moderate(sub: string, options: { name: string; type: number; value: string }[] = []): Promise<Json> {
    const payload = discord.chatInput('moderation', [{ name: sub, type: 1, options }], { ...A, user: moderator });
    return callback(discord.interaction({ ...payload, member: member(moderator, MANAGE_MESSAGES) }, { ...A, user: moderator }));
  }
  async function report(messageId: string): Promise<Json> {
    const user = person();
    const payload = discord.modalSubmit(`report:${messageId}`, { reason: 'check this' }, { ...A, user });
    return callback(discord.interaction({ ...payload, member: member(user) }, { ...A, user }));
  }
  async function more(message: Json): Promise<Json> {
    const user = person();
    const payload = discord.button('more:3', String(message['id']), { ...A, user });
    return callback(discord.interaction({ ...payload, member: member(user) }, { ...A, user }));
  }

  beforeAll(async () => {
    admin = new pg.Pool({ connectionString: postgresUrl });
    await admin.query(`CREATE SCHEMA ${schema}`);
    const { user, database, target } = postgresUrlParts(postgresUrl!);
    proxy = await startTcpProxy(target);
    discord = await startDiscordStandIn({
      heartbeatInterval: 500,
      guilds: [{ id: A.guildId, name: 'Newsroom', channels: [{ id: A.channelId, type: 0, name: 'general' }, { id: REVIEW, type: 0, name: 'review' }] }],
    });
    bot = startScript('src/main.js', {
      DISCORD_TOKEN: TOKEN,
      DISCORD_API_URL: discord.apiUrl,
      DATA_DIR: freshDir('cited-data-'),
      CORPUS_DIR: tempCorpus({}, true),
      DATABASE_URL: `postgresql://${user}@127.0.0.1:${proxy.port}/${database}?options=${encodeURIComponent(`-c search_path=${schema}`)}`,
      MOD_CHANNEL_ID: REVIEW,
      COOLDOWN_QUESTIONS: '200',
      LOG_LEVEL: 'info',
    });
    await bot.waitFor(/connected to Discord/);
  });

  afterAll(async () => {
    await bot?.stop();
    await discord?.stop();
    await proxy?.close();
    await admin?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin?.end();
  });

  it('answers stay exactly the same, suppressions included, in a server and in DMs; buttons work; a report is refused plainly; then it all catches up', async () => {
    const suppressed = await moderate('suppress', [{ name: 'target', type: STRING, value: '000_138185aca57c1631' }, { name: 'reason', type: STRING, value: 'syndicated' }]);
    expect(shown(suppressed)).toContain('Suppressed the source');
    const inServer = await ask(QUESTION);
    const inDm = await ask(QUESTION, true);
    expect(firstQuote(inServer)).not.toBe(firstQuote(inDm));

    proxy.cut();
    const duringServer = await ask(QUESTION);
    const duringDm = await ask(QUESTION, true);
    expect(firstQuote(duringServer)).toBe(firstQuote(inServer));
    expect(firstQuote(duringDm)).toBe(firstQuote(inDm));
    expect((duringServer['embeds'] as Json[])[0]!['description']).toBe((inServer['embeds'] as Json[])[0]!['description']);
    expect(bot.output()).toMatch(/moderation database unreachable: answer records are kept in memory/);
    const unanswered = await ask('Who won the Eurovision song contest in Liverpool?');
    expect(String((unanswered['embeds'] as Json[])[0]!['description'])).toContain('No passage in the articles answers this');

    for (const message of [inServer, duringServer]) {
      const page = await more(message);
      expect(page['data']['flags']).toBe(64);
      expect(String(page['data']['embeds'][0]['title'])).toBe(QUESTION);
    }

    const refused = await report(String(duringServer['id']));
    expect(refused['data']['flags']).toBe(64);
    expect(shown(refused)).toBe('Your report could not be saved: the moderation database cannot be reached right now. Try again in a few minutes.');
    expect(shown(await moderate('queue'))).toMatch(/^The report queue could not be read: the moderation database cannot be reached right now/);
    expect(bot.output()).not.toMatch(/"msg":"request failed"/);

    proxy.restore();
    await bot.waitFor(/answer records written after a database outage/, 20_000);
    const thanks = await report(String(duringServer['id']));
    expect(shown(thanks)).toBe('Thank you — the moderators will review this answer.');
    const gaps = readInert(String((await moderate('gaps'))['data']['embeds'][0]['description']));
    expect(gaps).toContain('who won the eurovision song contest in liverpool');
  });
});
