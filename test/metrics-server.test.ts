/**
 * The endpoint's parts in-process, over real HTTP on 127.0.0.1: readiness from any set of checks,
 * the errors a port or host gives, the database probe against servers that refuse or never answer,
 * and the feed-poll counter the feed poller will call.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { startMetricsServer, type MetricsServer } from '../src/metrics/server.js';
import { databaseCheck } from '../src/metrics/database-check.js';
import { feedPolls, recordFeedPoll, registry } from '../src/metrics/metrics.js';
import { get, parse } from './support/metrics-client.js';

const servers: { close(): unknown }[] = [];
afterAll(async () => {
  for (const server of servers) await server.close();
});

async function endpoint(checks: Parameters<typeof startMetricsServer>[0]['checks'], registryToServe = new Registry()): Promise<MetricsServer> {
  const server = await startMetricsServer({ host: '127.0.0.1', port: 0, registry: registryToServe, checks });
  servers.push(server);
  return server;
}

describe('the endpoint', () => {
  it('is ready only when every check passes; a check that throws fails with its message', async () => {
    let database = true;
    const server = await endpoint({
      index: () => ({ ok: true }),
      gateway: async () => ({ ok: true, detail: 'shard 0: fine' }),
      database: () => {
        if (!database) throw new Error('connect ECONNREFUSED');
        return { ok: true };
      },
    });
    const ready = await get(server.port, '/readyz');
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.body)).toEqual({ status: 'ready', checks: { index: { ok: true }, gateway: { ok: true, detail: 'shard 0: fine' }, database: { ok: true } } });
    database = false;
    const failing = await get(server.port, '/readyz');
    expect(failing.status).toBe(503);
    expect(JSON.parse(failing.body)).toEqual({
      status: 'not ready',
      failed: ['database'],
      checks: { index: { ok: true }, gateway: { ok: true, detail: 'shard 0: fine' }, database: { ok: false, reason: 'connect ECONNREFUSED' } },
    });
  });

  it('answers HEAD without a body, and 404 elsewhere', async () => {
    const server = await endpoint({});
    const head = await fetch(`http://127.0.0.1:${server.port}/healthz`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    expect((await get(server.port, '/')).status).toBe(404);
    expect((await get(server.port, '/readyz?verbose=1')).status).toBe(200);
  });

  it('stops start-up naming METRICS_PORT when the port is taken, and METRICS_HOST when the address is not this machine\'s', async () => {
    const taken = await endpoint({});
    await expect(startMetricsServer({ host: '127.0.0.1', port: taken.port, registry: new Registry(), checks: {} })).rejects.toThrow(
      new RegExp(`^Configuration METRICS_PORT: 127.0.0.1:${taken.port} is already in use`),
    );
    await expect(startMetricsServer({ host: '192.0.2.1', port: 0, registry: new Registry(), checks: {} })).rejects.toThrow(/^Configuration METRICS_HOST: "192.0.2.1" is not an address of this machine/);
  });
});

describe('the database check', () => {
  /** A TCP server that accepts and never says a word, like a PostgreSQL host that hangs. */
  async function silent(): Promise<{ server: Server; port: number }> {
    const sockets: Socket[] = [];
    const server = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push({ close: () => new Promise<void>((resolve) => (sockets.forEach((s) => s.destroy()), server.close(() => resolve()))) });
    return { server, port: (server.address() as { port: number }).port };
  }

  it('fails with "did not answer" for a server that never answers, naming it', async () => {
    const { port } = await silent();
    const check = databaseCheck(`postgresql://cited@127.0.0.1:${port}/cited`, 200);
    servers.push(check);
    expect(await check.check()).toEqual({ ok: false, reason: `PostgreSQL at 127.0.0.1:${port} did not answer within 0.2 s` });
  });

  it('fails with the reason for a server that refuses, naming it', async () => {
    const { port, server } = await silent();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const check = databaseCheck(`postgresql://cited@127.0.0.1:${port}/cited`);
    servers.push(check);
    const result = await check.check();
    expect(result.ok).toBe(false);
    expect(result.reason).toMatch(new RegExp(`^PostgreSQL at 127.0.0.1:${port}: .*ECONNREFUSED`));
  });
});

describe('recordFeedPoll', () => {
  it('counts feed polls by outcome in the registry /metrics serves', async () => {
    feedPolls.reset();
    recordFeedPoll('new');
    recordFeedPoll('error');
    recordFeedPoll('error');
    const metrics = parse(await registry.metrics());
    expect(metrics.value('cited_feed_polls_total', { outcome: 'new' })).toBe(1);
    expect(metrics.value('cited_feed_polls_total', { outcome: 'error' })).toBe(2);
    expect(metrics.text).toContain('# TYPE cited_feed_polls_total counter');
  });
});
