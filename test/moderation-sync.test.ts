/**
 * Suppressions held in memory stay current across processes: two moderation services on one
 * database (as two bot processes or shards share PostgreSQL), each with its own copy.
 * SQLite always; PostgreSQL when TEST_DATABASE_URL names a server (CI).
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { Library } from '../src/library.js';
import { Moderation, type Who } from '../src/moderation/moderation.js';
import { openStore } from '../src/moderation/open-store.js';
import type { StoreConfig } from '../src/moderation/open-store.js';
import { freshDir } from './helpers.js';

const SOURCE = '000_138185aca57c1631';
const mod: Who & { reason: string } = { guildId: 'g1', userId: 'mod', isModerator: true, reason: 'syndicated' };

function syncContract(name: string, config: () => Promise<StoreConfig>) {
  it(`${name}: a suppression made by one process applies in the other after its next sync, and so does lifting it`, async () => {
    const where = await config();
    const library = await Library.open({}, join(freshDir('cited-removed-'), 'removed'));
    const one = await Moderation.open(await openStore(where), library);
    const two = await Moderation.open(await openStore(where), library);
    try {
      await one.suppress(SOURCE, mod);
      expect(one.exclusions('g1').articleIds?.has(SOURCE)).toBe(true);
      expect(two.exclusions('g1').articleIds?.has(SOURCE) ?? false).toBe(false);
      await two.sync();
      expect(two.exclusions('g1').articleIds?.has(SOURCE)).toBe(true);
      expect(two.exclusions('g2').articleIds?.has(SOURCE) ?? false).toBe(false);
      await one.unsuppress(SOURCE, mod);
      await two.sync();
      expect(two.exclusions('g1').articleIds?.has(SOURCE) ?? false).toBe(false);
    } finally {
      await one.close();
      await two.close();
    }
  });
}

syncContract('SQLite', async () => ({ sqliteFile: join(freshDir('cited-store-'), 'cited.sqlite') }));

const postgresUrl = process.env.TEST_DATABASE_URL;
describe.skipIf(!postgresUrl)('PostgreSQL', () => {
  const admin = postgresUrl ? new pg.Pool({ connectionString: postgresUrl }) : null;
  const schema = `cited_sync_${randomUUID().replace(/-/g, '')}`;
  syncContract('PostgreSQL', async () => {
    await admin!.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    return { databaseUrl: `${postgresUrl}${postgresUrl!.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`, sqliteFile: '' };
  });
  afterAll(async () => {
    await admin?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin?.end();
  });
});
