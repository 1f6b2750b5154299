/**
 * wink-nlp analysis spread over worker threads: a large corpus is analysed on every core instead
 * of one. Each worker loads its own copy of the language model (a few hundred milliseconds), so
 * small inputs are analysed in this thread; so is everything when the workers cannot start or
 * fail (the result is the same, only slower — a note says why).
 *
 * The worker runs compiled JavaScript (`dist/src/nlp/analysis-worker.js`): under vitest, which runs
 * the TypeScript sources, that file comes from `tsc -p .`, which `npm test` runs first.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { compiledWorker } from '../core/paths.js';
import { analyzeParagraph, type SentenceSpan } from './analysis.js';
import { decodeParagraphs, type TokenColumns } from './token-columns.js';

export interface ParallelOptions {
  /** Worker threads; 0 analyses in this thread. Default: one per core. */
  workers: number;
  /** Below this many characters of text, workers are not worth starting. */
  minChars: number;
  /** Told after each chunk: how many of the texts are analysed. */
  onDone?: (done: number, total: number) => void;
  /** Told why analysis fell back to this thread. */
  onNote?: (message: string) => void;
  /** The worker script (default: the compiled analysis-worker.js); tests give one that fails. */
  script?: string;
}

/**
 * A worker takes ~0.8 s to load the model, and one thread analyses ~1.5 million characters a
 * second: below ~5 million characters (about 30,000 news sentences) workers do not pay for themselves.
 */
export const defaultParallelOptions: ParallelOptions = { workers: availableParallelism(), minChars: 5_000_000 };

/** Texts per chunk sent to a worker: large enough to amortise a message, small enough to balance. */
const CHUNK_CHARS = 200_000;

/**
 * Hands every text's analysis to `visit`, in order, on worker threads when that pays. Nothing is
 * kept: a chunk that comes back early waits as compact columns, and its token objects exist only
 * while `visit` takes them — a million sentences' tokens at once would not fit in the heap.
 */
export async function forEachAnalyzed(texts: readonly string[], visit: (spans: SentenceSpan[], index: number) => void, options: Partial<ParallelOptions> = {}): Promise<void> {
  const { workers, minChars, onDone, onNote } = { ...defaultParallelOptions, ...options };
  const chars = texts.reduce((sum, t) => sum + t.length, 0);
  const script = options.script ?? workerScript();
  const here = (from: number) => {
    for (let i = from; i < texts.length; i++) {
      visit(analyzeParagraph(texts[i]!), i);
      onDone?.(i + 1, texts.length);
    }
  };
  if (workers <= 0 || chars < minChars) return here(0);
  if (script === null) {
    onNote?.('parallel analysis unavailable (no compiled worker; run `npm run build`): analysing in one thread');
    return here(0);
  }
  const chunks = chunk(texts);
  // Chunks back from the workers but not yet visited (an earlier one is still out).
  const waiting = new Map<number, TokenColumns>();
  let next = 0;
  const visitChunk = (columns: TokenColumns | undefined) => {
    const [from, to] = chunks[next]!;
    waiting.delete(next);
    const analysed = columns ? decodeParagraphs(columns) : texts.slice(from, to).map((text) => analyzeParagraph(text));
    analysed.forEach((spans, i) => visit(spans, from + i));
    next++;
    onDone?.(to, texts.length);
  };
  // An error thrown by `visit` is the caller's, not a worker's: it is passed on, not retried.
  let visitError: unknown = null;
  try {
    await runWorkers(script, Math.min(workers, chunks.length), chunks, texts, (c, columns) => {
      waiting.set(c, columns);
      try {
        while (waiting.has(next)) visitChunk(waiting.get(next));
      } catch (error) {
        visitError = error;
        throw error;
      }
    });
  } catch (error) {
    if (visitError !== null) throw visitError;
    onNote?.(`parallel analysis failed (${(error as Error).message}): analysing the rest in one thread`);
    // Chunks that came back are used; the rest are analysed here.
    while (next < chunks.length) visitChunk(waiting.get(next));
  }
}

/** [from, to) ranges of about CHUNK_CHARS characters each. */
function chunk(texts: readonly string[]): [number, number][] {
  const chunks: [number, number][] = [];
  let from = 0;
  let chars = 0;
  texts.forEach((text, i) => {
    chars += text.length;
    if (chars >= CHUNK_CHARS) {
      chunks.push([from, i + 1]);
      from = i + 1;
      chars = 0;
    }
  });
  if (from < texts.length) chunks.push([from, texts.length]);
  return chunks;
}

/** Workers take chunks from a shared queue until none is left; any worker error rejects. */
function runWorkers(script: string, count: number, chunks: [number, number][], texts: readonly string[], onChunk: (chunk: number, columns: TokenColumns) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    let next = 0;
    let finished = 0;
    const pool: Worker[] = [];
    let failed = false;
    const stop = (error?: Error) => {
      for (const w of pool) void w.terminate();
      if (error) {
        failed = true;
        reject(error);
      } else resolve();
    };
    const feed = (worker: Worker) => {
      if (next >= chunks.length) return;
      const c = next++;
      const [from, to] = chunks[c]!;
      worker.postMessage({ chunk: c, texts: texts.slice(from, to) });
    };
    for (let i = 0; i < count; i++) {
      const worker = new Worker(script);
      pool.push(worker);
      worker.on('message', ({ chunk: c, columns }: { chunk: number; columns: TokenColumns }) => {
        if (failed) return;
        try {
          onChunk(c, columns);
        } catch (error) {
          stop(error as Error);
          return;
        }
        if (++finished === chunks.length) stop();
        else feed(worker);
      });
      worker.on('error', (error) => {
        if (!failed) stop(error);
      });
      worker.on('exit', (code) => {
        if (!failed && finished < chunks.length && code !== 0) stop(new Error(`a worker exited with code ${code}`));
      });
      // Two chunks in flight per worker, so it never waits while this thread decodes its last one.
      feed(worker);
      feed(worker);
    }
  });
}

/** The compiled worker script, or null when there is none (sources run without a build). */
function workerScript(): string | null {
  return compiledWorker(import.meta.url, 'analysis-worker.js');
}
