/**
 * Question → Answer: verbatim excerpts with numbered citations, or an honest abstention.
 * Nothing here writes text of its own; every excerpt is a slice of an article, unchanged.
 */
import type { Answer, ArticleLookup, Citation, Excerpt, Sentence, Span } from '../core/types.js';
import { citedError } from '../core/errors.js';
import { removeInvisible } from '../nlp/invisible.js';
import type { Searcher, SearchHit, SearchResult } from '../search/search.js';
import { featuresOf, meetsTheQuestion, probability, viewQuestion, type Features } from './judge.js';
import { answerKind, canHold } from './question-type.js';
import { analyzeText } from '../nlp/analysis.js';
import { judgeWeights } from './judge-weights.js';
import { groupNearIdentical } from './near-duplicates.js';
import { antecedentOf, needsItsAntecedent } from './complete-quote.js';

export interface AnswerOptions {
  /** Excerpts per answer (a page). */
  excerpts: number;
  /** Skip this many excerpts (for "more excerpts"). */
  offset: number;
  /**
   * The relevance floor: a sentence is quoted only if it (with its context) covers at least this
   * share of the question's idf weight. Words the corpus never uses weigh the most, so a question
   * whose key word is absent ("the capital of Australia") falls below it and Cited abstains.
   */
  minCoverage: number;
  /** Excerpts after the first must score at least this share of the best one… */
  relativeScore: number;
  /** …and cover at least this share of the question (the first must reach `minCoverage`). */
  followingCoverage: number;
  /**
   * When nothing clears the floor, passages covering at least this share of the question are shown
   * as the closest the articles come (at most `excerpts` of them, on the first page only).
   */
  relatedCoverage: number;
  /** Term-set Jaccard similarity at which sentences count as the same report (see near-duplicates.ts). */
  duplicateSimilarity: number;
  /** An excerpt takes in the adjacent sentence that completes it only while both fit in this many characters. */
  maxExcerptLength: number;
  maxQuestionLength: number;
  /**
   * Decide with the judge (judge.ts: a probability per candidate from coverage, names, the kind of
   * answer asked for, rank) instead of the coverage floor alone; candidates are then ordered by it.
   */
  judge: boolean;
  /** Sentences that may be quoted (source filter, moderation); all when absent. */
  allow?: (sentence: Sentence) => boolean;
}

export const defaultAnswerOptions: AnswerOptions = {
  excerpts: 3,
  offset: 0,
  minCoverage: 0.35,
  relativeScore: 0.3,
  followingCoverage: 0.25,
  relatedCoverage: 0.2,
  judge: true,
  duplicateSimilarity: 0.6,
  maxExcerptLength: 700,
  maxQuestionLength: 4000,
};

/** How many ranked sentences to consider before the floor and merging. */
const CANDIDATES = 100;

interface Passage {
  hit: SearchHit;
  /** Sentences quoted, in text order (the hit's sentence, maybe with a neighbour). */
  sentences: Sentence[];
}

export function answerQuestion(
  question: string,
  searcher: Searcher,
  articles: ArticleLookup,
  options: AnswerOptions,
): Answer {
  // The question as searched is the question answered (Answer.question): invisible characters out.
  const trimmed = removeInvisible(question).trim();
  if (trimmed === '') throw citedError('EMPTY_QUESTION');
  if (trimmed.length > options.maxQuestionLength) throw citedError('QUESTION_TOO_LONG', trimmed.length, options.maxQuestionLength);

  const result = searcher.search(trimmed, CANDIDATES);
  const allow = options.allow ?? (() => true);
  const allowed = kindFirst(trimmed, result.hits.filter((h) => allow(h.sentence)), options);
  const top = allowed[0];
  const base = { question: trimmed, terms: result.terms };
  const quote = (hits: SearchHit[], offset: number) => quotePassages(hits, offset, searcher, articles, allow, options);
  const judged = top !== undefined && options.judge ? judge(trimmed, result, allowed, searcher, articles, allow, options) : null;
  const confident = top !== undefined && (judged ? meetsTheQuestion(judged.features) && judged.probability >= judgeWeights.threshold : top.coverage >= options.minCoverage);
  if (!confident) {
    // No confident answer. The closest passages are shown apart, on the first page only.
    const closest = options.offset === 0 ? allowed.filter((h) => h.coverage >= options.relatedCoverage) : [];
    const { excerpts, citations } = quote(closest, 0);
    return { ...base, abstained: true, excerpts: [], related: excerpts, citations, more: false };
  }
  const relevant = allowed.filter((h, i) => (i === 0 || h.coverage >= options.followingCoverage) && h.score >= top.score * options.relativeScore);
  const { excerpts, citations, more } = quote(relevant, options.offset);
  return { ...base, abstained: false, excerpts, related: [], citations, more };
}

export interface Judgement {
  hit: SearchHit;
  /** The passage it would be quoted as. */
  text: string;
  features: Features;
  /** That it answers the question (judge.ts). */
  probability: number;
}

/** How far down the ranking a passage that can hold the kind of answer asked for is brought up from. */
const KIND_WINDOW = 5;

/**
 * The ranked hits with the first one (among the best few) that can hold the kind of answer asked
 * for — a number for "how many", a time for "when" — brought to the front, when the best cannot.
 */
export function kindFirst(question: string, hits: SearchHit[], options: Pick<AnswerOptions, 'judge'>): SearchHit[] {
  if (!options.judge || hits.length < 2) return hits;
  const kind = answerKind(question);
  if (kind === 'any') return hits;
  const words = new Set((question.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).map((w) => w.replace(/['’]s$/, '')));
  const holds = (h: SearchHit) => canHold(kind, h.sentence.text, words);
  if (holds(hits[0]!)) return hits;
  const at = hits.slice(0, KIND_WINDOW).findIndex(holds);
  return at <= 0 ? hits : [hits[at]!, ...hits.slice(0, at), ...hits.slice(at + 1)];
}

/** The best-ranked passage with the judge's signals and its probability of answering; null when nothing was found. */
export function judge(
  question: string,
  result: SearchResult,
  allowed: readonly SearchHit[],
  searcher: Searcher,
  articles: ArticleLookup,
  allow: (s: Sentence) => boolean,
  options: Pick<AnswerOptions, 'maxExcerptLength'>,
): Judgement | null {
  const hit = allowed[0];
  if (!hit) return null;
  const view = viewQuestion(question, result, { top: hit.score, second: allowed[1]?.score ?? 0 }, searcher.analyzer);
  const sentences = withCompletingNeighbour(hit, articles, allow, options.maxExcerptLength, (s) => searcher.analyzer.termsOfText(s.text));
  const text = articles.get(hit.sentence.articleId)!.text.slice(sentences[0]!.start, sentences.at(-1)!.end);
  const tokens = analyzeText(text);
  const features = featuresOf(view, hit, text, { tokens, terms: tokens.map((t) => searcher.analyzer.termOfToken(t)) });
  return { hit, text, features, probability: probability(features) };
}

/**
 * Ranked hits as a page of verbatim excerpts with numbered citations: each hit's sentence (with the
 * neighbour that completes it), never a sentence twice, near-identical reports merged.
 */
function quotePassages(
  hits: readonly SearchHit[],
  offset: number,
  searcher: Searcher,
  articles: ArticleLookup,
  allow: (s: Sentence) => boolean,
  options: AnswerOptions,
): { excerpts: Excerpt[]; citations: Citation[]; more: boolean } {
  // One passage per hit, never quoting a sentence twice.
  const quoted = new Set<string>();
  const passages: Passage[] = [];
  for (const hit of hits) {
    if (quoted.has(hit.sentence.id)) continue;
    let sentences = withCompletingNeighbour(hit, articles, allow, options.maxExcerptLength, (s) => searcher.analyzer.termsOfText(s.text));
    // The neighbour is already quoted by a better excerpt: quote this sentence on its own.
    if (sentences.some((s) => quoted.has(s.id))) sentences = [hit.sentence];
    sentences.forEach((s) => quoted.add(s.id));
    passages.push({ hit, sentences });
  }
  // Near-duplicates are looked for among the passages a page could use (each needs re-analysis).
  const considered = passages.slice(0, (offset + options.excerpts) * 4 + 1);
  const groups = groupNearIdentical(considered, (p) => searcher.analyzer.termsOfText(p.hit.sentence.text), options.duplicateSimilarity);
  const page = groups.slice(offset, offset + options.excerpts);

  const citations: Citation[] = [];
  const numberOf = (articleId: string): number => {
    const existing = citations.find((c) => c.articleId === articleId);
    if (existing) return existing.number;
    const { title, date, url, outlet } = articles.get(articleId)!;
    citations.push({ number: citations.length + 1, articleId, title, date, url, outlet });
    return citations.length;
  };
  const excerpts: Excerpt[] = page.map(([lead, ...duplicates]) => {
    const { hit, sentences } = lead!;
    const article = articles.get(hit.sentence.articleId)!;
    const start = sentences[0]!.start;
    return {
      text: article.text.slice(start, sentences.at(-1)!.end),
      score: hit.score,
      sentenceIds: sentences.map((s) => s.id),
      duplicateIds: duplicates.map((d) => d.hit.sentence.id),
      citations: [...new Set([lead!, ...duplicates].map((p) => numberOf(p.hit.sentence.articleId)))],
      highlights: sentences.flatMap((s) => highlight(s, hit, searcher).map((h) => ({ start: h.start + s.start - start, end: h.end + s.start - start }))),
    };
  });
  return { excerpts, citations, more: groups.length > offset + options.excerpts };
}

/**
 * The hit's sentence, joined with the adjacent sentence of the same paragraph that supplied
 * question words it lacks ("Meanwhile, the government declared a state of emergency. The order
 * will last 30 days."), so the quote answers on its own; and, whatever the question matched, with
 * the sentence that resolves its pronoun or pointer subject (complete-quote.ts). The passage is
 * still one verbatim slice.
 */
function withCompletingNeighbour(
  hit: SearchHit,
  articles: ArticleLookup,
  allow: (s: Sentence) => boolean,
  maxLength: number,
  termsOf: (s: Sentence) => ReadonlySet<string>,
): Sentence[] {
  const own = hit.sentence;
  const article = articles.get(own.articleId)!;
  const antecedent = needsItsAntecedent(own.text) ? antecedentOf(own, article, allow) : undefined;
  // When the antecedent holds the question's words the sentence lacks, nothing more is needed.
  const supplied = antecedent !== undefined && (hit.neighbours.some((n) => n.position === antecedent.position) || hit.context.every((t) => termsOf(antecedent).has(t)));
  const neighbour = supplied ? undefined : hit.neighbours.find((n) => n.paragraph === own.paragraph && allow(n) && n.position !== antecedent?.position);
  let passage = antecedent ? [antecedent, own] : [own];
  if (neighbour) {
    const joined = neighbour.position < own.position ? [neighbour, ...passage] : [...passage, neighbour];
    const contiguous = joined.every((s, i) => i === 0 || s.position === joined[i - 1]!.position + 1);
    // The neighbour that supplies question words is optional: only while the passage stays short.
    if (contiguous && joined.at(-1)!.end - joined[0]!.start <= maxLength) passage = joined;
  }
  return passage;
}

/** Where the question's words occur in one quoted sentence. */
function highlight(sentence: Sentence, hit: SearchHit, searcher: Searcher): Span[] {
  return searcher.analyzer.highlight(sentence.text, new Set([...hit.matched, ...hit.context]));
}
