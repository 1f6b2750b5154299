/**
 * Articles from the web: a page's address, an uploaded .html file, or a feed item become corpus
 * articles. Each is read (fetch.ts, on guard), extracted (extract.ts, on a worker thread), written
 * as a `.txt` article with front matter (article-file.ts), checked against the corpus for a
 * duplicate (duplicates.ts), and added through `Library.add` like any uploaded article. The page's
 * original HTML is kept in `DATA_DIR/pages/<id>.html`, so what an article was made from can be
 * audited. Adds run one at a time: the duplicate check and the add it guards are one step.
 *
 * Who may add is not decided here: the moderation service checks the corpus admins before it
 * calls `add` (a URL must not be a way for anyone to make the bot fetch things), and the feed
 * poller adds for the admins who followed the feed.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Article } from '../core/types.js';
import { CitedError, citedError } from '../core/errors.js';
import { ARTICLE_ID_MAX, articleIdFor } from '../corpus/article-id.js';
import { LOCAL_PREFIX } from '../corpus/load.js';
import type { Cited } from '../cited.js';
import type { Library } from '../library.js';
import { articleFile, nameFromUrl } from './article-file.js';
import { decodeDocument } from './decode.js';
import { DuplicateFinder } from './duplicates.js';
import { checkEnough, type PageMeta } from './extract.js';
import { fetchResource } from './fetch.js';
import { MAX_PAGE_BYTES, defaultFetchSettings, type FetchSettings } from './limits.js';
import { Extractor } from './off-thread.js';

export const HTML_TYPES = ['text/html', 'application/xhtml+xml'];
export const FEED_TYPES = ['application/rss+xml', 'application/atom+xml', 'application/feed+json', 'application/xml', 'text/xml', 'application/json', 'application/rdf+xml'];

/** The corpus has this article already (same address or near-identical text): `articleId` says which. */
export class DuplicateArticleError extends CitedError {
  constructor(
    what: string,
    readonly articleId: string,
    how: string,
  ) {
    super('DUPLICATE_ARTICLE', citedError('DUPLICATE_ARTICLE', what, articleId, how).message);
  }
}

export interface PagesOptions {
  /** Where each page's HTML is kept (DATA_DIR/pages). */
  keepDir: string;
  fetch?: FetchSettings;
  /** Extraction thread (tests give one that runs here). */
  extractor?: Extractor;
}

/** An article ready to add: its file's text and what it was made from. */
export interface PreparedArticle {
  /** The file name to add it under, without extension. */
  name: string;
  /** The article file: front matter, then a paragraph a line. */
  text: string;
  /** The HTML it was extracted from, kept for audit. */
  html: string | null;
  /** Addresses it is known by (canonical, fetched, the feed's link): a corpus article at any of them is the same article. */
  urls: (string | null)[];
  /** How refusals name it: its URL or file name. */
  what: string;
  meta: PageMeta;
}

export class Pages {
  readonly #library: Library;
  readonly #keepDir: string;
  readonly #fetch: FetchSettings;
  readonly #extractor: Extractor;
  readonly #duplicates = new DuplicateFinder();
  #adding: Promise<unknown> = Promise.resolve();

  constructor(library: Library, options: PagesOptions) {
    this.#library = library;
    this.#keepDir = options.keepDir;
    this.#fetch = options.fetch ?? defaultFetchSettings;
    this.#extractor = options.extractor ?? new Extractor();
  }

  get fetchSettings(): FetchSettings {
    return this.#fetch;
  }

  /** Fetches and extracts the page at `url`; `fallback` fills what the page does not say (a feed item's title and date). */
  async fromUrl(url: string, fallback: Partial<PageMeta> = {}, signal?: AbortSignal): Promise<PreparedArticle> {
    const fetched = await fetchResource(
      {
        url,
        accept: HTML_TYPES,
        notAccepted: (type) =>
          FEED_TYPES.includes(type) ? citedError('NOT_AN_ARTICLE', url, `it is a feed (${type}), not a page; /sources follow reads feeds`) : citedError('NOT_AN_ARTICLE', url, `it is ${type}, not an HTML page`),
        maxBytes: MAX_PAGE_BYTES,
        ...(signal ? { signal } : {}),
      },
      this.#fetch,
    );
    const html = decodeDocument(fetched.body, fetched.charset);
    const page = await this.#extractor.extract(html, fetched.url, url);
    const meta: PageMeta = { title: page.title ?? fallback.title ?? null, date: page.date ?? fallback.date ?? null, url: page.url, outlet: page.outlet ?? fallback.outlet ?? null };
    return { name: nameFromUrl(meta.url ?? fetched.url), text: articleFile(meta, page.paragraphs), html, urls: [meta.url, fetched.url, url], what: url, meta };
  }

  /** Extracts an uploaded .html or .htm file (no address of its own: its metadata says where it is from, if anything). */
  async fromFile(fileName: string, bytes: Uint8Array): Promise<PreparedArticle> {
    const base = fileName.replace(/\\/g, '/').split('/').at(-1)!;
    if (bytes.length > MAX_PAGE_BYTES) throw citedError('NOT_AN_ARTICLE', base, `it is over the ${MAX_PAGE_BYTES / 1024 / 1024} MiB limit for a page`);
    const html = decodeDocument(bytes, null);
    if (!/<[a-z!]/i.test(html)) throw citedError('NOT_AN_ARTICLE', base, 'it is not HTML (no tags in it); a plain-text article goes in a .txt file');
    const page = await this.#extractor.extract(html, null, base);
    const meta: PageMeta = { title: page.title, date: page.date, url: page.url, outlet: page.outlet };
    return { name: base.replace(/\.html?$/i, ''), text: articleFile(meta, page.paragraphs), html, urls: [meta.url], what: base, meta };
  }

  /** A feed item that carries its article's full text (an HTML fragment already made into paragraphs). */
  fromText(meta: PageMeta, paragraphs: string[], html: string | null, what: string): PreparedArticle {
    checkEnough(paragraphs, what);
    return { name: nameFromUrl(meta.url ?? what), text: articleFile(meta, paragraphs), html, urls: [meta.url], what, meta };
  }

  /** The corpus article at one of these addresses, if any (checked before a feed item's page is fetched). */
  async duplicateOf(urls: (string | null)[]): Promise<{ article: Article; how: string } | null> {
    return this.#duplicates.find({ urls, text: '' }, this.#library.current.articles);
  }

  /**
   * Adds a prepared article unless the corpus already has it (DUPLICATE_ARTICLE). `uniqueName`:
   * when its name is taken by another article, `-2`, `-3`… is added (a page's address rarely
   * makes a unique name; an uploaded file keeps its name, and a clash is refused as before).
   * `guildId`: into that server's own library (checked for duplicates against what the server sees).
   */
  add(prepared: PreparedArticle, options: { uniqueName: boolean; guildId?: string }): Promise<Article> {
    const run = this.#adding.then(() => this.#add(prepared, options));
    this.#adding = run.catch(() => undefined);
    return run;
  }

  close(): Promise<void> {
    return this.#extractor.close();
  }

  async #add(prepared: PreparedArticle, options: { uniqueName: boolean; guildId?: string }): Promise<Article> {
    const { guildId } = options;
    const corpus = guildId === undefined ? this.#library.current : this.#library.forServer(guildId);
    const body = prepared.text.slice(prepared.text.indexOf('\n---\n') + 5);
    const duplicate = await this.#duplicates.find({ urls: prepared.urls, text: body }, corpus.articles);
    if (duplicate) throw new DuplicateArticleError(prepared.what, duplicate.article.id, duplicate.how);
    const bytes = Buffer.from(prepared.text, 'utf8');
    const name = options.uniqueName ? this.#freeName(prepared.name, bytes, corpus, guildId !== undefined) : prepared.name;
    const article = guildId === undefined ? await this.#library.add(`${name}.txt`, bytes, prepared.html) : await this.#library.addLocal(guildId, `${name}.txt`, bytes, prepared.html);
    if (prepared.html !== null) {
      // A server's pages apart: two servers' own articles may share an id.
      const dir = guildId === undefined ? this.#keepDir : join(this.#keepDir, 'servers', guildId);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `${article.id}.html`), prepared.html);
    }
    return article;
  }

  #freeName(name: string, bytes: Uint8Array, corpus: Cited, local: boolean): string {
    const taken = (candidate: string) => {
      if (local) return corpus.article(LOCAL_PREFIX + articleIdFor(candidate, bytes, ARTICLE_ID_MAX - LOCAL_PREFIX.length)) !== undefined;
      const id = articleIdFor(candidate, bytes);
      return corpus.article(id) !== undefined || ['.txt', '.html', '.htm'].some((ext) => existsSync(join(corpus.options.corpusDir, `${id}${ext}`)));
    };
    let candidate = name;
    for (let n = 2; taken(candidate); n++) candidate = `${name}-${n}`;
    return candidate;
  }
}
