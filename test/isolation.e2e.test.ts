/**
 * Every server on its own, end to end: the real bot process in two servers (A has the review
 * channel, B does not) and in direct messages, through the Discord stand-in. A moderator of one
 * server tries everything on another's answers and reports, as an attacker would; hostile text is
 * shown back inert; reports arriving together make one review post.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDir, startScript, tempCorpus, type Started } from './helpers.js';
import { startDiscordStandIn, type DiscordStandIn, type Json, type RestCall } from './discord/stand-in.js';
import { readInert } from '../src/discord/escape.js';

const TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.Gstand.in-token';
const A = { guildId: '310000000000000001', channelId: '310000000000000002' };
const REVIEW_A = { guildId: A.guildId, channelId: '310000000000000003' };
const B = { guildId: '320000000000000001', channelId: '320000000000000002' };
const STRING = 3;
const MANAGE_MESSAGES = String(1 << 13);
const NOTHING = '0';
const QUESTION_A = 'How many troops has Russia amassed?';
const QUESTION_B = 'Lugansk explosions';
const REASON_B = 'B-only reason: the count is disputed';

let discord: DiscordStandIn;
let bot: Started;
let counter = 0;
const person = (): Json => ({ id: String(410000000000000000n + BigInt(++counter)), username: `person${counter}`, discriminator: '0', avatar: null, global_name: null });
const modA = person();
const modB = person();

type Place = { guildId: string; channelId: string } | 'dm';
const extrasOf = (place: Place, user: Json) => (place === 'dm' ? { dm: true, user } : { ...place, user });

/** The payload as sent by `user` with exactly `permissions` in a server, or as a DM. */
function as(payload: Partial<Json>, user: Json, place: Place, permissions = NOTHING): Partial<Json> {
  if (place === 'dm') return { ...payload, user };
  return { ...payload, member: { user, roles: [], permissions, joined_at: new Date().toISOString(), deaf: false, mute: false, flags: 0, nick: null, avatar: null, pending: false, premium_since: null, communication_disabled_until: null } };
}
const callbackOf = (id: string) => (c: RestCall) => c.method === 'POST' && c.path.startsWith(`/interactions/${id}/`) && c.status < 300;
const callback = async (id: string): Promise<Json> => (await discord.waitForCall(callbackOf(id))).body as Json;
const send = (payload: Partial<Json>, user: Json, place: Place, permissions = NOTHING) => discord.interaction(as(payload, user, place, permissions), extrasOf(place, user));
/** What a member reads: the text with Cited's escapes taken out. */
const shown = (body: Json) => readInert(String(body['data']?.['content'] ?? ''));

async function ask(place: Place, question: string, user: Json): Promise<Json> {
  const id = send(discord.chatInput('ask', [{ name: 'question', type: STRING, value: question }], extrasOf(place, user)), user, place);
  const call = await discord.waitForCall(callbackOf(id));
  await bot.waitFor(new RegExp(`"interaction":"${id}"[^\\n]*"msg":"interaction handled"`));
  return (call.response as Json)['resource']['message'] as Json;
}
async function command(place: Place, name: string, sub: string, options: { name: string; type: number; value: string }[], user: Json, permissions = MANAGE_MESSAGES): Promise<Json> {
  return callback(send(discord.chatInput(name, [{ name: sub, type: 1, options }], extrasOf(place, user)), user, place, permissions));
}
async function auditLog(place: Place, moderator: Json): Promise<string> {
  const body = await command(place, 'moderation', 'log', [{ name: 'limit', type: 4, value: '50' as never }], moderator);
  return readInert(String(body['data']['embeds']?.[0]?.['description'] ?? body['data']['content']));
}
async function openReports(place: Place, moderator: Json): Promise<string> {
  const body = await command(place, 'moderation', 'queue', [], moderator);
  return readInert(String(body['data']['embeds']?.[0]?.['description'] ?? body['data']['content']));
}
async function reportByForm(place: Place, answerId: string, user: Json, reason: string): Promise<Json> {
  return callback(send(discord.modalSubmit(`report:${answerId}`, { reason }, extrasOf(place, user)), user, place));
}
const buttonsOf = (message: Json) => ((message['components'] as Json[])[0]?.['components'] as Json[] | undefined)?.map((b) => b['custom_id']) ?? [];
const firstQuote = (message: Json) => readInert(String((message['embeds'] as Json[])[0]!['description'])).split('\n')[0]!.replace(/\*\*/g, '');

beforeAll(async () => {
  discord = await startDiscordStandIn({
    heartbeatInterval: 500,
    guilds: [
      { id: A.guildId, name: 'Newsroom A', channels: [{ id: A.channelId, type: 0, name: 'general' }, { id: REVIEW_A.channelId, type: 0, name: 'review' }] },
      { id: B.guildId, name: 'Newsroom B', channels: [{ id: B.channelId, type: 0, name: 'general' }] },
    ],
  });
  bot = startScript('src/main.js', {
    DISCORD_TOKEN: TOKEN,
    DISCORD_API_URL: discord.apiUrl,
    DATA_DIR: freshDir('cited-data-'),
    CORPUS_DIR: tempCorpus({}, true),
    MOD_CHANNEL_ID: REVIEW_A.channelId,
    COOLDOWN_QUESTIONS: '200',
    LOG_LEVEL: 'info',
  });
  await bot.waitFor(/connected to Discord/);
});

afterAll(async () => {
  await bot?.stop();
  await discord?.stop();
});

describe("one server's moderators cannot reach another server's answers", () => {
  let answerB: Json;
  let reportB = '';

  beforeAll(async () => {
    answerB = await ask(B, QUESTION_B, person());
    const thanks = await reportByForm(B, String(answerB['id']), person(), REASON_B);
    expect(shown(thanks)).toMatch(/^Thank you/);
    reportB = /#(\d+)/.exec(await openReports(B, modB))![1]!;
  });

  it('retract and unretract by message id: "not an answer", nothing of B shown, B untouched, the refusal in A\'s log only', async () => {
    for (const sub of ['retract', 'unretract']) {
      const body = await command(A, 'moderation', sub, [{ name: 'message', type: STRING, value: String(answerB['id']) }, ...(sub === 'retract' ? [{ name: 'reason', type: STRING, value: 'cross-server attempt' }] : [])], modA);
      expect(body['data']['flags']).toBe(64);
      expect(shown(body)).toMatch(/^Only answers Cited posted can be reported or retracted/);
      expect(JSON.stringify(body)).not.toContain('Lugansk');
    }
    const logA = await auditLog(A, modA);
    expect(logA).toContain(`${modA['id']} · refused · retract an answer ${answerB['id']} · not found in this server`);
    expect(logA).toContain(`${modA['id']} · refused · restore an answer ${answerB['id']} · not found in this server`);
    expect(logA).not.toContain('Lugansk');
    const logB = await auditLog(B, modB);
    expect(logB).not.toContain(String(modA['id']));
    expect(discord.calls.some((c) => c.method === 'PATCH' && c.path === `/channels/${B.channelId}/messages/${answerB['id']}`)).toBe(false);
  });

  it("keep, retract and the suppress menu on B's report from A's review channel: refused, no form, nothing revealed", async () => {
    for (const customId of [`mod:keep:${reportB}`, `mod:retract:${reportB}`]) {
      const body = await callback(send(discord.button(customId, undefined, extrasOf(REVIEW_A, modA)), modA, REVIEW_A, MANAGE_MESSAGES));
      expect(body['type']).toBe(4);
      expect(shown(body)).toBe(`Report ${reportB} is not open any more; it may already have been reviewed.`);
    }
    const select = { ...discord.button(`mod:suppress:${reportB}`, undefined, extrasOf(REVIEW_A, modA)), data: { custom_id: `mod:suppress:${reportB}`, component_type: 3, values: ['x:0'] } };
    const body = await callback(send(select, modA, REVIEW_A, MANAGE_MESSAGES));
    expect(body['type']).toBe(4);
    expect(JSON.stringify(body)).not.toContain(REASON_B);
  });

  it("crafted forms naming B's report are refused; B's report stays open and B's answer unchanged", async () => {
    const before = firstQuote(await ask(B, QUESTION_B, person()));
    for (const form of [`retract:${reportB}`, `supx:${reportB}:0`, `sups:${reportB}:002_61b0604fa2a801b5`]) {
      const body = await callback(send(discord.modalSubmit(form, { reason: 'cross-server' }, extrasOf(REVIEW_A, modA)), modA, REVIEW_A, MANAGE_MESSAGES));
      expect(shown(body)).toBe(`Report ${reportB} is not open any more; it may already have been reviewed.`);
    }
    const queueB = await openReports(B, modB);
    expect(queueB).toContain(`#${reportB}`);
    expect(queueB).toContain(REASON_B);
    expect(firstQuote(await ask(B, QUESTION_B, person()))).toBe(before);
    expect(await auditLog(A, modA)).toContain(`refused · suppress a source report ${reportB} · not found in this server`);
  });

  it("a suppression in A never changes what B or a DM is shown; A's own retraction is audited in A only", async () => {
    const inA = await ask(A, QUESTION_A, person());
    const quote = firstQuote(inA);
    expect(quote).toContain('150,000');
    const done = await command(A, 'moderation', 'suppress', [{ name: 'target', type: STRING, value: '000_138185aca57c1631' }, { name: 'reason', type: STRING, value: 'test' }], modA);
    expect(shown(done)).toContain('Suppressed the source 000_138185aca57c1631');
    expect(firstQuote(await ask(A, QUESTION_A, person()))).not.toBe(quote);
    expect(firstQuote(await ask(B, QUESTION_A, person()))).toBe(quote);
    expect(firstQuote(await ask('dm', QUESTION_A, person()))).toBe(quote);

    const retracted = await command(A, 'moderation', 'retract', [{ name: 'message', type: STRING, value: String(inA['id']) }, { name: 'reason', type: STRING, value: 'own answer' }], modA);
    expect(shown(retracted)).toMatch(/^Retracted the answer/);
    expect(await auditLog(A, modA)).toContain(`${modA['id']} · retract · ${inA['id']} · own answer`);
    expect(await auditLog(B, modB)).not.toContain(String(inA['id']));
  });
});

describe('a report belongs to the server where the answer was posted', () => {
  it('a report form naming A\'s answer from a DM or from B is refused; A\'s members then open a review item A sees', async () => {
    const answerA = await ask(A, 'What did Peskov say?', person());
    const fromDm = await reportByForm('dm', String(answerA['id']), person(), 'captured');
    expect(shown(fromDm)).toMatch(/^Answers in direct messages have no moderators/);
    const fromB = await reportByForm(B, String(answerA['id']), person(), 'captured');
    expect(shown(fromB)).toMatch(/^Only answers Cited posted can be reported/);

    const member = person();
    const opened = await callback(send(discord.button('report', String(answerA['id']), extrasOf(A, member)), member, A));
    expect(opened).toMatchObject({ type: 9, data: { custom_id: `report:${answerA['id']}` } });
    const thanks = await reportByForm(A, String(answerA['id']), member, 'wrong speaker');
    expect(shown(thanks)).toBe('Thank you — the moderators will review this answer.');
    const post = await discord.waitForCall((c) => c.method === 'POST' && c.path === `/channels/${REVIEW_A.channelId}/messages` && JSON.stringify(c.body).includes('What did Peskov say?'));
    expect(JSON.stringify(post.body)).not.toContain('captured');
    expect(await openReports(B, modB)).not.toContain('Peskov');
  });
});

describe('direct messages have no moderators', () => {
  it('answers in DMs carry no Report button, and a crafted report of one is refused', async () => {
    const user = person();
    const answer = await ask('dm', QUESTION_A, user);
    expect(buttonsOf(answer)).not.toContain('report');
    expect(buttonsOf(answer)).toContain('cites:0');

    const message = discord.message({ content: 'What did Peskov say?', author: user }, { dm: true });
    const reply = await discord.waitForCall((c) => c.method === 'POST' && (c.body as Json)?.['message_reference']?.['message_id'] === message['id']);
    expect(buttonsOf(reply.body as Json)).not.toContain('report');

    const pressed = await callback(send(discord.button('report', String(answer['id']), { dm: true, user }), user, 'dm'));
    expect(pressed['type']).toBe(4);
    expect(shown(pressed)).toMatch(/^Answers in direct messages have no moderators/);
    const menu = await callback(send(discord.messageCommand('Report answer', String(answer['id']), { dm: true, user }), user, 'dm'));
    expect(shown(menu)).toMatch(/^Answers in direct messages have no moderators/);
    const form = await reportByForm('dm', String(answer['id']), user, 'no one reads this');
    expect(shown(form)).toMatch(/^Answers in direct messages have no moderators/);
  });
});

/** A Markdown masked link that would render: `[label](url)` with neither bracket escaped. */
const LIVE_LINK = /(?<!\\)\[[^\]\\]*(?<!\\)\]\(/;

describe('hostile text stays inert', () => {
  it('a report reason with a masked link, a mention and a heading shows as typed in the review post', async () => {
    const answer = await ask(A, 'Kiev', person());
    const reason = '[click here to verify](https://evil.example/x) <@&310000000000000009> @everyone\n# URGENT';
    await reportByForm(A, String(answer['id']), person(), reason);
    const post = await discord.waitForCall((c) => c.method === 'POST' && c.path === `/channels/${REVIEW_A.channelId}/messages` && JSON.stringify(c.body).includes('evil.example'));
    const field = String(post.body['embeds'][0]['fields'][0]['value']);
    expect(field).not.toMatch(LIVE_LINK);
    expect(field).toContain('\\<\\@&310000000000000009\\>');
    expect(field).toContain('\n\\# URGENT');
    expect(readInert(field)).toContain(reason);
    expect(post.body['allowed_mentions']).toEqual({ parse: [], replied_user: false });
  });

  it("a question's masked link is dead in the answer's title and in the public retraction notice, and so is the reason's", async () => {
    const question = 'How many [troops](https://evil.example/phish) has Russia amassed? ```js``` <#320000000000000002>';
    const answer = await ask(A, question, person());
    const title = String((answer['embeds'] as Json[])[0]!['title']);
    expect(title).not.toMatch(LIVE_LINK);
    expect(readInert(title)).toBe(question);
    await command(A, 'moderation', 'retract', [{ name: 'message', type: STRING, value: String(answer['id']) }, { name: 'reason', type: STRING, value: 'see [the policy](https://evil.example/policy)' }], modA);
    const notice = await discord.waitForCall((c) => c.method === 'PATCH' && c.path === `/channels/${A.channelId}/messages/${answer['id']}`);
    const content = String(notice.body['content']);
    expect(content).toMatch(/^\*\*This answer was retracted by the moderators\*\*: /);
    expect(content).not.toMatch(LIVE_LINK);
    expect(content).toContain('\\`\\`\\`js\\`\\`\\`');
    expect(content).toContain('\\<\\#320000000000000002\\>');
    expect(readInert(content)).toContain(`“${question}”`);
  });
});

describe('reports arriving together', () => {
  it('three members reporting one answer at the same moment make one review post, edited as reports arrive', async () => {
    const answer = await ask(A, 'state of emergency', person());
    const members = [person(), person(), person()];
    const ids = members.map((m) => send(discord.modalSubmit(`report:${answer['id']}`, { reason: `reason of ${m['username']}` }, extrasOf(A, m)), m, A));
    const bodies = await Promise.all(ids.map(callback));
    expect(bodies.map(shown).filter((t) => t === 'Thank you — the moderators will review this answer.')).toHaveLength(1);
    const isThisReview = (c: RestCall) => c.path.startsWith(`/channels/${REVIEW_A.channelId}/messages`) && JSON.stringify(c.body ?? '').includes('state of emergency');
    await discord.waitForCall((c) => isThisReview(c) && JSON.stringify(c.body).includes('Reported by 3 members'));
    await new Promise((r) => setTimeout(r, 500));
    const posts = discord.calls.filter((c) => c.method === 'POST' && isThisReview(c));
    expect(posts).toHaveLength(1);
    expect(discord.calls.filter((c) => c.method === 'PATCH' && isThisReview(c) && c.path.endsWith(String(posts[0]!.response['id'])))).not.toHaveLength(0);
  });
});
