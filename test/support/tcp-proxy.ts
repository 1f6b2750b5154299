/**
 * A TCP proxy on 127.0.0.1 in front of a real server (PostgreSQL in the tests), that a test can
 * cut — every open connection dropped, new ones accepted and closed at once, as when a database
 * host goes away — and restore. The server itself keeps running for everyone else.
 */
import { connect, createServer, type NetConnectOpts, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface TcpProxy {
  port: number;
  /** Drops every connection and refuses new ones until `restore`. */
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(target: NetConnectOpts): Promise<TcpProxy> {
  let up = true;
  const open = new Set<Socket>();
  const server = createServer((client) => {
    if (!up) return void client.destroy();
    const upstream = connect(target);
    for (const socket of [client, upstream]) {
      open.add(socket);
      socket.on('close', () => open.delete(socket));
      socket.on('error', () => undefined);
    }
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    cut() {
      up = false;
      for (const socket of open) socket.destroy();
    },
    restore() {
      up = true;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

export interface PostgresUrlParts {
  user: string;
  database: string;
  /** Where it connects: its Unix socket (`?host=/dir`) or host and port. */
  target: NetConnectOpts;
}

/** The parts of a PostgreSQL URL, including the socket form `postgresql://user@/db?host=/var/run/postgresql`. */
export function postgresUrlParts(url: string): PostgresUrlParts {
  const match = /^postgres(?:ql)?:\/\/(?:([^:@/]*)(?::[^@/]*)?@)?([^/:?]*)(?::(\d+))?\/([^?]*)(?:\?(.*))?$/.exec(url);
  if (!match) throw new Error(`not a PostgreSQL URL: ${url}`);
  const [, user, host, port, database, query] = match;
  const socketDir = new URLSearchParams(query ?? '').get('host');
  const portNumber = Number(port || 5432);
  const target: NetConnectOpts = socketDir?.startsWith('/') ? { path: `${socketDir}/.s.PGSQL.${portNumber}` } : { host: host || '127.0.0.1', port: portNumber };
  return { user: decodeURIComponent(user || 'postgres'), database: decodeURIComponent(database!), target };
}
