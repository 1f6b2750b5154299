/**
 * The bot process when the world around it fails: PostgreSQL that never answers or is not there,
 * Discord unreachable at start-up or gone mid-session, a bad token, signals while something hangs,
 * and a SQLite store or DATA_DIR that cannot be used. Real processes, real TCP servers on
 * 127.0.0.1, the real discord.js client against the stand-in; judged by exit status and the log.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { freshDir, runScript, startScript, type Started } from './helpers.js';
import { startDiscordStandIn, type DiscordStandIn } from './discord/stand-in.js';

const TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.Gstand.in-token';
/** The deadline the issue sets for failing start-up and for ending after a signal. */
const BOUND_MS = 10_000;

const running: Started[] = [];
const standIns: DiscordStandIn[] = [];
const servers: Server[] = [];

afterEach(async () => {
  // A test that failed half-way must not leave a bot behind.
  for (const bot of running.splice(0)) if (bot.child.exitCode === null && bot.child.signalCode === null) bot.child.kill('SIGKILL');
  for (const discord of standIns.splice(0)) await discord.stop();
});
afterAll(() => {
  for (const server of servers) server.close();
});

function bot(env: Record<string, string | undefined>): Started & { startedAt: number } {
  const started = startScript('src/main.js', { DISCORD_TOKEN: TOKEN, CORPUS_DIR: undefined, DATABASE_URL: undefined, LOG_LEVEL: 'info', ...env });
  running.push(started);
  return Object.assign(started, { startedAt: Date.now() });
}

async function standIn(port?: number, heartbeatInterval = 500): Promise<DiscordStandIn> {
  const discord = await startDiscordStandIn({ heartbeatInterval, ...(port ? { port } : {}) });
  standIns.push(discord);
  return discord;
}

/** The JSON log lines of an output. */
function logged(output: string): Record<string, unknown>[] {
  return output.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** A TCP server on 127.0.0.1 that accepts connections and never says a word. */
async function silentServer(): Promise<{ port: number; accepted: Promise<Socket> }> {
  const server = createServer(() => undefined);
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const accepted = once(server, 'connection').then(([socket]) => socket as Socket);
  return { port: (server.address() as { port: number }).port, accepted };
}

/** A port on 127.0.0.1 where nothing listens (it did a moment ago). */
async function closedPort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

describe('PostgreSQL unreachable at start-up', () => {
  it('a server that accepts and never answers: exits non-zero within 10 s, naming host and port', async () => {
    const { port, accepted } = await silentServer();
    const started = bot({ DATABASE_URL: `postgresql://x@127.0.0.1:${port}/db`, DISCORD_API_URL: `http://127.0.0.1:${await closedPort()}/api` });
    await accepted; // the connection was made: this is the silent server, not a refused one
    const code = await started.exited;
    expect(Date.now() - started.startedAt).toBeLessThan(BOUND_MS);
    expect(code).toBe(1);
    const fatal = logged(started.output()).find((l) => l['level'] === 60);
    expect(fatal).toMatchObject({ code: 'DATABASE_UNREACHABLE', msg: expect.stringContaining(`PostgreSQL at 127.0.0.1:${port} (DATABASE_URL): no answer within 5 s`) });
    expect(started.output()).not.toMatch(/\n\s+at /); // a message, not a stack trace
  });

  it('a closed port: exits non-zero at once, naming host and port', async () => {
    const port = await closedPort();
    const started = bot({ DATABASE_URL: `postgresql://x@127.0.0.1:${port}/db`, DISCORD_API_URL: `http://127.0.0.1:${await closedPort()}/api` });
    expect(await started.exited).toBe(1);
    expect(Date.now() - started.startedAt).toBeLessThan(BOUND_MS);
    expect(started.output()).toContain(`Could not reach PostgreSQL at 127.0.0.1:${port} (DATABASE_URL): the connection was refused`);
  });
});

describe('signals end the process within the deadline, whatever hangs', () => {
  it('SIGTERM during a database connect that hangs: the deadline forces the exit, logged, status 1', async () => {
    const { port, accepted } = await silentServer();
    // The connect would wait a minute; the deadline is 2 s.
    const started = bot({ DATABASE_URL: `postgresql://x@127.0.0.1:${port}/db?connect_timeout=60`, SHUTDOWN_TIMEOUT_SECONDS: '2' });
    await accepted; // the bot listens for signals before it opens the store
    const signalledAt = Date.now();
    expect(await started.stop('SIGTERM')).toBe(1);
    expect(Date.now() - signalledAt).toBeLessThan(BOUND_MS);
    const lines = logged(started.output());
    expect(lines.find((l) => l['msg'] === 'signal received')).toMatchObject({ signal: 'SIGTERM' });
    expect(lines.find((l) => l['level'] === 60)).toMatchObject({ deadlineMs: 2000, msg: 'shutdown after SIGTERM did not finish within 2 s: exiting' });
  });

  it('SIGTERM after the Discord stand-in has gone away (the gateway reconnecting in vain): shuts down in order, status 0', async () => {
    const discord = await standIn();
    const started = bot({ DISCORD_API_URL: discord.apiUrl });
    await started.waitFor(/"msg":"connected to Discord"/);
    await discord.stop();
    await started.waitFor(/"msg":"gateway reconnecting"/);
    const signalledAt = Date.now();
    expect(await started.stop('SIGTERM')).toBe(0);
    expect(Date.now() - signalledAt).toBeLessThan(BOUND_MS);
    expect(started.output()).toMatch(/"msg":"shutting down"/);
  });

  it('SIGINT after the stand-in stopped answering (a cut network): shuts down in order within the deadline, status 0', async () => {
    // Discord's own heartbeat interval: the client cannot notice the silence itself before the signal.
    const discord = await standIn(undefined, 41_250);
    const started = bot({ DISCORD_API_URL: discord.apiUrl });
    await started.waitFor(/"msg":"connected to Discord"/);
    discord.stopAnswering();
    const signalledAt = Date.now();
    expect(await started.stop('SIGINT')).toBe(0);
    expect(Date.now() - signalledAt).toBeLessThan(BOUND_MS);
    const messages = logged(started.output()).map((l) => l['msg']);
    expect(messages).toContain('shutting down');
    expect(messages).toContain('the gateway did not confirm closing; going on');
  });

  it('a shard whose ShardingManager is killed outright stops too, in order, instead of living on', async () => {
    const discord = await standIn();
    const manager = startScript('src/shards.js', { DISCORD_TOKEN: TOKEN, DISCORD_API_URL: discord.apiUrl, SHARD_COUNT: '1', LOG_LEVEL: 'info' });
    running.push(manager);
    await manager.waitFor(/"msg":"connected to Discord"/, 60_000);
    const killedAt = Date.now();
    manager.child.kill('SIGKILL'); // no chance to pass a SIGTERM on
    // The shard writes to the manager's pipes: they close once the shard has exited too.
    await manager.exited;
    expect(Date.now() - killedAt).toBeLessThan(BOUND_MS);
    expect(manager.output()).toMatch(/"signal":"disconnect"[^\n]*"msg":"signal received"/);
    expect(manager.output()).toMatch(/"msg":"shutting down"/);
  }, 60_000);
});

describe('Discord at start-up', () => {
  it('nothing listening yet: retries with backoff, logging each attempt and its delay, and connects once the stand-in is up', async () => {
    const port = await closedPort();
    const started = bot({ DISCORD_API_URL: `http://127.0.0.1:${port}/api` });
    await started.waitFor(/"attempt":2,[^\n]*"msg":"cannot reach Discord; retrying"/);
    const discord = await standIn(port);
    await started.waitFor(/"msg":"connected to Discord"/, 20_000);
    await discord.ready;
    const retries = logged(started.output()).filter((l) => l['msg'] === 'cannot reach Discord; retrying');
    expect(retries.length).toBeGreaterThanOrEqual(2);
    retries.forEach((l, i) => {
      expect(l).toMatchObject({ level: 40, attempt: i + 1, delayMs: expect.any(Number), reason: expect.stringContaining('ECONNREFUSED') });
      // 1 s doubling, each within ±20%.
      expect(l['delayMs']).toBeGreaterThanOrEqual(0.8 * 1000 * 2 ** i);
      expect(l['delayMs']).toBeLessThanOrEqual(1.2 * 1000 * 2 ** i);
    });
    expect(started.output()).toMatch(/"msg":"Discord reachable again"/);
    expect(await started.stop('SIGTERM')).toBe(0);
  }, 30_000);

  it('a signal while waiting for Discord stops the wait: status 0 at once', async () => {
    const started = bot({ DISCORD_API_URL: `http://127.0.0.1:${await closedPort()}/api` });
    await started.waitFor(/"msg":"cannot reach Discord; retrying"/);
    expect(await started.stop('SIGTERM')).toBe(0);
    expect(started.output()).toMatch(/"msg":"stopped before connecting to Discord"/);
    expect(started.output()).not.toMatch(/did not finish within/);
  });

  it('a signal during start-up still lets the bot come up, then shuts it down in order (status 0)', async () => {
    const discord = await standIn();
    // Discord asks the bot to wait a second before its first answer: the signal lands meanwhile.
    discord.failNext({ method: 'GET', pathIncludes: '/gateway/bot' }, { status: 429, retryAfter: 1 });
    const started = bot({ DISCORD_API_URL: discord.apiUrl });
    await discord.waitForCall((c) => c.path === '/gateway/bot' && c.status === 429, 15_000);
    started.child.kill('SIGTERM');
    expect(await started.exited).toBe(0);
    const messages = logged(started.output()).map((l) => l['msg']);
    expect(messages.indexOf('signal received')).toBeGreaterThanOrEqual(0);
    expect(messages.indexOf('signal received')).toBeLessThan(messages.indexOf('connected to Discord'));
    expect(messages.indexOf('connected to Discord')).toBeLessThan(messages.indexOf('shutting down'));
  });

  it('a bad token (401 on /gateway/bot): fatal, status 1, no retry', async () => {
    const discord = await standIn();
    discord.failNext({ method: 'GET', pathIncludes: '/gateway/bot', times: 100 }, { status: 401, code: 0, message: '401: Unauthorized' });
    const started = bot({ DISCORD_API_URL: discord.apiUrl });
    expect(await started.exited).toBe(1);
    const fatal = logged(started.output()).find((l) => l['level'] === 60);
    expect(fatal).toMatchObject({ code: 'DISCORD_TOKEN_REJECTED', msg: expect.stringContaining('401 Unauthorized') });
    expect(fatal!['msg']).toContain('Reset Token');
    expect(discord.calls.filter((c) => c.path === '/gateway/bot')).toHaveLength(1);
  });

  it('a bad token (the gateway closes with 4004 Authentication failed): fatal, status 1', async () => {
    const discord = await standIn();
    discord.failNextIdentify(4004);
    const started = bot({ DISCORD_API_URL: discord.apiUrl });
    expect(await started.exited).toBe(1);
    const fatal = logged(started.output()).find((l) => l['level'] === 60);
    expect(fatal).toMatchObject({ code: 'DISCORD_TOKEN_REJECTED', msg: expect.stringContaining('4004 Authentication failed') });
    expect(started.output()).not.toMatch(/"msg":"connected to Discord"/);
  });

  it('a token reset while running (4004 on the next IDENTIFY): fatal, status 1, instead of idling', async () => {
    const discord = await standIn();
    const started = bot({ DISCORD_API_URL: discord.apiUrl });
    await started.waitFor(/"msg":"connected to Discord"/);
    discord.failNextIdentify(4004);
    discord.invalidateSession(false);
    expect(await started.exited).toBe(1);
    const lines = logged(started.output());
    expect(lines.find((l) => l['level'] === 60)).toMatchObject({ code: 'DISCORD_TOKEN_REJECTED' });
    expect(lines.map((l) => l['msg'])).toContain('shutting down');
  });
});

describe('the SQLite store or DATA_DIR unusable', () => {
  it('DATA_DIR is a file: the console says which folder and what to do, without a stack trace', async () => {
    const file = join(freshDir('cited-faults-'), 'not-a-folder');
    writeFileSync(file, 'x');
    const run = await runScript('src/main.js', [], { env: { DATA_DIR: file, DISCORD_TOKEN: undefined }, input: '/quit\n' });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`The data folder ${file} cannot be used: ${file} is a file, not a folder. Set DATA_DIR to a folder`);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('a corrupt cited.sqlite: the bot logs one fatal line naming the file and what to do, exits 1, and leaves the file as it was', async () => {
    const dataDir = freshDir('cited-faults-');
    const store = join(dataDir, 'cited.sqlite');
    const garbage = 'these bytes are not a SQLite database\n'.repeat(200);
    writeFileSync(store, garbage);
    const started = bot({ DATA_DIR: dataDir, DISCORD_API_URL: `http://127.0.0.1:${await closedPort()}/api` });
    expect(await started.exited).toBe(1);
    const fatal = logged(started.output()).find((l) => l['level'] === 60);
    expect(fatal).toMatchObject({ code: 'STORE_FILE_UNUSABLE', msg: expect.stringContaining(`The moderation store ${store} cannot be opened: it is not a SQLite database`) });
    expect(fatal!['msg']).toContain('move the file aside');
    expect(fatal).not.toHaveProperty('err');
    expect(readFileSync(store, 'utf8')).toBe(garbage);
  });
});
