/**
 * Opens the moderation store the configuration asks for: PostgreSQL when DATABASE_URL is set,
 * else SQLite in a file (default data/cited.sqlite), migrated to the current schema.
 */
import { SqlModerationStore } from './sql-store.js';
import type { ModerationStore } from './store.js';
import { sqliteDriver, sqliteStartupError } from './sqlite.js';
import { postgresDriver, postgresStartupError } from './postgres.js';

export interface StoreConfig {
  databaseUrl?: string;
  sqliteFile: string;
}

/**
 * A store that cannot be opened (server unreachable, file damaged, DATA_DIR a file) fails with a
 * CitedError naming the server or file and what to do; the process then stops (README,
 * "When things fail").
 */
export async function openStore(config: StoreConfig): Promise<ModerationStore> {
  const { databaseUrl, sqliteFile } = config;
  const explain = (error: unknown) => (databaseUrl ? postgresStartupError(databaseUrl, error) : sqliteStartupError(sqliteFile, error));
  let store: SqlModerationStore;
  try {
    store = new SqlModerationStore(databaseUrl ? postgresDriver(databaseUrl) : sqliteDriver(sqliteFile));
  } catch (error) {
    throw explain(error);
  }
  try {
    await store.migrate();
  } catch (error) {
    await store.close().catch(() => undefined);
    throw explain(error);
  }
  return store;
}
