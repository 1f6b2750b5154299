/**
 * SQLite driver for the moderation store (better-sqlite3), the embedded default: one file, WAL
 * journal. better-sqlite3 is synchronous, so statements are queued one at a time; a transaction
 * holds the queue from BEGIN to COMMIT, which makes it atomic against every other store call.
 */
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { citedError } from '../core/errors.js';
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

/** The nearest existing path at or above `dir` when it is a file, not a folder: what blocks mkdir. */
function fileInTheWay(dir: string): string | undefined {
  for (let path = dir; ; path = dirname(path)) {
    if (existsSync(path)) return statSync(path).isDirectory() ? undefined : path;
    if (dirname(path) === path) return undefined;
  }
}

/**
 * A failure to open the SQLite store at start-up as one message naming the file or folder and
 * what to do, or the error itself when it is not about the file (a bug of ours). Nothing here
 * moves or deletes a file: a damaged store still holds reports and the audit log worth saving.
 *
 * A read-only location shows up in several ways, all mapped to "cannot write": mkdir of DATA_DIR
 * fails (EACCES, EROFS); SQLite cannot create the file (SQLITE_CANTOPEN); it opens an existing file
 * read-only, as it silently does when the OS refuses writing, and then fails to switch to WAL —
 * which needs -wal and -shm files beside it, so a writable file in a read-only folder fails too —
 * or to migrate (SQLITE_READONLY). (Tests run as root, where permissions do not bite: they cover
 * the damaged file and the file in the way of a folder.)
 */
export function sqliteStartupError(file: string, error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const dir = dirname(file);
  const code = (error as NodeJS.ErrnoException).code ?? '';
  const writable = `Give the bot's user write access to ${dir}, or set DATA_DIR to a writable folder (SQLite also creates ${file}-wal and -shm beside the file).`;
  const blocker = code === 'EEXIST' || code === 'ENOTDIR' ? fileInTheWay(dir) : undefined;
  if (blocker) return citedError('DATA_DIR_UNUSABLE', dir, `${blocker} is a file, not a folder`);
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return citedError('DATA_DIR_UNUSABLE', dir, `it cannot be created or written (${code}: permission denied or a read-only disk)`);
  if (code === 'ENOSPC') return citedError('DATA_DIR_UNUSABLE', dir, 'the disk is full');
  if (!code.startsWith('SQLITE_')) return error;
  if (code === 'SQLITE_NOTADB') {
    return citedError('STORE_FILE_UNUSABLE', file, 'it is not a SQLite database', 'If DATA_DIR points at the wrong folder, correct it; otherwise move the file aside (the bot then starts an empty store) or restore it from a backup.');
  }
  if (code.startsWith('SQLITE_CORRUPT')) {
    return citedError(
      'STORE_FILE_UNUSABLE',
      file,
      `it is damaged (SQLite: ${error.message})`,
      `Stop the bot, move it aside together with any ${file}-wal and -shm, then restore a backup, or start with an empty store; \`sqlite3 <file> .recover\` may save its reports, suppressions and audit log.`,
    );
  }
  if (code.startsWith('SQLITE_CANTOPEN') && existsSync(file) && statSync(file).isDirectory()) {
    return citedError('STORE_FILE_UNUSABLE', file, 'it is a folder, not a file', 'Move that folder away, or set DATA_DIR to another folder.');
  }
  if (code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_PERM')) {
    return citedError('STORE_FILE_UNUSABLE', file, `SQLite cannot write it (${code}: ${error.message})`, writable);
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return citedError('STORE_FILE_UNUSABLE', file, 'another process holds it locked', 'Stop the other bot using this DATA_DIR, or give each its own; bots that share moderation use PostgreSQL (DATABASE_URL).');
  }
  if (code.startsWith('SQLITE_FULL')) return citedError('STORE_FILE_UNUSABLE', file, 'the disk is full', `Free space on the disk that holds ${dir}.`);
  if (code.startsWith('SQLITE_IOERR')) return citedError('STORE_FILE_UNUSABLE', file, `the disk reported an error (${code})`, 'Check the disk, then restart.');
  return error;
}
