/**
 * The rebuild worker thread (see rebuild.ts): runs one rebuild (job.ts) with the request it was
 * started with, passing notes and progress on as they come, then its result or its error, and ends.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { isCitedError } from '../core/errors.js';
import { runRebuild, type RebuildRequest } from './job.js';

export type WorkerMessage =
  | { kind: 'note'; message: string }
  | { kind: 'progress'; done: number; total: number }
  | { kind: 'done'; result: Awaited<ReturnType<typeof runRebuild>> }
  | { kind: 'failed'; code: string | null; message: string; stack: string | null };

const post = (message: WorkerMessage) => parentPort!.postMessage(message);

try {
  const result = await runRebuild(workerData as RebuildRequest, {
    onNote: (message) => post({ kind: 'note', message }),
    onProgress: (done, total) => post({ kind: 'progress', done, total }),
  });
  post({ kind: 'done', result });
} catch (error) {
  // A CitedError keeps its code across the thread boundary: the user sees its message as it is.
  const e = error instanceof Error ? error : new Error(String(error));
  post({ kind: 'failed', code: isCitedError(e) ? e.code : null, message: e.message, stack: e.stack ?? null });
}
