/**
 * Puts the parts together the same way for every adapter: the corpus (as a Library that can
 * change while running), the moderation store, and moderation on top of both.
 */
import { join } from 'node:path';
import type { LoadWarning } from './cited.js';
import type { Config } from './config.js';
import { Library } from './library.js';
import { Moderation } from './moderation/moderation.js';
import { openStore } from './moderation/open-store.js';

export interface App {
  library: Library;
  moderation: Moderation;
  close(): Promise<void>;
}

export async function openApp(config: Config, onWarning: (warning: LoadWarning) => void): Promise<App> {
  const library = await Library.open({ ...(config.corpusDir ? { corpusDir: config.corpusDir } : {}), onWarning }, join(config.dataDir, 'removed-sources'));
  const store = await openStore({ ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}), sqliteFile: join(config.dataDir, 'cited.sqlite') });
  const moderation = new Moderation(store, library, config.discordGuildId ? { homeGuildId: config.discordGuildId } : {});
  return { library, moderation, close: () => store.close() };
}
