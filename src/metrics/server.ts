/**
 * The health and metrics endpoint (node:http, no framework: three routes):
 *
 * - `GET /healthz`: 200 while the process answers at all (liveness). It checks nothing else, so a
 *   supervisor restarts the bot only when it is stuck, never for an outage elsewhere.
 * - `GET /readyz`: 200 when every readiness check passes, else 503; the JSON body gives each
 *   check's result and names the ones that failed.
 * - `GET /metrics`: the registry in Prometheus's text format.
 *
 * The checks are the caller's (the bot: index, gateway, database), so this file knows nothing of
 * Discord. A check that throws counts as failed, with its message as the reason.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { citedError } from '../core/errors.js';

/** One readiness check's result: `reason` says what is wrong; `detail`, what was seen when all is well. */
export interface Check {
  ok: boolean;
  reason?: string;
  detail?: string;
}

export type ReadinessChecks = Record<string, () => Check | Promise<Check>>;

export interface MetricsServerOptions {
  host: string;
  port: number;
  registry: Registry;
  checks: ReadinessChecks;
  /** Told about a request that failed on our side (a collect function that threw). */
  onError?: (error: unknown) => void;
}

export interface MetricsServer {
  /** The port listened on (the one asked for, or the one chosen for port 0). */
  port: number;
  close(): Promise<void>;
}

export interface Readiness {
  ready: boolean;
  /** The checks that failed, in the order they are listed. */
  failed: string[];
  checks: Record<string, Check>;
}

/** Runs every check at once and collects their results. */
export async function readiness(checks: ReadinessChecks): Promise<Readiness> {
  const names = Object.keys(checks);
  const results = await Promise.all(
    names.map(async (name): Promise<Check> => {
      try {
        return await checks[name]!();
      } catch (error) {
        return { ok: false, reason: error instanceof Error ? error.message : String(error) };
      }
    }),
  );
  const entries = names.map((name, i) => [name, results[i]!] as const);
  const failed = entries.filter(([, check]) => !check.ok).map(([name]) => name);
  return { ready: failed.length === 0, failed, checks: Object.fromEntries(entries) };
}

export async function startMetricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
  const server = createServer((request, response) => {
    respond(request, response, options).catch((error: unknown) => {
      options.onError?.(error);
      if (!response.headersSent) send(response, 500, 'text/plain; charset=utf-8', 'internal error\n');
      else response.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(listenError(error, options)));
    server.listen(options.port, options.host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function respond(request: IncomingMessage, response: ServerResponse, options: MetricsServerOptions): Promise<void> {
  const path = new URL(request.url ?? '/', 'http://endpoint.invalid').pathname;
  if (path !== '/healthz' && path !== '/readyz' && path !== '/metrics') {
    return send(response, 404, 'text/plain; charset=utf-8', 'not found: try /healthz, /readyz or /metrics\n');
  }
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.setHeader('Allow', 'GET, HEAD');
    return send(response, 405, 'text/plain; charset=utf-8', 'only GET and HEAD\n');
  }
  if (path === '/healthz') return send(response, 200, 'application/json', `${JSON.stringify({ status: 'ok' })}\n`);
  if (path === '/readyz') {
    const result = await readiness(options.checks);
    const body = { status: result.ready ? 'ready' : 'not ready', ...(result.ready ? {} : { failed: result.failed }), checks: result.checks };
    return send(response, result.ready ? 200 : 503, 'application/json', `${JSON.stringify(body)}\n`);
  }
  send(response, 200, options.registry.contentType, await options.registry.metrics());
}

function send(response: ServerResponse, status: number, type: string, body: string): void {
  // Probes and scrapes must see the state now, never a cached one.
  response.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(body) });
  response.end(response.req.method === 'HEAD' ? undefined : body);
}

function listenError(error: NodeJS.ErrnoException, options: MetricsServerOptions) {
  const where = `${options.host}:${options.port}`;
  if (error.code === 'EADDRINUSE') return citedError('BAD_CONFIG', 'METRICS_PORT', `${where} is already in use; choose another port (under the sharding manager each shard takes METRICS_PORT + its id)`);
  if (error.code === 'EACCES') return citedError('BAD_CONFIG', 'METRICS_PORT', `${where} may not be listened on by this user (ports below 1024 need privileges); choose a port from 1024 up`);
  if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND' || error.code === 'EAI_AGAIN') {
    return citedError('BAD_CONFIG', 'METRICS_HOST', `"${options.host}" is not an address of this machine (${error.code}); use 127.0.0.1, 0.0.0.0 for every interface, or one of this machine's addresses`);
  }
  return citedError('BAD_CONFIG', 'METRICS_PORT', `the endpoint could not listen on ${where}: ${error.message}`);
}
