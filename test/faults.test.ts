/**
 * Faults below the process: the moderation store opened on a damaged file, in a DATA_DIR that is
 * not a folder, against a PostgreSQL server that is silent, missing or slow; the backoff schedule
 * for reaching Discord; the shutdown deadline's setting. (The bot process under the same faults:
 * faults.e2e.test.ts.)
 */
import { once } from 'node:events';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readConfig } from '../src/config.js';
import { isCitedError } from '../src/core/errors.js';
import { retryDelayMs } from '../src/discord/connect.js';
import { openStore } from '../src/moderation/open-store.js';
import { postgresDriver } from '../src/moderation/postgres.js';
import { freshDir } from './helpers.js';

/** What openStore threw (it must throw). */
async function failure(config: Parameters<typeof openStore>[0]): Promise<Error> {
  const store = await openStore(config).catch((error: Error) => error);
  if (!(store instanceof Error)) {
    await store.close();
    throw new Error('the store opened');
  }
  return store;
}

describe('a SQLite store that cannot be opened', () => {
  it('a file that is not a database: named, with what to do, and left untouched', async () => {
    const file = join(freshDir('cited-store-'), 'cited.sqlite');
    const bytes = Buffer.from('these bytes are not a SQLite database\n'.repeat(200));
    writeFileSync(file, bytes);
    const error = await failure({ sqliteFile: file });
    expect(isCitedError(error) && error.code).toBe('STORE_FILE_UNUSABLE');
    expect(error.message).toBe(
      `The moderation store ${file} cannot be opened: it is not a SQLite database. If DATA_DIR points at the wrong folder, correct it; otherwise move the file aside (the bot then starts an empty store) or restore it from a backup.`,
    );
    expect(readFileSync(file).equals(bytes)).toBe(true);
  });

  it('a damaged database (cut short): named as damaged, with how to recover it', async () => {
    const dir = freshDir('cited-store-');
    const good = join(dir, 'good.sqlite');
    await (await openStore({ sqliteFile: good })).close();
    const file = join(dir, 'cited.sqlite');
    writeFileSync(file, readFileSync(good).subarray(0, 8192));
    const error = await failure({ sqliteFile: file });
    expect(isCitedError(error) && error.code).toBe('STORE_FILE_UNUSABLE');
    expect(error.message).toContain(`The moderation store ${file} cannot be opened: it is damaged (SQLite: database disk image is malformed).`);
    expect(error.message).toContain('.recover');
  });

  it('DATA_DIR is a file, or lies under one: the folder and the file in the way are named', async () => {
    const blocker = join(freshDir('cited-store-'), 'data');
    writeFileSync(blocker, 'x');
    for (const dir of [blocker, join(blocker, 'deeper')]) {
      const error = await failure({ sqliteFile: join(dir, 'cited.sqlite') });
      expect(isCitedError(error) && error.code).toBe('DATA_DIR_UNUSABLE');
      expect(error.message).toBe(`The data folder ${dir} cannot be used: ${blocker} is a file, not a folder. Set DATA_DIR to a folder the bot may write to.`);
    }
  });

  it('cited.sqlite is a folder', async () => {
    const file = join(freshDir('cited-store-'), 'cited.sqlite');
    mkdirSync(file);
    const error = await failure({ sqliteFile: file });
    expect(error.message).toBe(`The moderation store ${file} cannot be opened: it is a folder, not a file. Move that folder away, or set DATA_DIR to another folder.`);
  });
});

describe('a PostgreSQL store that cannot be opened', () => {
  const servers: Server[] = [];
  afterAll(() => servers.forEach((s) => s.close()));

  it('a server that accepts and stays silent: the connect gives up after connect_timeout, naming host and port', async () => {
    const server = createServer(() => undefined);
    servers.push(server);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as { port: number };
    const error = await failure({ databaseUrl: `postgresql://x@127.0.0.1:${port}/db?connect_timeout=1`, sqliteFile: '' });
    expect(isCitedError(error) && error.code).toBe('DATABASE_UNREACHABLE');
    expect(error.message).toMatch(new RegExp(`^Could not reach PostgreSQL at 127\\.0\\.0\\.1:${port} \\(DATABASE_URL\\): no answer within 1 s\\.`));
  });

  const url = process.env.TEST_DATABASE_URL;
  const withParam = (param: string) => `${url}${url?.includes('?') ? '&' : '?'}${param}`;

  it.runIf(url)('a database that does not exist: refused, naming the server', async () => {
    const error = await failure({ databaseUrl: url!.replace(/\/[^/?]+(\?|$)/, '/cited_no_such_database$1'), sqliteFile: '' });
    expect(isCitedError(error) && error.code).toBe('DATABASE_REFUSED');
    expect(error.message).toMatch(/^PostgreSQL at \S+ \(DATABASE_URL\) refused to open the moderation store: database "cited_no_such_database" does not exist\./);
  });

  it.runIf(url)('a query left unanswered fails after query_timeout, and its connection is never handed on', async () => {
    const driver = postgresDriver(withParam('query_timeout=300'));
    try {
      await expect(driver.query('SELECT pg_sleep(3)')).rejects.toThrow('Query read timeout');
      let hung = 0;
      const error = await driver
        .transaction(async (tx) => {
          hung = Number((await tx.query('SELECT pg_backend_pid() AS pid'))[0]!['pid']);
          await tx.query('SELECT pg_sleep(3)');
        })
        .catch((e: Error) => e);
      expect(error).toBeInstanceOf(Error);
      // The next transaction runs on another connection, not the one still busy in the old one.
      const next = await driver.transaction(async (tx) => Number((await tx.query('SELECT pg_backend_pid() AS pid'))[0]!['pid']));
      expect(hung).toBeGreaterThan(0);
      expect(next).not.toBe(hung);
    } finally {
      await driver.close();
    }
  });
});

describe('reaching Discord: the backoff schedule', () => {
  it('1 s doubling to 30 s, each within ±20%', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 12].map((n) => retryDelayMs(n, () => 0.5))).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
    expect(retryDelayMs(1, () => 0)).toBe(800);
    expect(retryDelayMs(1, () => 1)).toBe(1200);
    expect(retryDelayMs(9, () => 1)).toBe(36000);
  });
});

describe('SHUTDOWN_TIMEOUT_SECONDS', () => {
  it('defaults to 10 s, takes a positive whole number, and names itself when malformed', () => {
    expect(readConfig({}).shutdownTimeoutMs).toBe(10_000);
    expect(readConfig({ SHUTDOWN_TIMEOUT_SECONDS: '3' }).shutdownTimeoutMs).toBe(3_000);
    expect(() => readConfig({ SHUTDOWN_TIMEOUT_SECONDS: '0' })).toThrow('Configuration SHUTDOWN_TIMEOUT_SECONDS: "0" is not a positive whole number.');
  });
});
