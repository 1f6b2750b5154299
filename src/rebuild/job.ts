/**
 * One rebuild of the index: analyse and index the corpus folder as it is now, and write the index
 * snapshot, which the main thread then opens (`openSnapshot` in cited.ts). Run on a worker thread
 * (worker.ts), or in the calling thread when no compiled worker exists (rebuild.ts).
 */
import { indexCorpus, type UserOptions } from '../cited.js';
import { writeSnapshot } from '../snapshot.js';

/** The options that can cross to a worker: everything but the callbacks (RegExps clone as they are). */
export type DataOptions = Omit<UserOptions, 'onWarning' | 'onNote' | 'onProgress'>;

export interface RebuildRequest {
  options: DataOptions;
  /** Where the snapshot is written. */
  snapshot: string;
  /** An article id that must be in the new index (the one just added); if it is not, nothing is written. */
  expect?: string;
}

/** `print`: the fingerprint the snapshot was written with; `missing`: the expected article is not in it (nothing written). */
export type RebuildResult = { missing: false; print: string } | { missing: true };

export interface RebuildHooks {
  onNote?: (message: string) => void;
  onProgress?: (done: number, total: number) => void;
}

export async function runRebuild(request: RebuildRequest, hooks: RebuildHooks = {}): Promise<RebuildResult> {
  const { data, print } = await indexCorpus({ ...request.options, ...hooks });
  // An added article that turned out to have nothing quotable: the corpus goes back as it was, and
  // so can the snapshot on disk (still current for it), so none is written.
  if (request.expect !== undefined && !data.articles.some((a) => a.id === request.expect)) return { missing: true };
  writeSnapshot(request.snapshot, data, print);
  return { missing: false, print };
}
