/**
 * The index snapshot: everything a loaded corpus is made of (articles, sentences, the index's flat
 * arrays, vocabulary, acronyms, load warnings), saved to one file so the next start reads it instead
 * of analysing every article again.
 *
 * File layout: a line `CITED-SNAPSHOT <format>`, a line of JSON header, then the body: a JSON part
 * (articles without text or sentences, sentence ids, vocabulary…), the article texts as UTF-8, and
 * typed arrays' bytes (the index, and the sentences as columns). The header carries the body's CRC-32 and a fingerprint of what the
 * snapshot was made from (format, the corpus folder's files with their sizes and modification times,
 * the loading options). A snapshot whose fingerprint differs is stale, one whose checksum fails is
 * corrupt: either way it is ignored (with the reason) and rebuilt.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { crc32 } from 'node:zlib';
import type { Article, ExclusionReason, LoadWarning, Sentence } from './core/types.js';
import type { SearcherState } from './search/search.js';
import type { IndexArrays } from './search/index.js';

const FORMAT = 3;
const MAGIC = `CITED-SNAPSHOT ${FORMAT}\n`;

export interface SnapshotData {
  articles: Article[];
  warnings: LoadWarning[];
  searcher: SearcherState;
}

type IndexArrayName = Exclude<keyof IndexArrays, 'terms' | 'titles'>;
const INDEX_ARRAYS: IndexArrayName[] = ['offsets', 'docs', 'freqs', 'lengths', 'articleOf', 'paragraphOf'];
type TypedArray = Uint32Array | Uint16Array | Uint8Array;
const TYPES = { u32: Uint32Array, u16: Uint16Array, u8: Uint8Array } as const;
const typeOf = (array: TypedArray): keyof typeof TYPES => (array instanceof Uint32Array ? 'u32' : array instanceof Uint16Array ? 'u16' : 'u8');

/** Sentences as columns: reading 100,000 small JSON objects back is most of a cold start. */
const EXCLUSIONS: (ExclusionReason | undefined)[] = [undefined, 'boilerplate', 'duplicate', 'caption'];

/**
 * The body's CRC-32: it catches a torn write or a flipped bit (the threat here; the file is the
 * bot's own) at twice the speed of SHA-256, which was a fifth of a cold start.
 */
const checksum = (body: Buffer): string => crc32(body).toString(16).padStart(8, '0');

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
  // A sentence's text is its article's text from start to end: it is not stored twice.
  const sentences = data.articles.flatMap((a) => a.sentences);
  const arrays: Record<string, TypedArray> = {
    ...Object.fromEntries(INDEX_ARRAYS.map((name) => [name, index[name]])),
    'sentences.count': Uint32Array.from(data.articles, (a) => a.sentences.length),
    'sentences.position': Uint32Array.from(sentences, (s) => s.position),
    'sentences.paragraph': Uint32Array.from(sentences, (s) => s.paragraph),
    'sentences.start': Uint32Array.from(sentences, (s) => s.start),
    'sentences.end': Uint32Array.from(sentences, (s) => s.end),
    'sentences.excluded': Uint8Array.from(sentences, (s) => EXCLUSIONS.indexOf(s.excluded)),
  };
  // Article texts as raw UTF-8 after the JSON: decoding bytes is far quicker than parsing JSON strings.
  const texts = data.articles.map((a) => Buffer.from(a.text));
  arrays['articles.textBytes'] = Uint32Array.from(texts, (t) => t.length);
  const articles = data.articles.map(({ sentences: _, text: __, ...article }) => article);
  const json = Buffer.from(
    JSON.stringify({ articles, sentenceIds: sentences.map((s) => s.id).join('\n'), warnings: data.warnings, searcher: { ...rest, index: { terms: index.terms, titles: index.titles } } }),
  );
  const textBytes = texts.reduce((sum, t) => sum + t.length, 0);
  const parts: Buffer[] = [json, ...texts];
  const layout: { name: string; type: string; offset: number; length: number }[] = [];
  let offset = json.length + textBytes;
  for (const [name, array] of Object.entries(arrays)) {
    const bytes = Buffer.from(array.buffer, array.byteOffset, array.byteLength);
    layout.push({ name, type: typeOf(array), offset, length: array.length });
    parts.push(bytes);
    offset += bytes.length;
  }
  const body = Buffer.concat(parts);
  const header = JSON.stringify({ fingerprint: print, checksum: checksum(body), json: json.length, texts: textBytes, arrays: layout });
  return Buffer.concat([Buffer.from(MAGIC), Buffer.from(header + '\n'), body]);
}

/** The snapshot's data, or why it cannot be used. */
export function decodeSnapshot(file: Buffer, print: string): { ok: true; data: SnapshotData } | { ok: false; reason: string } {
  if (!file.subarray(0, MAGIC.length).equals(Buffer.from(MAGIC))) return { ok: false, reason: 'not a snapshot of this format' };
  const headerEnd = file.indexOf(10, MAGIC.length);
  if (headerEnd < 0) return { ok: false, reason: 'corrupt (no header)' };
  let header: { fingerprint: string; checksum: string; json: number; texts: number; arrays: { name: string; type: keyof typeof TYPES; offset: number; length: number }[] };
  try {
    header = JSON.parse(file.subarray(MAGIC.length, headerEnd).toString('utf8'));
  } catch {
    return { ok: false, reason: 'corrupt (unreadable header)' };
  }
  if (header.fingerprint !== print) return { ok: false, reason: 'stale (the corpus or the options changed)' };
  const body = file.subarray(headerEnd + 1);
  if (checksum(body) !== header.checksum) return { ok: false, reason: 'corrupt (checksum mismatch)' };
  const parsed = JSON.parse(body.subarray(0, header.json).toString('utf8')) as {
    articles: Omit<Article, 'sentences' | 'text'>[];
    sentenceIds: string;
    warnings: LoadWarning[];
    searcher: Omit<SearcherState, 'index'> & { index: Pick<IndexArrays, 'terms' | 'titles'> };
  };
  const arrays: Record<string, TypedArray> = {};
  for (const { name, type, offset, length } of header.arrays) {
    const Type = TYPES[type];
    // Copy into an aligned buffer of its own (a slice of the file need not be aligned).
    arrays[name] = new Type((body.buffer as ArrayBuffer).slice(body.byteOffset + offset, body.byteOffset + offset + length * Type.BYTES_PER_ELEMENT));
  }
  const index = { ...parsed.searcher.index, ...Object.fromEntries(INDEX_ARRAYS.map((name) => [name, arrays[name]])) } as IndexArrays;
  let at = header.json;
  const articles = parsed.articles.map((article, a) => {
    const length = arrays['articles.textBytes']![a]!;
    at += length;
    return { ...article, text: body.toString('utf8', at - length, at) };
  });
  return { ok: true, data: { articles: withSentences(articles, parsed.sentenceIds, arrays), warnings: parsed.warnings, searcher: { ...parsed.searcher, index } } };
}

function withSentences(articles: Omit<Article, 'sentences'>[], ids: string, columns: Record<string, TypedArray>): Article[] {
  const idList = ids === '' ? [] : ids.split('\n');
  const [count, position, paragraph, start, end, excluded] = ['count', 'position', 'paragraph', 'start', 'end', 'excluded'].map((c) => columns[`sentences.${c}`]!);
  let n = 0;
  return articles.map((article, a) => {
    const sentences: Sentence[] = new Array(count![a]!);
    for (let i = 0; i < sentences.length; i++, n++) {
      const reason = EXCLUSIONS[excluded![n]!];
      const sentence: Sentence = { id: idList[n]!, articleId: article.id, position: position![n]!, paragraph: paragraph![n]!, text: article.text.slice(start![n]!, end![n]!), start: start![n]!, end: end![n]! };
      if (reason) sentence.excluded = reason;
      sentences[i] = sentence;
    }
    return { ...article, sentences };
  });
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
