/**
 * Puts the parts together the same way for every adapter: the corpus (as a Library that can
 * change while running), the moderation store, and moderation on top of both.
 */
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import { bundledCorpus, type LoadWarning, type UserOptions } from './cited.js';
import type { Config } from './config.js';
import { Library } from './library.js';
import { Moderation } from './moderation/moderation.js';
import { openStore } from './moderation/open-store.js';

export interface App {
  library: Library;
  moderation: Moderation;
  close(): Promise<void>;
}

export interface Reporting {
  onWarning: (warning: LoadWarning) => void;
  onNote?: (message: string) => void;
  onProgress?: (done: number, total: number) => void;
}

export async function openApp(config: Config, reporting: Reporting): Promise<App> {
  // The store first: a database that is down fails start-up in seconds, before minutes of analysis.
  const store = await openStore({ ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}), sqliteFile: join(config.dataDir, 'cited.sqlite') });
  let library: Library;
  try {
    library = await Library.open({ ...citedOptions(config), ...reporting }, join(config.dataDir, 'removed-sources'));
  } catch (error) {
    await store.close();
    throw error;
  }
  const moderation = new Moderation(store, library, config.discordGuildId ? { homeGuildId: config.discordGuildId } : {});
  return { library, moderation, close: () => store.close() };
}

/** Options for the core from the configuration: the corpus folder and its index snapshot in DATA_DIR. */
export function citedOptions(config: Pick<Config, 'corpusDir' | 'dataDir'>): UserOptions {
  const corpusDir = resolve(config.corpusDir ?? bundledCorpus);
  // One snapshot per corpus folder, so switching folders never overwrites another's.
  const name = `index-${createHash('sha1').update(corpusDir).digest('hex').slice(0, 12)}.snapshot`;
  return { corpusDir, snapshot: join(config.dataDir, name) };
}
