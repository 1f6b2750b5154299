/**
 * The corpus as it changes while Cited runs: moderators add an article or remove one, and the
 * index follows without a restart. Guarantees:
 *   - readers always see a complete index: the old one until the new one is ready;
 *   - changes are made one at a time;
 *   - a change that fails leaves the corpus folder as it was (and the index in use with it).
 *
 * Adding indexes only the new article, off the main thread (rebuild/: the worker analyses it into
 * folded forms), as a segment searched beside the rest (search/segments.ts) — quotable within a
 * couple of seconds however large the corpus, scored exactly as one index would. Removing hides the
 * article at once. Later, when the corpus has been quiet for `mergeAfterMs` (or many segments have
 * piled up), a merge rebuilds the whole index off the main thread and swaps it in, folding the
 * segments back into one and learning the new articles' spellings; changes made while it runs are
 * applied on top. With a snapshot, each change is saved beside it (snapshot-changes.ts): a restart
 * reads the main snapshot and the changes instead of analysing everything again.
 *
 * A removed article's file is moved to `removedDir` (not deleted), so it can be put back by hand;
 * so is an added file that turns out to have no quotable sentence.
 */
import { randomBytes } from 'node:crypto';
import { removedName } from './corpus/removed-name.js';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { createCited, folderPrint, openSnapshot, type Article, type Cited, type UserOptions } from './cited.js';
import { citedError } from './core/errors.js';
import { ALIASES_FILE, LOCAL_PREFIX } from './corpus/load.js';
import { LocalLibraries } from './local-libraries.js';
import { decodeArticle } from './corpus/read-file.js';
import { articleIdFor } from './corpus/article-id.js';
import { fileAndIndex, rebuildIndex, type RebuildOptions } from './rebuild/rebuild.js';
import { readSegment, writeChanges, writeSegment, type Change } from './snapshot-changes.js';
import type { SegmentResult } from './rebuild/job.js';
import { unpackArticles } from './rebuild/packing.js';

/** A turn of the event loop: interactions waiting are handled before the corpus work goes on. */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

export interface LibraryOptions extends RebuildOptions {
  /** Merge the segments after the corpus has been this quiet (ms). Default 60,000. */
  mergeAfterMs?: number;
  /** Merge at once when this many articles have been added since the last merge. Default 32. */
  mergeAtSegments?: number;
  /** Where servers keep their own articles (local-libraries.ts); none without it. */
  serversDir?: string;
  /** Where changes are recorded first when several processes share the corpus (shared-corpus/sync.ts); none: this folder is the corpus. */
  ledger?: CorpusLedger;
}

/** The scope of the shared corpus in a ledger (a server's own articles have the server's id). */
export const SHARED_SCOPE = '';

/**
 * The record of the corpus that several processes share (PostgreSQL: shared-corpus/table.ts). A
 * change is recorded there before this process makes it; the others apply it as they hear of it.
 */
export interface CorpusLedger {
  /** Records `file` added to `scope`; throws SOURCE_EXISTS when another process added that name first. */
  added(scope: string, file: string, bytes: Uint8Array, html: string | null, id: string): Promise<void>;
  removed(scope: string, file: string): Promise<void>;
}

/** Articles added, as `Cited.withArticles` takes them. */
type Added = Parameters<Cited['withArticles']>[0];

/** A change since the index in use was built, kept to be applied again on top of a merge (and saved as `packed`). */
type Applied = { kind: 'add'; added: Added; packed: SegmentResult; change: Change & { kind: 'add' } } | { kind: 'remove'; id: string; change: Change & { kind: 'remove' } };

export class Library {
  private cited: Cited;
  private changing: Promise<unknown> = Promise.resolve();
  /** Changes since the main index was built, in order (what a restart re-applies, and a merge reconciles). */
  private applied: Applied[] = [];
  /** The main snapshot's fingerprint (null without a snapshot). */
  private mainPrint: string | null;
  private mergeTimer: NodeJS.Timeout | null = null;
  private merging: Promise<void> | null = null;
  private closed = false;

  private constructor(
    cited: Cited,
    private readonly options: UserOptions,
    private readonly removedDir: string,
    private readonly live: LibraryOptions,
    private readonly locals: LocalLibraries | null,
  ) {
    this.cited = cited;
    this.mainPrint = cited.basis?.mainPrint ?? null;
    // Changes read back with the snapshot stay on its list until a merge folds them in, which
    // happens when the corpus is quiet.
    for (const change of cited.basis?.changes ?? []) {
      if (change.kind === 'remove') this.applied.push({ kind: 'remove', id: change.id, change });
      else {
        const packed = readSegment(options.snapshot!, change.segment);
        // Its articles are in the index in use already: kept here only to be applied on top of a merge.
        const articles = (cited.articles as Article[]).filter((a) => change.ids.includes(a.id));
        if (packed) this.applied.push({ kind: 'add', added: { articles, raw: packed.raw }, packed, change });
      }
    }
    if (this.applied.length > 0) this.scheduleMerge();
  }

  /** `live.script`: the corpus worker (tests give one that fails, or null to work on this thread). */
  static async open(options: UserOptions, removedDir: string, live: LibraryOptions = {}): Promise<Library> {
    const cited = await createCited(options);
    const locals = live.serversDir === undefined ? null : await LocalLibraries.open(live.serversDir, removedDir, options, live, cited);
    return new Library(cited, options, removedDir, live, locals);
  }

  /** The shared corpus's index in use now (what direct messages, the console and the CLI answer from). */
  get current(): Cited {
    return this.cited;
  }

  /** The corpus as server `guildId` sees it: the shared articles and the server's own (local-libraries.ts). */
  forServer(guildId: string): Cited {
    return this.locals?.view(this.cited, guildId) ?? this.cited;
  }

  /** Whether `guildId` can keep articles of its own here. */
  keepsLocal(guildId: string): boolean {
    return this.locals !== null && LocalLibraries.accepts(guildId);
  }

  /** Servers with articles of their own, and how many they keep in all. */
  get localSizes(): { servers: number; articles: number } {
    return this.locals?.sizes ?? { servers: 0, articles: 0 };
  }

  /**
   * Adds an uploaded .txt file to server `guildId`'s own articles (as `local.<id>`); returns it once
   * it is searched there. `html`: the page it was extracted from, for the ledger.
   */
  addLocal(guildId: string, fileName: string, bytes: Uint8Array, html: string | null = null): Promise<Article> {
    return this.serial(async () => {
      if (!this.locals) throw citedError('NO_SERVER_LIBRARY');
      const ledger = this.live.ledger;
      return this.locals.add(this.cited, guildId, fileName, bytes, ledger && { added: (file, id) => ledger.added(guildId, file, bytes, html, id), removed: (file) => ledger.removed(guildId, file) });
    });
  }

  private get corpusDir(): string {
    return resolve(this.cited.options.corpusDir);
  }

  /**
   * Adds an article from an uploaded file; returns it once it is searched. Its id comes from the
   * file name (corpus/article-id.ts); `article.file` is the name it was saved under. With a ledger
   * (several processes sharing the corpus), it is recorded there first: the ledger decides between
   * two processes adding one name, and the others apply it as they hear of it (`applyRemote`).
   */
  add(fileName: string, bytes: Uint8Array, html: string | null = null): Promise<Article> {
    return this.serial(async () => {
      const given = basename(fileName.replace(/\\/g, '/'));
      if (!/\.txt$/i.test(given)) throw citedError('BAD_ARTICLE_FILE', fileName, 'only .txt files can be added as articles');
      const id = articleIdFor(given.slice(0, -'.txt'.length), bytes);
      const name = `${id}.txt`;
      if (id.startsWith(LOCAL_PREFIX)) throw citedError('BAD_ARTICLE_FILE', fileName, `names beginning with ${LOCAL_PREFIX} are kept for servers' own articles; rename the file`);
      if (name === ALIASES_FILE) throw citedError('BAD_ARTICLE_FILE', fileName, `${ALIASES_FILE} is the spelling-variant file, not an article; rename the file`);
      if (this.cited.article(id) || existsSync(join(this.corpusDir, name))) throw citedError('SOURCE_EXISTS', id);
      // Checked the way the loader will check it, before anything is written.
      const check = decodeArticle(bytes, this.cited.options.maxArticleBytes);
      if (!check.ok) throw citedError('BAD_ARTICLE_FILE', fileName, check.message.replace(/^skipped: /, ''));
      await this.live.ledger?.added(SHARED_SCOPE, name, bytes, html, id);
      try {
        return await this.index(name, id, bytes, fileName);
      } catch (error) {
        await this.live.ledger?.removed(SHARED_SCOPE, name).catch(() => undefined);
        throw error;
      }
    });
  }

  /** Writes the file into the corpus folder and indexes it as a segment; throws (the folder as it was) when nothing in it can be quoted. */
  private async index(name: string, id: string, bytes: Uint8Array, shownName: string): Promise<Article> {
    const started = performance.now();
    const packed = await fileAndIndex({ dir: this.corpusDir, name, id, bytes, shownName, removedDir: () => this.ensureRemovedDir() }, this.options, this.live);
    const indexed = performance.now();
    // The sentences are made objects again in slices: the event loop goes on between them.
    const added = { articles: await unpackArticles(packed.packed), raw: packed.raw };
    const unpacked = performance.now();
    this.cited = await this.cited.withArticles(added, turn);
    this.options.onNote?.(`article ${id} added: ${Math.round(indexed - started)} ms off the main thread, then ${Math.round(performance.now() - unpacked)} ms on it (${this.cited.segments} segments)`);
    this.applied.push({ kind: 'add', added, packed, change: { kind: 'add', segment: '', ids: added.articles.map((a) => a.id) } });
    await this.save(this.applied.at(-1)!);
    this.scheduleMerge();
    return this.cited.article(id)!;
  }

  /**
   * Removes an article; it is never quoted again once this resolves (at once: no rebuild waits). A
   * server's own article (`local.…`) is found only among `guildId`'s. With a ledger, the removal is
   * recorded there first.
   */
  remove(id: string, guildId?: string): Promise<Article> {
    return this.serial(async () => {
      const ledger = this.live.ledger;
      if (id.startsWith(LOCAL_PREFIX)) {
        if (!this.locals || guildId === undefined) throw citedError('UNKNOWN_SOURCE', id);
        return this.locals.remove(guildId, id, ledger && { removed: (file) => ledger.removed(guildId, file) });
      }
      const article = this.cited.article(id);
      if (!article) throw citedError('UNKNOWN_SOURCE', id);
      await ledger?.removed(SHARED_SCOPE, article.file);
      await this.unindex(article);
      return article;
    });
  }

  private async unindex(article: Article): Promise<void> {
    renameSync(join(this.corpusDir, article.file), join(this.ensureRemovedDir(), removedName(article.file)));
    this.cited = this.cited.withoutArticles([article.id]);
    this.applied.push({ kind: 'remove', id: article.id, change: { kind: 'remove', id: article.id } });
    await this.save(this.applied.at(-1)!);
    this.scheduleMerge();
  }

  /**
   * Applies a change another process recorded in the ledger (shared-corpus/sync.ts): `file` of
   * `scope` (SHARED_SCOPE or a server id) is now `bytes`, or gone (null). Nothing when this process
   * has it so already (its own changes come back this way too). An article that cannot be indexed
   * here is left out, with a note: the corpus goes on without it.
   */
  applyRemote(scope: string, file: string, bytes: Uint8Array | null): Promise<void> {
    return this.serial(async () => {
      try {
        if (scope !== SHARED_SCOPE) await this.locals?.applyRemote(this.cited, scope, file, bytes);
        else await this.applySharedFile(basename(file), bytes);
      } catch (error) {
        this.options.onNote?.(`${scope === SHARED_SCOPE ? '' : `server ${scope}: `}${file} from the shared database not applied here: ${(error as Error).message}`);
      }
    });
  }

  private async applySharedFile(file: string, bytes: Uint8Array | null): Promise<void> {
    const path = join(this.corpusDir, file);
    if (!/\.txt$/i.test(file) || file === ALIASES_FILE) {
      // A page kept as .html, aliases.txt, sources.json: the folder follows, and the index at the next merge (now).
      if (bytes === null) {
        if (existsSync(path)) renameSync(path, join(this.ensureRemovedDir(), removedName(file)));
      } else if (!sameBytes(path, bytes)) writeAtomically(path, bytes);
      this.scheduleMerge(true);
      return;
    }
    const id = file.slice(0, -'.txt'.length);
    const article = this.cited.article(id);
    if (bytes !== null && article && sameBytes(path, bytes)) return;
    if (article) await this.unindex(article);
    else if (existsSync(path)) renameSync(path, join(this.ensureRemovedDir(), removedName(file)));
    if (bytes !== null) await this.index(file, id, bytes, file);
  }

  /**
   * Rebuilds the whole index off the main thread and swaps it in, with the changes made meanwhile
   * applied on top (resolves when done; a merge already running is the one awaited). Run on its own
   * when the corpus is quiet; tests call it directly.
   */
  merge(): Promise<void> {
    this.merging ??= this.runMerge().finally(() => {
      this.merging = null;
    });
    return this.merging;
  }

  /** Stops merging (a merge running is let finish unawaited). */
  close(): void {
    this.closed = true;
    if (this.mergeTimer) clearTimeout(this.mergeTimer);
  }

  private async runMerge(): Promise<void> {
    // Changes up to here are in the folder the rebuild reads; later ones are applied again on top.
    const before = await this.serial(async () => this.applied.length);
    const started = performance.now();
    const snapshot = this.options.snapshot ?? join(tmpdir(), `cited-rebuild-${process.pid}-${randomBytes(6).toString('hex')}.snapshot`);
    try {
      const built = await rebuildIndex({ ...this.options, snapshot }, snapshot, undefined, this.live);
      if (built.missing) return;
      const opening = performance.now();
      const merged = await openSnapshot({ ...this.options, snapshot }, built.print);
      await this.serial(async () => {
        // Reconciled by what the merge holds, not by timing: an article added as the rebuild read the
        // folder is in it or not; a removal may have come after it was read.
        let next = merged;
        const kept: Applied[] = [];
        for (const change of this.applied.slice(before)) {
          if (change.kind === 'add' && change.added.articles.some((a) => !next.article(a.id))) {
            next = await next.withArticles(change.added, turn);
            kept.push(change);
          } else if (change.kind === 'remove' && next.article(change.id)) {
            next = next.withoutArticles([change.id]);
            kept.push(change);
          }
        }
        // The servers' own segments follow the merged index's spellings before it is put in use.
        await this.locals?.remake(next);
        this.cited = next;
        this.applied = kept;
        this.mainPrint = this.options.snapshot ? built.print : null;
        await this.save();
        this.options.onNote?.(`index merged: ${Math.round(opening - started)} ms off the main thread, then ${Math.round(performance.now() - opening)} ms on it (${next.sentenceCount} sentences, ${next.segments} segments)`);
      });
    } catch (error) {
      // The index in use stays as it is, segments and all; the next change tries again.
      this.options.onNote?.(`index merge failed, the index in use is unchanged: ${(error as Error).message}`);
    } finally {
      if (this.options.snapshot === undefined) rmSync(snapshot, { force: true });
    }
  }

  /** A merge when the corpus is quiet, or `now` (also when many segments have piled up). */
  private scheduleMerge(now = false): void {
    if (this.closed) return;
    if (this.mergeTimer) clearTimeout(this.mergeTimer);
    now ||= this.cited.segments > (this.live.mergeAtSegments ?? 32);
    this.mergeTimer = setTimeout(() => void this.merge(), now ? 0 : (this.live.mergeAfterMs ?? 60_000));
    this.mergeTimer.unref();
  }

  /** Saves the changes beside the snapshot: `latest`'s segment, then the list (the main snapshot is never rewritten here). */
  private async save(latest?: Applied): Promise<void> {
    const snapshot = this.options.snapshot;
    if (!snapshot || this.mainPrint === null) return;
    try {
      // A turn first: the segment was just built, and serialising a large one is a few dozen milliseconds more.
      await turn();
      if (latest?.kind === 'add') latest.change.segment = await writeSegment(snapshot, latest.packed);
      writeChanges(snapshot, { mainPrint: this.mainPrint, folderPrint: await folderPrint(this.options), changes: this.applied.map((a) => a.change) });
    } catch (error) {
      // Only a restart's speed depends on it: the next start rebuilds from the articles.
      this.options.onNote?.(`index changes not saved: ${(error as Error).message}`);
    }
  }

  private ensureRemovedDir(): string {
    mkdirSync(this.removedDir, { recursive: true });
    return this.removedDir;
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.changing.then(work, work);
    this.changing = run.catch(() => undefined);
    return run;
  }
}

/** Whether the file at `path` holds exactly `bytes`. */
function sameBytes(path: string, bytes: Uint8Array): boolean {
  return existsSync(path) && Buffer.from(bytes).equals(readFileSync(path));
}

/** A temporary file renamed into place: the folder never holds half of one. */
function writeAtomically(path: string, bytes: Uint8Array): void {
  const staging = join(dirname(path), `.incoming-${randomBytes(6).toString('hex')}`);
  writeFileSync(staging, bytes);
  renameSync(staging, path);
}
