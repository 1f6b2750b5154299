/**
 * PostgreSQL driver for the moderation store (node-postgres), selected by DATABASE_URL: several
 * bot processes or shards then share reports, suppressions and the audit log. Transactions run on
 * one pooled connection; `?` placeholders become $1, $2…
 */
import { userInfo } from 'node:os';
import pg from 'pg';
import { citedError } from '../core/errors.js';
import type { Row, SqlDriver } from './sql-store.js';

/**
 * How long to wait for a connection: TCP connect, TLS and the start-up handshake up to
 * ReadyForQuery (node-postgres's connectionTimeoutMillis covers all of it, so a host that accepts
 * the connection and never answers fails too), and for a free pooled connection. Without it a
 * silent server hangs start-up forever. `connect_timeout` (seconds, libpq's name) in
 * DATABASE_URL overrides it.
 */
export const defaultConnectTimeoutMs = 5_000;
/**
 * How long one query may wait for its answer: a server that hangs mid-session must not hold an
 * interaction (or shutdown) forever. The store's queries take milliseconds. node-postgres reads
 * `query_timeout` (milliseconds) in DATABASE_URL over it.
 */
export const defaultQueryTimeoutMs = 10_000;

function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/** Like psql, connect as the operating-system user when the URL names no user. */
function defaultUser(connectionString: string): { user?: string } {
  const named = /^postgres(?:ql)?:\/\/[^/@]+@/.test(connectionString) || process.env.PGUSER !== undefined || process.env.USER !== undefined;
  return named ? {} : { user: userInfo().username };
}

function connectTimeoutMs(connectionString: string): number {
  const seconds = Number(/[?&]connect_timeout=(\d+)(?:&|$)/.exec(connectionString)?.[1] ?? 0);
  return seconds > 0 ? seconds * 1000 : defaultConnectTimeoutMs;
}

/** How every connection of Cited's to PostgreSQL is made (pooled or not): the timeouts above, the default user. */
export function postgresClientConfig(connectionString: string): pg.ClientConfig {
  return { connectionString, connectionTimeoutMillis: connectTimeoutMs(connectionString), query_timeout: defaultQueryTimeoutMs, ...defaultUser(connectionString) };
}

export function postgresDriver(connectionString: string): SqlDriver {
  const pool = new pg.Pool({ ...postgresClientConfig(connectionString), max: 5 });
  // An idle connection that drops (server restart) must not crash the bot; the pool reconnects.
  pool.on('error', () => undefined);
  return {
    dialect: 'postgres',
    async query(sql, params = []) {
      return (await pool.query(numbered(sql), params)).rows as Row[];
    },
    async transaction(work) {
      const client = await pool.connect();
      // A connection whose ROLLBACK failed (timed out, or the server went away) may still be busy
      // or in the transaction: it is dropped, never handed to the next caller.
      let broken: Error | undefined;
      // A checked-out connection has no pool listener: its socket dying (the server gone, even
      // between being handed out and the first query) must fail the transaction, not the process.
      const lost = (error: Error) => (broken ??= error);
      client.on('error', lost);
      try {
        await client.query('BEGIN');
        const result = await work({ query: async (sql, params = []) => (await client.query(numbered(sql), params)).rows as Row[] });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
        throw error;
      } finally {
        client.off('error', lost);
        client.release(broken);
      }
    },
    close: () => pool.end(),
  };
}

/** Where node-postgres connects, for messages: `host:port`, or the Unix socket's path. */
export function postgresServer(connectionString: string): string {
  try {
    const { host, port } = new pg.Client({ connectionString });
    if (host.startsWith('/')) return `${host}/.s.PGSQL.${port}`;
    return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  } catch {
    return connectionString.replace(/\/\/[^@/]*@/, '//'); // never the password
  }
}

/** What a failed connect says, in words (node's network error codes). */
const networkReasons: Record<string, string> = {
  ECONNREFUSED: 'the connection was refused (nothing listens on that port)',
  ENOTFOUND: 'no such host',
  EAI_AGAIN: 'the host name could not be looked up (DNS)',
  ETIMEDOUT: 'the connection timed out',
  EHOSTUNREACH: 'no route to the host',
  ENETUNREACH: 'the network is unreachable',
  ECONNRESET: 'the server closed the connection',
  ENOENT: 'no server socket there',
};

/**
 * SQLSTATE classes that mean the server will not let us in or cannot serve us now: 08 connection,
 * 28 authorisation, 3D no such database, 53 out of resources (too many connections), 57P03 not
 * accepting connections yet, 42501 no right to create the tables. Any other error is a bug of
 * ours and is passed on as it is.
 */
const refusals = /^(08|28|3D|53|57P0[1-3]|42501)/;

/**
 * A failure to open the store at start-up as one message naming the server and what to do, or
 * the error itself when it is not about reaching or entering the server.
 */
export function postgresStartupError(connectionString: string, error: unknown): unknown {
  const server = postgresServer(connectionString);
  if (error instanceof pg.DatabaseError) return error.code && refusals.test(error.code) ? citedError('DATABASE_REFUSED', server, error.message) : error;
  if (!(error instanceof Error)) return error;
  const code = (error as NodeJS.ErrnoException).code ?? ((error.cause as NodeJS.ErrnoException | undefined)?.code);
  if (code && networkReasons[code]) return citedError('DATABASE_UNREACHABLE', server, networkReasons[code]);
  if (/query read timeout/i.test(error.message)) return citedError('DATABASE_UNREACHABLE', server, 'it accepted the connection, then left a query unanswered');
  if (/timeout/i.test(error.message)) return citedError('DATABASE_UNREACHABLE', server, `no answer within ${connectTimeoutMs(connectionString) / 1000} s`);
  if (/Connection terminated/i.test(error.message)) return citedError('DATABASE_UNREACHABLE', server, 'the server closed the connection during the handshake (is it PostgreSQL?)');
  return error;
}
