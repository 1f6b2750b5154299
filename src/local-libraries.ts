/**
 * Each Discord server's own articles, beside the shared corpus: added by that server's moderators,
 * quoted, listed, autocompleted and counted in /figures in that server only (README, "A server's
 * own articles").
 *
 * Kept in `<root>/<server id>/` as article files whose ids begin with `local.` (LOCAL_PREFIX; the
 * shared corpus never reads such a file, so a server's ids never meet a shared one and nothing
 * about one server's articles shows in another's — not even a refused name). Indexed off the main
 * thread like an article added to the shared corpus (rebuild/), as segments of their own; a server's
 * view of the corpus (`Cited.withLocal`) searches them beside the shared segments, scored as one
 * index over both. The shared corpus's index is never touched, so a thousand servers cost a thousand
 * small segments and nothing more.
 *
 * The segments are made with the shared corpus's analyzer (its spellings): when a merge gives the
 * shared corpus a new one, `remake` makes them again before the merged index is put in use. Each
 * server's segments are saved in `<root>/<server id>.index.*` (the change-list format of
 * snapshot-changes.ts, fingerprinted by the server's folder), so a restart reads them instead of
 * analysing every server's articles again. A server with many segments is indexed again as one.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { defaults, folderPrint, type Article, type Cited, type UserOptions } from './cited.js';
import { citedError } from './core/errors.js';
import { ARTICLE_ID_MAX, articleIdFor } from './corpus/article-id.js';
import { LOCAL_PREFIX } from './corpus/load.js';
import { decodeArticle } from './corpus/read-file.js';
import { removedName } from './corpus/removed-name.js';
import { fileAndIndex, indexAdded, type RebuildOptions } from './rebuild/rebuild.js';
import type { SegmentResult } from './rebuild/job.js';
import { unpackArticles } from './rebuild/packing.js';
import type { RawSegment } from './search/builder.js';
import type { Segment } from './search/segments.js';
import { readChanges, readSegment, writeChanges, writeSegment, type Change } from './snapshot-changes.js';

export { LOCAL_PREFIX };

/** A Discord server id (a snowflake): the only servers with a library, and the only names of their folders. */
const SERVER_ID = /^\d{1,20}$/;
/** More segments than this in one server, and its articles are indexed again as one. */
const MAX_SEGMENTS = 8;

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The ledger, as the Library hands it on for one server (shared-corpus/sync.ts). */
interface Recorder {
  added(file: string, id: string): Promise<void>;
  removed(file: string): Promise<void>;
}

/** Articles indexed together (the server's folder at start, or one article added), with what was saved of them. */
interface Chunk {
  articles: Article[];
  raw: RawSegment;
  change: Change & { kind: 'add' };
}

class ServerLibrary {
  chunks: Chunk[] = [];
  /** Articles removed since their chunk was indexed. */
  hidden = new Set<string>();
  removals: (Change & { kind: 'remove' })[] = [];
  /** The chunks' segments, for the shared analyzer whose vocabulary this is. */
  made: { vocabulary: Cited['vocabulary']; segments: Segment[] } | null = null;
  /** The server's view, for the shared index it was made over. */
  view: { shared: Cited; cited: Cited } | null = null;

  constructor(
    readonly id: string,
    readonly dir: string,
  ) {}

  get articles(): Article[] {
    return this.chunks.flatMap((c) => c.articles).filter((a) => !this.hidden.has(a.id));
  }

  article(id: string): Article | undefined {
    return this.hidden.has(id) ? undefined : this.chunks.find((c) => c.articles.some((a) => a.id === id))?.articles.find((a) => a.id === id);
  }
}

export class LocalLibraries {
  private readonly servers = new Map<string, ServerLibrary>();

  private constructor(
    private readonly root: string,
    private readonly removedRoot: string,
    private readonly options: UserOptions,
    private readonly live: RebuildOptions,
  ) {}

  /** Whether `guildId` may keep articles of its own: Discord servers only (not direct messages or the console). */
  static accepts(guildId: string): boolean {
    return SERVER_ID.test(guildId);
  }

  /** Every server library under `root`, indexed for `shared` (from what was saved when it is current). */
  static async open(root: string, removedRoot: string, options: UserOptions, live: RebuildOptions, shared: Cited): Promise<LocalLibraries> {
    const libraries = new LocalLibraries(root, removedRoot, options, live);
    if (!existsSync(root)) return libraries;
    for (const name of readdirSync(root).sort()) {
      if (!SERVER_ID.test(name) || !statSync(join(root, name)).isDirectory()) continue;
      const server = new ServerLibrary(name, join(root, name));
      await libraries.load(server);
      if (server.chunks.length === 0) continue;
      server.made = { vocabulary: shared.vocabulary, segments: await segmentsFor(server.chunks, shared) };
      libraries.servers.set(name, server);
    }
    return libraries;
  }

  /** The corpus as `guildId` sees it: `shared`, with the server's own articles beside it when it has any. */
  view(shared: Cited, guildId: string): Cited {
    const server = this.servers.get(guildId);
    if (!server || server.articles.length === 0) return shared;
    if (server.view?.shared === shared) return server.view.cited;
    // Made for this analyzer by `remake` before a merged index is put in use, and by every add.
    const segments = server.made?.segments ?? [];
    const cited = shared.withLocal({ articles: server.chunks.flatMap((c) => c.articles), segments, hidden: server.hidden });
    server.view = { shared, cited };
    return cited;
  }

  /** The server's own articles (none for a server without a library). */
  articles(guildId: string): readonly Article[] {
    return this.servers.get(guildId)?.articles ?? [];
  }

  /** Servers with a library, and how many articles each keeps. */
  get sizes(): { servers: number; articles: number } {
    let articles = 0;
    for (const server of this.servers.values()) articles += server.articles.length;
    return { servers: this.servers.size, articles };
  }

  /**
   * Adds an uploaded .txt file to the server's library, as `local.<id>`; returns it once it is
   * searched there. `record`: the ledger, told first (shared-corpus/sync.ts). The caller (Library)
   * runs changes one at a time.
   */
  async add(shared: Cited, guildId: string, fileName: string, bytes: Uint8Array, record?: Recorder): Promise<Article> {
    if (!LocalLibraries.accepts(guildId)) throw citedError('NO_SERVER_LIBRARY');
    const given = basename(fileName.replace(/\\/g, '/'));
    if (!/\.txt$/i.test(given)) throw citedError('BAD_ARTICLE_FILE', fileName, 'only .txt files can be added as articles');
    const id = LOCAL_PREFIX + articleIdFor(given.slice(0, -'.txt'.length), bytes, ARTICLE_ID_MAX - LOCAL_PREFIX.length);
    const server = this.servers.get(guildId) ?? new ServerLibrary(guildId, join(this.root, guildId));
    const name = `${id}.txt`;
    if (server.article(id) || existsSync(join(server.dir, name))) throw citedError('SOURCE_EXISTS', id);
    const check = decodeArticle(bytes, this.options.maxArticleBytes ?? defaults.maxArticleBytes);
    if (!check.ok) throw citedError('BAD_ARTICLE_FILE', fileName, check.message.replace(/^skipped: /, ''));
    await record?.added(name, id);
    try {
      return await this.index(shared, server, name, id, bytes, fileName);
    } catch (error) {
      await record?.removed(name).catch(() => undefined);
      throw error;
    }
  }

  /** Writes the file into the server's folder and indexes it; throws (the folder as it was) when nothing in it can be quoted. */
  private async index(shared: Cited, server: ServerLibrary, name: string, id: string, bytes: Uint8Array, shownName: string): Promise<Article> {
    mkdirSync(server.dir, { recursive: true });
    const packed = await fileAndIndex({ dir: server.dir, name, id, bytes, shownName, removedDir: () => this.removedDirOf(server.id) }, this.optionsFor(server), this.live);
    const chunk: Chunk = { articles: await unpackArticles(packed.packed), raw: packed.raw, change: { kind: 'add', segment: '', ids: [id] } };
    const segments = server.made?.vocabulary === shared.vocabulary ? [...server.made.segments, await shared.localSegment(chunk, turn)] : await segmentsFor([...server.chunks, chunk], shared);
    // In one go from here: a view made meanwhile never sees the article without its segment.
    this.servers.set(server.id, server);
    server.chunks.push(chunk);
    server.made = { vocabulary: shared.vocabulary, segments };
    server.view = null;
    await this.save(server, chunk, packed);
    if (server.chunks.length > MAX_SEGMENTS) await this.reindex(server, shared);
    return server.article(id)!;
  }

  /** Removes one of the server's own articles: never quoted again once this resolves. `record`: the ledger, told first. */
  async remove(guildId: string, id: string, record?: Pick<Recorder, 'removed'>): Promise<Article> {
    const server = this.servers.get(guildId);
    const article = server?.article(id);
    if (!server || !article) throw citedError('UNKNOWN_SOURCE', id);
    await record?.removed(article.file);
    await this.unindex(server, article);
    return article;
  }

  private async unindex(server: ServerLibrary, article: Article): Promise<void> {
    renameSync(join(server.dir, article.file), join(this.removedDirOf(server.id), removedName(article.file)));
    server.hidden.add(article.id);
    server.removals.push({ kind: 'remove', id: article.id });
    server.view = null;
    await this.save(server);
  }

  /** Applies a change another process recorded (Library.applyRemote): the server's `file` is now `bytes`, or gone. */
  async applyRemote(shared: Cited, guildId: string, file: string, bytes: Uint8Array | null): Promise<void> {
    if (!LocalLibraries.accepts(guildId) || !file.startsWith(LOCAL_PREFIX) || !/\.txt$/i.test(file)) return;
    const name = basename(file);
    const id = name.slice(0, -'.txt'.length);
    const server = this.servers.get(guildId) ?? new ServerLibrary(guildId, join(this.root, guildId));
    const path = join(server.dir, name);
    const article = server.article(id);
    if (bytes !== null && article && existsSync(path) && Buffer.from(bytes).equals(readFileSync(path))) return;
    if (article) await this.unindex(server, article);
    else if (existsSync(path)) renameSync(path, join(this.removedDirOf(guildId), removedName(name)));
    if (bytes !== null) await this.index(shared, server, name, id, bytes, name);
  }

  /** Makes every server's segments again for `shared` (a merged index, with an analyzer of its own), before it is put in use. */
  async remake(shared: Cited): Promise<void> {
    const made = new Map<ServerLibrary, Segment[]>();
    for (const server of this.servers.values()) if (server.made?.vocabulary !== shared.vocabulary) made.set(server, await segmentsFor(server.chunks, shared));
    // All at once, when the caller puts `shared` in use: until then every view is of the index in use.
    for (const [server, segments] of made) {
      server.made = { vocabulary: shared.vocabulary, segments };
      server.view = null;
    }
  }

  /** The server's articles as saved, when the save accounts for its folder as it is; otherwise analysed again (off the main thread). */
  private async load(server: ServerLibrary): Promise<void> {
    const base = this.indexBase(server.id);
    const print = await folderPrint(this.optionsFor(server));
    const list = readChanges(base);
    if (list && list.folderPrint === print) {
      const chunks: Chunk[] = [];
      for (const change of list.changes) {
        if (change.kind === 'remove') {
          server.hidden.add(change.id);
          server.removals.push(change);
          continue;
        }
        const saved = readSegment(base, change.segment);
        if (!saved) break;
        chunks.push({ articles: await unpackArticles(saved.packed), raw: saved.raw, change });
      }
      if (chunks.length === list.changes.filter((c) => c.kind === 'add').length) {
        server.chunks = chunks;
        return;
      }
      this.options.onNote?.(`server ${server.id}: its saved index is incomplete; indexing its articles again`);
      server.hidden.clear();
      server.removals = [];
    }
    const indexed = await this.indexFolder(server);
    server.chunks = indexed ? [indexed.chunk] : [];
    if (indexed) await this.save(server, indexed.chunk, indexed.packed);
  }

  /** The server's whole folder indexed as one chunk (null when nothing in it can be quoted). */
  private async indexFolder(server: ServerLibrary): Promise<{ chunk: Chunk; packed: SegmentResult } | null> {
    const files = existsSync(server.dir) ? readdirSync(server.dir).filter((f) => f.startsWith(LOCAL_PREFIX)) : [];
    if (files.length === 0) return null;
    const packed = await indexAdded(this.optionsFor(server), files, this.live);
    for (const warning of packed.warnings) this.options.onWarning?.({ file: `${server.id}/${warning.file}`, message: warning.message });
    if (packed.packed.articles.length === 0) return null;
    return { chunk: { articles: await unpackArticles(packed.packed), raw: packed.raw, change: { kind: 'add', segment: '', ids: packed.packed.articles.map((a) => a.id) } }, packed };
  }

  /** A server with many segments, indexed again as one (its removed articles dropped). */
  private async reindex(server: ServerLibrary, shared: Cited): Promise<void> {
    const indexed = await this.indexFolder(server);
    const chunks = indexed ? [indexed.chunk] : [];
    const segments = await segmentsFor(chunks, shared);
    server.chunks = chunks;
    server.hidden.clear();
    server.removals = [];
    server.made = { vocabulary: shared.vocabulary, segments };
    server.view = null;
    if (indexed) await this.save(server, indexed.chunk, indexed.packed);
  }

  /** Saves the server's chunks and removals beside its folder (`latest`'s segment written first). */
  private async save(server: ServerLibrary, latest?: Chunk, packed?: SegmentResult): Promise<void> {
    const base = this.indexBase(server.id);
    try {
      mkdirSync(this.root, { recursive: true });
      if (latest && packed) latest.change.segment = await writeSegment(base, packed);
      const changes: Change[] = [...server.chunks.map((c) => c.change), ...server.removals];
      writeChanges(base, { mainPrint: '', folderPrint: await folderPrint(this.optionsFor(server)), changes });
    } catch (error) {
      // Only a restart's speed depends on it: the next start indexes the server's articles again.
      this.options.onNote?.(`server ${server.id}: its index was not saved: ${(error as Error).message}`);
    }
  }

  private optionsFor(server: ServerLibrary): UserOptions {
    const { snapshot: _, onProgress: __, ...rest } = this.options;
    return { ...rest, corpusDir: server.dir, local: true, workers: 0 };
  }

  private indexBase(guildId: string): string {
    return join(this.root, `${guildId}.index`);
  }

  private removedDirOf(guildId: string): string {
    const dir = join(this.removedRoot, 'servers', guildId);
    mkdirSync(dir, { recursive: true });
    return dir;
  }
}

/** The chunks' segments for `shared`'s analyzer, in order. */
async function segmentsFor(chunks: readonly Chunk[], shared: Cited): Promise<Segment[]> {
  const segments: Segment[] = [];
  for (const chunk of chunks) segments.push(await shared.localSegment(chunk, turn));
  return segments;
}
