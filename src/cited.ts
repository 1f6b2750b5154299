/**
 * The public surface of Cited's core: load a corpus, ask questions, list sources.
 * Adapters (console, CLI, Discord) use only this module and the types it exports.
 *
 *   const cited = await createCited({ corpusDir: 'corpus' });
 *   const answer = cited.ask('How many troops has Russia amassed?');
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { projectRoot } from './core/paths.js';
import type { Answer, Article, LoadWarning, Sentence } from './core/types.js';
import { defaultBM25, type BM25Params } from './search/bm25.js';
import type { ContextWeights } from './search/index.js';
import { Searcher, type SearchOptions, type SearchResult } from './search/search.js';
import { noAliases, parseAliases, type AliasRules, type Vocabulary } from './search/variants.js';
import { answerQuestion, defaultAnswerOptions, judge as judgeAnswer, kindFirst, type AnswerOptions, type Judgement } from './answer/answer.js';
import { ALIASES_FILE, loadCorpus } from './corpus/load.js';
import { SearcherBuilder, segmentFrom, type RawSegment } from './search/builder.js';
import { defaultBoilerplate } from './corpus/boilerplate.js';
import { citedError } from './core/errors.js';
import { fingerprint, fingerprintAsync, readSnapshot, readSnapshotSliced, writeSnapshot, type SnapshotData } from './snapshot.js';
import { readChanges, readSegment, writeChanges, type Change } from './snapshot-changes.js';
import { unpackArticles } from './rebuild/packing.js';
import { EXTRACTION_VERSION } from './pages/extract.js';
import { FigureIndex, type FigureResult } from './figures/figures.js';
import { defaultParallelOptions } from './nlp/parallel.js';
import { ArticleSet } from './core/article-set.js';
import type { Segment } from './search/segments.js';

export type { Answer, Article, Citation, Excerpt, LoadWarning, Sentence, Span } from './core/types.js';
export type { Comparison, Figure, FigureGroup, FigureResult } from './figures/figures.js';
export { CitedError, isCitedError } from './core/errors.js';

/** The corpus shipped with Cited. */
export const bundledCorpus = join(projectRoot(), 'corpus');

export interface Options {
  /** Folder of article `.txt` files (plus optional `sources.json`, `aliases.txt`). Default: the bundled corpus. */
  corpusDir: string;
  /** Largest article file read, in bytes. Default 5 MiB. */
  maxArticleBytes: number;
  /** Sentences matching any of these are never quoted. Default: syndication notices and the like. */
  boilerplate: readonly RegExp[];
  /** BM25 parameters. Default k1 1.2, b 0.75. */
  bm25: BM25Params;
  /** How much a sentence's neighbours and article title add to its score. */
  context: ContextWeights;
  /** How much question words the corpus never uses weigh against coverage, by kind (see search.ts). */
  unknownWeight: SearchOptions['unknownWeight'];
  /** How much higher a sentence with a number ranks for a question that asks for a figure (see search.ts). */
  figureBonus: number;
  /** Excerpts, relevance floor, merging and question limits (see answer.ts). */
  answer: Omit<AnswerOptions, 'offset' | 'allow'>;
  /** The folder holds one server's own articles, ids beginning `local.` (see corpus/load.ts). Default false. */
  local: boolean;
  /** Called with every problem met while loading (default: none; the warnings are also returned). */
  onWarning?: (warning: LoadWarning) => void;
  /**
   * Index snapshot file: read instead of analysing the corpus again when it is current, rebuilt and
   * saved when it is missing, stale or corrupt (see snapshot.ts). Default: none.
   */
  snapshot?: string;
  /** Worker threads that analyse a large corpus (0: analyse in the calling thread). Default: one per core. */
  workers: number;
  /** Told why the snapshot was not used or not saved, or why analysis ran in one thread. */
  onNote?: (message: string) => void;
  /** Told after each corpus file while the articles are analysed (not when the snapshot is used). */
  onProgress?: (done: number, total: number) => void;
}

export const defaults: Options = {
  corpusDir: bundledCorpus,
  maxArticleBytes: 5 * 1024 * 1024,
  local: false,
  boilerplate: defaultBoilerplate,
  bm25: defaultBM25,
  context: { neighbour: 0.3, reference: 1, title: 0.15, coverage: 0.5 },
  unknownWeight: { name: 3, noun: 1, other: 0.35 },
  figureBonus: 0.3,
  workers: defaultParallelOptions.workers,
  answer: {
    excerpts: defaultAnswerOptions.excerpts,
    minCoverage: defaultAnswerOptions.minCoverage,
    relativeScore: defaultAnswerOptions.relativeScore,
    followingCoverage: defaultAnswerOptions.followingCoverage,
    relatedCoverage: defaultAnswerOptions.relatedCoverage,
    judge: defaultAnswerOptions.judge,
    duplicateSimilarity: defaultAnswerOptions.duplicateSimilarity,
    maxExcerptLength: defaultAnswerOptions.maxExcerptLength,
    maxQuestionLength: defaultAnswerOptions.maxQuestionLength,
  },
};

/** Options given by a caller: any field may be left out, nested groups field by field. */
export type UserOptions = Partial<Omit<Options, 'bm25' | 'context' | 'answer' | 'unknownWeight'>> & {
  bm25?: Partial<BM25Params>;
  context?: Partial<ContextWeights>;
  unknownWeight?: Partial<Options['unknownWeight']>;
  answer?: Partial<Options['answer']>;
};

export function mergeOptions(options: UserOptions = {}): Options {
  return {
    ...defaults,
    ...options,
    bm25: { ...defaults.bm25, ...options.bm25 },
    context: { ...defaults.context, ...options.context },
    unknownWeight: { ...defaults.unknownWeight, ...options.unknownWeight },
    answer: { ...defaults.answer, ...options.answer },
  };
}

export interface AskOptions {
  /** Excerpts to return (default: options.answer.excerpts). */
  limit?: number;
  /** Excerpts to skip, for paging. */
  offset?: number;
  /** Quote only from these article ids. */
  sources?: readonly string[];
  /** Never quote these (moderation: suppressed excerpts and sources). */
  exclude?: Exclusions;
}

/** Sentences and whole articles that must not be quoted. */
export interface Exclusions {
  sentenceIds?: ReadonlySet<string>;
  articleIds?: ReadonlySet<string>;
}

/** A filter over sentences for a source limit and exclusions; undefined when nothing is filtered. */
function sentenceFilter(sources: readonly string[] | undefined, exclude: Exclusions | undefined): ((s: Sentence) => boolean) | undefined {
  const only = sources ? new Set(sources) : null;
  const noSentences = exclude?.sentenceIds?.size ? exclude.sentenceIds : null;
  const noArticles = exclude?.articleIds?.size ? exclude.articleIds : null;
  if (!only && !noSentences && !noArticles) return undefined;
  return (s) => (!only || only.has(s.articleId)) && !noSentences?.has(s.id) && !noArticles?.has(s.articleId);
}

export interface Cited {
  readonly options: Options;
  readonly articles: readonly Article[];
  readonly warnings: readonly LoadWarning[];
  /** Whether this index was read from the snapshot or built from the articles. */
  readonly loadedFrom: 'snapshot' | 'corpus';
  /** Number of sentences that can be quoted. */
  readonly sentenceCount: number;
  ask(question: string, options?: AskOptions): Answer;
  /** Why an answer is what it is: the best-ranked passage with the judge's signals and its probability of answering (null: nothing found). */
  judge(question: string): Judgement | null;
  search(question: string, limit?: number): SearchResult;
  /** Figures on a topic, grouped by what they count; without a topic, the subjects with the most figures. */
  figures(topic?: string | null, exclude?: Exclusions): FigureResult;
  /** A sentence by its id (quotable or excluded), with its article. */
  sentence(id: string): Sentence | undefined;
  /** What the corpus's figures count, most figures first (for autocomplete). */
  figureSubjects(): { subject: string; count: number }[];
  article(id: string): Article | undefined;
  /** Index segments searched: 1 after a build or a merge, one more for each article added since. */
  readonly segments: number;
  /**
   * What the snapshot on disk holds of this index as it was opened: the main snapshot's fingerprint
   * and the changes saved beside it (snapshot-changes.ts); null without a snapshot. The Library keeps
   * the files current as articles are added and removed.
   */
  readonly basis: { mainPrint: string; changes: Change[] } | null;
  /**
   * This corpus with articles added (indexed on their own as a segment, `raw` from a
   * SearcherBuilder over just them — see library.ts): searched with the rest at once, scored as one index.
   */
  withArticles(added: { articles: Article[]; raw: RawSegment }, pause?: () => Promise<void>): Promise<Cited>;
  /** This corpus without these articles: never quoted again (the index drops them at the next merge). */
  withoutArticles(ids: readonly string[]): Cited;
  /**
   * A segment of a server's own articles (`raw` from a SearcherBuilder over just them) made for this
   * corpus: its words become terms as this corpus's analyzer spells them, as an added article's do.
   * Valid for every Cited that shares this one's `vocabulary` (adds and removals keep it; a merge makes a new one).
   */
  localSegment(added: { articles: readonly Article[]; raw: RawSegment }, pause?: () => Promise<void>): Promise<Segment>;
  /**
   * This corpus as one server sees it (local-libraries.ts): the server's own articles beside the
   * shared ones — searched and scored as one index over both, listed after them, counted in its
   * figures — and nowhere else. `hidden`: the server's articles removed since its segments were made.
   */
  withLocal(local: LocalArticles): Cited;
  /**
   * The corpus's words as the index folds them (`counts`: folded form → occurrences; `names`: the
   * forms it only writes capitalised), e.g. to tell whether the articles use an asker's spelling.
   */
  readonly vocabulary: Vocabulary;
}

/** A server's own articles and their segments (made by `localSegment` of the corpus they join). */
export interface LocalArticles {
  articles: readonly Article[];
  segments: readonly Segment[];
  hidden: ReadonlySet<string>;
}

export async function createCited(userOptions: UserOptions = {}): Promise<Cited> {
  const setup = prepare(userOptions);
  const { options } = setup;
  // From the snapshot when it is current; otherwise from the articles, then saved for next time.
  const print = options.snapshot ? fingerprint(setup.corpusDir, loadingOptions(options)) : '';
  if (options.snapshot) {
    const read = readSnapshot(options.snapshot, print);
    if (read.ok) return assemble(setup, restore(setup, read.data), 'snapshot', { mainPrint: print, changes: [] });
    // The folder may differ from the snapshot by the changes made while the bot ran (snapshot-changes.ts).
    const changed = await withChanges(setup, options.snapshot, print);
    if (changed) return changed;
    if (read.reason !== 'no snapshot yet') options.onNote?.(`index snapshot not used: ${read.reason}; rebuilding it`);
  }
  const loaded = await indexArticles(setup);
  if (options.snapshot) {
    try {
      writeSnapshot(options.snapshot, snapshotData(loaded), print);
      writeChanges(options.snapshot, { mainPrint: print, folderPrint: print, changes: [] });
    } catch (error) {
      options.onNote?.(`index snapshot not saved: ${(error as Error).message}`);
    }
  }
  return assemble(setup, loaded, 'corpus', options.snapshot ? { mainPrint: print, changes: [] } : null);
}

/**
 * The index from the main snapshot and the changes saved beside it, when they account for the
 * folder as it is (`print`); null (with a note when something was there) otherwise.
 */
async function withChanges(setup: Setup, snapshot: string, print: string): Promise<Cited | null> {
  const list = readChanges(snapshot);
  if (!list || list.folderPrint !== print || list.changes.length === 0) return null;
  const main = readSnapshot(snapshot, list.mainPrint);
  if (!main.ok) return null;
  let cited = assemble(setup, restore(setup, main.data), 'snapshot', { mainPrint: list.mainPrint, changes: list.changes });
  for (const change of list.changes) {
    if (change.kind === 'remove') {
      cited = cited.withoutArticles([change.id]);
      continue;
    }
    const segment = readSegment(snapshot, change.segment);
    if (!segment) {
      setup.options.onNote?.(`index snapshot not used: the saved segment ${change.segment} is missing or corrupt; rebuilding it`);
      return null;
    }
    cited = await cited.withArticles({ articles: await unpackArticles(segment.packed, async () => undefined), raw: segment.raw });
  }
  return cited;
}

/**
 * Analyses and indexes the corpus (never reading a snapshot) and returns what a snapshot holds,
 * with the fingerprint of the corpus as it was read. What a rebuild runs off the main thread
 * (src/rebuild/): the caller writes the snapshot and the main thread opens it with `openSnapshot`.
 */
export async function indexCorpus(userOptions: UserOptions = {}): Promise<{ data: SnapshotData; print: string }> {
  const setup = prepare(userOptions);
  // Taken before the files are read, so a change made meanwhile makes the snapshot stale, never wrong.
  const print = fingerprint(setup.corpusDir, loadingOptions(setup.options));
  return { data: snapshotData(await indexArticles(setup)), print };
}

/**
 * Opens the index from `options.snapshot`, which must have been made with fingerprint `print`
 * (by `indexCorpus` on another thread); throws when it cannot be read. No analysis: this is the
 * part of a rebuild that runs on the main thread, and it reads the file in slices that let the
 * event loop through (snapshot.ts); what is left in one piece is restoring the searcher from it.
 */
export async function openSnapshot(userOptions: UserOptions, print: string): Promise<Cited> {
  const setup = prepare(userOptions);
  const path = setup.options.snapshot;
  if (!path) throw new Error('Cited: openSnapshot needs options.snapshot');
  const read = await readSnapshotSliced(path, print);
  if (!read.ok) throw new Error(`Cited: the rebuilt index snapshot ${path} cannot be opened: ${read.reason}`);
  return assemble(setup, restore(setup, read.data), 'snapshot', { mainPrint: print, changes: [] });
}

/**
 * Analyses and indexes only `files` of the corpus folder (articles just added), as folded forms:
 * what becomes a segment of the running index (`Cited.withArticles`). What the add job runs off the
 * main thread (src/rebuild/).
 */
export async function indexFiles(userOptions: UserOptions, files: readonly string[]): Promise<{ articles: Article[]; warnings: LoadWarning[]; raw: RawSegment }> {
  const { options, corpusDir } = prepare(userOptions);
  const builder = new SearcherBuilder();
  const corpus = await loadCorpus(corpusDir, {
    ...options,
    only: new Set(files),
    parallel: { workers: 0 },
    onAnalyzed: ({ sentence, tokens }) => builder.add(sentence, tokens),
  });
  return { articles: corpus.articles, warnings: corpus.warnings, raw: builder.raw(corpus.articles, corpus.titles) };
}

/** The fingerprint of the corpus folder as it is now, as the snapshot records it (read without holding the event loop). */
export function folderPrint(userOptions: UserOptions): Promise<string> {
  const options = mergeOptions(userOptions);
  return fingerprintAsync(resolve(options.corpusDir), loadingOptions(options));
}

/** What the snapshot's fingerprint covers besides the files: the options that change what is loaded. */
const loadingOptions = (options: Options) => ({ maxArticleBytes: options.maxArticleBytes, boilerplate: options.boilerplate, pageExtraction: EXTRACTION_VERSION });

interface Setup {
  options: Options;
  corpusDir: string;
  searchOptions: SearchOptions;
  aliases: AliasRules;
  aliasWarnings: LoadWarning[];
}

/** An index's parts, from the articles or from a snapshot, before the Cited around them. */
interface Loaded {
  articles: Article[];
  warnings: LoadWarning[];
  searcher: Searcher;
  sentences: Sentence[];
}

function prepare(userOptions: UserOptions): Setup {
  const options = mergeOptions(userOptions);
  const corpusDir = resolve(options.corpusDir);
  if (!existsSync(corpusDir) || !statSync(corpusDir).isDirectory()) throw citedError('CORPUS_NOT_FOUND', corpusDir);
  const searchOptions = { bm25: options.bm25, context: options.context, unknownWeight: options.unknownWeight, figureBonus: options.figureBonus };
  const aliasWarnings: LoadWarning[] = [];
  const aliases = readAliases(corpusDir, aliasWarnings);
  return { options, corpusDir, searchOptions, aliases, aliasWarnings };
}

async function indexArticles({ options, corpusDir, aliases, searchOptions }: Setup): Promise<Loaded> {
  // Each sentence is indexed as its article is analysed: the corpus's tokens are never all in memory.
  const builder = new SearcherBuilder();
  const corpus = await loadCorpus(corpusDir, {
    ...options,
    parallel: { workers: options.workers, ...(options.onNote ? { onNote: options.onNote } : {}) },
    onAnalyzed: ({ sentence, tokens }) => builder.add(sentence, tokens),
  });
  return { articles: corpus.articles, warnings: corpus.warnings, sentences: builder.sentences, searcher: builder.finish(corpus.articles, corpus.titles, aliases, searchOptions) };
}

function restore({ aliases, searchOptions }: Setup, data: SnapshotData): Loaded {
  const { articles, warnings, searcher } = data;
  const sentences = quotable(articles);
  return { articles, warnings, sentences, searcher: Searcher.restore(searcher, sentences, aliases, searchOptions) };
}

const snapshotData = (loaded: Loaded): SnapshotData => ({ articles: loaded.articles, warnings: loaded.warnings, searcher: loaded.searcher.state() });

function assemble(setup: Setup, loaded: Loaded, loadedFrom: Cited['loadedFrom'], basis: Cited['basis'] = null): Cited {
  const warnings = [...loaded.warnings, ...setup.aliasWarnings];
  for (const warning of warnings) setup.options.onWarning?.(warning);
  const articles = ArticleSet.of(loaded.articles);
  const figures = new FigureIndex(loaded.sentences, articles, loaded.searcher);
  return citedOf({ setup, articles, warnings, loadedFrom, basis, searcher: loaded.searcher, figures, hidden: new Set(), quotableCount: loaded.sentences.length });
}

/** Everything a Cited answers from; a change while running (an article added or removed) makes a new one. */
interface State {
  setup: Setup;
  articles: ArticleSet;
  warnings: LoadWarning[];
  loadedFrom: Cited['loadedFrom'];
  basis: Cited['basis'];
  searcher: Searcher;
  figures: FigureIndex;
  /** Articles removed since the index was built: never quoted, until a merge rebuilds without them. */
  hidden: ReadonlySet<string>;
  quotableCount: number;
}

function citedOf(state: State): Cited {
  const { setup, articles: byId, searcher, figures, hidden } = state;
  const { options } = setup;
  const visible = (filter: ((s: Sentence) => boolean) | undefined) => (hidden.size === 0 ? filter : (s: Sentence) => !hidden.has(s.articleId) && (filter ? filter(s) : true));
  return {
    options,
    get articles() {
      return byId.list;
    },
    warnings: state.warnings,
    loadedFrom: state.loadedFrom,
    basis: state.basis,
    sentenceCount: state.quotableCount,
    segments: searcher.segmentList.length,
    ask(question, ask = {}) {
      const allow = sentenceFilter(ask.sources, ask.exclude);
      return answerQuestion(question, searcher, byId, {
        ...options.answer,
        excerpts: ask.limit ?? options.answer.excerpts,
        offset: ask.offset ?? 0,
        ...(allow ? { allow } : {}),
      });
    },
    judge(question) {
      const trimmed = question.trim();
      const result = searcher.search(trimmed, 100);
      return judgeAnswer(trimmed, result, kindFirst(trimmed, result.hits, { judge: true }), searcher, byId, () => true, options.answer);
    },
    search: (question, limit) => searcher.search(question, limit),
    figures: (topic, exclude) => figures.find(topic ?? null, visible(sentenceFilter(undefined, exclude))),
    // A sentence id is its article's id, '#', a hash (and '~n' for a repeat): found within its
    // article, so a million-sentence corpus needs no map of every sentence.
    sentence: (id) => byId.get(id.slice(0, id.lastIndexOf('#')))?.sentences.find((s) => s.id === id),
    figureSubjects: () => figures.subjects(visible(undefined)).map(({ subject, count }) => ({ subject, count })),
    article: (id) => byId.get(id),
    async withArticles(added, pause) {
      const sentences = quotable(added.articles);
      const segment = await segmentFrom(added.raw, sentences, searcher.analyzer, setup.searchOptions, pause);
      const all = byId.with(added.articles);
      const next = searcher.withSegment(segment);
      return citedOf({ ...state, articles: all, searcher: next, figures: figures.extended(sentences, all, next), quotableCount: state.quotableCount + sentences.length });
    },
    withoutArticles(ids) {
      const removed = ids.flatMap((id) => byId.get(id) ?? []);
      const gone = new Set(removed.map((a) => a.id));
      return citedOf({ ...state, articles: byId.without(gone), searcher: searcher.hiding(gone), hidden: new Set([...hidden, ...gone]), quotableCount: state.quotableCount - quotableIn(removed) });
    },
    localSegment: (added, pause) => segmentFrom(added.raw, quotable(added.articles), searcher.analyzer, setup.searchOptions, pause),
    withLocal(local) {
      const shown = local.articles.filter((a) => !local.hidden.has(a.id));
      const all = ArticleSet.of(shown).over(byId);
      const next = searcher.withLocal(local.segments, local.hidden);
      const sentences = local.segments.flatMap((segment) => segment.sentences);
      return citedOf({
        ...state,
        articles: all,
        searcher: next,
        figures: figures.extended(sentences, all, next),
        hidden: local.hidden.size === 0 ? hidden : new Set([...hidden, ...local.hidden]),
        quotableCount: state.quotableCount + quotableIn(shown),
      });
    },
    vocabulary: searcher.analyzer.variants.vocabulary,
  };
}

const quotableIn = (articles: readonly Article[]): number => articles.reduce((n, a) => n + a.sentences.filter((s) => !s.excluded).length, 0);

/** The sentences that may be quoted, in corpus order (the order the index numbers them in). */
function quotable(articles: readonly Article[]): Sentence[] {
  // A loop, not flatMap: a million sentences at every start.
  const sentences: Sentence[] = [];
  for (const article of articles) for (const sentence of article.sentences) if (!sentence.excluded) sentences.push(sentence);
  return sentences;
}

function readAliases(dir: string, warnings: LoadWarning[]): AliasRules {
  const path = join(dir, ALIASES_FILE);
  if (!existsSync(path)) return noAliases;
  return parseAliases(readFileSync(path, 'utf8'), (line, why) =>
    warnings.push({ file: ALIASES_FILE, message: `line ${line} ignored: ${why}` }),
  );
}
