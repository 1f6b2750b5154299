import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeParagraph } from '../src/nlp/analysis.js';
import { forEachAnalyzed, type ParallelOptions } from '../src/nlp/parallel.js';
import type { SentenceSpan } from '../src/nlp/analysis.js';
import { decodeParagraphs, encodeParagraphs } from '../src/nlp/token-columns.js';
import { loadCorpus, type AnalyzedSentence, type LoadOptions } from '../src/corpus/load.js';
import { buildSearcher, SearcherBuilder } from '../src/search/builder.js';
import { defaults } from '../src/cited.js';
import { noAliases } from '../src/search/variants.js';
import { defaultBoilerplate } from '../src/corpus/boilerplate.js';
import { corpusDir, root } from './helpers.js';

// Every line of the bundled articles, plus lines with nothing to analyse.
const lines = [
  ...readdirSync(corpusDir)
    .filter((f) => f.endsWith('.txt') && f !== 'aliases.txt')
    .flatMap((f) => readFileSync(join(corpusDir, f), 'utf8').split('\n')),
  '',
  '🙂 — …',
  'Zelenskyy said: "Ukraine needs security guarantees." 150,000 troops.',
];

/** What forEachAnalyzed hands over, collected in order: `texts.map(analyzeParagraph)`, however it was analysed. */
async function analyzeAll(texts: string[], options: Partial<ParallelOptions>): Promise<SentenceSpan[][]> {
  const all: SentenceSpan[][] = [];
  await forEachAnalyzed(texts, (spans, i) => (all[i] = spans), options);
  return all;
}

describe('analysis on worker threads', () => {
  it('passes analysed paragraphs between threads unchanged (token columns)', () => {
    const analysed = lines.map((l) => analyzeParagraph(l));
    expect(decodeParagraphs(encodeParagraphs(analysed))).toEqual(analysed);
    expect(decodeParagraphs(encodeParagraphs([]))).toEqual([]);
    expect(decodeParagraphs(encodeParagraphs([[], []]))).toEqual([[], []]);
  });

  it('gives exactly what analysing in this thread gives, in order, reporting progress up to the total', async () => {
    const progress: number[] = [];
    const notes: string[] = [];
    // Many copies, so the text spans several chunks and both workers get some.
    const many = Array.from({ length: 40 }, () => lines).flat();
    const parallel = await analyzeAll(many, { workers: 2, minChars: 0, onDone: (done) => progress.push(done), onNote: (m) => notes.push(m) });
    expect(notes).toEqual([]); // the workers ran: no fallback to this thread
    expect(parallel).toEqual(many.map((l) => analyzeParagraph(l)));
    expect(progress.length).toBeGreaterThan(1);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress.at(-1)).toBe(many.length);
  });

  it('falls back to this thread, losing nothing, when a worker fails', async () => {
    const failing = join(mkdtempSync(join(tmpdir(), 'cited-worker-')), 'failing-worker.mjs');
    writeFileSync(failing, "import { parentPort } from 'node:worker_threads';\nparentPort.on('message', () => { throw new Error('worker broke'); });\n");
    const notes: string[] = [];
    const many = Array.from({ length: 10 }, () => lines).flat();
    const result = await analyzeAll(many, { workers: 2, minChars: 0, script: failing, onNote: (m) => notes.push(m) });
    expect(result).toEqual(many.map((l) => analyzeParagraph(l)));
    expect(notes).toEqual([expect.stringMatching(/^parallel analysis failed \(worker broke\): analysing the rest in one thread$/)]);
  });

  it('loads the same corpus with workers as without', async () => {
    const options: LoadOptions = { maxArticleBytes: 5 * 1024 * 1024, boilerplate: defaultBoilerplate };
    const inline = await loadCorpus(corpusDir, { ...options, parallel: { workers: 0 } });
    const notes: string[] = [];
    const parallel = await loadCorpus(corpusDir, { ...options, parallel: { workers: 2, minChars: 0, onNote: (m) => notes.push(m) } });
    expect(notes).toEqual([]);
    expect(parallel).toEqual(inline);
    expect(parallel.analyzed.length).toBeGreaterThan(100);
  });

  it('visits in order when a later chunk comes back first', async () => {
    // A worker that holds back the first chunk it is given, so the second one arrives before it.
    const slow = join(mkdtempSync(join(tmpdir(), 'cited-worker-')), 'slow-first-worker.mjs');
    const dist = join(root, 'dist', 'src', 'nlp');
    writeFileSync(
      slow,
      `import { parentPort } from 'node:worker_threads';
import { analyzeParagraph } from ${JSON.stringify(join(dist, 'analysis.js'))};
import { encodeParagraphs } from ${JSON.stringify(join(dist, 'token-columns.js'))};
parentPort.on('message', ({ chunk, texts }) => {
  const columns = encodeParagraphs(texts.map((t) => analyzeParagraph(t)));
  setTimeout(() => parentPort.postMessage({ chunk, columns }), chunk === 0 ? 300 : 0);
});
`,
    );
    const many = Array.from({ length: 20 }, () => lines).flat();
    const visited: number[] = [];
    const spans: unknown[] = [];
    const notes: string[] = [];
    await forEachAnalyzed(many, (s, i) => (visited.push(i), spans.push(s)), { workers: 1, minChars: 0, script: slow, onNote: (m) => notes.push(m) });
    expect(notes).toEqual([]);
    expect(visited).toEqual(many.map((_, i) => i));
    expect(spans).toEqual(many.map((l) => analyzeParagraph(l)));
  });

  it("passes on an error of the caller's visit instead of analysing again in this thread", async () => {
    const many = Array.from({ length: 10 }, () => lines).flat();
    const notes: string[] = [];
    let visits = 0;
    const run = forEachAnalyzed(
      many,
      (_, i) => {
        visits++;
        if (i === 5) throw new Error('the visitor broke');
      },
      { workers: 2, minChars: 0, onNote: (m) => notes.push(m) },
    );
    await expect(run).rejects.toThrow('the visitor broke');
    expect(notes).toEqual([]);
    expect(visits).toBe(6);
  });

  it('hands each sentence on as its file is cut, keeping none, and indexes them as a corpus in hand', async () => {
    const options: LoadOptions = { maxArticleBytes: 5 * 1024 * 1024, boilerplate: defaultBoilerplate };
    const inHand = await loadCorpus(corpusDir, { ...options, parallel: { workers: 0 } });
    const handed: AnalyzedSentence[] = [];
    const builder = new SearcherBuilder();
    const streamed = await loadCorpus(corpusDir, {
      ...options,
      parallel: { workers: 2, minChars: 0 },
      onAnalyzed: (a) => {
        handed.push(a);
        builder.add(a.sentence, a.tokens);
      },
    });
    expect(streamed.analyzed).toEqual([]);
    expect(handed).toEqual(inHand.analyzed);
    expect(streamed.articles).toEqual(inHand.articles);
    const searchOptions = { bm25: defaults.bm25, context: defaults.context, unknownWeight: defaults.unknownWeight };
    const fromStream = builder.finish(streamed.articles, streamed.titles, noAliases, searchOptions);
    const fromHand = buildSearcher(inHand, noAliases, searchOptions);
    expect(fromStream.state()).toEqual(fromHand.state());
    const ids = (q: string) => fromStream.search(q, 10).hits.map((h) => h.sentence.id);
    expect(ids('How many troops has Russia amassed near Ukraine?').length).toBeGreaterThan(0);
    expect(ids('How many troops has Russia amassed near Ukraine?')).toEqual(fromHand.search('How many troops has Russia amassed near Ukraine?', 10).hits.map((h) => h.sentence.id));
  });
});
