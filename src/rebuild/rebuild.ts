/**
 * Rebuilds the index off the main thread: a worker thread analyses and indexes the corpus and
 * writes the index snapshot (job.ts); the caller then opens that snapshot on its own thread, which
 * is quick (no analysis). The bot's event loop stays free meanwhile, so interactions that arrive
 * during `/sources add|remove` are still acknowledged within Discord's 3 seconds.
 *
 * One worker per rebuild, ended when it is done: rebuilds are rare, and a fresh worker holds no
 * heap between them. The worker runs compiled JavaScript (`dist/src/rebuild/worker.js`); when that
 * file is missing (the TypeScript sources run without a build) the rebuild runs in this thread, as
 * it always did, with a note saying so. A worker that fails fails the rebuild (the caller puts the
 * corpus back): a corpus that crashed a worker would not fare better on the main thread.
 */
import { randomBytes } from 'node:crypto';
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { removedName } from '../corpus/removed-name.js';
import { compiledWorker } from '../core/paths.js';
import { CitedError, citedError, type ErrorCode } from '../core/errors.js';
import type { UserOptions } from '../cited.js';
import { runJob, type DataOptions, type JobRequest, type JobResult, type RebuildResult, type SegmentResult } from './job.js';
import type { WorkerMessage } from './worker.js';

export interface RebuildOptions {
  /** The worker script (default: the compiled worker.js; null: rebuild in this thread). Tests give one that fails. */
  script?: string | null;
}

export function defaultWorkerScript(): string | null {
  return compiledWorker(import.meta.url, 'worker.js');
}

/**
 * Indexes the corpus of `options` and writes the snapshot to `snapshot`. With `expect`, an article
 * id that must be in the new index: when it is not, nothing is written and `missing` is true.
 */
export function rebuildIndex(options: UserOptions, snapshot: string, expect?: string, rebuild: RebuildOptions = {}): Promise<RebuildResult> {
  return inWorker(options, (data) => ({ kind: 'rebuild' as const, options: data, snapshot, ...(expect !== undefined ? { expect } : {}) }), rebuild, 'index rebuilt');
}

/** Analyses and indexes only `files` of the corpus (articles just added), off the main thread: the makings of a segment. */
export function indexAdded(options: UserOptions, files: string[], rebuild: RebuildOptions = {}): Promise<SegmentResult> {
  return inWorker(options, (data) => ({ kind: 'segment' as const, options: data, files }), rebuild, 'added articles indexed');
}

/** Where `fileAndIndex` puts a new article, and where it goes again when it cannot be kept. */
export interface NewFile {
  dir: string;
  name: string;
  /** The id the article must have once indexed (a file with nothing quotable has none). */
  id: string;
  bytes: Uint8Array;
  /** The name the person adding it gave, for the error. */
  shownName: string;
  /** The folder a file that cannot be kept is moved to (made when needed). */
  removedDir: () => string;
}

/**
 * Writes a new article into its corpus folder and indexes it alone, off the main thread (the
 * shared corpus's add and a server's own use the same steps). Written under a short hidden name
 * (the loader skips dot files), then renamed: the folder never holds half an article, and the
 * staging name never outgrows the file system's limit. When indexing fails or nothing in it can be
 * quoted, the file is moved out again and the folder is as it was.
 */
export async function fileAndIndex(file: NewFile, options: UserOptions, rebuild: RebuildOptions = {}): Promise<SegmentResult> {
  const target = join(file.dir, file.name);
  const staging = join(file.dir, `.incoming-${randomBytes(6).toString('hex')}`);
  writeFileSync(staging, file.bytes);
  renameSync(staging, target);
  const takeOut = () => renameSync(target, join(file.removedDir(), removedName(file.name)));
  let packed: SegmentResult;
  try {
    packed = await indexAdded(options, [file.name], rebuild);
  } catch (error) {
    takeOut();
    throw error;
  }
  if (!packed.packed.articles.some((a) => a.id === file.id)) {
    takeOut();
    throw citedError('BAD_ARTICLE_FILE', file.shownName, 'it has no sentences that could be quoted');
  }
  return packed;
}

function inWorker<R extends JobRequest>(options: UserOptions, request: (data: DataOptions) => R, rebuild: RebuildOptions, what: string): Promise<JobResult<R>> {
  // Callbacks cannot cross to a thread: they stay here and the worker's notes and progress come back to them.
  const { onWarning: _, onNote, onProgress, ...data } = options;
  const job = request(data satisfies DataOptions);
  const script = rebuild.script === undefined ? defaultWorkerScript() : rebuild.script;
  if (script === null) {
    onNote?.(`${what} on the main thread: no compiled rebuild worker (run \`npm run build\`)`);
    return runJob(job, { ...(onNote ? { onNote } : {}), ...(onProgress ? { onProgress } : {}) });
  }
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      outcome();
    };
    const worker = new Worker(script, { workerData: job });
    worker.on('message', (message: WorkerMessage) => {
      if (message.kind === 'note') onNote?.(message.message);
      else if (message.kind === 'progress') onProgress?.(message.done, message.total);
      else if (message.kind === 'done') settle(() => resolve(message.result as JobResult<R>));
      else settle(() => reject(rebuiltError(message)));
    });
    worker.on('error', (error) => settle(() => reject(new Error(`the index rebuild worker failed: ${error.message}`))));
    worker.on('exit', (code) => settle(() => reject(new Error(`the index rebuild worker exited with code ${code} before it finished`))));
  });
}

/** The worker's error as it was thrown there: a CitedError keeps its code and message. */
function rebuiltError(failure: Extract<WorkerMessage, { kind: 'failed' }>): Error {
  const error = failure.code !== null ? new CitedError(failure.code as ErrorCode, failure.message) : new Error(`the index rebuild failed: ${failure.message}`);
  if (failure.stack !== null) error.stack = failure.stack;
  return error;
}
