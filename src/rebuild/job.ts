/**
 * The corpus work that runs off the main thread (worker.ts), or in the calling thread when no
 * compiled worker exists (rebuild.ts):
 *   rebuild   analyse and index the whole corpus folder as it is now and write the index snapshot,
 *             which the main thread then opens (`openSnapshot` in cited.ts) — a merge;
 *   segment   analyse and index just the files named (articles just added), as folded forms the
 *             main thread turns into a segment of the running index (`Cited.withArticles`).
 */
import { indexCorpus, indexFiles, type LoadWarning, type UserOptions } from '../cited.js';
import type { RawSegment } from '../search/builder.js';
import { packArticles, type PackedArticles } from './packing.js';
import { writeSnapshot } from '../snapshot.js';

/** The options that can cross to a worker: everything but the callbacks (RegExps clone as they are). */
export type DataOptions = Omit<UserOptions, 'onWarning' | 'onNote' | 'onProgress'>;

export type JobRequest = RebuildRequest | SegmentRequest;

export interface RebuildRequest {
  kind: 'rebuild';
  options: DataOptions;
  /** Where the snapshot is written. */
  snapshot: string;
  /** An article id that must be in the new index (the one just added); if it is not, nothing is written. */
  expect?: string;
}

export interface SegmentRequest {
  kind: 'segment';
  options: DataOptions;
  /** File names in the corpus folder. */
  files: string[];
}

/** `print`: the fingerprint the snapshot was written with; `missing`: the expected article is not in it (nothing written). */
export type RebuildResult = { missing: false; print: string } | { missing: true };
/** Articles just added, indexed as folded forms, as they cross to the main thread (packing.ts). */
export interface SegmentResult {
  packed: PackedArticles;
  warnings: LoadWarning[];
  raw: RawSegment;
}
export type JobResult<R extends JobRequest> = R extends RebuildRequest ? RebuildResult : SegmentResult;

export interface RebuildHooks {
  onNote?: (message: string) => void;
  onProgress?: (done: number, total: number) => void;
}

export async function runJob<R extends JobRequest>(request: R, hooks: RebuildHooks = {}): Promise<JobResult<R>> {
  if (request.kind === 'segment') {
    const { articles, warnings, raw } = await indexFiles({ ...request.options, ...hooks }, request.files);
    return { packed: packArticles(articles), warnings, raw } as JobResult<R>;
  }
  return (await runRebuild(request, hooks)) as JobResult<R>;
}

async function runRebuild(request: RebuildRequest, hooks: RebuildHooks): Promise<RebuildResult> {
  const { data, print } = await indexCorpus({ ...request.options, ...hooks });
  // An added article that turned out to have nothing quotable: the corpus goes back as it was, and
  // so can the snapshot on disk (still current for it), so none is written.
  if (request.expect !== undefined && !data.articles.some((a) => a.id === request.expect)) return { missing: true };
  writeSnapshot(request.snapshot, data, print);
  return { missing: false, print };
}
