/**
 * The engines the evaluation compares, each answering "which sentences answer this, best first?"
 * with a confident answer (empty: it abstains) and, when it abstains, the closest passages it shows:
 *   cited      Cited itself: its excerpts, in order, with its own abstention rule, and its `related`;
 *   wink-bm25  wink-bm25-text-search over the same sentences, terms = wink-nlp normal form, stemmed, stop words out;
 *   fts5       SQLite FTS5 with the porter tokenizer, ranked by bm25(), the question's words OR-ed.
 * The baselines have no abstention rule: they abstain only when nothing matches at all.
 */
import Database from 'better-sqlite3';
import bm25 from 'wink-bm25-text-search';
import winkNLP from 'wink-nlp';
import model from 'wink-eng-lite-web-model';
import type { Cited } from '../../src/cited.js';

export interface Engine {
  name: string;
  /** Texts of the confident answer's results (at most `limit`; empty when it abstains), and of the closest passages shown instead. */
  rank(question: string, limit: number): { confident: string[]; related: string[] };
}

export function citedEngine(cited: Cited): Engine {
  return {
    name: 'cited',
    rank(question, limit) {
      try {
        const answer = cited.ask(question, { limit });
        return { confident: answer.excerpts.map((e) => e.text), related: answer.related.map((e) => e.text) };
      } catch {
        return { confident: [], related: [] }; // a question Cited refuses (no searchable words) counts as an abstention
      }
    },
  };
}

/** The sentences Cited may quote: the baselines search exactly these. */
export function quotableSentences(cited: Cited): string[] {
  return cited.articles.flatMap((a) => a.sentences.filter((s) => !s.excluded).map((s) => s.text));
}

/** wink-bm25-text-search over `sentences`: terms are wink-nlp tokens, stemmed, stop words out. Returns sentence numbers. */
export function winkBm25Search(sentences: readonly string[]): (question: string, limit: number) => number[] {
  const nlp = winkNLP(model);
  const its = nlp.its;
  const prepare = (text: string): string[] =>
    (nlp.readDoc(text).tokens().filter((t) => (t.out(its.type) === 'word' || t.out(its.type) === 'number') && !t.out(its.stopWordFlag)).out(its.stem as unknown as typeof its.normal) as string[]).map((s) => s.toLowerCase());
  const engine = bm25();
  engine.defineConfig({ fldWeights: { body: 1 } });
  engine.definePrepTasks([prepare]);
  sentences.forEach((text, i) => engine.addDoc({ body: text }, i));
  engine.consolidate();
  return (question, limit) => engine.search(question, limit).map(([id]) => Number(id));
}

/** SQLite FTS5 (porter tokenizer, bm25 ranking) over `sentences`, in `file` or in memory. Returns sentence numbers. */
export function fts5Search(sentences: readonly string[], file = ':memory:'): { search: (question: string, limit: number) => number[]; db: Database.Database } {
  const db = new Database(file);
  db.exec(`CREATE VIRTUAL TABLE s USING fts5(body, tokenize='porter')`);
  const insert = db.prepare('INSERT INTO s (rowid, body) VALUES (?, ?)');
  db.transaction(() => sentences.forEach((text, i) => insert.run(i + 1, text)))();
  return { search: fts5Query(db), db };
}

/** A search function over an FTS5 table `s`: the question's words OR-ed, best bm25 first. */
export function fts5Query(db: Database.Database): (question: string, limit: number) => number[] {
  const statement = db.prepare('SELECT rowid FROM s WHERE s MATCH ? ORDER BY bm25(s) LIMIT ?');
  return (question, limit) => {
    const words = question.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
    if (words.length === 0) return [];
    const query = [...new Set(words)].map((w) => `"${w}"`).join(' OR ');
    return (statement.all(query, limit) as { rowid: number }[]).map((r) => r.rowid - 1);
  };
}

export function winkBm25Engine(sentences: readonly string[]): Engine {
  const search = winkBm25Search(sentences);
  return { name: 'wink-bm25', rank: (question, limit) => ({ confident: search(question, limit).map((i) => sentences[i]!), related: [] }) };
}

export function fts5Engine(sentences: readonly string[]): Engine {
  const { search } = fts5Search(sentences);
  return { name: 'fts5', rank: (question, limit) => ({ confident: search(question, limit).map((i) => sentences[i]!), related: [] }) };
}
