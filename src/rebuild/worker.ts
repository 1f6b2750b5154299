/**
 * The corpus worker thread (see rebuild.ts): runs one job (job.ts: a rebuild, or the segment of
 * articles just added) with the request it was started with, passing notes and progress on as they
 * come, then its result or its error, and ends.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { isCitedError } from '../core/errors.js';
import { runJob, type JobRequest, type RebuildResult, type SegmentResult } from './job.js';
import { transferables } from './packing.js';

export type WorkerMessage =
  | { kind: 'note'; message: string }
  | { kind: 'progress'; done: number; total: number }
  | { kind: 'done'; result: RebuildResult | SegmentResult }
  | { kind: 'failed'; code: string | null; message: string; stack: string | null };

const post = (message: WorkerMessage) => parentPort!.postMessage(message);

try {
  const result = await runJob(workerData as JobRequest, {
    onNote: (message) => post({ kind: 'note', message }),
    onProgress: (done, total) => post({ kind: 'progress', done, total }),
  });
  // A segment's flat arrays move to the main thread rather than being copied.
  const transfer = 'raw' in result ? [...[result.raw.occurrences, result.raw.docEnds, result.raw.article, result.raw.paragraph, result.raw.refersBack].map((a) => a.buffer as ArrayBuffer), ...transferables(result.packed)] : [];
  parentPort!.postMessage({ kind: 'done', result } satisfies WorkerMessage, transfer);
} catch (error) {
  // A CitedError keeps its code across the thread boundary: the user sees its message as it is.
  const e = error instanceof Error ? error : new Error(String(error));
  post({ kind: 'failed', code: isCitedError(e) ? e.code : null, message: e.message, stack: e.stack ?? null });
}
