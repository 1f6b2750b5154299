/**
 * Builds a Searcher from analysed sentences handed over one at a time, in corpus order, keeping
 * none of their tokens: each token becomes a number (its folded form's) as it arrives, and the
 * vocabulary, acronyms and sentence layout are counted on the way. `finish` turns the fold numbers
 * into index terms (variant folding needs the whole vocabulary) and builds the index from flat
 * arrays. A million-sentence corpus is indexed this way without holding its tokens at once.
 */
import type { Article, Sentence } from '../core/types.js';
import type { WordToken } from '../nlp/analysis.js';
import { foldToken, hyphenCompounds, opensWithPronoun, termOf } from '../nlp/terms.js';
import type { LoadedCorpus } from '../corpus/load.js';
import { Acronyms } from './acronyms.js';
import { SentenceIndex, type IndexOptions } from './index.js';
import type { Analyzer } from '../nlp/analyzer.js';
import type { Segment } from './segments.js';
import { Searcher, type SearchOptions } from './search.js';
import type { AliasRules, Vocabulary } from './variants.js';

/** Indexes a loaded corpus whose tokens are all in hand (tests, small corpora). */
export function buildSearcher(corpus: LoadedCorpus, aliases: AliasRules, options: SearchOptions): Searcher {
  const builder = new SearcherBuilder();
  for (const { sentence, tokens } of corpus.analyzed) builder.add(sentence, tokens);
  return builder.finish(corpus.articles, corpus.titles, aliases, options);
}

export class SearcherBuilder {
  private readonly acronyms = new Acronyms();
  /** The sentences added, in corpus order (the index numbers them so; the Searcher shares this list). */
  readonly sentences: Sentence[] = [];
  /** Distinct folded forms; a form's position is its fold number. */
  private readonly forms: string[] = [];
  private readonly formNumber = new Map<string, number>();
  /** Per kind of token (number, stop word, word; see foldToken), normal form → fold number, or -1 for a token that carries nothing. */
  private readonly known = [new Map<string, number>(), new Map<string, number>(), new Map<string, number>()];
  /** Per fold number: occurrences as a word, and bit 0 seen capitalised, bit 1 seen in lower case (a name is only ever capitalised). */
  private counts = new Uint32Array(1024);
  private cases = new Uint8Array(1024);
  /** Fold numbers of every searchable token, sentence after sentence. */
  private occurrences = new Uint32Array(1 << 16);
  private length = 0;
  private docEnds = new Uint32Array(1024);
  private article = new Uint32Array(1024);
  private paragraph = new Uint32Array(1024);
  /** Per sentence, 1 when it opens with a pronoun (see opensWithPronoun). */
  private refersBack = new Uint8Array(1024);
  private articles = -1;
  private paragraphs = -1;
  private previousArticle = '';
  private previousParagraph = -1;

  /** One quotable sentence with its word tokens (in corpus order); the tokens are not kept. */
  add(sentence: Sentence, tokens: readonly WordToken[]): void {
    this.acronyms.learn(tokens);
    const d = this.sentences.length;
    this.sentences.push(sentence);
    if (d >= this.docEnds.length) {
      this.docEnds = grow(this.docEnds, d * 2);
      this.article = grow(this.article, d * 2);
      this.paragraph = grow(this.paragraph, d * 2);
      this.refersBack = grow(this.refersBack, d * 2);
    }
    // Articles numbered as they come (the loader keeps exactly the articles with a quotable
    // sentence, in this order); paragraphs numbered across the corpus, so neighbours in different articles never meet.
    if (sentence.articleId !== this.previousArticle) {
      this.articles++;
      this.paragraphs++;
    } else if (sentence.paragraph !== this.previousParagraph) this.paragraphs++;
    this.previousArticle = sentence.articleId;
    this.previousParagraph = sentence.paragraph;
    this.article[d] = this.articles;
    this.paragraph[d] = this.paragraphs;
    this.refersBack[d] = opensWithPronoun(tokens) ? 1 : 0;

    // A hyphenated compound is indexed as its parts and as one joined word (see hyphenCompounds).
    const compounds = hyphenCompounds(sentence.text, tokens);
    const searchable = compounds.length === 0 ? tokens : [...tokens, ...compounds.map((c) => c.token)];
    if (this.length + searchable.length > this.occurrences.length) this.occurrences = grow(this.occurrences, Math.max(this.occurrences.length * 2, this.length + searchable.length));
    for (const token of searchable) {
      const fold = this.foldNumber(token);
      if (fold < 0) continue;
      this.occurrences[this.length++] = fold;
      if (token.kind !== 'word') continue;
      this.counts[fold]!++;
      this.cases[fold]! |= token.capitalised ? 1 : 2;
    }
    this.docEnds[d] = this.length;
  }

  /** The Searcher over everything added; `articles` and `titles` are the loaded articles and their titles' tokens. */
  finish(articles: readonly Article[], titles: readonly WordToken[][], aliases: AliasRules, options: SearchOptions): Searcher {
    if (articles.length !== this.articles + 1 || titles.length !== articles.length) throw new Error('Cited: the articles do not match the sentences indexed');
    const vocabulary: Vocabulary = { counts: new Map(), names: new Set() };
    this.forms.forEach((form, fold) => {
      if (this.counts[fold]! > 0) vocabulary.counts.set(form, this.counts[fold]!);
      if (this.cases[fold] === 1) vocabulary.names.add(form);
    });
    const docs = this.sentences.length;
    const searcher = Searcher.assemble({ vocabulary, acronyms: this.acronyms, sentences: this.sentences }, aliases, options, (analyzer) => {
      // Each distinct folded form's index term (variant folding and stemming are per form, not per token).
      const termIds = new Map<string, number>();
      const termOfFold = Uint32Array.from(this.forms, (form) => {
        const term = analyzer.termOfForm(form);
        let id = termIds.get(term);
        if (id === undefined) termIds.set(term, (id = termIds.size));
        return id;
      });
      const occurrences = this.occurrences.subarray(0, this.length);
      for (let i = 0; i < occurrences.length; i++) occurrences[i] = termOfFold[occurrences[i]!]!;
      return SentenceIndex.fromTermIds(
        {
          terms: [...termIds.keys()],
          occurrences,
          docEnds: this.docEnds.slice(0, docs),
          article: this.article.slice(0, docs),
          paragraph: this.paragraph.slice(0, docs),
          refersBack: this.refersBack.slice(0, docs),
          titles: titles.map((tokens) => analyzer.termsOf(tokens)),
        },
        options,
      );
    });
    this.release();
    return searcher;
  }

  /**
   * What was gathered, as folded forms rather than index terms: the part of indexing that needs no
   * knowledge of the rest of the corpus, so it can run on a worker thread for an article just added
   * and cross to the main thread as flat arrays (`segmentFrom` makes it a segment there).
   */
  raw(articles: readonly Article[], titles: readonly WordToken[][]): RawSegment {
    if (articles.length !== this.articles + 1 || titles.length !== articles.length) throw new Error('Cited: the articles do not match the sentences indexed');
    const docs = this.sentences.length;
    const raw: RawSegment = {
      forms: [...this.forms],
      // Stemming is most of turning a form into a term: done here, on the worker, not on the main thread.
      stems: this.forms.map((form) => termOf(form)),
      occurrences: this.occurrences.slice(0, this.length),
      docEnds: this.docEnds.slice(0, docs),
      article: this.article.slice(0, docs),
      paragraph: this.paragraph.slice(0, docs),
      refersBack: this.refersBack.slice(0, docs),
      titles: titles.map((tokens) => tokens.flatMap((t) => foldToken(t) ?? [])),
    };
    this.release();
    return raw;
  }

  /** A builder is used once: what it gathered goes, even if something still holds the builder. */
  private release(): void {
    for (const known of this.known) known.clear();
    this.formNumber.clear();
    this.forms.length = 0;
    this.occurrences = this.docEnds = this.article = this.paragraph = this.counts = new Uint32Array(0);
    this.cases = this.refersBack = new Uint8Array(0);
  }

  /** The fold number of a token: a lookup per token, the fold itself once per distinct word form. */
  private foldNumber(token: WordToken): number {
    const known = this.known[token.kind === 'number' ? 0 : token.stop ? 1 : 2]!;
    let fold = known.get(token.normal);
    if (fold !== undefined) return fold;
    const folded = foldToken(token);
    fold = folded === null ? -1 : (this.formNumber.get(folded) ?? -1);
    if (folded !== null && fold < 0) {
      fold = this.forms.length;
      this.forms.push(folded);
      this.formNumber.set(folded, fold);
      if (fold >= this.counts.length) {
        this.counts = grow(this.counts, this.counts.length * 2);
        this.cases = grow(this.cases, this.cases.length * 2);
      }
    }
    known.set(token.normal, fold);
    return fold;
  }
}

/** Sentences indexed as folded forms (fold numbers into `forms`), before the corpus's analyzer turns them into terms. */
export interface RawSegment {
  forms: string[];
  /** Each form's term were it spelled as the corpus spells it (its stem), made where the forms were. */
  stems: string[];
  occurrences: Uint32Array;
  docEnds: Uint32Array;
  article: Uint32Array;
  paragraph: Uint32Array;
  refersBack: Uint8Array;
  /** Per article, the folded forms of its title. */
  titles: string[][];
}

/**
 * The segment of an article (or a few) added to a running index: its folded forms become terms
 * through the corpus's analyzer — the main index's spellings, so a question meets both alike — and
 * the index is built from flat arrays. A few milliseconds for an article of thousands of sentences.
 */
export async function segmentFrom(raw: RawSegment, sentences: readonly Sentence[], analyzer: Analyzer, options: IndexOptions, pause: () => Promise<void> = async () => undefined): Promise<Segment> {
  const termIds = new Map<string, number>();
  const termOfFold = new Uint32Array(raw.forms.length);
  // In slices, with `pause` between them: a large article has tens of thousands of forms and
  // hundreds of thousands of words, too many to map in one go on a thread that answers members.
  for (let fold = 0; fold < raw.forms.length; fold++) {
    const term = analyzer.termOfStemmedForm(raw.forms[fold]!, raw.stems[fold]!);
    let id = termIds.get(term);
    if (id === undefined) termIds.set(term, (id = termIds.size));
    termOfFold[fold] = id;
    if (fold % 8192 === 8191) await pause();
  }
  const occurrences = new Uint32Array(raw.occurrences.length);
  for (let i = 0; i < occurrences.length; i++) {
    occurrences[i] = termOfFold[raw.occurrences[i]!]!;
    if (i % 131072 === 131071) await pause();
  }
  await pause();
  const index = SentenceIndex.fromTermIds(
    {
      terms: [...termIds.keys()],
      occurrences,
      docEnds: raw.docEnds,
      article: raw.article,
      paragraph: raw.paragraph,
      refersBack: raw.refersBack,
      titles: raw.titles.map((forms) => forms.map((f) => analyzer.termOfForm(f))),
    },
    options,
  );
  if (index.size !== sentences.length) throw new Error('Cited: the segment does not match its sentences');
  return { index, sentences };
}

function grow<T extends Uint32Array | Uint8Array>(array: T, length: number): T {
  const bigger = new (array.constructor as new (length: number) => T)(length);
  bigger.set(array);
  return bigger;
}
