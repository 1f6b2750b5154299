/**
 * `npm run start:sharded`: the ShardingManager process starts the bot as a shard (a child process)
 * that connects to the Discord stand-in and answers, and stops it on SIGTERM.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDir, startScript, type Started } from './helpers.js';
import { startDiscordStandIn, type DiscordStandIn, type Json, type RestCall } from './discord/stand-in.js';

let discord: DiscordStandIn;
let manager: Started;

beforeAll(async () => {
  discord = await startDiscordStandIn({ heartbeatInterval: 500 });
});

afterAll(async () => {
  await manager?.stop();
  await discord?.stop();
});

describe('npm run start:sharded', () => {
  it('runs the bot as a shard that answers, and stops every shard on SIGTERM', async () => {
    manager = startScript('src/shards.js', { DISCORD_TOKEN: 'MTIzNDU2Nzg5MDEyMzQ1Njc4.Gstand.in-token', DISCORD_API_URL: discord.apiUrl, SHARD_COUNT: undefined, DATA_DIR: freshDir('cited-data-'), LOG_LEVEL: 'info' });
    await manager.waitFor(/all shards ready/, 60_000);
    await manager.waitFor(/"msg":"connected to Discord"/);
    expect(discord.lastIdentify?.['shard']).toEqual([0, 1]); // the count came from /gateway/bot
    const id = discord.interaction(discord.chatInput('ask', [{ name: 'question', type: 3, value: 'Lugansk explosions' }]));
    const call = await discord.waitForCall((c: RestCall) => c.method === 'POST' && c.path.startsWith(`/interactions/${id}/`) && c.status < 300);
    expect((call.body as Json)['type']).toBe(4);
    expect(await manager.stop('SIGTERM')).toBe(0);
    expect(manager.output()).toMatch(/"msg":"shutting down"/);
  });
});
