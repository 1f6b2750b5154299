/**
 * One corpus for every bot process (README, "Scaling"): with DATABASE_URL, PostgreSQL holds the
 * articles (table.ts) and each process follows it. Each keeps its folders in DATA_DIR — the shared
 * corpus in `DATA_DIR/corpus`, servers' own articles in `DATA_DIR/servers/<id>` — with its index and
 * snapshot over them, as a cache of what the database holds:
 *
 *   - at start, the database is set up, and seeded from CORPUS_DIR (or the bundled corpus) when it
 *     has never held the shared corpus; an empty folder is filled from it, and each server's folder
 *     made to match it, before the index is opened (from its snapshot when the folder is as it was);
 *     then the shared folder is compared with the database file by file and every difference is
 *     applied as a change (a segment, not a rebuild: `Library.applyRemote`);
 *   - a change made here is recorded in the database first (this is the Library's ledger), and made
 *     here after; the database's NOTIFY tells every other process, which applies the changes after
 *     the last number it saw — within a second or so, and every CATCH_UP_MS at worst (a missed
 *     notification, a listener reconnecting);
 *   - while the database is down, questions are answered from the index in hand; adding and removing
 *     say the database cannot be reached; the listener reconnects with backoff and catches up.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { citedError, isCitedError } from '../core/errors.js';
import { removedName } from '../corpus/removed-name.js';
import { LOCAL_PREFIX } from '../corpus/load.js';
import type { CorpusLedger, Library } from '../library.js';
import { postgresClientConfig, postgresDriver, postgresStartupError } from '../moderation/postgres.js';
import type { SqlDriver } from '../moderation/sql-store.js';
import type { ModerationEvent } from '../moderation/moderation.js';
import { CHANNEL, CorpusTable, SHARED, sha256 } from './table.js';

/** A catch-up this often even without a notification: a change is applied within this long in any case. */
export const CATCH_UP_MS = 2_000;
/** The listener's reconnection backoff, doubling from the first to the last. */
const RECONNECT_MS = [500, 30_000] as const;

export interface SyncFolders {
  /** Where the shared corpus comes from when the database has never held one (CORPUS_DIR, or the bundled corpus). */
  seedDir: string;
  /** This process's copy of the shared corpus. */
  mirrorDir: string;
  /** This process's copies of servers' own articles (local-libraries.ts). */
  serversDir: string;
  /** Where files the database no longer holds are moved. */
  removedDir: string;
}

export class CorpusSync implements CorpusLedger {
  private library: Library | null = null;
  private listener: pg.Client | null = null;
  private timer: NodeJS.Timeout | null = null;
  private reconnect: NodeJS.Timeout | null = null;
  private catching: Promise<void> | null = null;
  private again = false;
  private down = false;
  private closed = false;

  private constructor(
    private readonly url: string,
    private readonly db: SqlDriver,
    private readonly table: CorpusTable,
    private readonly folders: SyncFolders,
    /** The number of the last change this process has. */
    private last: number,
    private readonly onEvent: ModerationEvent,
  ) {}

  /** Sets the database up (seeding it when new) and brings this process's folders up to it; then `start` with the Library over them. */
  static async open(url: string, folders: SyncFolders, onEvent: ModerationEvent = () => undefined): Promise<CorpusSync> {
    const db = postgresDriver(url);
    const table = new CorpusTable(db);
    try {
      const { seeded } = await table.setUp(() => filesOf(folders.seedDir));
      if (seeded > 0) onEvent('info', 'the shared corpus database was empty: seeded from the corpus folder', { files: seeded, from: folders.seedDir });
      else await warnOfUnseeded(table, folders.seedDir, onEvent);
      // Taken before the folders are copied: a change made meanwhile is applied again, never missed.
      const last = await table.lastSeq();
      await fillIfEmpty(table, folders);
      await matchServers(table, folders);
      return new CorpusSync(url, db, table, folders, last, onEvent);
    } catch (error) {
      await db.close().catch(() => undefined);
      throw isCitedError(error) ? error : postgresStartupError(url, error);
    }
  }

  // --- The ledger (library.ts) --------------------------------------------------------------

  async added(scope: string, file: string, bytes: Uint8Array, html: string | null, id: string): Promise<void> {
    await this.write(() => this.table.add(scope, file, bytes, html, id));
  }

  async removed(scope: string, file: string): Promise<void> {
    await this.write(() => this.table.remove(scope, file));
  }

  private async write(change: () => Promise<void>): Promise<void> {
    try {
      await change();
    } catch (error) {
      if (isCitedError(error)) throw error;
      this.onEvent('warn', 'the corpus database could not record a change', { err: error });
      throw citedError('CORPUS_DATABASE_DOWN');
    }
  }

  // --- Following the database ---------------------------------------------------------------

  /** Brings the Library's shared corpus up to the database, then follows it until `close`. */
  async start(library: Library): Promise<void> {
    this.library = library;
    await this.matchShared(library);
    await this.catchUp();
    this.timer = setInterval(() => void this.catchUp(), CATCH_UP_MS);
    this.timer.unref();
    this.listen(RECONNECT_MS[0]);
  }

  /** Applies every change after the last one this process has (one catch-up at a time; one more if asked meanwhile). */
  catchUp(): Promise<void> {
    if (this.catching) {
      this.again = true;
      return this.catching;
    }
    this.catching = this.applyChanges()
      .catch((error: unknown) => {
        if (!this.down) this.onEvent('warn', 'the corpus database cannot be reached: answering from the articles in hand, catching up when it is back', { err: error });
        this.down = true;
      })
      .finally(() => {
        this.catching = null;
        if (this.again && !this.closed) {
          this.again = false;
          void this.catchUp();
        }
      });
    return this.catching;
  }

  private async applyChanges(): Promise<void> {
    const library = this.library;
    if (!library || this.closed) return;
    for (;;) {
      const changes = await this.table.changesSince(this.last);
      if (this.down) this.onEvent('info', 'the corpus database is back', {});
      this.down = false;
      for (const change of changes) {
        if (plainName(change.file)) await library.applyRemote(change.scope, change.file, change.body);
        this.last = change.seq;
      }
      if (changes.length < 200) return;
    }
  }

  /** LISTEN on its own connection; a lost connection is made again with backoff, and a catch-up follows. */
  private listen(delay: number): void {
    if (this.closed) return;
    const client = new pg.Client(postgresClientConfig(this.url));
    this.listener = client;
    let lost = false;
    const retry = () => {
      if (lost || this.closed) return;
      lost = true;
      client.removeAllListeners('notification');
      void client.end().catch(() => undefined);
      this.reconnect = setTimeout(() => this.listen(Math.min(delay * 2, RECONNECT_MS[1])), delay);
      this.reconnect.unref();
    };
    client.on('notification', () => void this.catchUp());
    client.on('error', retry);
    client.on('end', retry);
    client
      .connect()
      .then(() => client.query(`LISTEN ${CHANNEL}`))
      .then(() => {
        delay = RECONNECT_MS[0];
        return this.catchUp();
      })
      .catch(retry);
  }

  /** The shared folder compared with the database file by file; each difference applied through the Library. */
  private async matchShared(library: Library): Promise<void> {
    const wanted = new Map((await this.table.live(SHARED)).map((f) => [f.file, f.sha256]));
    const dir = this.folders.mirrorDir;
    for (const file of regularFiles(dir)) {
      if (!wanted.has(file)) await library.applyRemote(SHARED, file, null);
    }
    for (const [file, sha] of wanted) {
      if (!plainName(file)) continue;
      const path = join(dir, file);
      if (existsSync(path) && sha256(readFileSync(path)) === sha) continue;
      await library.applyRemote(SHARED, file, await this.table.body(SHARED, file));
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    if (this.reconnect) clearTimeout(this.reconnect);
    await this.catching?.catch(() => undefined);
    this.listener?.removeAllListeners();
    await this.listener?.end().catch(() => undefined);
    await this.db.close().catch(() => undefined);
  }
}

/** A file name the database may hand this process: a plain name in the folder, never a path or a dot file. */
const plainName = (file: string): boolean => file !== '' && !/[/\\\0]/.test(file) && !file.startsWith('.');

/** The files of a corpus folder as the database keeps them (dot files and folders left out). */
function regularFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => !name.startsWith('.') && statSync(join(dir, name)).isFile())
    .sort();
}

function filesOf(dir: string): { file: string; bytes: Uint8Array }[] {
  return regularFiles(dir).map((file) => ({ file, bytes: readFileSync(join(dir, file)) }));
}

/**
 * Files put into the corpus folder after the database was seeded are not read (the database is the
 * corpus): said at start, so an operator who drops a file there learns why it is never quoted. A
 * file the database once had and lost (removed through /sources) is not mentioned: that is the
 * corpus as its admins left it.
 */
async function warnOfUnseeded(table: CorpusTable, seedDir: string, onEvent: ModerationEvent): Promise<void> {
  const held = await table.everHeld(SHARED);
  const unread = regularFiles(seedDir).filter((file) => !held.has(file));
  if (unread.length === 0) return;
  onEvent('warn', 'files in the corpus folder are not in the shared corpus database, so they are not quoted: with DATABASE_URL the database is the corpus; add them with /sources add', { files: unread.length, examples: unread.slice(0, 5), folder: seedDir });
}

/** A new process's shared folder: every file the database holds, copied in batches. */
async function fillIfEmpty(table: CorpusTable, folders: SyncFolders): Promise<void> {
  if (regularFiles(folders.mirrorDir).length > 0) return;
  mkdirSync(folders.mirrorDir, { recursive: true });
  let after = '';
  for (;;) {
    const batch = await table.bodies(SHARED, after);
    for (const { file, body } of batch) if (plainName(file)) writeFileSync(join(folders.mirrorDir, file), body);
    if (batch.length < 200) return;
    after = batch.at(-1)!.file;
  }
}

/** Every server's folder made to match the database before the servers' libraries are opened (each is indexed again only if it changed). */
async function matchServers(table: CorpusTable, folders: SyncFolders): Promise<void> {
  const wanted = new Map<string, Map<string, string>>();
  for (const row of await table.live()) {
    if (row.scope === SHARED) continue;
    if (!wanted.has(row.scope)) wanted.set(row.scope, new Map());
    wanted.get(row.scope)!.set(row.file, row.sha256);
  }
  const onDisk = existsSync(folders.serversDir) ? readdirSync(folders.serversDir).filter((name) => /^\d{1,20}$/.test(name) && statSync(join(folders.serversDir, name)).isDirectory()) : [];
  for (const server of new Set([...wanted.keys(), ...onDisk])) {
    if (!/^\d{1,20}$/.test(server)) continue;
    const dir = join(folders.serversDir, server);
    const files = wanted.get(server) ?? new Map<string, string>();
    for (const file of regularFiles(dir).filter((f) => f.startsWith(LOCAL_PREFIX))) {
      if (files.has(file)) continue;
      const removed = join(folders.removedDir, 'servers', server);
      mkdirSync(removed, { recursive: true });
      renameSync(join(dir, file), join(removed, removedName(file)));
    }
    for (const [file, sha] of files) {
      if (!plainName(file)) continue;
      const path = join(dir, file);
      if (existsSync(path) && sha256(readFileSync(path)) === sha) continue;
      const body = await table.body(server, file);
      if (body === null) continue;
      mkdirSync(dir, { recursive: true });
      writeFileSync(path, body);
    }
  }
}
