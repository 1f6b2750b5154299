/**
 * Review channels, one per server, end to end: the real bot process in two servers through the
 * Discord stand-in. Server A's review channel is the one MOD_CHANNEL_ID names; server B sets its own
 * with /moderation channel. A report is posted in its own server's channel and never in another's;
 * only a moderator sets a channel, only to one of its own server's, and only where Cited can post.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBotProcess, type BotProcess } from './support/bot-process.js';
import { startDiscordStandIn, type DiscordStandIn, type Json, type RestCall } from './discord/stand-in.js';
import { readInert } from '../src/discord/escape.js';

const A = { guildId: '330000000000000001', channelId: '330000000000000002' };
const REVIEW_A = '330000000000000003';
const B = { guildId: '340000000000000001', channelId: '340000000000000002' };
const REVIEWS_B = '340000000000000003';
const STRING = 3;
const CHANNEL = 7;
const MANAGE_MESSAGES = String(1 << 13);
const NOTHING = '0';
const QUESTION = 'How many troops has Russia amassed?';

let discord: DiscordStandIn;
let bot: BotProcess;
let counter = 0;
const person = (): Json => ({ id: String(430000000000000000n + BigInt(++counter)), username: `person${counter}`, discriminator: '0', avatar: null, global_name: null });
const modA = person();
const modB = person();

type Place = { guildId: string; channelId: string };
function as(payload: Partial<Json>, user: Json, permissions: string): Partial<Json> {
  return { ...payload, member: { user, roles: [], permissions, joined_at: new Date().toISOString(), deaf: false, mute: false, flags: 0, nick: null, avatar: null, pending: false, premium_since: null, communication_disabled_until: null } };
}
const callbackOf = (id: string) => (c: RestCall) => c.method === 'POST' && c.path.startsWith(`/interactions/${id}/`) && c.status < 300;
/** Sends the interaction and resolves once the bot has handled it, with the body of its reply. */
async function interact(payload: Partial<Json>, user: Json, place: Place, permissions = NOTHING): Promise<Json> {
  const id = discord.interaction(as(payload, user, permissions), { ...place, user });
  const call = await discord.waitForCall(callbackOf(id));
  await bot.waitFor(new RegExp(`"interaction":"${id}"[^\\n]*"msg":"interaction handled"`));
  return call as unknown as Json;
}
const shown = (call: Json) => readInert(String(call['body']?.['data']?.['content'] ?? ''));

async function ask(place: Place): Promise<string> {
  const call = await interact(discord.chatInput('ask', [{ name: 'question', type: STRING, value: QUESTION }], { ...place, user: person() }), person(), place);
  return String(call['response']['resource']['message']['id']);
}
const report = (place: Place, answerId: string, reason: string) => interact(discord.modalSubmit(`report:${answerId}`, { reason }, { ...place, user: person() }), person(), place);
/** /moderation channel with these options, as `user` with `permissions` in `place`; what they are shown. */
async function channel(place: Place, user: Json, options: { name: string; type: number; value: unknown }[] = [], permissions = MANAGE_MESSAGES): Promise<string> {
  return shown(await interact(discord.chatInput('moderation', [{ name: 'channel', type: 1, options: options as never }], { ...place, user }), user, place, permissions));
}
const setTo = (channelId: string) => [{ name: 'channel', type: CHANNEL, value: channelId }];
async function listed(place: Place, user: Json, sub: 'queue' | 'log'): Promise<string> {
  const call = await interact(discord.chatInput('moderation', [{ name: sub, type: 1, options: sub === 'log' ? [{ name: 'limit', type: 4, value: 50 as never }] : [] }], { ...place, user }), user, place, MANAGE_MESSAGES);
  return readInert(String(call['body']['data']['embeds']?.[0]?.['description'] ?? call['body']['data']['content']));
}

/** Messages the bot posted (successfully) in a channel, as text: content and embeds. */
const postedIn = (channelId: string) =>
  discord.calls.filter((c) => c.method === 'POST' && c.path === `/channels/${channelId}/messages` && c.status < 300).map((c) => readInert(JSON.stringify(c.body)));
const waitForPost = (channelId: string, text: string) =>
  discord.waitForCall((c) => c.method === 'POST' && c.path === `/channels/${channelId}/messages` && c.status < 300 && readInert(JSON.stringify(c.body)).includes(text));

beforeAll(async () => {
  discord = await startDiscordStandIn({
    heartbeatInterval: 500,
    guilds: [
      { id: A.guildId, name: 'Newsroom A', channels: [{ id: A.channelId, type: 0, name: 'general' }, { id: REVIEW_A, type: 0, name: 'review' }] },
      { id: B.guildId, name: 'Newsroom B', channels: [{ id: B.channelId, type: 0, name: 'general' }, { id: REVIEWS_B, type: 0, name: 'fact-desk' }] },
    ],
  });
  bot = await startBotProcess({ discord, env: { MOD_CHANNEL_ID: REVIEW_A, COOLDOWN_QUESTIONS: '200' } });
});

afterAll(async () => {
  await bot?.stop();
  await discord?.stop();
});

describe('review channels, one per server', () => {
  it('a server without one is told so; its reports are posted nowhere and wait in /moderation queue', async () => {
    expect(await channel(B, modB)).toBe('This server has no review channel: reports wait in /moderation queue. /moderation channel channel:<channel> sets one.');
    // Server A's is the one the configuration names.
    expect(await channel(A, modA)).toMatch(/^Reports of this server's answers are posted in #review, the channel Cited's configuration names \(MOD_CHANNEL_ID\)\./);
    await report(B, await ask(B), 'B waiting: the count is disputed');
    expect(await listed(B, modB, 'queue')).toContain('B waiting: the count is disputed');
    expect([...postedIn(REVIEW_A), ...postedIn(REVIEWS_B)].join('\n')).not.toContain('B waiting');
  });

  it('only a moderator sets one, only to a channel of its own server, only where Cited can post; a refusal posts nothing', async () => {
    const before = postedIn(REVIEW_A).length + postedIn(REVIEWS_B).length;
    expect(await channel(B, person(), setTo(REVIEWS_B), NOTHING)).toBe('Only moderators can set the review channel. (Moderators have Manage Messages, or the moderator role.)');
    // Server A's review channel, named from server B: not B's.
    expect(await channel(B, modB, setTo(REVIEW_A))).toBe('That channel cannot receive review posts: it is not a channel of this server.');
    expect(await channel(B, modB, [...setTo(REVIEWS_B), { name: 'off', type: 5, value: true }])).toBe('/moderation channel takes channel: or off:, not both.');
    // A channel where Discord refuses Cited's message (no Send Messages there).
    discord.failNext({ method: 'POST', pathIncludes: `/channels/${REVIEWS_B}/messages` }, { status: 403, code: 50013, message: 'Missing Permissions' });
    expect(await channel(B, modB, setTo(REVIEWS_B))).toMatch(/^That channel cannot receive review posts: Cited cannot post there\. Give it View Channel, Send Messages and Embed Links/);
    expect(postedIn(REVIEW_A).length + postedIn(REVIEWS_B).length).toBe(before);
    expect(await channel(B, modB)).toMatch(/^This server has no review channel/);
  });

  it("set by B's moderators: Cited says so there, posts B's waiting report at once, and B's reports go there — never to A's, nor A's to B's", async () => {
    expect(await channel(B, modB, setTo(REVIEWS_B))).toBe("Reports of this server's answers are posted in #fact-desk from now on. 1 open report not posted before was posted there.");
    const posts = postedIn(REVIEWS_B);
    expect(posts[0]).toContain("Reports of this server's answers will be posted here for its moderators");
    expect(posts[1]).toContain('B waiting: the count is disputed');
    expect(await channel(B, modB)).toMatch(new RegExp(`^Reports of this server's answers are posted in #fact-desk \\(set by ${modB['id']}, `));

    await report(B, await ask(B), 'B new: wrong outlet');
    await waitForPost(REVIEWS_B, 'B new: wrong outlet');
    await report(A, await ask(A), 'A only: misquoted');
    await waitForPost(REVIEW_A, 'A only: misquoted');
    expect(postedIn(REVIEWS_B).join('\n')).not.toContain('A only');
    expect(postedIn(REVIEW_A).join('\n')).not.toContain('B new');
    expect(postedIn(REVIEW_A).join('\n')).not.toContain('B waiting');
  });

  it("turned off: B's later reports wait in the queue again; each change is in B's audit log and not in A's", async () => {
    expect(await channel(B, modB, [{ name: 'off', type: 5, value: true }])).toBe('Reports are no longer posted in #fact-desk: they wait in /moderation queue.');
    const count = postedIn(REVIEWS_B).length;
    await report(B, await ask(B), 'B after off: outdated');
    expect(await listed(B, modB, 'queue')).toContain('B after off: outdated');
    expect(postedIn(REVIEWS_B)).toHaveLength(count);
    expect(postedIn(REVIEW_A).join('\n')).not.toContain('B after off');

    const logB = await listed(B, modB, 'log');
    expect(logB).toContain(`${modB['id']} · review-channel · ${REVIEWS_B}`);
    expect(logB).toContain(`${modB['id']} · review-channel · none`);
    expect(logB).toMatch(/refused · set the review channel \d+ · not a moderator/);
    expect(await listed(A, modA, 'log')).not.toContain('review-channel');
  });
});
