/**
 * Does the best-ranked passage answer the question? A small logistic model over a few signals —
 * how much of the question the passage covers, how much of the question the articles know at all,
 * whether the question's names are in it, whether it can hold the kind of answer asked for, how far
 * it stands above the next — gives a probability. The passage is the answer when it clears the
 * threshold; otherwise Cited shows the closest passages and says no passage clearly answers.
 * (Selective answering: a calibrator on a few features decides, rather than the retrieval score
 * alone — Kamath, Jia & Liang 2020.) The signals kept are those that helped in a 5-fold
 * cross-validation on dev (README "Answer quality" lists what else was measured). The ranking itself stays BM25's: weighing the first ten
 * candidates with the same signals did not put a right passage first more often on any split.
 *
 * The weights are fitted on the dev split only (`npm run fit:judge`, test/eval/fit-judge.ts) and
 * live in judge-weights.ts; the held-out and blind splits never see the fitting.
 */
import type { SearchHit, SearchResult } from '../search/search.js';
import { analyzeText, tagText } from '../nlp/analysis.js';
import type { Analyzer } from '../nlp/analyzer.js';
import { answerKind, askedAbout, canHold, holdsExactly, type AnswerKind, type PassageTokens } from './question-type.js';
import { judgeWeights } from './judge-weights.js';

export const FEATURES = ['coverage', 'knownShare', 'kindExact', 'inSentence', 'spread', 'margin'] as const;
export type Features = Record<(typeof FEATURES)[number] | 'kindHeld', number>;

export interface Weights {
  /** Per feature, in FEATURES order: mean and spread used to standardise, and the coefficient. */
  mean: number[];
  scale: number[];
  coefficients: number[];
  intercept: number;
  /** The best-ranked passage is a confident answer at this probability or more. */
  threshold: number;
}

/** What is worked out once per question. */
export interface QuestionView {
  kind: AnswerKind;
  /** The question's words, lower case (a name the question already gives is not an answer to "who"). */
  words: Set<string>;
  indexTerms: string[];
  weights: number[];
  totalWeight: number;
  knownWeight: number;
  topScore: number;
  /** The score of the second-ranked passage (0 when there is none). */
  secondScore: number;
  /** What a number must count, or who must be speaking (terms); empty when the question does not say. */
  target: Set<string>;
}

export function viewQuestion(question: string, result: SearchResult, scores: { top: number; second: number }, analyzer: Analyzer): QuestionView {
  const { weights, known } = result.analysis;
  const kind = answerKind(question);
  const tokens = kind === 'number' || kind === 'words' ? analyzeText(question) : [];
  let pos: Map<number, string> | null = null;
  const posAt = (start: number) => (pos ??= new Map(tagText(question).tokens.map((t) => [t.start, t.pos]))).get(start);
  const nameAt = (i: number) => tokens[i]!.capitalised && tokens[i]!.start > 0;
  const target = new Set(askedAbout(kind, tokens, posAt, nameAt).flatMap((i) => analyzer.termOfToken(tokens[i]!) ?? []));
  const totalWeight = weights.reduce((a, b) => a + b, 0);
  const knownWeight = weights.reduce((sum, w, i) => sum + (known[i] ? w : 0), 0);
  const words = new Set((question.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).map((w) => w.replace(/['’]s$/, '')));
  return { kind, words, indexTerms: result.indexTerms, weights, totalWeight, knownWeight, topScore: scores.top, secondScore: scores.second, target };
}

/**
 * The signals for one candidate: `text` is the passage it would be quoted as (with its antecedent
 * or neighbour), `passage` its tokens and their terms.
 */
export function featuresOf(view: QuestionView, hit: SearchHit, text: string, passage: PassageTokens): Features {
  const inSentence = new Set(hit.matched);
  let sentenceWeight = 0;
  view.indexTerms.forEach((term, i) => {
    if (inSentence.has(term)) sentenceWeight += view.weights[i]!;
  });
  const spans = passage.tokens.filter((_, i) => passage.terms[i] !== null && inSentence.has(passage.terms[i]!));
  return {
    // How much of the question the passage covers, with its context (search.ts).
    coverage: hit.coverage,
    // How much of the question the articles know at all: a question in words they never use is a long shot.
    knownShare: view.totalWeight > 0 ? view.knownWeight / view.totalWeight : 0,
    kindHeld: canHold(view.kind, text, view.words) ? 1 : 0,
    kindExact: holdsExactly(view.kind, passage, view.target) ? 1 : 0,
    // How much of the question the sentence itself covers, without its neighbours' help.
    inSentence: view.totalWeight > 0 ? sentenceWeight / view.totalWeight : 0,
    // How far apart the question's words lie in the passage (0: one word, or side by side; 1: end to end).
    spread: spans.length < 2 ? 0 : (Math.max(...spans.map((s) => s.end)) - Math.min(...spans.map((s) => s.start))) / Math.max(1, text.length),
    // How far the best passage stands above the next: a clear winner, or one of many alike.
    margin: view.topScore > 0 ? (view.topScore - view.secondScore) / view.topScore : 0,
  };
}

/**
 * What a confident answer must have, whatever else it scores: the kind of answer asked for — a
 * number for "how many", a time for "when", a name not in the question for "who" and "where", a
 * verb of saying for "what did X say". A passage that lacks it is at best among the closest
 * passages. (The finer tests — the number counts the thing asked about, X is the one speaking — and
 * the question's names are weighed by the model instead: outlets put them in other words too
 * often — "residents" for people, "explosions" for blasts — to make them rules.)
 */
export function meetsTheQuestion(f: Features): boolean {
  return f.kindHeld === 1;
}

/** The probability that a candidate with these signals answers the question. */
export function probability(features: Features, weights: Weights = judgeWeights): number {
  let z = weights.intercept;
  FEATURES.forEach((name, i) => {
    z += weights.coefficients[i]! * ((features[name] - weights.mean[i]!) / weights.scale[i]!);
  });
  return 1 / (1 + Math.exp(-z));
}
