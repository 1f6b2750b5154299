/**
 * The index snapshot: everything a loaded corpus is made of (articles, sentences, the index's flat
 * arrays, vocabulary, acronyms, load warnings), saved to one file so the next start reads it instead
 * of analysing every article again.
 *
 * File layout: a line `CITED-SNAPSHOT <format>`, a line of JSON header, then the body: a JSON part
 * and the typed arrays' bytes. The header carries the body's SHA-256 and a fingerprint of what the
 * snapshot was made from (format, the corpus folder's files with their sizes and modification times,
 * the loading options). A snapshot whose fingerprint differs is stale, one whose checksum fails is
 * corrupt: either way it is ignored (with the reason) and rebuilt.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Article, LoadWarning } from './core/types.js';
import type { SearcherState } from './search/search.js';
import type { IndexArrays } from './search/index.js';

const FORMAT = 1;
const MAGIC = `CITED-SNAPSHOT ${FORMAT}\n`;

export interface SnapshotData {
  articles: Article[];
  warnings: LoadWarning[];
  searcher: SearcherState;
}

type ArrayName = Exclude<keyof IndexArrays, 'terms' | 'titles'>;
const ARRAYS: { name: ArrayName; type: 'u32' | 'u16' }[] = [
  { name: 'offsets', type: 'u32' },
  { name: 'docs', type: 'u32' },
  { name: 'freqs', type: 'u16' },
  { name: 'lengths', type: 'u16' },
  { name: 'articleOf', type: 'u32' },
  { name: 'paragraphOf', type: 'u32' },
];

/** What a snapshot was made from: the corpus folder's files (name, size, mtime) and the loading options. */
export function fingerprint(corpusDir: string, loading: unknown): string {
  const hash = createHash('sha256').update(`format ${FORMAT}\n`).update(JSON.stringify(loading, (_, v) => (v instanceof RegExp ? v.toString() : v)));
  for (const name of readdirSync(corpusDir).sort()) {
    const stat = statSync(join(corpusDir, name));
    if (stat.isFile()) hash.update(`${name}\0${stat.size}\0${stat.mtimeMs}\n`);
  }
  return hash.digest('hex');
}

export function encodeSnapshot(data: SnapshotData, print: string): Buffer {
  const { index, ...rest } = data.searcher;
  const json = Buffer.from(JSON.stringify({ articles: data.articles, warnings: data.warnings, searcher: { ...rest, index: { terms: index.terms, titles: index.titles } } }));
  const parts: Buffer[] = [json];
  const layout: { name: ArrayName; type: string; offset: number; length: number }[] = [];
  let offset = json.length;
  for (const { name, type } of ARRAYS) {
    const array = index[name];
    const bytes = Buffer.from(array.buffer, array.byteOffset, array.byteLength);
    layout.push({ name, type, offset, length: array.length });
    parts.push(bytes);
    offset += bytes.length;
  }
  const body = Buffer.concat(parts);
  const header = JSON.stringify({ fingerprint: print, checksum: createHash('sha256').update(body).digest('hex'), json: json.length, arrays: layout });
  return Buffer.concat([Buffer.from(MAGIC), Buffer.from(header + '\n'), body]);
}

/** The snapshot's data, or why it cannot be used. */
export function decodeSnapshot(file: Buffer, print: string): { ok: true; data: SnapshotData } | { ok: false; reason: string } {
  if (!file.subarray(0, MAGIC.length).equals(Buffer.from(MAGIC))) return { ok: false, reason: 'not a snapshot of this format' };
  const headerEnd = file.indexOf(10, MAGIC.length);
  if (headerEnd < 0) return { ok: false, reason: 'corrupt (no header)' };
  let header: { fingerprint: string; checksum: string; json: number; arrays: { name: ArrayName; type: string; offset: number; length: number }[] };
  try {
    header = JSON.parse(file.subarray(MAGIC.length, headerEnd).toString('utf8'));
  } catch {
    return { ok: false, reason: 'corrupt (unreadable header)' };
  }
  if (header.fingerprint !== print) return { ok: false, reason: 'stale (the corpus or the options changed)' };
  const body = file.subarray(headerEnd + 1);
  if (createHash('sha256').update(body).digest('hex') !== header.checksum) return { ok: false, reason: 'corrupt (checksum mismatch)' };
  const parsed = JSON.parse(body.subarray(0, header.json).toString('utf8')) as Omit<SnapshotData, 'searcher'> & {
    searcher: Omit<SearcherState, 'index'> & { index: Pick<IndexArrays, 'terms' | 'titles'> };
  };
  const arrays = {} as Record<ArrayName, Uint32Array | Uint16Array>;
  for (const { name, type, offset, length } of header.arrays) {
    const size = type === 'u32' ? 4 : 2;
    // Copy into an aligned buffer of its own (a slice of the file need not be aligned).
    const bytes = body.buffer.slice(body.byteOffset + offset, body.byteOffset + offset + length * size);
    arrays[name] = type === 'u32' ? new Uint32Array(bytes) : new Uint16Array(bytes);
  }
  const index = { ...parsed.searcher.index, ...arrays } as IndexArrays;
  return { ok: true, data: { articles: parsed.articles, warnings: parsed.warnings, searcher: { ...parsed.searcher, index } } };
}

/** Reads a snapshot file; a missing, stale or corrupt one gives the reason instead. */
export function readSnapshot(path: string, print: string): { ok: true; data: SnapshotData } | { ok: false; reason: string } {
  if (!existsSync(path)) return { ok: false, reason: 'no snapshot yet' };
  try {
    return decodeSnapshot(readFileSync(path), print);
  } catch (error) {
    return { ok: false, reason: `unreadable (${(error as Error).message})` };
  }
}

/** Writes a snapshot atomically (a temporary file renamed over the old one). */
export function writeSnapshot(path: string, data: SnapshotData, print: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, encodeSnapshot(data, print));
  renameSync(temporary, path);
}
