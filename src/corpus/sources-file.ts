/**
 * `corpus/sources.json`: metadata for articles whose text lacks it, or corrections to what the
 * text says. Keys are article ids (file names without `.txt`); values may set title, date
 * (YYYY-MM-DD), url and outlet. A value of null says "unknown" explicitly. A url that is not http
 * or https is dropped, as if not given, with a warning: it would become the citation's link.
 *
 *   { "002_61b0604fa2a801b5": { "outlet": "RT", "url": "https://www.rt.com/..." } }
 */
import { readFileSync } from 'node:fs';
import type { ArticleMeta } from '../core/types.js';
import { citedError } from '../core/errors.js';
import { isoDate, webUrl } from './parse.js';

export type SourcesFile = Map<string, Partial<ArticleMeta>>;

const KEYS: (keyof ArticleMeta)[] = ['title', 'date', 'url', 'outlet'];

/**
 * Reads and checks the file; throws a CitedError (BAD_SOURCES_FILE) that names the problem. Values
 * dropped without failing the whole file (a url that is not a web address) go to `warn`.
 */
export function readSourcesFile(path: string, warn: (message: string) => void = () => {}): SourcesFile {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw citedError('BAD_SOURCES_FILE', path, error instanceof SyntaxError ? `not JSON (${error.message})` : String(error));
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw citedError('BAD_SOURCES_FILE', path, 'expected an object keyed by article id');
  }
  const result: SourcesFile = new Map();
  for (const [id, entry] of Object.entries(data)) {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      throw citedError('BAD_SOURCES_FILE', path, `"${id}" should be an object such as {"outlet": "…"}`);
    }
    const meta: Partial<ArticleMeta> = {};
    for (const [key, value] of Object.entries(entry)) {
      if (!KEYS.includes(key as keyof ArticleMeta)) throw citedError('BAD_SOURCES_FILE', path, `"${id}".${key} is not one of ${KEYS.join(', ')}`);
      if (value !== null && typeof value !== 'string') throw citedError('BAD_SOURCES_FILE', path, `"${id}".${key} should be a string or null`);
      if (key === 'date' && value !== null && isoDate(value) === null) throw citedError('BAD_SOURCES_FILE', path, `"${id}".date "${value}" is not YYYY-MM-DD`);
      if (key === 'url' && value !== null && webUrl(value) === null) {
        warn(`"${id}".url "${value}" dropped: only http and https links are kept`);
        continue;
      }
      meta[key as keyof ArticleMeta] = key === 'date' && value !== null ? isoDate(value) : value;
    }
    result.set(id.replace(/\.txt$/i, ''), meta);
  }
  return result;
}
