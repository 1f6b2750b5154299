/**
 * A private PostgreSQL server for one test: a cluster made with initdb in a temporary folder,
 * listening on a port of its own on 127.0.0.1 (trust authentication: no password), that the test
 * stops, starts and restarts at will — a database going away and coming back under the processes
 * that share it — and removes at the end. Unlike a TCP proxy cut (support/tcp-proxy.ts), a restart
 * really ends every session and keeps only what was committed.
 *
 *   const cluster = await startPgCluster();
 *   cluster.url;                 // postgresql://cited@127.0.0.1:PORT/cited
 *   await cluster.restart();
 *   await cluster.remove();
 *
 * PostgreSQL refuses to run as root: when the tests do, initdb and pg_ctl run as the `postgres`
 * user (`su postgres -c …`), which owns the folder; otherwise as the current user.
 */
import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePorts } from './metrics-client.js';

export interface PgCluster {
  /** postgresql://cited@127.0.0.1:PORT/cited: the superuser `cited`, its database `cited`. */
  url: string;
  port: number;
  /** Its folder: the data, the socket, the server's log. */
  dir: string;
  running(): boolean;
  /** Stops the server: `fast` ends every session and shuts down cleanly; `immediate` as in a crash. */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  /** Starts it again on the same port, with its data. */
  start(): Promise<void>;
  restart(): Promise<void>;
  /** Runs one statement on a connection of its own. */
  query<T extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<T[]>;
  /** The server's log, to explain a failure. */
  log(): string;
  /** Stops it if running and deletes its folder. */
  remove(): Promise<void>;
}

const SUPERUSER = 'cited';
const DATABASE = 'cited';

/** Where this machine keeps initdb and pg_ctl: PG_BIN, else the newest /usr/lib/postgresql/N/bin (Debian's layout). */
export function postgresBinDir(): string | null {
  const configured = process.env['PG_BIN'];
  if (configured) return existsSync(join(configured, 'initdb')) ? configured : null;
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return null;
  const versions = readdirSync(base).filter((v) => /^\d+$/.test(v) && existsSync(join(base, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(base, versions[0], 'bin') : null;
}

export async function startPgCluster(): Promise<PgCluster> {
  const bin = postgresBinDir();
  if (!bin) throw new Error('PostgreSQL is not installed here (no initdb under /usr/lib/postgresql/*/bin; set PG_BIN): .ci/run installs it');
  const root = mkdtempSync(join(tmpdir(), 'cited-pg-'));
  const data = join(root, 'data');
  const sockets = join(root, 'sockets');
  const logFile = join(root, 'server.log');
  mkdirSync(sockets);
  const asRoot = process.getuid?.() === 0;
  if (asRoot) for (const dir of [root, sockets]) chownSync(dir, idOf('-u'), idOf('-g'));
  const run = (tool: string, args: string[]) => runAs(asRoot, join(bin, tool), args);

  const port = await freePorts(1);
  let up = false;
  const url = `postgresql://${SUPERUSER}@127.0.0.1:${port}/${DATABASE}`;
  const explain = (error: unknown) => new Error(`${error instanceof Error ? error.message : String(error)}\n--- server log ---\n${cluster.log()}`);

  const cluster: PgCluster = {
    url,
    port,
    dir: root,
    running: () => up,
    async start() {
      // fsync off: a test cluster need not survive the machine crashing, and it starts faster.
      const options = `-p ${port} -k ${sockets} -c listen_addresses=127.0.0.1 -c fsync=off`;
      await run('pg_ctl', ['-D', data, '-l', logFile, '-o', options, '-w', '-t', '60', 'start']).catch((error: unknown) => {
        throw explain(error);
      });
      up = true;
    },
    async stop(mode = 'fast') {
      await run('pg_ctl', ['-D', data, '-m', mode, '-w', '-t', '60', 'stop']).catch((error: unknown) => {
        throw explain(error);
      });
      up = false;
    },
    async restart() {
      await cluster.stop();
      await cluster.start();
    },
    async query(sql, params = []) {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        return (await client.query(sql, params)).rows;
      } finally {
        await client.end();
      }
    },
    log: () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''),
    async remove() {
      if (up) await cluster.stop('immediate').catch(() => undefined);
      rmSync(root, { recursive: true, force: true });
    },
  };

  try {
    await run('initdb', ['-D', data, '-U', SUPERUSER, '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
    await cluster.start();
    const admin = new pg.Client({ host: '127.0.0.1', port, user: SUPERUSER, database: 'postgres' });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${DATABASE}`);
    await admin.end();
  } catch (error) {
    await cluster.remove();
    throw error;
  }
  return cluster;
}

/** The postgres user's uid (`-u`) or gid (`-g`). */
function idOf(flag: '-u' | '-g'): number {
  return Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
}

/** Runs a PostgreSQL tool, as the postgres user when we are root; rejects with its output when it fails. */
function runAs(asRoot: boolean, command: string, args: string[]): Promise<string> {
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const [file, argv] = asRoot ? ['su', ['postgres', '-c', [command, ...args].map(quote).join(' ')]] : [command, args];
  return new Promise((resolve, reject) => {
    execFile(file, argv, { encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${[command, ...args].join(' ')} failed: ${error.message}\n${stdout}${stderr}`));
      else resolve(stdout);
    });
  });
}
