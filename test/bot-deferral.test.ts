/**
 * Commands slower than Discord's 3-second window: the bot acknowledges (defers) first, then
 * edits the answer in; an error after the deferral replaces it with a private message.
 * In-process (startBot) so a deliberately slow command can be added.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, type App } from '../src/app.js';
import { readConfig } from '../src/config.js';
import { citedError } from '../src/core/errors.js';
import { createLogger } from '../src/logger.js';
import { startBot, type Bot } from '../src/discord/bot.js';
import { commands, type Command } from '../commands/index.js';
import { startDiscordStandIn, type DiscordStandIn, type Json, type RestCall } from './discord/stand-in.js';
import { freshDir } from './helpers.js';

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const slow: Command = {
  name: 'slow',
  description: 'answers after a while',
  example: '/slow',
  options: [{ name: 'fail', description: 'throw instead', type: 'boolean' }],
  async run(input, { answers, who }) {
    await pause(300);
    if (input.fail === true) throw citedError('EMPTY_QUESTION');
    const request = { question: 'Lugansk explosions', guildId: who.guildId };
    return { kind: 'answer', answer: answers.ask(request), request };
  },
};

describe('slow commands', () => {
  let discord: DiscordStandIn;
  let bot: Bot;
  let app: App;
  beforeAll(async () => {
    discord = await startDiscordStandIn({ heartbeatInterval: 500 });
    app = await openApp(readConfig({ DATA_DIR: freshDir('cited-data-') }), { onWarning: () => undefined });
    bot = await startBot({ token: 'a.b.c', apiUrl: discord.apiUrl, app, logger: createLogger('silent'), commands: [...commands, slow], deferAfterMs: 50 });
  });
  afterAll(async () => {
    await bot?.stop();
    await app?.close();
    await discord?.stop();
  });

  const callsOf = (id: string) => (c: RestCall) => c.path.includes(`/${discord.tokenOf(id)}`) || c.path.startsWith(`/interactions/${id}/`);

  it('are deferred, then the answer is edited into the original response', async () => {
    const id = discord.interaction(discord.chatInput('slow'));
    const edit = await discord.waitForCall((c) => c.method === 'PATCH' && callsOf(id)(c));
    const calls = discord.calls.filter(callsOf(id));
    expect(calls[0]!.body).toMatchObject({ type: 5 });
    expect(((edit.body as Json)['embeds'] as Json[])[0]!['description']).toContain('860');
  });

  it('a failure after the deferral becomes a private message, and the public "thinking…" goes away', async () => {
    const id = discord.interaction(discord.chatInput('slow', [{ name: 'fail', type: 5, value: true }]));
    const follow = await discord.waitForCall((c) => c.method === 'POST' && c.path.startsWith('/webhooks/') && callsOf(id)(c));
    expect(follow.body).toMatchObject({ flags: 64, content: expect.stringContaining('Ask a question') });
    const methods = discord.calls.filter(callsOf(id)).map((c) => c.method);
    expect(methods).toEqual(['POST', 'DELETE', 'POST']);
  });
});
