/**
 * The corpus as it changes while Cited runs: moderators add an article (a .txt file) or remove
 * one, and the index is rebuilt and swapped in without a restart. Readers always see a complete
 * index: the old one until the new one is ready. Changes are made one at a time.
 *
 * A removed article's file is moved to `removedDir` (not deleted), so it can be put back by hand.
 */
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { createCited, type Article, type Cited, type UserOptions } from './cited.js';
import { citedError } from './core/errors.js';
import { ALIASES_FILE } from './corpus/load.js';
import { readArticleFile } from './corpus/read-file.js';

export class Library {
  private cited: Cited;
  private changing: Promise<unknown> = Promise.resolve();

  private constructor(
    cited: Cited,
    private readonly options: UserOptions,
    private readonly removedDir: string,
  ) {
    this.cited = cited;
  }

  static async open(options: UserOptions, removedDir: string): Promise<Library> {
    return new Library(await createCited(options), options, removedDir);
  }

  /** The index in use now. */
  get current(): Cited {
    return this.cited;
  }

  private get corpusDir(): string {
    return resolve(this.cited.options.corpusDir);
  }

  /** Adds an article from an uploaded file; returns it once the new index is in use. */
  add(fileName: string, bytes: Uint8Array): Promise<Article> {
    return this.serial(async () => {
      const name = basename(fileName).replace(/[^\w.-]+/g, '_');
      if (!/\.txt$/i.test(name) || name === ALIASES_FILE || name.startsWith('.')) throw citedError('BAD_ARTICLE_FILE', fileName, 'only .txt files can be added as articles');
      const id = name.replace(/\.txt$/i, '');
      if (this.cited.article(id) || existsSync(join(this.corpusDir, name))) throw citedError('SOURCE_EXISTS', id);
      // Check the file the way the loader will, before it enters the corpus.
      const staging = join(this.corpusDir, `.incoming-${name}`);
      writeFileSync(staging, bytes);
      const check = readArticleFile(staging, this.cited.options.maxArticleBytes);
      if (!check.ok) {
        rmSync(staging, { force: true });
        throw citedError('BAD_ARTICLE_FILE', fileName, check.message.replace(/^skipped: /, ''));
      }
      renameSync(staging, join(this.corpusDir, name));
      const next = await this.rebuild();
      const article = next.article(id);
      if (!article) {
        renameSync(join(this.corpusDir, name), join(this.ensureRemovedDir(), name));
        this.cited = await createCited(this.options);
        throw citedError('BAD_ARTICLE_FILE', fileName, 'it has no sentences that could be quoted');
      }
      this.cited = next;
      return article;
    });
  }

  /** Removes an article; it is never quoted again once this resolves. */
  remove(id: string): Promise<Article> {
    return this.serial(async () => {
      const article = this.cited.article(id);
      if (!article) throw citedError('UNKNOWN_SOURCE', id);
      renameSync(join(this.corpusDir, article.file), join(this.ensureRemovedDir(), `${Date.now()}-${article.file}`));
      this.cited = await this.rebuild();
      return article;
    });
  }

  private rebuild(): Promise<Cited> {
    return createCited(this.options);
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
