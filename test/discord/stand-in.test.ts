/**
 * The stand-in against the real discord.js client: login, interactions of each kind,
 * messages, injected REST failures (500, 429) and gateway disconnects.
 */
import { once } from 'node:events';
import {
  Client,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  HTTPError,
  MessageFlags,
  Partials,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  type Message,
  type MessageContextMenuCommandInteraction,
  type ModalSubmitInteraction,
  type TextChannel,
} from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDiscordStandIn, type DiscordStandIn, type RestCall } from './stand-in.js';

const TOKEN = 'stand-in-token';

function newClient(discord: DiscordStandIn): Client {
  return new Client({
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.DirectMessages],
    partials: [Partials.Channel], // DMs arrive in uncached channels
    rest: { api: discord.apiUrl },
  });
}

/** The next interaction the client emits (listen before it can arrive: the socket is async). */
function nextInteraction<T extends Interaction>(client: Client): Promise<T> {
  return once(client, Events.InteractionCreate).then(([interaction]) => interaction as T);
}

describe('discord.js against the stand-in', () => {
  let discord: DiscordStandIn;
  let client: Client;
  let channel: TextChannel;
  const isCallback = (id: string) => (c: RestCall) => c.method === 'POST' && c.path.startsWith(`/interactions/${id}/`);

  beforeAll(async () => {
    discord = await startDiscordStandIn({ heartbeatInterval: 500 });
    client = newClient(discord);
    const clientReady = once(client, Events.ClientReady);
    await client.login(TOKEN);
    await Promise.all([discord.ready, clientReady]);
    channel = client.channels.cache.get(String((discord.guilds[0]!['channels'] as { id: string }[])[0]!.id)) as TextChannel;
  });

  afterAll(async () => {
    await client?.destroy();
    await discord?.stop();
  });

  it('logs in: READY + GUILD_CREATE populate the caches', () => {
    expect(client.isReady()).toBe(true);
    expect(client.user?.id).toBe(discord.botUser['id']);
    expect(client.application?.id).toBe(discord.applicationId);
    expect(discord.identifies).toBe(1);
    expect(discord.calls.map((c) => `${c.method} ${c.path}`)).toContain('GET /gateway/bot');
    const guild = client.guilds.cache.get(String(discord.guilds[0]!['id']));
    expect(guild?.available).toBe(true);
    expect(channel.isTextBased()).toBe(true);
    expect(guild?.members.me?.id).toBe(client.user?.id);
    // No Authorization on the wire to the gateway, but REST carries the token.
    expect(discord.calls[0]!.headers['authorization']).toBe(`Bot ${TOKEN}`);
  });

  it('registers commands with PUT and uses their ids in later interactions', async () => {
    const set = await client.application!.commands.set([{ name: 'ask', description: 'Ask a question', options: [{ name: 'question', description: 'q', type: 3, required: true }] }]);
    const call = await discord.waitForCall((c) => c.method === 'PUT' && c.path === `/applications/${discord.applicationId}/commands`);
    expect(call.body).toEqual([expect.objectContaining({ name: 'ask' })]);
    const registered = set.first()!;
    expect(discord.chatInput('ask').data?.['id']).toBe(registered.id);
  });

  it('chat input: reply with the ephemeral flag -> callback type 4, flags 64', async () => {
    const got = nextInteraction<ChatInputCommandInteraction>(client);
    const id = discord.interaction(discord.chatInput('ask', [{ name: 'question', type: 3, value: 'Who?' }]));
    const interaction = await got;
    expect(interaction.isChatInputCommand()).toBe(true);
    expect(interaction.commandName).toBe('ask');
    expect(interaction.options.getString('question')).toBe('Who?');
    expect(interaction.inGuild()).toBe(true);
    expect(interaction.user.id).toBe(discord.defaultUser['id']);
    await interaction.reply({ content: 'Only you', flags: MessageFlags.Ephemeral });
    const call = await discord.waitForCall(isCallback(id));
    expect(call.path).toBe(`/interactions/${id}/${discord.tokenOf(id)}/callback`);
    expect(call.headers['authorization']).toBeUndefined(); // callbacks are unauthenticated
    expect(call.body).toEqual({ type: 4, data: expect.objectContaining({ content: 'Only you', flags: 64 }) });
    expect(call.status).toBe(204);
  });

  it('chat input: deferReply + editReply + followUp', async () => {
    const got = nextInteraction<ChatInputCommandInteraction>(client);
    const id = discord.interaction(discord.chatInput('ask', [{ name: 'question', type: 3, value: 'slow' }]));
    const interaction = await got;
    await interaction.deferReply();
    const edited = await interaction.editReply({ content: 'Answer', embeds: [{ title: 'Sources', description: '[1] …' }] });
    expect(edited.content).toBe('Answer');
    expect(edited.embeds[0]?.title).toBe('Sources');
    const followUp = await interaction.followUp({ content: 'More', flags: MessageFlags.Ephemeral });
    expect(followUp.id).toMatch(/^\d{17,20}$/);
    expect(followUp.channelId).toBe(interaction.channelId);

    const token = discord.tokenOf(id);
    expect(discord.callsFor(id).map((c) => `${c.method} ${c.rawPath}${c.query.size ? `?${c.query}` : ''}`)).toEqual([
      `POST /interactions/${id}/${token}/callback?with_response=false`,
      `PATCH /webhooks/${discord.applicationId}/${token}/messages/%40original`,
      `POST /webhooks/${discord.applicationId}/${token}?wait=true`,
    ]);
    const [defer, edit, follow] = discord.callsFor(id);
    expect(defer!.body).toMatchObject({ type: 5 });
    expect(edit!.path).toBe(`/webhooks/${discord.applicationId}/${token}/messages/@original`);
    expect(edit!.body.content).toBe('Answer');
    expect(follow!.body).toMatchObject({ content: 'More', flags: 64 });
  });

  it('reply withResponse: with_response=true -> 200 with the message resource', async () => {
    const got = nextInteraction<ChatInputCommandInteraction>(client);
    const id = discord.interaction(discord.chatInput('ask'));
    const interaction = await got;
    const response = await interaction.reply({ content: 'hello', withResponse: true });
    expect(response.resource?.message?.content).toBe('hello');
    const call = await discord.waitForCall(isCallback(id));
    expect(call.query.get('with_response')).toBe('true');
    expect(call.status).toBe(200);
  });

  it('reply with a file: multipart payload_json + files', async () => {
    const got = nextInteraction<ChatInputCommandInteraction>(client);
    const id = discord.interaction(discord.chatInput('ask'));
    const interaction = await got;
    await interaction.reply({ content: 'see file', files: [{ attachment: Buffer.from('a,b\n1,2\n'), name: 'figures.csv' }] });
    const call = await discord.waitForCall(isCallback(id));
    expect(call.headers['content-type']).toMatch(/^multipart\/form-data/);
    // discord.js describes the upload as attachments [{ id: '0' }]; the name travels with the file part.
    expect(call.body).toMatchObject({ type: 4, data: { content: 'see file', attachments: [{ id: '0' }] } });
    expect(call.body.files).toEqual([{ field: 'files[0]', name: 'figures.csv', size: 8, contentType: expect.any(String) }]);
  });

  it('chat input from a DM: user instead of member, reply works', async () => {
    const got = nextInteraction<ChatInputCommandInteraction>(client);
    const id = discord.interaction(discord.chatInput('help', [], { dm: true }));
    const interaction = await got;
    expect(interaction.inGuild()).toBe(false);
    expect(interaction.member).toBeNull();
    expect(interaction.user.id).toBe(discord.defaultUser['id']);
    expect(interaction.channel?.isDMBased()).toBe(true);
    await interaction.reply('in private');
    expect((await discord.waitForCall(isCallback(id))).status).toBe(204);
  });

  it('autocomplete: respond -> callback type 8 with choices', async () => {
    const got = nextInteraction<AutocompleteInteraction>(client);
    const id = discord.interaction(discord.autocomplete('ask', [{ name: 'question', type: 3, value: 'Ky' }]));
    const interaction = await got;
    expect(interaction.isAutocomplete()).toBe(true);
    expect(interaction.options.getFocused(true)).toMatchObject({ name: 'question', value: 'Ky' });
    await interaction.respond([{ name: 'Kyiv', value: 'kyiv' }]);
    const call = await discord.waitForCall(isCallback(id));
    expect(call.body).toEqual({ type: 8, data: { choices: [{ name: 'Kyiv', value: 'kyiv' }] } });
  });

  it('button: update -> callback type 7 and the stored message changes', async () => {
    const sent = await channel.send({
      content: 'page 1',
      components: [{ type: 1, components: [{ type: 2, style: 1, custom_id: 'page:2', label: 'Next' }] }],
    });
    const got = nextInteraction<ButtonInteraction>(client);
    const id = discord.interaction(discord.button('page:2', sent.id));
    const interaction = await got;
    expect(interaction.isButton()).toBe(true);
    expect(interaction.customId).toBe('page:2');
    expect(interaction.message.id).toBe(sent.id);
    await interaction.update({ content: 'page 2', components: [] });
    const call = await discord.waitForCall(isCallback(id));
    expect(call.body).toMatchObject({ type: 7, data: { content: 'page 2', components: [] } });
    expect(discord.messages.get(sent.id)?.['content']).toBe('page 2');
  });

  it('message context menu: the target message arrives resolved', async () => {
    const target = discord.buildMessage({ content: 'Kyiv was shelled on Monday.' });
    const got = nextInteraction<MessageContextMenuCommandInteraction>(client);
    const id = discord.interaction(discord.messageCommand('Check quote', target));
    const interaction = await got;
    expect(interaction.isMessageContextMenuCommand()).toBe(true);
    expect(interaction.targetMessage.content).toBe('Kyiv was shelled on Monday.');
    await interaction.reply({ content: 'checked' });
    expect((await discord.waitForCall(isCallback(id))).body.type).toBe(4);
  });

  it('modal submit: fields are readable, deferUpdate-free reply works', async () => {
    const got = nextInteraction<ModalSubmitInteraction>(client);
    const id = discord.interaction(discord.modalSubmit('report', { reason: 'wrong quote' }));
    const interaction = await got;
    expect(interaction.isModalSubmit()).toBe(true);
    expect(interaction.fields.getTextInputValue('reason')).toBe('wrong quote');
    await interaction.reply({ content: 'thanks', flags: MessageFlags.Ephemeral });
    expect((await discord.waitForCall(isCallback(id))).body).toMatchObject({ type: 4, data: { flags: 64 } });
  });

  it('showModal -> callback type 9', async () => {
    const got = nextInteraction<ChatInputCommandInteraction>(client);
    const id = discord.interaction(discord.chatInput('report'));
    const interaction = await got;
    await interaction.showModal({
      custom_id: 'report',
      title: 'Report',
      components: [{ type: 1, components: [{ type: 4, custom_id: 'reason', label: 'Reason', style: 1 }] }],
    });
    expect((await discord.waitForCall(isCallback(id))).body).toMatchObject({ type: 9, data: { custom_id: 'report' } });
  });

  it('messageCreate: a guild mention arrives with content; a non-mention arrives blank (no MessageContent intent)', async () => {
    let got = once(client, Events.MessageCreate);
    discord.message({ content: 'what happened in Kyiv?' }, { mentionBot: true });
    let [message] = (await got) as [Message];
    expect(message.content).toBe(`<@${client.user!.id}> what happened in Kyiv?`);
    expect(message.mentions.users.has(client.user!.id)).toBe(true);
    expect(message.inGuild()).toBe(true);

    got = once(client, Events.MessageCreate);
    discord.message({ content: 'chatter' });
    [message] = (await got) as [Message];
    expect(message.content).toBe('');

    await message.reply('pong');
    const call = await discord.waitForCall((c) => c.method === 'POST' && c.body?.content === 'pong');
    expect(call.path).toBe(`/channels/${message.channelId}/messages`);
    expect(call.body).toMatchObject({ message_reference: { message_id: message.id } });
  });

  it('messageCreate: a DM arrives (Partials.Channel) and the bot can answer in it', async () => {
    const got = once(client, Events.MessageCreate);
    discord.message({ content: 'hello in private' }, { dm: true });
    const [message] = (await got) as [Message];
    expect(message.inGuild()).toBe(false);
    expect(message.content).toBe('hello in private');
    if (!message.channel.isSendable()) throw new Error('DM channel should be sendable');
    await message.channel.send('hi');
    const call = await discord.waitForCall((c) => c.method === 'POST' && c.path === `/channels/${message.channelId}/messages`);
    expect(call.status).toBe(200);
  });

  it('500 once: discord.js retries immediately and the call succeeds', async () => {
    const before = discord.calls.length;
    discord.failNext({ method: 'POST', pathIncludes: `/channels/${channel.id}/messages` }, { status: 500 });
    const sent = await channel.send('survives one 500');
    expect(sent.content).toBe('survives one 500');
    expect(discord.calls.slice(before).map((c) => c.status)).toEqual([500, 200]);
  });

  it('500 four times: the call rejects with HTTPError (not DiscordAPIError) after 1 + 3 retries', async () => {
    const before = discord.calls.length;
    discord.failNext({ method: 'POST', pathIncludes: `/channels/${channel.id}/messages`, times: 4 }, { status: 500 });
    const error = await channel.send('doomed').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HTTPError);
    expect(error).not.toBeInstanceOf(DiscordAPIError);
    expect((error as HTTPError).status).toBe(500);
    expect(discord.calls.slice(before).map((c) => c.status)).toEqual([500, 500, 500, 500]);
  });

  it('4xx: the call rejects with DiscordAPIError carrying status and code', async () => {
    discord.failNext({ method: 'POST', pathIncludes: `/channels/${channel.id}/messages` }, { status: 403, code: 50013, message: 'Missing Permissions' });
    const error = await channel.send('forbidden').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DiscordAPIError);
    expect(error).toMatchObject({ status: 403, code: 50013 });
  });

  it('500 on an interaction callback: retried like any route', async () => {
    const got = nextInteraction<ChatInputCommandInteraction>(client);
    const id = discord.interaction(discord.chatInput('ask'));
    discord.failNext({ pathIncludes: `/interactions/${id}/` }, { status: 502 });
    const interaction = await got;
    await interaction.reply('after a 502');
    expect(discord.callsFor(id).map((c) => c.status)).toEqual([502, 204]);
  });

  it('429 on a bucket route: discord.js waits Retry-After and the retry succeeds', async () => {
    const before = discord.calls.length;
    discord.failNext({ method: 'POST', pathIncludes: `/channels/${channel.id}/messages` }, { status: 429, retryAfter: 0.3 });
    const limited: unknown[] = [];
    client.rest.once('rateLimited', (info) => limited.push(info));
    const started = Date.now();
    await channel.send('after a 429');
    const calls = discord.calls.slice(before);
    expect(calls.map((c) => c.status)).toEqual([429, 200]);
    expect(calls[0]!.response).toEqual({ message: 'You are being rate limited.', retry_after: 0.3, global: false });
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(300);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    // The 429's X-RateLimit-Remaining: 0 + Reset-After make discord.js wait on the bucket (and emit rateLimited).
    expect(limited).toEqual([expect.objectContaining({ route: '/channels/:id/messages', global: false })]);
  });

  it('429 global: discord.js blocks, then retries', async () => {
    const before = discord.calls.length;
    discord.failNext({ method: 'POST', pathIncludes: `/channels/${channel.id}/messages` }, { status: 429, retryAfter: 0.25, global: true });
    await channel.send('after a global 429');
    const calls = discord.calls.slice(before);
    expect(calls.map((c) => c.status)).toEqual([429, 200]);
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(250);
  });

  it('429 on an interaction callback (burst route): waits and retries', async () => {
    const got = nextInteraction<ChatInputCommandInteraction>(client);
    const id = discord.interaction(discord.chatInput('ask'));
    discord.failNext({ pathIncludes: `/interactions/${id}/` }, { status: 429, retryAfter: 0.2 });
    const interaction = await got;
    await interaction.reply('after a callback 429');
    const calls = discord.callsFor(id);
    expect(calls.map((c) => c.status)).toEqual([429, 204]);
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(200);
  });

  it('answers after the 3 s deadline get 404 Unknown interaction (10062)', async () => {
    // Simulated with a short deadline on a second stand-in.
    const strict = await startDiscordStandIn({ interactionDeadlineMs: 50 });
    const late = newClient(strict);
    try {
      await late.login(TOKEN);
      await strict.ready;
      const got = nextInteraction<ChatInputCommandInteraction>(late);
      strict.interaction(strict.chatInput('ask'));
      const interaction = await got;
      await new Promise((resolve) => setTimeout(resolve, 100));
      const error = await interaction.reply('too late').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DiscordAPIError);
      expect(error).toMatchObject({ status: 404, code: 10062 });
    } finally {
      await late.destroy();
      await strict.stop();
    }
  });

  it('closeSocket(4000): the client RESUMEs and the next interaction is handled', async () => {
    const resumesBefore = discord.resumes;
    const identifiesBefore = discord.identifies;
    const resumed = once(client, Events.ShardResume);
    const started = Date.now();
    discord.closeSocket(4000);
    await resumed;
    const took = Date.now() - started;
    expect(discord.resumes).toBe(resumesBefore + 1);
    expect(discord.identifies).toBe(identifiesBefore);
    expect(took).toBeLessThan(2000); // discord.js waits 500 ms before reconnecting

    const got = nextInteraction<ChatInputCommandInteraction>(client);
    const id = discord.interaction(discord.chatInput('ask'));
    await (await got).reply('still here');
    expect((await discord.waitForCall(isCallback(id))).status).toBe(204);
  });

  it('abrupt close (1006): RESUME, and a dispatch sent while disconnected is replayed', async () => {
    const resumesBefore = discord.resumes;
    discord.closeSocket();
    const got = nextInteraction<ChatInputCommandInteraction>(client);
    const id = discord.interaction(discord.chatInput('ask')); // queued until the session resumes
    const interaction = await got;
    expect(discord.resumes).toBe(resumesBefore + 1);
    await interaction.reply('replayed');
    expect((await discord.waitForCall(isCallback(id))).status).toBe(204);
  });

  it('invalidateSession(false): the client re-IDENTIFYs and keeps working', async () => {
    const identifiesBefore = discord.identifies;
    const started = Date.now();
    discord.invalidateSession(false);
    await discord.waitForGateway((e) => e.dir === 'out' && e.t === 'READY' && e.at >= started, 10_000);
    expect(discord.identifies).toBe(identifiesBefore + 1);

    const got = nextInteraction<ChatInputCommandInteraction>(client);
    const id = discord.interaction(discord.chatInput('ask'));
    await (await got).reply('after re-identify');
    expect((await discord.waitForCall(isCallback(id))).status).toBe(204);
  }, 15_000);

  it('heartbeats are sent and ACKed', () => {
    expect(discord.heartbeats).toBeGreaterThan(0);
    expect(client.ws.ping).toBeGreaterThanOrEqual(0);
  });
});

describe('the stand-in as a failing Discord', () => {
  it('listens on a fixed port when asked', async () => {
    const first = await startDiscordStandIn();
    const port = Number(new URL(first.apiUrl).port);
    await first.stop();
    const fixed = await startDiscordStandIn({ port });
    try {
      expect(fixed.apiUrl).toBe(`http://127.0.0.1:${port}/api`);
      const response = await fetch(`${fixed.apiUrl}/v10/gateway/bot`);
      expect(response.status).toBe(200);
    } finally {
      await fixed.stop();
    }
  });

  it('failNextIdentify(4004): the socket closes with 4004 and discord.js gives up logging in', async () => {
    const discord = await startDiscordStandIn({ heartbeatInterval: 500 });
    const client = newClient(discord);
    try {
      discord.failNextIdentify(4004);
      const error = await client.login(TOKEN).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toBe('Authentication failed');
      expect(discord.identifies).toBe(1);
      expect(discord.gatewayLog.some((e) => e.dir === 'out' && e.t === 'READY')).toBe(false);
    } finally {
      await client.destroy();
      await discord.stop();
    }
  });

  it('stopAnswering: REST requests hang and heartbeats go unacknowledged until stop()', async () => {
    const discord = await startDiscordStandIn({ heartbeatInterval: 500 });
    const client = newClient(discord);
    try {
      await client.login(TOKEN);
      await discord.ready;
      discord.stopAnswering();
      const acks = discord.gatewayLog.filter((e) => e.op === 11).length;
      const calls = discord.calls.length;
      const request = fetch(`${discord.apiUrl}/v10/gateway/bot`, { signal: AbortSignal.timeout(1500) });
      await expect(request).rejects.toMatchObject({ name: 'TimeoutError' });
      expect(discord.gatewayLog.filter((e) => e.op === 11).length).toBe(acks);
      expect(discord.calls).toHaveLength(calls);
    } finally {
      await discord.stop();
      await client.destroy();
    }
  });
});

describe('the stand-in with several shards', () => {
  /** A guild id Discord would route to `shard` of `count`: (id >> 22) % count. */
  const guildOn = (shard: number, count: number) => {
    let id = 300000000000000000n;
    while (Number((id >> 22n) % BigInt(count)) !== shard) id += 1n << 22n;
    return String(id);
  };

  it('gives each shard its own session and guilds, and routes a guild interaction to its shard', async () => {
    const [first, second] = [guildOn(0, 2), guildOn(1, 2)];
    const discord = await startDiscordStandIn({
      heartbeatInterval: 500,
      guilds: [{ id: first, channels: [{ id: '310000000000000001', type: 0 }] }, { id: second, channels: [{ id: '310000000000000002', type: 0 }] }],
    });
    const clients = [0, 1].map((shard) => new Client({ intents: [GatewayIntentBits.Guilds], shards: shard, shardCount: 2, rest: { api: discord.apiUrl } }));
    try {
      await Promise.all(clients.map(async (client) => {
        const ready = once(client, Events.ClientReady);
        await client.login(TOKEN);
        await ready;
      }));
      expect(discord.identified.map((d) => d['shard']).sort()).toEqual([[0, 2], [1, 2]]);
      expect(discord.identified.every((d) => d['token'] === '<redacted>')).toBe(true);
      expect([...clients[0]!.guilds.cache.keys()]).toEqual([first]);
      expect([...clients[1]!.guilds.cache.keys()]).toEqual([second]);

      const arrived = Promise.race(clients.map((client, shard) => nextInteraction(client).then(() => shard)));
      discord.interaction(discord.chatInput('ask', [], { guildId: second }));
      expect(await arrived).toBe(1);

      // One shard's socket closed: that shard resumes its own session; nobody identifies again.
      discord.closeSocket(4000, 1);
      await discord.waitForGateway((e) => e.dir === 'out' && e.t === 'RESUMED');
      expect(discord.resumes).toBe(1);
      expect(discord.identifies).toBe(2);
      const again = Promise.race(clients.map((client, shard) => nextInteraction(client).then(() => shard)));
      discord.interaction(discord.chatInput('ask', [], { guildId: second }));
      expect(await again).toBe(1);

      // Told which shard: a guild's interaction goes there instead, with its guild as sent.
      const moved = Promise.race(clients.map((client, shard) => nextInteraction(client).then((interaction) => ({ shard, guildId: interaction.guildId }))));
      discord.interaction(discord.chatInput('ask', [], { guildId: first, shard: 1 }));
      expect(await moved).toEqual({ shard: 1, guildId: first });
    } finally {
      await Promise.all(clients.map((client) => client.destroy()));
      await discord.stop();
    }
  });
});
