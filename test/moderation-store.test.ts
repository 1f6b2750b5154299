/**
 * The store contract against SQLite (always) and PostgreSQL (when TEST_DATABASE_URL names a
 * server: .ci/run installs and starts one, so CI always runs both).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../src/moderation/open-store.js';
import { storeContract } from './moderation-store.contract.js';

const dir = mkdtempSync(join(tmpdir(), 'cited-store-'));
let file = '';
storeContract(
  'SQLite',
  () => openStore({ sqliteFile: (file = join(dir, `${randomUUID()}.sqlite`)) }),
  () => openStore({ sqliteFile: file }),
);

const postgresUrl = process.env.TEST_DATABASE_URL;
if (postgresUrl) {
  // Each test gets a schema of its own, dropped at the end.
  const schemas: string[] = [];
  let current = '';
  const admin = new pg.Pool({ connectionString: postgresUrl });
  const withSchema = (schema: string) => `${postgresUrl}${postgresUrl.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  storeContract(
    'PostgreSQL',
    async () => {
      current = `cited_test_${randomUUID().replace(/-/g, '')}`;
      schemas.push(current);
      await admin.query(`CREATE SCHEMA ${current}`);
      return openStore({ databaseUrl: withSchema(current), sqliteFile: '' });
    },
    () => openStore({ databaseUrl: withSchema(current), sqliteFile: '' }),
  );
  describe('PostgreSQL moderation store, several processes starting at once', () => {
    it('migrates a fresh database once, with every process up (none fails on a table the other just made)', async () => {
      const schema = `cited_test_${randomUUID().replace(/-/g, '')}`;
      schemas.push(schema);
      await admin.query(`CREATE SCHEMA ${schema}`);
      const stores = await Promise.all(Array.from({ length: 4 }, () => openStore({ databaseUrl: withSchema(schema), sqliteFile: '' })));
      const versions = await admin.query(`SELECT version FROM ${schema}.schema_version ORDER BY version`);
      expect(versions.rows.map((r: { version: number }) => r.version)).toEqual([1, 2, 3, 4]);
      for (const store of stores) await store.close();
    });
  });
  afterAll(async () => {
    for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  });
} else {
  describe('PostgreSQL moderation store', () => {
    it('needs TEST_DATABASE_URL to run here (CI sets it; see .ci/run)', () => {
      expect(process.env.CI, 'CI must provide TEST_DATABASE_URL so the PostgreSQL contract runs').not.toBe('true');
    });
  });
}
