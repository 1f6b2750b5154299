/**
 * The corpus in PostgreSQL, when DATABASE_URL is set: the source of truth every bot process follows
 * (sync.ts). One row per file of a corpus folder — the shared corpus's (scope '') or a server's own
 * (scope: the server id) — with its bytes, and the page's original HTML where it came from one. A
 * removal keeps the row with no bytes (a tombstone), so a process that was away learns of it.
 * Every change takes the next number of one sequence (`seq`) and is announced with NOTIFY on
 * CHANNEL, its number as the payload: a process applies the changes after the last number it saw.
 */
import { createHash } from 'node:crypto';
import { citedError } from '../core/errors.js';
import type { SqlDriver } from '../moderation/sql-store.js';

export const CHANNEL = 'cited_corpus';
/** Serialises creating the table and seeding it, across processes starting together. */
const SETUP_LOCK = 7_160_420_001;
/**
 * Serialises the changes: each takes its number and commits while holding it, so numbers commit in
 * order and a process that has seen number n has seen every change before it. (Changes are
 * moderators' adds and removals and feed items: a handful a minute, never contended for long.)
 */
const CHANGE_LOCK = 7_160_420_002;

export const SHARED = '';

export interface FileRow {
  scope: string;
  file: string;
  /** Null: removed. */
  body: Uint8Array | null;
  sha256: string | null;
  seq: number;
}

export interface Listed {
  scope: string;
  file: string;
  sha256: string;
  seq: number;
}

export const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

export class CorpusTable {
  constructor(private readonly db: SqlDriver) {}

  /** Creates the table if need be, and fills it from `seed` when the shared corpus has never had a row. */
  async setUp(seed: () => { file: string; bytes: Uint8Array }[]): Promise<{ seeded: number }> {
    return this.db.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(${SETUP_LOCK})`);
      await tx.query('CREATE SEQUENCE IF NOT EXISTS cited_corpus_seq');
      await tx.query(
        `CREATE TABLE IF NOT EXISTS cited_corpus_files (
          scope TEXT NOT NULL,
          file TEXT NOT NULL,
          body BYTEA,
          sha256 TEXT,
          html TEXT,
          seq BIGINT NOT NULL,
          changed_at BIGINT NOT NULL,
          PRIMARY KEY (scope, file))`,
      );
      await tx.query('CREATE INDEX IF NOT EXISTS cited_corpus_files_seq ON cited_corpus_files (seq)');
      const [row] = await tx.query('SELECT count(*) AS n FROM cited_corpus_files WHERE scope = ?', [SHARED]);
      if (Number(row!['n']) > 0) return { seeded: 0 };
      await tx.query(`SELECT pg_advisory_xact_lock(${CHANGE_LOCK})`);
      const files = seed();
      for (const { file, bytes } of files) {
        await tx.query("INSERT INTO cited_corpus_files (scope, file, body, sha256, seq, changed_at) VALUES (?, ?, ?, ?, nextval('cited_corpus_seq'), ?)", [SHARED, file, Buffer.from(bytes), sha256(bytes), Date.now()]);
      }
      await tx.query('SELECT pg_notify(?, ?)', [CHANNEL, 'seeded']);
      return { seeded: files.length };
    });
  }

  /**
   * Records a file added (or a removed one added again); SOURCE_EXISTS when the scope has a file of
   * that name already — another process added it first.
   */
  async add(scope: string, file: string, bytes: Uint8Array, html: string | null, id: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(${CHANGE_LOCK})`);
      const rows = await tx.query(
        `INSERT INTO cited_corpus_files (scope, file, body, sha256, html, seq, changed_at) VALUES (?, ?, ?, ?, ?, nextval('cited_corpus_seq'), ?)
         ON CONFLICT (scope, file) DO UPDATE SET body = excluded.body, sha256 = excluded.sha256, html = excluded.html, seq = excluded.seq, changed_at = excluded.changed_at
         WHERE cited_corpus_files.body IS NULL
         RETURNING seq`,
        [scope, file, Buffer.from(bytes), sha256(bytes), html, Date.now()],
      );
      if (rows.length === 0) throw citedError('SOURCE_EXISTS', id);
      await tx.query('SELECT pg_notify(?, ?)', [CHANNEL, String(rows[0]!['seq'])]);
    });
  }

  /** Records a file removed (a tombstone); nothing when the scope has no such file. */
  async remove(scope: string, file: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(${CHANGE_LOCK})`);
      const rows = await tx.query(
        "UPDATE cited_corpus_files SET body = NULL, sha256 = NULL, html = NULL, seq = nextval('cited_corpus_seq'), changed_at = ? WHERE scope = ? AND file = ? AND body IS NOT NULL RETURNING seq",
        [Date.now(), scope, file],
      );
      if (rows.length > 0) await tx.query('SELECT pg_notify(?, ?)', [CHANNEL, String(rows[0]!['seq'])]);
    });
  }

  /** Changes after `seq`, oldest first, at most `limit` (bodies included). */
  async changesSince(seq: number, limit = 200): Promise<FileRow[]> {
    const rows = await this.db.query('SELECT scope, file, body, sha256, seq FROM cited_corpus_files WHERE seq > ? ORDER BY seq LIMIT ?', [seq, limit]);
    return rows.map((r) => ({ scope: String(r['scope']), file: String(r['file']), body: r['body'] === null ? null : (r['body'] as Uint8Array), sha256: r['sha256'] === null ? null : String(r['sha256']), seq: Number(r['seq']) }));
  }

  /** The files there are now (no bodies), of one scope or of all. */
  async live(scope?: string): Promise<Listed[]> {
    const rows = await this.db.query(`SELECT scope, file, sha256, seq FROM cited_corpus_files WHERE body IS NOT NULL${scope === undefined ? '' : ' AND scope = ?'} ORDER BY scope, file`, scope === undefined ? [] : [scope]);
    return rows.map((r) => ({ scope: String(r['scope']), file: String(r['file']), sha256: String(r['sha256']), seq: Number(r['seq']) }));
  }

  /** Every file name `scope` has ever held, removed ones too. */
  async everHeld(scope: string): Promise<Set<string>> {
    const rows = await this.db.query('SELECT file FROM cited_corpus_files WHERE scope = ?', [scope]);
    return new Set(rows.map((r) => String(r['file'])));
  }

  /** The files of `scope` with their bytes, in name order after `after`, at most `limit` (to copy a corpus in batches). */
  async bodies(scope: string, after: string, limit = 200): Promise<{ file: string; body: Uint8Array }[]> {
    const rows = await this.db.query('SELECT file, body FROM cited_corpus_files WHERE scope = ? AND body IS NOT NULL AND file > ? ORDER BY file LIMIT ?', [scope, after, limit]);
    return rows.map((r) => ({ file: String(r['file']), body: r['body'] as Uint8Array }));
  }

  async body(scope: string, file: string): Promise<Uint8Array | null> {
    const [row] = await this.db.query('SELECT body FROM cited_corpus_files WHERE scope = ? AND file = ?', [scope, file]);
    return (row?.['body'] as Uint8Array | null | undefined) ?? null;
  }

  /** The number of the latest change (0 before any). */
  async lastSeq(): Promise<number> {
    const [row] = await this.db.query('SELECT coalesce(max(seq), 0) AS seq FROM cited_corpus_files');
    return Number(row!['seq']);
  }
}
