/**
 * The health and metrics endpoint of the real bot process (METRICS_PORT), read over HTTP on
 * 127.0.0.1 while the bot is driven through the Discord stand-in: /healthz, /readyz through
 * start-up and a gateway that goes silent, /metrics after a known set of interactions; and, with
 * PostgreSQL, /readyz and the database errors through a cut connection (the TCP proxy of
 * test/outage.e2e.test.ts).
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDir, startScript, type Started } from './helpers.js';
import { startDiscordStandIn, type DiscordStandIn, type Json, type RestCall } from './discord/stand-in.js';
import { freePorts, get, scrape } from './support/metrics-client.js';
import { postgresUrlParts, startTcpProxy, type TcpProxy } from './support/tcp-proxy.js';

const TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.Gstand.in-token';
const STRING = 3;
/** How an abstention reads: nothing close (NOTHING), or the closest passages after "No passage clearly answers this" (src/discord/render.ts). */
const NOTHING = 'No passage in the articles answers this';
const ABSTAINED = /\*\*No passage (in the articles answers|clearly answers) this/;

let counter = 0;
const person = (): Json => ({ id: String(440000000000000000n + BigInt(++counter)), username: `m${counter}`, discriminator: '0', avatar: null, global_name: null });

/** Resolves once `check` holds, asking again every 100 ms; fails after `timeoutMs` saying what was last seen. */
async function until<T>(what: string, probe: () => Promise<T>, check: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (check(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last seen: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const readyz = async (port: number) => {
  const reply = await get(port, '/readyz');
  return { status: reply.status, body: JSON.parse(reply.body) as Json };
};

describe('the health and metrics endpoint (METRICS_PORT)', () => {
  let discord: DiscordStandIn | undefined;
  let bot: Started;
  let port: number;
  let discordPort: number;

  const callbackOf = (id: string) => (c: RestCall) => c.method === 'POST' && c.path.startsWith(`/interactions/${id}/`) && c.status < 300;
  const handled = (id: string) => bot.waitFor(new RegExp(`"(interaction|message)":"${id}"[^\\n]*"msg":"(interaction|message) handled"`));

  beforeAll(async () => {
    [port, discordPort] = [await freePorts(), await freePorts()];
    bot = startScript('src/main.js', {
      DISCORD_TOKEN: TOKEN,
      // Discord is not there yet: the stand-in starts on this port once /readyz has said so.
      DISCORD_API_URL: `http://127.0.0.1:${discordPort}/api`,
      CORPUS_DIR: undefined,
      DATABASE_URL: undefined,
      DATA_DIR: freshDir('cited-data-'),
      METRICS_PORT: String(port),
      METRICS_HOST: undefined,
      SHARD_LIST: undefined,
      TOTAL_SHARDS: undefined,
      COOLDOWN_QUESTIONS: '1',
      COOLDOWN_SECONDS: '600',
      LOG_LEVEL: 'info',
    });
  });

  afterAll(async () => {
    await bot?.stop();
    await discord?.stop();
  });

  it('answers /healthz at once, and /readyz 503 naming the gateway until Discord is reached, then 200', async () => {
    await bot.waitFor(/"msg":"health and metrics endpoint listening"/);
    await bot.waitFor(/cannot reach Discord; retrying/, 60_000);
    expect(bot.output()).toContain(`"host":"127.0.0.1","port":${port}`);
    const health = await get(port, '/healthz');
    expect(health).toMatchObject({ status: 200, type: 'application/json' });
    expect(JSON.parse(health.body)).toEqual({ status: 'ok' });

    const waiting = await readyz(port);
    expect(waiting.status).toBe(503);
    expect(waiting.body).toEqual({
      status: 'not ready',
      failed: ['gateway'],
      checks: { index: { ok: true, detail: expect.stringMatching(/^\d+ sentences in 1 segment$/) }, gateway: { ok: false, reason: 'not connected to Discord yet' } },
    });

    discord = await startDiscordStandIn({ heartbeatInterval: 500, port: discordPort });
    await bot.waitFor(/"msg":"connected to Discord"/, 30_000);
    const ready = await readyz(port);
    expect(ready).toEqual({ status: 200, body: { status: 'ready', checks: { index: waiting.body['checks']['index'], gateway: { ok: true, detail: expect.stringMatching(/^shard 0: /) } } } });
    expect((await get(port, '/nowhere')).status).toBe(404);
  });

  it('counts what was sent: interactions by kind and outcome, acknowledgements, answers quoted or not, and reads the index and the queue', async () => {
    const stand = discord!;
    const asked: string[] = [];
    const ask = (question: string, user = person()) => {
      const id = stand.interaction(stand.chatInput('ask', [{ name: 'question', type: STRING, value: question }], { user }));
      asked.push(id);
      return id;
    };
    /** The answer's embed description, wherever it went (the reply, or the edit of a deferral). */
    const description = (id: string) => {
      const bodies = stand.callsFor(id).map((c) => c.body as Json).map((b) => b?.['data'] ?? b);
      return String(bodies.find((b) => b?.['embeds']?.length)?.['embeds'][0]['description'] ?? '');
    };

    const repeat = person();
    const quoted = [ask('How many troops has Russia amassed?', repeat), ask('What did Peskov say?'), ask('how many explosions were recorded in Luhansk?')];
    const unanswerable = ask('Who won the Eurovision song contest in Liverpool?');
    const refused = ask('what is it?'); // only common words: the member is told why
    const cooled = ask('What did Peskov say?', repeat); // COOLDOWN_QUESTIONS=1
    for (const id of asked) await handled(id);
    const first = (await stand.waitForCall(callbackOf(quoted[0]!))).response as Json;
    const button = stand.interaction(stand.button('more:3', String(first['resource']['message']['id']), { user: person() }));
    const complete = stand.interaction(stand.autocomplete('ask', [{ name: 'question', type: STRING, value: 'x' }, { name: 'source', type: STRING, value: 'ndtv', focused: true }], { user: person() }));
    const mention = stand.message({ content: 'how many explosions were recorded in Luhansk?', author: person() }, { mentionBot: true });
    for (const id of [button, complete, String(mention['id'])]) await handled(id);

    expect(description(refused)).toBe('');
    expect(String((await stand.waitForCall(callbackOf(refused))).body['data']['content'])).toMatch(/only common words/);
    expect(String((await stand.waitForCall(callbackOf(cooled))).body['data']['content'])).toMatch(/Try again in/);
    const answeredIds = [...quoted, unanswerable];
    const mentionReply = await stand.waitForCall((c) => c.method === 'POST' && (c.body as Json)?.['message_reference']?.['message_id'] === mention['id']);
    const descriptions = [...answeredIds.map(description), String(mentionReply.body['embeds'][0]['description'])];
    const abstentions = descriptions.filter((text) => ABSTAINED.test(text)).length;
    expect(description(unanswerable)).toContain(NOTHING);
    expect(abstentions).toBeLessThan(descriptions.length);

    const metrics = await scrape(port);
    expect(metrics.text).toMatch(/^# HELP cited_interactions_total /m);
    const interactions = (kind: string, outcome: string) => metrics.value('cited_interactions_total', { kind, outcome });
    expect(interactions('command', 'ok')).toBe(answeredIds.length);
    expect(interactions('command', 'refused')).toBe(1);
    expect(interactions('command', 'rate_limited')).toBe(1);
    expect(interactions('command', 'error')).toBe(0);
    expect(interactions('button', 'ok')).toBe(1);
    expect(interactions('autocomplete', 'ok')).toBe(1);
    expect(interactions('message', 'ok')).toBe(1);
    expect(metrics.sum('cited_interactions_total')).toBe(asked.length + 3);

    // Every interaction was acknowledged once (the refusal and the cooldown notice are replies too); a message needs none.
    expect(metrics.value('cited_acknowledgement_seconds_count', { kind: 'command' })).toBe(asked.length);
    expect(metrics.value('cited_acknowledgement_seconds_count', { kind: 'button' })).toBe(1);
    expect(metrics.value('cited_acknowledgement_seconds_count', { kind: 'autocomplete' })).toBe(1);
    expect(metrics.value('cited_acknowledgement_seconds_count', { kind: 'message' })).toBeUndefined();
    expect(metrics.value('cited_acknowledgement_seconds_sum', { kind: 'command' })).toBeGreaterThan(0);
    expect(metrics.value('cited_acknowledgement_seconds_bucket', { kind: 'command', le: '+Inf' })).toBe(asked.length);

    // Questions answered: /ask's and the mention's; the refusal, the cooldown notice and the page of More excerpts are not answers.
    expect(metrics.value('cited_answer_seconds_count', { kind: 'command' })).toBe(answeredIds.length);
    expect(metrics.value('cited_answer_seconds_count', { kind: 'message' })).toBe(1);
    expect(metrics.value('cited_answers_total', { result: 'abstained' })).toBe(abstentions);
    expect(metrics.value('cited_answers_total', { result: 'quoted' })).toBe(descriptions.length - abstentions);

    const loaded = JSON.parse(bot.output().split('\n').find((line) => line.includes('"msg":"corpus and store loaded"'))!) as Json;
    expect(metrics.value('cited_index_sentences')).toBe(loaded['sentences']);
    expect(loaded['sentences']).toBeGreaterThan(100);
    expect((await readyz(port)).body['checks']['index']['detail']).toBe(`${loaded['sentences']} sentences in 1 segment`);
    expect(metrics.value('cited_index_segments')).toBe(1);
    expect(metrics.value('cited_answer_queue_depth')).toBe(0);
    expect(metrics.value('cited_interactions_in_flight')).toBe(0);
    expect(metrics.value('cited_database_errors_total', { kind: 'outage' })).toBe(0);
    for (const outcome of ['new', 'unchanged', 'error']) expect(metrics.value('cited_feed_polls_total', { outcome })).toBe(0);
    expect(metrics.value('process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(metrics.text).toMatch(/^nodejs_eventloop_lag_seconds /m);
    expect(metrics.labelsOf('cited_answers_total').every((labels) => labels['shard'] === undefined)).toBe(true);
  });

  it('serves Prometheus text format, and refuses what is not a GET', async () => {
    const reply = await get(port, '/metrics');
    expect(reply.type).toBe('text/plain; version=0.0.4; charset=utf-8');
    const post = await fetch(`http://127.0.0.1:${port}/metrics`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });

  it('says the gateway is not ready once Discord stops answering, while /healthz stays 200', async () => {
    // The bot learns the heartbeat interval from two acknowledgements; until then only discord.js's status counts.
    const learnt = await until('the heartbeat interval learnt', () => readyz(port), (r) => /heartbeat acknowledged/.test(String(r.body['checks']['gateway']['detail'])));
    expect(learnt.body['checks']['gateway']['detail']).toMatch(/^shard 0: heartbeat acknowledged [\d.]+ s ago \(every [\d.]+ s\)$/);
    discord!.stopAnswering();
    const notReady = await until('/readyz to fail', () => readyz(port), (r) => r.status === 503);
    expect(notReady.body['failed']).toEqual(['gateway']);
    expect(notReady.body['checks']['index']['ok']).toBe(true);
    expect(notReady.body['checks']['gateway']['reason']).toMatch(/^shard 0: (no heartbeat acknowledged for [\d.]+ s \(one is due every [\d.]+ s\)|is \w+)$/);
    expect((await get(port, '/healthz')).status).toBe(200);
  });
});

const postgresUrl = process.env.TEST_DATABASE_URL;

describe.skipIf(!postgresUrl)('the endpoint with PostgreSQL (DATABASE_URL)', () => {
  let discord: DiscordStandIn;
  let bot: Started;
  let proxy: TcpProxy;
  let admin: pg.Pool;
  let port: number;
  const schema = `cited_metrics_${randomUUID().replace(/-/g, '')}`;

  beforeAll(async () => {
    admin = new pg.Pool({ connectionString: postgresUrl });
    await admin.query(`CREATE SCHEMA ${schema}`);
    const { user, database, target } = postgresUrlParts(postgresUrl!);
    proxy = await startTcpProxy(target);
    discord = await startDiscordStandIn({ heartbeatInterval: 500 });
    port = await freePorts();
    bot = startScript('src/main.js', {
      DISCORD_TOKEN: TOKEN,
      DISCORD_API_URL: discord.apiUrl,
      DATA_DIR: freshDir('cited-data-'),
      CORPUS_DIR: undefined,
      DATABASE_URL: `postgresql://${user}@127.0.0.1:${proxy.port}/${database}?options=${encodeURIComponent(`-c search_path=${schema}`)}`,
      METRICS_PORT: String(port),
      METRICS_HOST: undefined,
      SHARD_LIST: undefined,
      TOTAL_SHARDS: undefined,
      LOG_LEVEL: 'info',
    });
    await bot.waitFor(/"msg":"connected to Discord"/, 60_000);
  });

  afterAll(async () => {
    await bot?.stop();
    await discord?.stop();
    await proxy?.close();
    await admin?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin?.end();
  });

  it('is ready with the database reachable, 503 naming it while it is cut off, ready again once it is back; outages counted', async () => {
    const ready = await readyz(port);
    expect(ready.status).toBe(200);
    expect(ready.body['checks']).toMatchObject({ index: { ok: true }, gateway: { ok: true }, database: { ok: true } });
    expect((await scrape(port)).value('cited_database_errors_total', { kind: 'outage' })).toBe(0);

    // The feed poller reads the followed feeds once it holds its lease: that read is under way (or
    // done) before the cut, so any failure of it is counted before `before` below, not after.
    await bot.waitFor(/"msg":"feed polling lease taken/);
    proxy.cut();
    const cut = await until('/readyz to fail', () => readyz(port), (r) => r.status === 503);
    const before = (await scrape(port)).value('cited_database_errors_total', { kind: 'outage' }) ?? Number.NaN;
    expect(cut.body['failed']).toEqual(['database']);
    expect(cut.body['checks']['database']['reason']).toContain(`PostgreSQL at 127.0.0.1:${proxy.port}`);
    expect(cut.body['checks']['gateway']['ok']).toBe(true);

    // An answer while the database is away: its record is held, and the moderation service reports the outage once.
    const id = discord.interaction(discord.chatInput('ask', [{ name: 'question', type: STRING, value: 'How many troops has Russia amassed?' }], { user: person() }));
    await bot.waitFor(/moderation database unreachable: answer records are kept in memory/);
    await bot.waitFor(new RegExp(`"interaction":"${id}"[^\\n]*"msg":"interaction handled"`));
    const during = await scrape(port);
    expect((during.value('cited_database_errors_total', { kind: 'outage' }) ?? Number.NaN) - before).toBe(1);
    expect(during.value('cited_interactions_total', { kind: 'command', outcome: 'ok' })).toBe(1);

    proxy.restore();
    const back = await until('/readyz to pass', () => readyz(port), (r) => r.status === 200);
    expect(back.body['checks']['database']).toEqual({ ok: true });
  });
});
