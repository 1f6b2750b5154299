/**
 * PostgreSQL driver for the moderation store (node-postgres), selected by DATABASE_URL: several
 * bot processes or shards then share reports, suppressions and the audit log. Transactions run on
 * one pooled connection; `?` placeholders become $1, $2…
 */
import { userInfo } from 'node:os';
import pg from 'pg';
import type { Row, SqlDriver } from './sql-store.js';

function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/** Like psql, connect as the operating-system user when the URL names no user. */
function defaultUser(connectionString: string): { user?: string } {
  const named = /^postgres(?:ql)?:\/\/[^/@]+@/.test(connectionString) || process.env.PGUSER !== undefined || process.env.USER !== undefined;
  return named ? {} : { user: userInfo().username };
}

export function postgresDriver(connectionString: string): SqlDriver {
  const pool = new pg.Pool({ connectionString, max: 5, ...defaultUser(connectionString) });
  // An idle connection that drops (server restart) must not crash the bot; the pool reconnects.
  pool.on('error', () => undefined);
  return {
    dialect: 'postgres',
    async query(sql, params = []) {
      return (await pool.query(numbered(sql), params)).rows as Row[];
    },
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work({ query: async (sql, params = []) => (await client.query(numbered(sql), params)).rows as Row[] });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
