/**
 * The index snapshot: everything a loaded corpus is made of (articles, sentences, the index's flat
 * arrays, vocabulary, acronyms, load warnings), saved to one file so the next start reads it instead
 * of analysing every article again.
 *
 * File layout: a line `CITED-SNAPSHOT <format>`, a line of JSON header (padded with spaces so the
 * body starts at a multiple of 8 bytes), then the body: a JSON part (articles without text or
 * sentences, vocabulary words, index terms…), the sentence ids and the article texts as UTF-8, and
 * the typed arrays' bytes, each 8-byte aligned (the index, vocabulary counts, and the sentences as
 * columns), which are read into one buffer and used in place. The header carries the body's CRC-32 and a
 * fingerprint of what the snapshot was made from (format, the corpus folder's files with their sizes and modification times,
 * the loading options). A snapshot whose fingerprint differs is stale, one whose checksum fails is
 * corrupt: either way it is ignored (with the reason) and rebuilt.
 *
 * Reading is a sequence of small steps (a generator): at start-up they run in one go
 * (`readSnapshot`); while the bot runs, after a rebuild, `readSnapshotSliced` lets the event loop
 * through between them, so no step holds it for long (README, "Changing the corpus while running").
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, fstatSync, mkdirSync, openSync, readdirSync, readSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { crc32 } from 'node:zlib';
import type { Article, ExclusionReason, LoadWarning, Sentence } from './core/types.js';
import type { SearcherState } from './search/search.js';
import type { IndexArrays } from './search/index.js';

/**
 * 5: hyphenated compounds indexed joined as well, and which sentences open with a pronoun (an older
 * snapshot lacks both). 6: sentences without a letter or digit are excluded ('wordless'; a format-5
 * snapshot would still quote them); sentence ids as UTF-8 outside the JSON and each article's text
 * length in bytes, so both are decoded in slices.
 */
const FORMAT = 6;
const MAGIC = `CITED-SNAPSHOT ${FORMAT}\n`;

export interface SnapshotData {
  articles: Article[];
  warnings: LoadWarning[];
  searcher: SearcherState;
}

type IndexArrayName = Exclude<keyof IndexArrays, 'terms' | 'titles'>;
const INDEX_ARRAYS: IndexArrayName[] = ['offsets', 'docs', 'freqs', 'lengths', 'articleOf', 'paragraphOf', 'refersBack'];
type TypedArray = Uint32Array | Uint16Array | Uint8Array;
const TYPES = { u32: Uint32Array, u16: Uint16Array, u8: Uint8Array } as const;
const typeOf = (array: TypedArray): keyof typeof TYPES => (array instanceof Uint32Array ? 'u32' : array instanceof Uint16Array ? 'u16' : 'u8');

/** Sentences as columns: reading 100,000 small JSON objects back is most of a cold start. */
export const EXCLUSIONS: (ExclusionReason | undefined)[] = [undefined, 'boilerplate', 'duplicate', 'caption', 'wordless'];

/**
 * The body's CRC-32: it catches a torn write or a flipped bit (the threat here; the file is the
 * bot's own) at twice the speed of SHA-256, which was a fifth of a cold start.
 */
const checksum = (...parts: Uint8Array[]): string => parts.reduce((crc, part) => crc32(part, crc), 0).toString(16).padStart(8, '0');

/** What a snapshot was made from: the corpus folder's files (name, size, mtime) and the loading options. */
export function fingerprint(corpusDir: string, loading: unknown): string {
  const hash = createHash('sha256').update(`format ${FORMAT}\n`).update(JSON.stringify(loading, (_, v) => (v instanceof RegExp ? v.toString() : v)));
  for (const name of readdirSync(corpusDir).sort()) {
    const stat = statSync(join(corpusDir, name));
    if (stat.isFile()) hash.update(`${name}\0${stat.size}\0${stat.mtimeMs}\n`);
  }
  return hash.digest('hex');
}

/**
 * `fingerprint`, with the folder read without holding the event loop (a corpus of thousands of
 * files takes tens of milliseconds to stat): the same value.
 */
export async function fingerprintAsync(corpusDir: string, loading: unknown): Promise<string> {
  const hash = createHash('sha256').update(`format ${FORMAT}\n`).update(JSON.stringify(loading, (_, v) => (v instanceof RegExp ? v.toString() : v)));
  const names = (await readdir(corpusDir)).sort();
  for (let i = 0; i < names.length; i += 256) {
    const stats = await Promise.all(names.slice(i, i + 256).map((name) => stat(join(corpusDir, name))));
    stats.forEach((s, k) => {
      if (s.isFile()) hash.update(`${names[i + k]}\0${s.size}\0${s.mtimeMs}\n`);
    });
  }
  return hash.digest('hex');
}

/** Typed arrays start at multiples of this (from the start of the file), so they are read as views, not copied. */
const ALIGN = 8;

interface Header {
  fingerprint: string;
  checksum: string;
  /** Bytes of the body: the JSON part, the sentence ids, the texts, then (from `arraysAt`) the typed arrays. */
  body: number;
  json: number;
  ids: number;
  texts: number;
  arraysAt: number;
  arrays: { name: string; type: keyof typeof TYPES; offset: number; length: number }[];
}

/** Words of the vocabulary and terms of the index never hold a line break (tokens never do): they are stored one per line. */
const joinLines = (words: readonly string[]): string => {
  if (words.some((w) => w.includes('\n'))) throw new Error('a word with a line break cannot be stored');
  return words.join('\n');
};
const splitLines = (text: string): string[] => (text === '' ? [] : text.split('\n'));

export function encodeSnapshot(data: SnapshotData, print: string): Buffer {
  const { index, vocabulary, acronyms } = data.searcher;
  // A sentence's text is its article's text from start to end: it is not stored twice.
  const sentences = data.articles.flatMap((a) => a.sentences);
  const arrays: Record<string, TypedArray> = {
    ...Object.fromEntries(INDEX_ARRAYS.map((name) => [name, index[name]])),
    'vocabulary.counts': Uint32Array.from(vocabulary.counts, ([, count]) => count),
    'sentences.count': Uint32Array.from(data.articles, (a) => a.sentences.length),
    'sentences.position': Uint32Array.from(sentences, (s) => s.position),
    'sentences.paragraph': Uint32Array.from(sentences, (s) => s.paragraph),
    'sentences.start': Uint32Array.from(sentences, (s) => s.start),
    'sentences.end': Uint32Array.from(sentences, (s) => s.end),
    'sentences.excluded': Uint8Array.from(sentences, (s) => EXCLUSIONS.indexOf(s.excluded)),
    // In UTF-16 code units: the texts are decoded a few MiB at a time and cut by these…
    'articles.textLength': Uint32Array.from(data.articles, (a) => a.text.length),
    // …and in bytes, which say where those few MiB may end (at an article's end).
    'articles.textBytes': Uint32Array.from(data.articles, (a) => Buffer.byteLength(a.text)),
  };
  // Sentence ids and article texts as raw UTF-8 after the JSON: decoding bytes is far quicker than
  // parsing JSON strings, and can be done a slice at a time.
  const ids = Buffer.from(joinLines(sentences.map((s) => s.id)));
  const texts = Buffer.from(data.articles.map((a) => a.text).join(''));
  const articles = data.articles.map(({ sentences: _, text: __, ...article }) => article);
  const json = Buffer.from(
    JSON.stringify({
      articles,
      warnings: data.warnings,
      words: joinLines(vocabulary.counts.map(([word]) => word)),
      names: vocabulary.names,
      acronyms,
      terms: joinLines(index.terms),
      titles: index.titles,
    }),
  );
  const parts: Buffer[] = [json, ids, texts];
  let offset = json.length + ids.length + texts.length;
  const pad = () => {
    const gap = (ALIGN - (offset % ALIGN)) % ALIGN;
    if (gap > 0) parts.push(Buffer.alloc(gap));
    offset += gap;
  };
  pad();
  const arraysAt = offset;
  const layout: Header['arrays'] = [];
  for (const [name, array] of Object.entries(arrays)) {
    layout.push({ name, type: typeOf(array), offset, length: array.length });
    parts.push(Buffer.from(array.buffer, array.byteOffset, array.byteLength));
    offset += array.byteLength;
    pad();
  }
  const body = Buffer.concat(parts);
  const header: Header = { fingerprint: print, checksum: checksum(body), body: body.length, json: json.length, ids: ids.length, texts: texts.length, arraysAt, arrays: layout };
  // The header line is padded with spaces so the body starts aligned.
  let line = JSON.stringify(header);
  line = line.padEnd(line.length + ((ALIGN - ((MAGIC.length + line.length + 1) % ALIGN)) % ALIGN)) + '\n';
  return Buffer.concat([Buffer.from(MAGIC), Buffer.from(line), body]);
}

type Decoded = { ok: true; data: SnapshotData } | { ok: false; reason: string };

/** Steps of reading: each `yield` is a point where the event loop may be let through. */
type Steps<T> = Generator<void, T, void>;

/** Bytes read, checksummed or decoded between two yields: a few milliseconds' work. */
const SLICE_BYTES = 8 << 20;

export interface ReadOptions {
  /** Bytes read, checksummed or decoded per step (default 8 MiB; tests make it tiny to cross every boundary). */
  sliceBytes?: number;
}
/** Sentences made between two yields. */
const SLICE_SENTENCES = 8192;

/**
 * Reads a snapshot in two parts: the JSON, ids and texts (decoded, then let go), and the typed
 * arrays into a buffer of their own that the index then uses as it is — no copy, and nothing else
 * of the file kept alive.
 */
function* readParts(path: string, print: string, slice: number): Steps<Decoded> {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const head = Buffer.alloc(Math.min(size, 1 << 20));
    yield* readFully(fd, head, 0, slice);
    if (!head.subarray(0, MAGIC.length).equals(Buffer.from(MAGIC))) return { ok: false, reason: 'not a snapshot of this format' };
    const headerEnd = head.indexOf(10, MAGIC.length);
    if (headerEnd < 0) return { ok: false, reason: 'corrupt (no header)' };
    let header: Header;
    try {
      header = JSON.parse(head.subarray(MAGIC.length, headerEnd).toString('utf8')) as Header;
    } catch {
      return { ok: false, reason: 'corrupt (unreadable header)' };
    }
    if (header.fingerprint !== print) return { ok: false, reason: 'stale (the corpus or the options changed)' };
    const bodyAt = headerEnd + 1;
    if (!Number.isSafeInteger(header.body) || !Number.isSafeInteger(header.arraysAt) || size !== bodyAt + header.body || header.arraysAt > header.body) return { ok: false, reason: 'corrupt (truncated)' };
    if (!Number.isSafeInteger(header.ids) || !Number.isSafeInteger(header.texts) || header.json + header.ids + header.texts > header.arraysAt) return { ok: false, reason: 'corrupt (parts outside the body)' };
    const front = Buffer.alloc(header.arraysAt);
    yield* readFully(fd, front, bodyAt, slice);
    const back = new Uint8Array(new ArrayBuffer(header.body - header.arraysAt));
    yield* readFully(fd, back, bodyAt + header.arraysAt, slice);
    let crc = 0;
    for (const part of [front, back]) {
      for (let at = 0; at < part.length; at += slice) {
        crc = crc32(part.subarray(at, at + slice), crc);
        yield;
      }
    }
    if (crc.toString(16).padStart(8, '0') !== header.checksum) return { ok: false, reason: 'corrupt (checksum mismatch)' };
    return { ok: true, data: yield* decode(header, front, back, slice) };
  } finally {
    closeSync(fd);
  }
}

function* readFully(fd: number, target: Uint8Array, position: number, slice: number): Steps<void> {
  for (let done = 0; done < target.length; ) {
    const read = readSync(fd, target, done, Math.min(target.length - done, slice), position + done);
    if (read === 0) throw new Error('the file ended early');
    done += read;
    yield;
  }
}

function* decode(header: Header, front: Buffer, back: Uint8Array, slice: number): Steps<SnapshotData> {
  const parsed = JSON.parse(front.toString('utf8', 0, header.json)) as {
    articles: Omit<Article, 'sentences' | 'text'>[];
    warnings: LoadWarning[];
    words: string;
    names: string[];
    acronyms: SearcherState['acronyms'];
    terms: string;
    titles: string[][];
  };
  yield;
  const arrays: Record<string, TypedArray> = {};
  for (const { name, type, offset, length } of header.arrays) {
    const at = offset - header.arraysAt;
    const Type = TYPES[type];
    if (at < 0 || at % ALIGN !== 0 || at + length * Type.BYTES_PER_ELEMENT > back.length) throw new Error(`array ${name} lies outside the file`);
    arrays[name] = new Type(back.buffer as ArrayBuffer, at, length);
  }
  // A snapshot written by another build of this format may lack an array: unreadable, not a crash at the first search.
  const missing = [...INDEX_ARRAYS, 'vocabulary.counts', 'articles.textLength', 'articles.textBytes'].filter((name) => arrays[name] === undefined);
  if (missing.length > 0) throw new Error(`arrays missing: ${missing.join(', ')}`);
  const index = { terms: splitLines(parsed.terms), titles: parsed.titles, ...Object.fromEntries(INDEX_ARRAYS.map((name) => [name, arrays[name]])) } as IndexArrays;
  const counts = arrays['vocabulary.counts']!;
  const vocabulary = { counts: splitLines(parsed.words).map((word, i) => [word, counts[i]!] as [string, number]), names: parsed.names };
  yield;
  const ids = yield* decodeLines(front, header.json, header.json + header.ids, slice);
  const articles = yield* decodeTexts(parsed.articles, front, header.json + header.ids, arrays['articles.textBytes']!, arrays['articles.textLength']!, slice);
  return { articles: yield* withSentences(articles, ids, arrays), warnings: parsed.warnings, searcher: { vocabulary, acronyms: parsed.acronyms, index } };
}

/** Lines of UTF-8 bytes [from, to), a slice at a time; a slice ends at a line break, which no multi-byte character contains. */
function* decodeLines(bytes: Buffer, from: number, to: number, slice: number): Steps<string[]> {
  const lines: string[] = [];
  for (let at = from; at < to; ) {
    let end = Math.min(to, at + slice);
    if (end < to) {
      const lineBreak = bytes.indexOf(10, end);
      end = lineBreak < 0 || lineBreak >= to ? to : lineBreak;
    }
    for (const line of bytes.toString('utf8', at, end).split('\n')) lines.push(line);
    at = end + 1;
    yield;
  }
  return lines;
}

/**
 * The articles with their texts: the UTF-8 decoded a few MiB at a time, each slice ending where an
 * article does, and cut into articles (a few large strings rather than thousands of small ones).
 */
function* decodeTexts(articles: Omit<Article, 'sentences' | 'text'>[], bytes: Buffer, from: number, byteLengths: ArrayLike<number>, lengths: ArrayLike<number>, slice: number): Steps<Omit<Article, 'sentences'>[]> {
  const result: Omit<Article, 'sentences'>[] = new Array(articles.length);
  let a = 0;
  let at = from;
  while (a < articles.length) {
    let end = at;
    let last = a;
    do end += byteLengths[last++]!;
    while (last < articles.length && end - at < slice);
    const text = bytes.toString('utf8', at, end);
    for (let cut = 0; a < last; a++) {
      result[a] = { ...articles[a]!, text: text.slice(cut, cut + lengths[a]!) };
      cut += lengths[a]!;
    }
    at = end;
    yield;
  }
  return result;
}

/** The articles with their sentences, rebuilt from the columns; a yield after every few thousand sentences. */
function* withSentences(articles: Omit<Article, 'sentences'>[], idList: string[], columns: Record<string, TypedArray>): Steps<Article[]> {
  const count = columns['sentences.count']!;
  const result: Article[] = new Array(articles.length);
  let n = 0;
  for (let a = 0; a < articles.length; ) {
    // The hot loop stays in a plain function (generators optimise less well): whole articles per step.
    for (const stop = n + SLICE_SENTENCES; a < articles.length && n < stop; a++) {
      result[a] = { ...articles[a]!, sentences: sentencesOf(articles[a]!, n, count[a]!, idList, columns) };
      n += count[a]!;
    }
    yield;
  }
  return result;
}

function sentencesOf(article: Omit<Article, 'sentences'>, first: number, count: number, idList: string[], columns: Record<string, TypedArray>): Sentence[] {
  const [position, paragraph, start, end, excluded] = ['position', 'paragraph', 'start', 'end', 'excluded'].map((c) => columns[`sentences.${c}`]!);
  const sentences: Sentence[] = new Array(count);
  for (let i = 0, n = first; i < count; i++, n++) {
    const reason = EXCLUSIONS[excluded![n]!];
    const sentence: Sentence = { id: idList[n]!, articleId: article.id, position: position![n]!, paragraph: paragraph![n]!, text: article.text.slice(start![n]!, end![n]!), start: start![n]!, end: end![n]! };
    if (reason) sentence.excluded = reason;
    sentences[i] = sentence;
  }
  return sentences;
}

/** Runs the steps in one go. */
function runAll<T>(steps: Steps<T>): T {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

/** Runs the steps for at most `sliceMs` at a time, letting the event loop through in between. */
async function runSliced<T>(steps: Steps<T>, sliceMs: number): Promise<T> {
  let until = performance.now() + sliceMs;
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
    if (performance.now() >= until) {
      await new Promise((resolve) => setImmediate(resolve));
      until = performance.now() + sliceMs;
    }
  }
}

/** Reads a snapshot file; a missing, stale or corrupt one gives the reason instead. */
export function readSnapshot(path: string, print: string, options: ReadOptions = {}): Decoded {
  if (!existsSync(path)) return { ok: false, reason: 'no snapshot yet' };
  try {
    return runAll(readParts(path, print, options.sliceBytes ?? SLICE_BYTES));
  } catch (error) {
    return { ok: false, reason: `unreadable (${(error as Error).message})` };
  }
}

/**
 * `readSnapshot` in slices of at most about `sliceMs` of work, the event loop let through between
 * them: for a process that must keep answering while it reads (the bot, after a rebuild).
 */
export async function readSnapshotSliced(path: string, print: string, sliceMs = 10, options: ReadOptions = {}): Promise<Decoded> {
  if (!existsSync(path)) return { ok: false, reason: 'no snapshot yet' };
  try {
    return await runSliced(readParts(path, print, options.sliceBytes ?? SLICE_BYTES), sliceMs);
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
