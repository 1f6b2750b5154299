/**
 * Search over a loaded corpus: question words go through the same folding as the corpus
 * (wink-nlp normal form, spelling variants, stems), then BM25 with sentence context ranks
 * the sentences. Synchronous and Discord-agnostic.
 */
import type { QueryTerms, Sentence } from '../core/types.js';
import { citedError } from '../core/errors.js';
import { analyzeText, isEnglishWord, tagText, type WordToken } from '../nlp/analysis.js';
import { foldToken, hyphenCompounds, mentionsNumber } from '../nlp/terms.js';
import { Analyzer } from '../nlp/analyzer.js';
import { removeInvisible } from '../nlp/invisible.js';
import { MAX_QUERY_TERMS, SentenceIndex, type IndexArrays, type IndexOptions } from './index.js';
import { Variants, type AliasRules, type Vocabulary } from './variants.js';
import { Segments, type Segment } from './segments.js';
import { Acronyms } from './acronyms.js';

/** "How long", "how far"…: the second word frames the question; it is not a topic to search for. */
const QUESTION_FRAMES = new Set(['long', 'far', 'old', 'big', 'large', 'soon', 'often', 'high', 'close']);

/** "Today", "now", "currently": the asker's time, not the articles'; they frame a question and are not searched. */
const ASKERS_TIME = new Set(['today', 'now', 'currently', 'tomorrow', 'tonight', 'latest', 'recently', 'nowadays']);

export interface SearchOptions extends IndexOptions {
  /**
   * A question word the corpus never uses counts against coverage as this share of the largest
   * idf: a name ("Taiwan", "Lukashenko") is usually the point of the question, a common noun often,
   * a verb or adjective ("retaliate", "reliant") rarely — it is how the asker happened to put it.
   */
  unknownWeight: { name: number; noun: number; other: number };
  /**
   * A question that asks for a figure ("how many…", "how much…", "how far…") ranks a sentence that
   * has a number this share higher: the answer to it is a number.
   */
  figureBonus?: number;
}

/** Questions that ask for a figure. */
const ASKS_FOR_FIGURE = /\bhow (many|much|far|long|big|large|old|soon|often|high)\b|\bwhat (number|percentage|share|proportion)\b/i;

export interface SearchHit {
  sentence: Sentence;
  score: number;
  /** Share of the question's weight this sentence covers with its context, 0 to 1. */
  coverage: number;
  /** Index terms of the question found in the sentence itself. */
  matched: string[];
  /** Found only in a neighbouring sentence or the title. */
  context: string[];
  /** Adjacent sentences of the same article that supplied some of `context`. */
  neighbours: Sentence[];
}

export interface SearchResult {
  hits: SearchHit[];
  terms: QueryTerms;
  /** The index terms searched for (unknown ones included), for highlighting. */
  indexTerms: string[];
  /** How the question was read: each index term's weight, and whether the corpus knows it. */
  analysis: Pick<QueryAnalysis, 'weights' | 'known'>;
}

export interface QueryAnalysis {
  terms: QueryTerms;
  indexTerms: string[];
  /** Each index term's weight in coverage: its idf, or for a word the corpus never uses, a share of the largest idf by kind. */
  weights: number[];
  /** Per index term: the corpus uses it. */
  known: boolean[];
  /** Words of the question that were dropped as too common (for the error message). */
  common: string[];
  /** Word or number tokens seen at all. */
  tokenCount: number;
}

/** What a Searcher is made of beyond the sentences: kept in the index snapshot. */
export interface SearcherState {
  vocabulary: { counts: [string, number][]; names: string[] };
  acronyms: [string, [string, number][]][];
  index: IndexArrays;
}

export class Searcher {
  private constructor(
    /** Word → term, for the index built over these sentences and every question put to it. */
    readonly analyzer: Analyzer,
    private readonly acronyms: Acronyms,
    /** The main segment and any added since (segments.ts). */
    private readonly segments: Segments,
    private readonly options: SearchOptions,
  ) {}

  /** A Searcher from what a SearcherBuilder gathered (builder.ts); `index` makes its index once the analyzer knows the corpus's spellings. */
  static assemble(
    parts: { vocabulary: Vocabulary; acronyms: Acronyms; sentences: Sentence[] },
    aliases: AliasRules,
    options: SearchOptions,
    index: (analyzer: Analyzer) => SentenceIndex,
  ): Searcher {
    const analyzer = new Analyzer(new Variants(parts.vocabulary, aliases));
    return new Searcher(analyzer, parts.acronyms, new Segments([{ index: index(analyzer), sentences: parts.sentences }]), options);
  }

  /** A Searcher from a snapshot's state and the quotable sentences in corpus order. */
  static restore(state: SearcherState, sentences: Sentence[], aliases: AliasRules, options: SearchOptions): Searcher {
    const vocabulary = { counts: new Map(state.vocabulary.counts), names: new Set(state.vocabulary.names) };
    const index = new SentenceIndex(state.index, options);
    if (index.size !== sentences.length) throw new Error('Cited: the snapshot does not match its sentences');
    return new Searcher(new Analyzer(new Variants(vocabulary, aliases)), Acronyms.restore(state.acronyms), new Segments([{ index, sentences }]), options);
  }

  /** The main segment's state, for the snapshot (added segments are saved on their own). */
  state(): SearcherState {
    const { counts, names } = this.analyzer.variants.vocabulary;
    return { vocabulary: { counts: [...counts], names: [...names] }, acronyms: this.acronyms.state(), index: this.segments.list[0]!.index.state() };
  }

  /** This Searcher with one more segment (an article just added), sharing everything else. */
  withSegment(segment: Segment): Searcher {
    return new Searcher(this.analyzer, this.acronyms, this.segments.with(segment), this.options);
  }

  /** This Searcher with a server's own segments beside its own (`hidden`: removed articles of those segments). */
  withLocal(segments: readonly Segment[], hidden: ReadonlySet<string>): Searcher {
    return new Searcher(this.analyzer, this.acronyms, this.segments.plus(segments, hidden), this.options);
  }

  /** This Searcher with the sentences of these articles never returned (removed ones). */
  hiding(articleIds: Iterable<string>): Searcher {
    return new Searcher(this.analyzer, this.acronyms, this.segments.hiding(articleIds), this.options);
  }

  /** The segments searched: the main one first. */
  get segmentList(): readonly Segment[] {
    return this.segments.list;
  }

  /**
   * Tokens with each hyphenated compound the index knows ("build-up" → buildup) in place of its
   * parts, so it is searched as the one word the corpus writes, hyphenated or not; a compound the
   * corpus never uses stays as its parts.
   */
  private withCompounds(text: string, tokens: WordToken[]): WordToken[] {
    const known = hyphenCompounds(text, tokens).filter((c) => this.segments.has(this.analyzer.termOfToken(c.token) ?? ''));
    if (known.length === 0) return tokens;
    const out: WordToken[] = [];
    let next = 0;
    for (const c of known) {
      out.push(...tokens.slice(next, c.first), c.token);
      next = c.last + 1;
    }
    return [...out, ...tokens.slice(next)];
  }

  /** What the index will look for, and what it knows nothing about. */
  analyzeQuery(question: string): QueryAnalysis {
    const tokens = this.withCompounds(question, analyzeText(question));
    const weights: number[] = [];
    let tags: Map<number, string> | null = null;
    /** How much a word the corpus never uses counts against coverage (see SearchOptions.unknownWeight). */
    const unknownWeight = (token: WordToken): number => {
      tags ??= new Map(tagText(question).tokens.map((t) => [t.start, t.pos]));
      const pos = tags.get(token.start);
      // Nationality words ("American", "Chinese") describe rather than name the topic: weigh them as nouns.
      const demonym = /(an|ian|ese|ish)$/i.test(token.normal);
      const name = (token.capitalised || pos === 'PROPN') && !demonym;
      const share = name ? this.options.unknownWeight.name : pos === 'NOUN' || demonym ? this.options.unknownWeight.noun : this.options.unknownWeight.other;
      return share * this.segments.idf('\u0000never');
    };
    const terms: QueryTerms = { searched: [], unknown: [], folded: [] };
    const indexTerms: string[] = [];

    const common: string[] = [];
    tokens.forEach((token, i) => {
      if (i > 0 && tokens[i - 1]!.normal === 'how' && QUESTION_FRAMES.has(token.normal)) return;
      if (ASKERS_TIME.has(token.normal)) return;
      // "Is Moscow going to retaliate?": "going to" marks the future; it is not a topic.
      if (token.normal === 'going' && tokens[i + 1]?.normal === 'to') return;
      const folded = foldToken(token);
      if (folded === null) {
        if (token.kind === 'word') common.push(token.normal);
        return;
      }
      let form = this.analyzer.variants.canonical(folded);
      let term = this.analyzer.termOfForm(folded);
      const expansion = this.segments.has(term) ? null : this.acronyms.expand(folded);
      if (expansion) {
        // An acronym the corpus spells out ("EU" → European Union): search its words instead.
        terms.folded.push({ from: folded, to: expansion.join(' ') });
        for (const word of expansion) {
          const wordTerm = this.analyzer.termOfForm(word);
          if (indexTerms.includes(wordTerm) || !this.segments.has(wordTerm)) continue;
          indexTerms.push(wordTerm);
          terms.searched.push(word);
          weights.push(this.segments.idf(wordTerm) / expansion.length);
        }
        return;
      }
      if (!this.segments.has(term)) {
        const corrected = this.analyzer.variants.correct(folded, isEnglishWord(token.normal));
        if (corrected !== null && this.segments.has(this.analyzer.termOfForm(corrected))) {
          form = this.analyzer.variants.canonical(corrected);
          term = this.analyzer.termOfForm(corrected);
        }
      }
      if (indexTerms.includes(term)) return;
      if (form !== folded) terms.folded.push({ from: folded, to: form });
      indexTerms.push(term);
      if (this.segments.has(term)) {
        terms.searched.push(form);
        weights.push(this.segments.idf(term));
      } else {
        terms.unknown.push(folded);
        weights.push(unknownWeight(token));
      }
    });
    // Long questions (a whole claim) are searched by their most informative words.
    if (indexTerms.length > MAX_QUERY_TERMS) {
      const keep = new Set(indexTerms.map((_, i) => i).sort((a, b) => weights[b]! - weights[a]! || a - b).slice(0, MAX_QUERY_TERMS));
      const kept = (_: unknown, i: number) => keep.has(i);
      return { terms, indexTerms: indexTerms.filter(kept), weights: weights.filter(kept), known: indexTerms.filter(kept).map((t) => this.segments.has(t)), common, tokenCount: tokens.length };
    }
    return { terms, indexTerms, weights, known: indexTerms.map((t) => this.segments.has(t)), common, tokenCount: tokens.length };
  }

  /**
   * Ranked sentences for a question. Throws NO_SEARCHABLE_WORDS when the question has no words
   * at all (emoji, punctuation) and ONLY_COMMON_WORDS when every word is a stop word.
   */
  search(text: string, limit = 50): SearchResult {
    // Every question and topic comes in here (answers, /figures, cited.search): "tro\u200Bops" is troops.
    const question = removeInvisible(text);
    const analysis = this.analyzeQuery(question);
    if (analysis.indexTerms.length === 0) {
      if (analysis.common.length > 0) throw citedError('ONLY_COMMON_WORDS', [...new Set(analysis.common)].join(', '));
      throw citedError('NO_SEARCHABLE_WORDS');
    }
    const raw = this.segments.search(analysis.indexTerms, limit, analysis.weights);
    const bonus = this.options.figureBonus ?? 0;
    const figure = bonus > 0 && ASKS_FOR_FIGURE.test(question);
    const hits = raw.map(({ hit: h, segment }) => ({
      sentence: segment.sentences[h.doc]!,
      score: figure && mentionsNumber(segment.sentences[h.doc]!.text) ? h.score * (1 + bonus) : h.score,
      coverage: h.coverage,
      matched: h.matched.map((q) => analysis.indexTerms[q]!),
      context: h.context.map((q) => analysis.indexTerms[q]!),
      neighbours: h.neighbours.map((n) => segment.sentences[n]!),
    }));
    if (figure) hits.sort((a, b) => b.score - a.score);
    return { hits, terms: analysis.terms, indexTerms: analysis.indexTerms, analysis: { weights: analysis.weights, known: analysis.known } };
  }

  /** Number of sentences in the index (all segments). */
  get size(): number {
    return this.segments.size;
  }
}
