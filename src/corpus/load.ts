/**
 * Reads a corpus folder into articles and sentences. Every `*.txt` file is an article (except
 * `aliases.txt`, the spelling-variant file), and so is every `*.html` / `*.htm` page, its article
 * extracted as it is read (pages/page-file.ts); `sources.json` supplies or corrects metadata. A
 * file that cannot be used is skipped with a warning that names it: loading never stops on one bad file.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import type { Article, ArticleMeta, LoadWarning, Sentence } from '../core/types.js';
import { citedError, isCitedError } from '../core/errors.js';
import { analyzeText, type SentenceSpan, type WordToken } from '../nlp/analysis.js';
import { forEachAnalyzed, type ParallelOptions } from '../nlp/parallel.js';
import { parseArticle } from './parse.js';
import { readArticleFile } from './read-file.js';
import { outletFromUrl } from './outlet.js';
import { isBoilerplate } from './boilerplate.js';
import { repairSentenceBreaks } from './sentence-breaks.js';
import { readSourcesFile, type SourcesFile } from './sources-file.js';
import { readPageArticle } from '../pages/page-file.js';

export const ALIASES_FILE = 'aliases.txt';
/** A quotable sentence has at least one letter or digit, of any script. */
const WORDLIKE = /[\p{L}\p{N}]/u;
export const SOURCES_FILE = 'sources.json';

export interface LoadOptions {
  maxArticleBytes: number;
  boilerplate: readonly RegExp[];
  /** Told as files are analysed, for a progress display on large corpora. */
  onProgress?: (done: number, total: number) => void;
  /** Worker threads for the analysis (see nlp/parallel.ts). */
  parallel?: Partial<Omit<ParallelOptions, 'onDone'>>;
  /**
   * Takes each quotable sentence's tokens as its file is cut, in corpus order; `analyzed` then
   * stays empty. How a large corpus is indexed without every token in memory at once.
   */
  onAnalyzed?: (sentence: AnalyzedSentence) => void;
  /** Read only these files of the folder (an article just added, indexed as a segment of its own). */
  only?: ReadonlySet<string>;
  /**
   * The folder holds one server's own articles (local-libraries.ts), whose ids all begin with
   * LOCAL_PREFIX; the shared corpus never reads such a file, so the two never share an id.
   */
  local?: boolean;
}

/** The beginning of every id of a server's own article (`local.briefing`), and of no shared article's. */
export const LOCAL_PREFIX = 'local.';

/** A sentence with its word tokens, kept only while the index is built. */
export interface AnalyzedSentence {
  sentence: Sentence;
  tokens: WordToken[];
}

export interface LoadedCorpus {
  articles: Article[];
  /** Sentences fit to quote (not excluded), in corpus order; empty when `onAnalyzed` took them. */
  analyzed: AnalyzedSentence[];
  /** Word tokens of each article's title, same order as `articles`. */
  titles: WordToken[][];
  warnings: LoadWarning[];
}

/**
 * Two steps: read and parse every file (here), then analyse every paragraph (on worker threads when
 * the corpus is large, see nlp/parallel.ts), cutting each file into sentences as its analysis comes in.
 */
export async function loadCorpus(dir: string, options: LoadOptions): Promise<LoadedCorpus> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw citedError('CORPUS_NOT_FOUND', dir);
  const warnings: LoadWarning[] = [];
  let sources: SourcesFile = new Map();
  if (existsSync(join(dir, SOURCES_FILE))) {
    try {
      sources = readSourcesFile(join(dir, SOURCES_FILE), (message) => warnings.push({ file: SOURCES_FILE, message }));
    } catch (error) {
      if (!isCitedError(error)) throw error;
      warnings.push({ file: SOURCES_FILE, message: `${error.message} It was ignored.` });
    }
  }

  const files = readdirSync(dir).sort();
  const parsed: ParsedFile[] = [];
  // A page and a .txt of the same name would be one id twice: the .txt wins (and of x.htm and x.html, the first).
  const texts = new Set(files.filter((f) => /\.txt$/i.test(f)).map((f) => f.replace(/\.txt$/i, '')));
  const pageIds = new Set<string>();
  for (const file of files) {
    const read = readFile(dir, file, options);
    if (read === null) continue;
    if ('message' in read) warnings.push({ file, message: read.message });
    else parsed.push(read);
  }

  // Every paragraph of every file, in order, analysed in one go (on worker threads when large);
  // each file is cut into sentences as soon as its last paragraph is analysed, and its tokens go
  // on (to `onAnalyzed`, or into `analyzed`). Progress is counted in files.
  const lines = parsed.flatMap((p) => p.lines);
  const articles: Article[] = [];
  const analyzed: AnalyzedSentence[] = [];
  const titles: WordToken[][] = [];
  const take = options.onAnalyzed ?? ((a: AnalyzedSentence) => analyzed.push(a));
  let filesDone = 0;
  let spans: SentenceSpan[][] = [];
  const finishFiles = () => {
    while (filesDone < parsed.length && parsed[filesDone]!.lines.length === spans.length) {
      const file = parsed[filesDone++]!;
      const loaded = buildArticle(file, spans, options);
      spans = [];
      for (const message of file.notes) warnings.push({ file: file.file, message });
      if (loaded.analyzed.length === 0) warnings.push({ file: file.file, message: 'skipped: no sentences to quote in it' });
      else {
        articles.push(loaded.article);
        titles.push(loaded.article.title ? analyzeText(loaded.article.title) : []);
        for (const a of loaded.analyzed) take(a);
      }
      options.onProgress?.(filesDone, files.length);
    }
  };
  options.onProgress?.(0, files.length);
  finishFiles(); // files with no paragraphs at the start
  await forEachAnalyzed(
    lines,
    (paragraph) => {
      spans.push(paragraph);
      finishFiles();
    },
    options.parallel,
  );
  options.onProgress?.(files.length, files.length);
  for (const id of sources.keys()) {
    if (!articles.some((a) => a.id === id)) warnings.push({ file: SOURCES_FILE, message: `"${id}" names no article in the corpus` });
  }
  return { articles, analyzed, titles, warnings };

  function readFile(dir: string, file: string, options: LoadOptions): ParsedFile | { message: string } | null {
    if (file.startsWith('.') || file === ALIASES_FILE || file === SOURCES_FILE) return null;
    if (options.only && !options.only.has(file)) return null;
    const path = join(dir, file);
    if (!statSync(path).isFile()) return null;
    const page = /\.html?$/i.test(file);
    if (!page && !file.toLowerCase().endsWith('.txt')) return { message: 'skipped: only .txt, .html and .htm files are read as articles' };
    const id = file.replace(/\.(txt|html?)$/i, '');
    if (id.startsWith(LOCAL_PREFIX) !== (options.local ?? false)) {
      return { message: options.local ? `skipped: a server's own article's file name begins with ${LOCAL_PREFIX}` : `skipped: names beginning with ${LOCAL_PREFIX} are kept for servers' own articles; rename the file` };
    }
    if (page && texts.has(id)) return { message: `skipped: ${id}.txt has the same id (the .txt is read)` };
    if (page && pageIds.has(id)) return { message: `skipped: another page has the same id, ${id}` };
    if (page) pageIds.add(id);
    const read = page ? readPageArticle(path, file) : readArticleFile(path, options.maxArticleBytes);
    if (!read.ok) return { message: read.message };
    return parseFile(id, file, read.text, sources.get(id));
  }
}

/** A file read and parsed, its paragraphs not yet analysed. */
interface ParsedFile {
  id: string;
  file: string;
  text: string;
  meta: ArticleMeta;
  metaOrigin: Article['metaOrigin'];
  paragraphs: { start: number; end: number }[];
  /** The paragraphs' text, one line each. */
  lines: string[];
  notes: string[];
}

function parseFile(id: string, file: string, raw: string, override: Partial<ArticleMeta> | undefined): ParsedFile {
  const parsed = parseArticle(raw);
  const { text } = parsed;
  const meta: ArticleMeta = { title: null, date: null, url: null, outlet: null, ...parsed.meta };
  const metaOrigin = { ...parsed.origin };
  for (const [key, value] of Object.entries(override ?? {}) as [keyof ArticleMeta, string | null][]) {
    meta[key] = value;
    metaOrigin[key] = 'sources.json';
  }
  if (meta.outlet === null && meta.url !== null && override?.outlet === undefined) meta.outlet = outletFromUrl(meta.url);
  const lines = parsed.paragraphs.map((p) => text.slice(p.start, p.end));
  return { id, file, text, meta, metaOrigin, paragraphs: parsed.paragraphs, lines, notes: parsed.notes };
}

function buildArticle(file: ParsedFile, analysed: SentenceSpan[][], options: LoadOptions) {
  const { id, text, lines } = file;
  // A line repeated word for word is a photo caption or a scraping slip: quote it at most once.
  const lineCounts = new Map<string, number>();
  for (const line of lines) lineCounts.set(line, (lineCounts.get(line) ?? 0) + 1);

  const sentences: Sentence[] = [];
  const analyzed: AnalyzedSentence[] = [];
  const seen = new Set<string>();
  const ids = new Set<string>();
  file.paragraphs.forEach((p, paragraph) => {
    const line = lines[paragraph]!;
    const caption = (lineCounts.get(line) ?? 0) > 1 && !/[.!?"”’)]$/.test(line);
    const spans = analysed[paragraph]!;
    for (const group of repairSentenceBreaks(line, spans)) {
      const first = spans[group[0]!]!;
      const span = { start: first.start, end: spans[group.at(-1)!]!.end, tokens: group.flatMap((g) => spans[g]!.tokens) };
      const start = p.start + span.start;
      const end = p.start + span.end;
      const sentenceText = text.slice(start, end);
      const key = sentenceText.replace(/\s+/g, ' ');
      // Nothing to search for and nothing to quote: "!!! ... ???", a row of dashes, a lone "—".
      const excluded = !WORDLIKE.test(sentenceText)
        ? 'wordless'
        : caption
          ? 'caption'
          : isBoilerplate(sentenceText, options.boilerplate)
            ? 'boilerplate'
            : seen.has(key)
              ? 'duplicate'
              : undefined;
      seen.add(key);
      const sentence: Sentence = {
        id: uniqueId(`${id}#${createHash('sha1').update(key).digest('hex').slice(0, 10)}`, ids),
        articleId: id,
        position: sentences.length,
        paragraph,
        text: sentenceText,
        start,
        end,
        ...(excluded ? { excluded } : {}),
      };
      sentences.push(sentence);
      if (!excluded) {
        const tokens = span.tokens.map((t) => ({ ...t, start: t.start - span.start, end: t.end - span.start }));
        analyzed.push({ sentence, tokens });
      }
    }
  });
  const article: Article = { id, file: file.file, ...file.meta, text, sentences, metaOrigin: file.metaOrigin };
  return { article, analyzed };
}

/** Sentence ids come from the text, so they survive re-indexing; a repeat gets `~2`, `~3`… */
function uniqueId(base: string, taken: Set<string>): string {
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}~${n}`;
  taken.add(id);
  return id;
}
