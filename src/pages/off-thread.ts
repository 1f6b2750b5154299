/**
 * Page extraction on a worker thread (extract-worker.ts): one worker, started on the first page and
 * ended after a minute without work, so an idle bot holds no parser. Pages are handed over one at
 * a time in order. As with the index rebuild, the worker runs the compiled JavaScript; without a
 * build (the TypeScript sources run directly) pages are extracted on this thread.
 */
import { Worker } from 'node:worker_threads';
import { compiledWorker } from '../core/paths.js';
import { CitedError, type ErrorCode } from '../core/errors.js';
import { extractPage, type ExtractedPage } from './extract.js';
import type { ExtractReply, ExtractRequest } from './extract-worker.js';

const IDLE_MS = 60_000;

export class Extractor {
  #worker: Worker | null = null;
  #next = 1;
  #waiting = new Map<number, { resolve: (page: ExtractedPage) => void; reject: (error: Error) => void }>();
  #idle: NodeJS.Timeout | null = null;
  readonly #script: string | null;

  /** `script`: the worker (default: the compiled extract-worker.js; null: extract on this thread). */
  constructor(script: string | null | undefined = undefined) {
    this.#script = script === undefined ? compiledWorker(import.meta.url, 'extract-worker.js') : script;
  }

  extract(html: string, pageUrl: string | null, what: string): Promise<ExtractedPage> {
    if (this.#script === null) return Promise.resolve().then(() => extractPage(html, pageUrl, what));
    const worker = this.#start();
    const id = this.#next++;
    if (this.#idle) clearTimeout(this.#idle);
    return new Promise((resolve, reject) => {
      this.#waiting.set(id, { resolve, reject });
      worker.postMessage({ id, html, pageUrl, what } satisfies ExtractRequest);
    });
  }

  async close(): Promise<void> {
    if (this.#idle) clearTimeout(this.#idle);
    const worker = this.#worker;
    this.#worker = null;
    await worker?.terminate();
  }

  #start(): Worker {
    if (this.#worker) return this.#worker;
    const worker = new Worker(this.#script!);
    worker.unref();
    worker.on('message', (reply: ExtractReply) => {
      const waiter = this.#waiting.get(reply.id);
      this.#waiting.delete(reply.id);
      if (this.#waiting.size === 0) this.#idle = setTimeout(() => void this.close(), IDLE_MS).unref();
      if (!waiter) return;
      if (reply.ok) waiter.resolve(reply.page);
      else if (reply.code !== null) waiter.reject(new CitedError(reply.code as ErrorCode, reply.message));
      else waiter.reject(Object.assign(new Error(`page extraction failed: ${reply.message}`), reply.stack ? { stack: reply.stack } : {}));
    });
    const fail = (error: Error) => {
      this.#worker = null;
      for (const waiter of this.#waiting.values()) waiter.reject(error);
      this.#waiting.clear();
    };
    worker.on('error', (error) => fail(new Error(`the page extraction worker failed: ${error.message}`)));
    worker.on('exit', (code) => {
      if (this.#worker === worker) fail(new Error(`the page extraction worker exited with code ${code}`));
    });
    this.#worker = worker;
    return worker;
  }
}
