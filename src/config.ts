/**
 * The environment, read and checked once at start-up. `.env` in the working folder is loaded
 * first if present; `.env.example` documents every variable.
 */
import { existsSync } from 'node:fs';
import { citedError } from './core/errors.js';

export interface Config {
  /** Folder of articles; the bundled corpus when unset. */
  corpusDir?: string;
  /** Bot token; without it Cited runs the local console. */
  discordToken?: string;
}

export function loadDotEnv(path = '.env'): void {
  if (existsSync(path)) process.loadEnvFile(path);
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const config: Config = {};
  const corpus = env.CORPUS_DIR?.trim();
  if (corpus) config.corpusDir = corpus;
  const token = env.DISCORD_TOKEN?.trim();
  if (token) {
    if (/\s/.test(token)) throw citedError('BAD_CONFIG', 'DISCORD_TOKEN', 'contains spaces; paste the bot token from the Discord developer portal exactly');
    config.discordToken = token;
  }
  return config;
}
