/**
 * The corpus as it changes while Cited runs: moderators add an article (a .txt file) or remove
 * one, and the index is rebuilt and swapped in without a restart. Guarantees:
 *   - readers always see a complete index: the old one until the new one is ready;
 *   - changes are made one at a time;
 *   - a change that fails leaves the corpus folder as it was (and the index in use with it).
 *
 * The rebuild runs off the main thread (rebuild/rebuild.ts): a worker analyses and indexes the
 * folder and writes the index snapshot, then this thread opens that snapshot and swaps it in.
 * Opening is all the corpus work left on this thread (README, "Under load", has its cost).
 *
 * A removed article's file is moved to `removedDir` (not deleted), so it can be put back by hand;
 * so is an added file that turns out to have no quotable sentence.
 */
import { randomBytes, createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { createCited, openSnapshot, type Article, type Cited, type UserOptions } from './cited.js';
import { citedError } from './core/errors.js';
import { ALIASES_FILE } from './corpus/load.js';
import { decodeArticle } from './corpus/read-file.js';
import { articleIdFor } from './corpus/article-id.js';
import { rebuildIndex, type RebuildOptions } from './rebuild/rebuild.js';

/** File names on Linux and macOS file systems: at most 255 bytes. */
const NAME_MAX_BYTES = 255;

export class Library {
  private cited: Cited;
  private changing: Promise<unknown> = Promise.resolve();

  private constructor(
    cited: Cited,
    private readonly options: UserOptions,
    private readonly removedDir: string,
    private readonly rebuildOptions: RebuildOptions,
  ) {
    this.cited = cited;
  }

  /** `rebuild.script`: the rebuild worker (tests give one that fails, or null to rebuild in this thread). */
  static async open(options: UserOptions, removedDir: string, rebuild: RebuildOptions = {}): Promise<Library> {
    return new Library(await createCited(options), options, removedDir, rebuild);
  }

  /** The index in use now. */
  get current(): Cited {
    return this.cited;
  }

  private get corpusDir(): string {
    return resolve(this.cited.options.corpusDir);
  }

  /**
   * Adds an article from an uploaded file; returns it once the new index is in use. Its id comes
   * from the file name (corpus/article-id.ts); `article.file` is the name it was saved under.
   */
  add(fileName: string, bytes: Uint8Array): Promise<Article> {
    return this.serial(async () => {
      const given = basename(fileName.replace(/\\/g, '/'));
      if (!/\.txt$/i.test(given)) throw citedError('BAD_ARTICLE_FILE', fileName, 'only .txt files can be added as articles');
      const id = articleIdFor(given.slice(0, -'.txt'.length), bytes);
      const name = `${id}.txt`;
      if (name === ALIASES_FILE) throw citedError('BAD_ARTICLE_FILE', fileName, `${ALIASES_FILE} is the spelling-variant file, not an article; rename the file`);
      const target = join(this.corpusDir, name);
      if (this.cited.article(id) || existsSync(target)) throw citedError('SOURCE_EXISTS', id);
      // Checked the way the loader will check it, before anything is written.
      const check = decodeArticle(bytes, this.cited.options.maxArticleBytes);
      if (!check.ok) throw citedError('BAD_ARTICLE_FILE', fileName, check.message.replace(/^skipped: /, ''));
      // Written under a short hidden name (the loader skips dot files), then renamed: the folder
      // never holds half an article, and the staging name never outgrows the file system's limit.
      const staging = join(this.corpusDir, `.incoming-${randomBytes(6).toString('hex')}`);
      writeFileSync(staging, bytes);
      renameSync(staging, target);
      const takeOut = () => renameSync(target, join(this.ensureRemovedDir(), removedName(name)));
      let next: Cited | null;
      try {
        next = await this.rebuild(id);
      } catch (error) {
        takeOut();
        throw error;
      }
      if (next === null) {
        // Nothing quotable in it: out it goes again. The snapshot on disk was left as it was, and
        // describes the folder as it is again.
        takeOut();
        throw citedError('BAD_ARTICLE_FILE', fileName, 'it has no sentences that could be quoted');
      }
      this.cited = next;
      return next.article(id)!;
    });
  }

  /** Removes an article; it is never quoted again once this resolves. */
  remove(id: string): Promise<Article> {
    return this.serial(async () => {
      const article = this.cited.article(id);
      if (!article) throw citedError('UNKNOWN_SOURCE', id);
      const from = join(this.corpusDir, article.file);
      const to = join(this.ensureRemovedDir(), removedName(article.file));
      renameSync(from, to);
      try {
        this.cited = (await this.rebuild())!;
      } catch (error) {
        renameSync(to, from);
        throw error;
      }
      return article;
    });
  }

  /**
   * The index of the folder as it is now, built on a worker thread and opened here; null when
   * `expect` (an article just added) is not in it.
   */
  private async rebuild(expect?: string): Promise<Cited | null> {
    const started = performance.now();
    // The snapshot is how the index crosses threads; without a configured one, a temporary file.
    const snapshot = this.options.snapshot ?? join(tmpdir(), `cited-rebuild-${process.pid}-${randomBytes(6).toString('hex')}.snapshot`);
    try {
      const built = await rebuildIndex({ ...this.options, snapshot }, snapshot, expect, this.rebuildOptions);
      if (built.missing) return null;
      const opening = performance.now();
      const cited = await openSnapshot({ ...this.options, snapshot }, built.print);
      const now = performance.now();
      this.options.onNote?.(`index rebuilt: ${Math.round(opening - started)} ms off the main thread, then ${Math.round(now - opening)} ms on it to open (${cited.sentenceCount} sentences)`);
      return cited;
    } finally {
      if (this.options.snapshot === undefined) rmSync(snapshot, { force: true });
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

/** `<time>-<file>`, so removals of files of one name never overwrite each other; a hash when that would be too long a name. */
function removedName(file: string): string {
  const name = `${Date.now()}-${file}`;
  return Buffer.byteLength(name) <= NAME_MAX_BYTES ? name : `${Date.now()}-${createHash('sha1').update(file).digest('hex').slice(0, 12)}.txt`;
}
