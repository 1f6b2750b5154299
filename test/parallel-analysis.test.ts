import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeParagraph } from '../src/nlp/analysis.js';
import { analyzeParagraphs } from '../src/nlp/parallel.js';
import { decodeParagraphs, encodeParagraphs } from '../src/nlp/token-columns.js';
import { loadCorpus, type LoadOptions } from '../src/corpus/load.js';
import { defaultBoilerplate } from '../src/corpus/boilerplate.js';
import { corpusDir } from './helpers.js';

// Every line of the bundled articles, plus lines with nothing to analyse.
const lines = [
  ...readdirSync(corpusDir)
    .filter((f) => f.endsWith('.txt') && f !== 'aliases.txt')
    .flatMap((f) => readFileSync(join(corpusDir, f), 'utf8').split('\n')),
  '',
  '🙂 — …',
  'Zelenskyy said: "Ukraine needs security guarantees." 150,000 troops.',
];

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
    const parallel = await analyzeParagraphs(many, { workers: 2, minChars: 0, onDone: (done) => progress.push(done), onNote: (m) => notes.push(m) });
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
    const result = await analyzeParagraphs(many, { workers: 2, minChars: 0, script: failing, onNote: (m) => notes.push(m) });
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
});
