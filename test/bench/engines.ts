/**
 * The engines the benchmark compares on the same sentences and questions: Cited and the peers a
 * user would pick instead. Each builds an index (ingest), answers top-10 queries with sentence
 * numbers, and, where the engine can, saves and reloads its index (cold start).
 */
import Database from 'better-sqlite3';
import MiniSearch from 'minisearch';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeParagraph } from '../../src/nlp/analysis.js';
import { forEachAnalyzed } from '../../src/nlp/parallel.js';
import { SearcherBuilder, segmentFrom, type RawSegment } from '../../src/search/builder.js';
import { Searcher } from '../../src/search/search.js';
import { defaults } from '../../src/cited.js';
import { noAliases } from '../../src/search/variants.js';
import { readSnapshot, writeSnapshot } from '../../src/snapshot.js';
import type { Article, Sentence } from '../../src/core/types.js';
import { fts5Query, fts5Search, winkBm25Search } from '../eval/engines.js';

export interface Built {
  /** Sentence numbers of the best results, best first. */
  query(question: string, limit: number): number[];
  /** Saves the index; the function returned loads it back as a fresh engine (timed as the cold start). */
  save?(): () => Built;
  /**
   * Adds articles (each a list of sentences) to the running index without rebuilding it, one at a
   * time, as moderators or a feed would; later queries search them too. Where the engine can.
   */
  add?(articles: string[][]): Promise<void>;
  /**
   * Gives each server a library of its own beside the index (each a list of articles, each a list
   * of sentences); returns a query function per server that searches the index and that server's
   * articles together. Where the engine can.
   */
  servers?(libraries: string[][][]): Promise<((question: string, limit: number) => number[])[]>;
}

export interface BenchEngine {
  name: string;
  /**
   * The corpus as this engine reads it, made before ingest is timed and its heap measured: the
   * text an engine is given is not its index (the peers are handed the sentences the harness holds).
   */
  prepare?(sentences: readonly string[]): unknown;
  build(sentences: readonly string[], prepared?: unknown): Built | Promise<Built>;
  /** Why the JavaScript heap does not measure this engine's index (it lives elsewhere), if it does not. */
  heapNote?: string;
}

/** Raw wink-nlp analysis of the same text: the floor for any wink-based ingest. */
export function rawAnalysis(sentences: readonly string[]): number {
  let tokens = 0;
  for (const s of sentences) for (const span of analyzeParagraph(s)) tokens += span.tokens.length;
  return tokens;
}

/** Cited reads articles: the sentences are put together 50 to an article, one per line. */
interface BenchCorpus {
  texts: string[];
  /** Per sentence, its start in its article's text. */
  starts: Uint32Array;
}

const PER_ARTICLE = 50;

export const cited: BenchEngine = {
  name: 'cited',
  prepare(sentences): BenchCorpus {
    const texts: string[] = [];
    const starts = new Uint32Array(sentences.length);
    for (let a = 0; a * PER_ARTICLE < sentences.length; a++) {
      const lines = sentences.slice(a * PER_ARTICLE, (a + 1) * PER_ARTICLE);
      let at = 0;
      lines.forEach((line, i) => {
        starts[a * PER_ARTICLE + i] = at;
        at += line.length + 1;
      });
      texts.push(lines.join('\n'));
    }
    return { texts, starts };
  },
  async build(sentences, prepared) {
    const corpus = prepared as BenchCorpus;
    const articles: Article[] = [];
    const builder = new SearcherBuilder();
    // Analysed and indexed as createCited does a corpus: on worker threads, one per core, each
    // sentence indexed as its analysis comes in.
    await forEachAnalyzed(sentences, (spans, i) => {
      const a = Math.floor(i / PER_ARTICLE);
      const articleId = `a${a}`;
      if (i % PER_ARTICLE === 0) articles.push({ id: articleId, file: `${articleId}.txt`, title: null, date: null, url: null, outlet: null, text: corpus.texts[a]!, sentences: [], metaOrigin: {} });
      const start = corpus.starts[i]!;
      const sentence: Sentence = { id: String(i), articleId, position: i % PER_ARTICLE, paragraph: i % PER_ARTICLE, text: sentences[i]!, start, end: start + sentences[i]!.length };
      articles.at(-1)!.sentences.push(sentence);
      builder.add(sentence, spans.length === 1 ? spans[0]!.tokens : spans.flatMap((s) => s.tokens));
    });
    const searcher = builder.finish(articles, articles.map(() => []), noAliases, citedOptions);
    return citedBuilt(searcher, articles);
  },
};

const citedOptions = { bm25: defaults.bm25, context: defaults.context, unknownWeight: defaults.unknownWeight, figureBonus: defaults.figureBonus };

// Module-level, so a loader closes over its file alone: a cold start must not find the engine it replaces still in memory.
function citedBuilt(engine: Searcher, articles: Article[]): Built {
  let added = 0;
  return {
    query: (q, limit) => engine.search(q, limit).hits.map((h) => Number(h.sentence.id)),
    // As Library.add does it, minus the worker: the article analysed, indexed as folded forms, made a segment with the corpus's analyzer.
    async add(texts) {
      for (const lines of texts) {
        const articleId = `added${added++}`;
        const text = lines.join('\n');
        const article: Article = { id: articleId, file: `${articleId}.txt`, title: null, date: null, url: null, outlet: null, text, sentences: [], metaOrigin: {} };
        const builder = new SearcherBuilder();
        let at = 0;
        lines.forEach((line, i) => {
          const sentence: Sentence = { id: String(-1 - i), articleId, position: i, paragraph: i, text: line, start: at, end: at + line.length };
          at += line.length + 1;
          article.sentences.push(sentence);
          builder.add(sentence, analyzeParagraph(line).flatMap((s) => s.tokens));
        });
        const raw = builder.raw([article], [[]]);
        engine = engine.withSegment(await segmentFrom(raw, article.sentences, engine.analyzer, citedOptions));
      }
    },
    // As local-libraries.ts does it, minus the files and the worker: every server's articles
    // analysed (on worker threads, one per core), indexed as folded forms, made one segment with the
    // corpus's analyzer, and the server's view made. What is kept per server is what the bot keeps:
    // the articles, their folded forms (to remake the segment after a merge), the segment and the view.
    async servers(libraries) {
      const flat: string[] = [];
      const where: [number, number, number][] = [];
      libraries.forEach((articles, s) => articles.forEach((lines, a) => lines.forEach((line, i) => (flat.push(line), where.push([s, a, i])))));
      const builders = libraries.map(() => new SearcherBuilder());
      const kept = libraries.map((articles, s) => articles.map((lines, a) => localArticle(`local.s${s}a${a}`, lines)));
      await forEachAnalyzed(flat, (spans, k) => {
        const [s, a, i] = where[k]!;
        builders[s]!.add(kept[s]![a]!.sentences[i]!, spans.flatMap((span) => span.tokens));
      });
      const views: { raw: RawSegment; view: Searcher }[] = [];
      for (const [s, builder] of builders.entries()) {
        const articles = kept[s]!;
        const raw = builder.raw(articles, articles.map(() => []));
        const segment = await segmentFrom(raw, articles.flatMap((a) => a.sentences), engine.analyzer, citedOptions);
        views.push({ raw, view: engine.withLocal([segment], new Set()) });
      }
      // Each closure holds its server's whole entry (the folded forms too), as the bot would.
      return views.map((entry) => (q: string, limit: number) => entry.view.search(q, limit).hits.map((h) => Number(h.sentence.id)));
    },
    // Cold start: the index snapshot written to disk, then read back as `npm start` does.
    save() {
      const dir = mkdtempSync(join(tmpdir(), 'cited-bench-snapshot-'));
      process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
      const file = join(dir, 'index.snapshot');
      writeSnapshot(file, { articles, warnings: [], searcher: engine.state() }, 'bench');
      return citedLoader(file);
    },
  };
}

/** A server's article of generated sentences (ids that are no corpus sentence number: NaN in results). */
function localArticle(id: string, lines: string[]): Article {
  const article: Article = { id, file: `${id}.txt`, title: null, date: null, url: null, outlet: null, text: lines.join('\n'), sentences: [], metaOrigin: {} };
  let at = 0;
  lines.forEach((line, i) => {
    article.sentences.push({ id: `${id}#${i}`, articleId: id, position: i, paragraph: i, text: line, start: at, end: at + line.length });
    at += line.length + 1;
  });
  return article;
}

/** The loader of a saved index; made out here so it holds the file's name and nothing of the engine. */
function citedLoader(file: string): () => Built {
  return () => citedLoad(file);
}

function citedLoad(file: string): Built {
  const read = readSnapshot(file, 'bench');
  if (!read.ok) throw new Error(read.reason);
  const all: Sentence[] = [];
  for (const article of read.data.articles) for (const sentence of article.sentences) all.push(sentence);
  return citedBuilt(Searcher.restore(read.data.searcher, all, noAliases, citedOptions), read.data.articles);
}

export const winkBm25: BenchEngine = {
  name: 'wink-bm25',
  build: (sentences) => ({ query: winkBm25Search(sentences) }),
};

const miniSearchOptions = { fields: ['text'], idField: 'id' };
type MiniIndex = MiniSearch<{ id: number; text: string }>;

export const miniSearch: BenchEngine = {
  name: 'minisearch',
  build(sentences) {
    const index: MiniIndex = new MiniSearch(miniSearchOptions);
    index.addAll(sentences.map((text, id) => ({ id, text })));
    return miniSearchBuilt(index);
  },
};

function miniSearchLoader(json: string): () => Built {
  return () => miniSearchBuilt(MiniSearch.loadJSON(json, miniSearchOptions));
}

function miniSearchBuilt(engine: MiniIndex): Built {
  return {
    query: (q, limit) => engine.search(q).slice(0, limit).map((r) => Number(r.id)),
    save() {
      const json = JSON.stringify(engine);
      return miniSearchLoader(json);
    },
  };
}

export const fts5: BenchEngine = {
  name: 'fts5',
  heapNote: "heap n/a: the index lives in SQLite's own memory and file, outside the JavaScript heap",
  build(sentences) {
    const dir = mkdtempSync(join(tmpdir(), 'cited-bench-fts5-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'index.sqlite');
    const { search, db } = fts5Search(sentences, file);
    return {
      query: search,
      save() {
        db.close();
        return () => ({ query: fts5Query(new Database(file, { readonly: true })) });
      },
    };
  },
};

export const peers: BenchEngine[] = [fts5, miniSearch, winkBm25];

