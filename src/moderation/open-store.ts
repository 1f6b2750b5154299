/**
 * Opens the moderation store the configuration asks for: PostgreSQL when DATABASE_URL is set,
 * else SQLite in a file (default data/cited.sqlite), migrated to the current schema.
 */
import { SqlModerationStore } from './sql-store.js';
import type { ModerationStore } from './store.js';
import { sqliteDriver } from './sqlite.js';
import { postgresDriver } from './postgres.js';

export interface StoreConfig {
  databaseUrl?: string;
  sqliteFile: string;
}

export async function openStore(config: StoreConfig): Promise<ModerationStore> {
  const driver = config.databaseUrl ? postgresDriver(config.databaseUrl) : sqliteDriver(config.sqliteFile);
  const store = new SqlModerationStore(driver);
  try {
    await store.migrate();
  } catch (error) {
    await store.close().catch(() => undefined);
    throw error;
  }
  return store;
}
