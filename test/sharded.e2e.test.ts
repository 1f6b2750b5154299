/**
 * `npm run start:sharded`: the ShardingManager process starts the bot as shards (child processes)
 * that connect to the Discord stand-in and answer, and stops them on SIGTERM; with TOTAL_SHARDS and
 * SHARD_LIST it runs only this machine's part of the shards, each with its own metrics endpoint.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { freshDir, startScript, type Started } from './helpers.js';
import { startDiscordStandIn, type DiscordStandIn, type Json, type RestCall } from './discord/stand-in.js';
import { freePorts, get, scrape } from './support/metrics-client.js';

const TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.Gstand.in-token';
const callbackOf = (id: string) => (c: RestCall) => c.method === 'POST' && c.path.startsWith(`/interactions/${id}/`) && c.status < 300;

/** A guild id Discord routes to `shard` of `count`: (id >> 22) % count. */
function guildOn(shard: number, count: number): string {
  let id = 350000000000000000n;
  while (Number((id >> 22n) % BigInt(count)) !== shard) id += 1n << 22n;
  return String(id);
}

let discord: DiscordStandIn | undefined;
let manager: Started | undefined;

afterEach(async () => {
  await manager?.stop();
  await discord?.stop();
  manager = discord = undefined;
});

describe('npm run start:sharded', () => {
  it('runs the bot as a shard that answers, and stops every shard on SIGTERM', async () => {
    discord = await startDiscordStandIn({ heartbeatInterval: 500 });
    manager = startScript('src/shards.js', { DISCORD_TOKEN: TOKEN, DISCORD_API_URL: discord.apiUrl, SHARD_COUNT: undefined, TOTAL_SHARDS: undefined, SHARD_LIST: undefined, METRICS_PORT: undefined, DATA_DIR: freshDir('cited-data-'), LOG_LEVEL: 'info' });
    await manager.waitFor(/all shards ready/, 60_000);
    await manager.waitFor(/"msg":"connected to Discord"/);
    expect(discord.lastIdentify?.['shard']).toEqual([0, 1]); // the count came from /gateway/bot
    const id = discord.interaction(discord.chatInput('ask', [{ name: 'question', type: 3, value: 'Lugansk explosions' }]));
    const call = await discord.waitForCall(callbackOf(id));
    expect((call.body as Json)['type']).toBe(4);
    expect(await manager.stop('SIGTERM')).toBe(0);
    expect(manager.output()).toMatch(/"msg":"shutting down"/);
  });

  it('with TOTAL_SHARDS=4 and SHARD_LIST=2-3 runs exactly shards 2 and 3, each with its endpoint on METRICS_PORT + its id', async () => {
    const [two, three] = [guildOn(2, 4), guildOn(3, 4)];
    discord = await startDiscordStandIn({
      heartbeatInterval: 500,
      guilds: [{ id: two, channels: [{ id: '360000000000000002', type: 0 }] }, { id: three, channels: [{ id: '360000000000000003', type: 0 }] }],
    });
    const base = await freePorts(4);
    manager = startScript('src/shards.js', {
      DISCORD_TOKEN: TOKEN,
      DISCORD_API_URL: discord.apiUrl,
      TOTAL_SHARDS: '4',
      SHARD_LIST: '2-3',
      SHARD_COUNT: undefined,
      METRICS_PORT: String(base),
      METRICS_HOST: undefined,
      DATA_DIR: freshDir('cited-data-'),
      LOG_LEVEL: 'info',
    });
    await manager.waitFor(/all shards ready/, 90_000);
    await manager.waitFor(/"msg":"connected to Discord"[\s\S]*"msg":"connected to Discord"/);

    const started = manager.output().split('\n').filter((line) => line.includes('"msg":"shard started"')).map((line) => (JSON.parse(line) as Json)['shard']);
    expect(started).toEqual([2, 3]);
    expect(discord.identified.map((d) => d['shard']).sort()).toEqual([[2, 4], [3, 4]]);

    // Each shard its own endpoint; nothing on the ports of the shards another machine runs.
    for (const shard of [2, 3]) expect((await get(base + shard, '/healthz')).status).toBe(200);
    for (const shard of [0, 1]) await expect(get(base + shard, '/healthz')).rejects.toThrow();

    // A question in a guild of shard 3 is answered by shard 3, and counted there only.
    const id = discord.interaction(discord.chatInput('ask', [{ name: 'question', type: 3, value: 'Lugansk explosions' }], { guildId: three }));
    expect(((await discord.waitForCall(callbackOf(id))).body as Json)['type']).toBe(4);
    await manager.waitFor(new RegExp(`"interaction":"${id}"[^\\n]*"msg":"interaction handled"`));
    const [atTwo, atThree] = [await scrape(base + 2), await scrape(base + 3)];
    expect(atThree.value('cited_interactions_total', { kind: 'command', outcome: 'ok', shard: '3' })).toBe(1);
    expect(atTwo.value('cited_interactions_total', { kind: 'command', outcome: 'ok', shard: '2' })).toBe(0);
    expect(atTwo.labelsOf('cited_index_sentences')).toEqual([{ shard: '2' }]);

    expect(await manager.stop('SIGTERM')).toBe(0);
  });

  it('refuses a SHARD_LIST outside TOTAL_SHARDS before starting any shard', async () => {
    manager = startScript('src/shards.js', { DISCORD_TOKEN: TOKEN, DISCORD_API_URL: 'http://127.0.0.1:9/api', TOTAL_SHARDS: '4', SHARD_LIST: '3-4', SHARD_COUNT: undefined, METRICS_PORT: undefined });
    expect(await manager.exited).toBe(1);
    expect(manager.output()).toContain('Configuration SHARD_LIST: shard 4 is out of range: with TOTAL_SHARDS=4 the ids are 0 to 3.');
    expect(manager.output()).not.toMatch(/shard started/);
  });
});
