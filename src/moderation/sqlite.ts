/**
 * SQLite driver for the moderation store (better-sqlite3), the embedded default: one file, WAL
 * journal. better-sqlite3 is synchronous, so statements are queued one at a time; a transaction
 * holds the queue from BEGIN to COMMIT, which makes it atomic against every other store call.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Row, SqlDriver } from './sql-store.js';

export function sqliteDriver(file: string): SqlDriver {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  // In WAL mode NORMAL never corrupts the database and survives a crash of the bot; only a power
  // cut can lose the last commits. It spares an fsync per answer recorded.
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(work: () => Promise<T> | T): Promise<T> => {
    const run = queue.then(work, work);
    queue = run.catch(() => undefined);
    return run;
  };
  const run = (sql: string, params: unknown[] = []): Row[] => {
    const statement = db.prepare(sql);
    const values = params.map((p) => (typeof p === 'boolean' ? Number(p) : p));
    return statement.reader ? (statement.all(...values) as Row[]) : (statement.run(...values), []);
  };
  return {
    dialect: 'sqlite',
    query: (sql, params) => serial(() => run(sql, params)),
    transaction: (work) =>
      serial(async () => {
        db.exec('BEGIN IMMEDIATE');
        try {
          const result = await work({ query: async (sql, params) => run(sql, params) });
          db.exec('COMMIT');
          return result;
        } catch (error) {
          db.exec('ROLLBACK');
          throw error;
        }
      }),
    close: () => serial(() => void db.close()),
  };
}
