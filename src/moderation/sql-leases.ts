/**
 * Leases in SQL, for both databases (the `leases` table, migration 3 in sql-store.ts): one row per
 * name, with its holder and when it expires. Taking and renewing are one upsert whose condition
 * (free, expired, or ours) is checked under the row's lock, so two processes never both get it.
 *
 * Expiry is read on the database's clock, not the caller's: the processes may run on machines
 * whose clocks disagree by more than a lease lasts, and the database is the one clock they share.
 */
import type { Lease } from './store.js';
import type { Row, SqlDriver } from './sql-store.js';

/** Milliseconds since the epoch, now, on the database server (SQLite: this machine). */
const clocks: Record<SqlDriver['dialect'], string> = {
  postgres: 'SELECT CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT) AS now',
  sqlite: `SELECT CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) AS now`,
};

export class SqlLeaseQueries {
  constructor(private readonly db: SqlDriver) {}

  async takeLease(name: string, holder: string, ttlMs: number, at?: number): Promise<Lease | null> {
    const now = at ?? (await this.#now());
    const [row] = await this.db.query(
      `INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
       WHERE leases.holder = excluded.holder OR leases.expires_at <= ?
       RETURNING name, holder, expires_at`,
      [name, holder, now + ttlMs, now],
    );
    return row ? toLease(row) : null;
  }

  async releaseLease(name: string, holder: string): Promise<boolean> {
    const released = await this.db.query('DELETE FROM leases WHERE name = ? AND holder = ? RETURNING name', [name, holder]);
    return released.length > 0;
  }

  async lease(name: string, at?: number): Promise<Lease | null> {
    const now = at ?? (await this.#now());
    const [row] = await this.db.query('SELECT name, holder, expires_at FROM leases WHERE name = ? AND expires_at > ?', [name, now]);
    return row ? toLease(row) : null;
  }

  async #now(): Promise<number> {
    const [row] = await this.db.query(clocks[this.db.dialect]);
    return Number(row!['now']);
  }
}

function toLease(row: Row): Lease {
  return { name: String(row['name']), holder: String(row['holder']), expiresAt: Number(row['expires_at']) };
}
