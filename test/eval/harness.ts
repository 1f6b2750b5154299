/**
 * The evaluation of answer quality: questions about the bundled corpus written as users ask them
 * (questions.json), each with the sentence(s) that answer it, or none when the corpus cannot.
 *
 * An engine shows either a confident answer (its quotes, best first) or, when it abstains, the
 * closest passages (Cited's `related`; the baselines have none). A result answers a question when
 * its text contains one of the question's gold strings.
 *   Hit@k       answerable questions whose confident answer has an answering quote among the first k
 *   MRR@10      mean of 1/rank of the first answering quote of the confident answer (0 past 10)
 *   shown@3     answerable questions with an answering passage among the first three shown, answer or closest
 *   precision   confident answers (to any question) whose first quote answers it
 *   correct abstentions   unanswerable questions given no confident answer
 *   false abstentions     answerable questions given no confident answer
 *   shown nothing         answerable questions shown neither an answer nor a closest passage
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../src/core/paths.js';
import type { Engine } from './engines.js';

export interface Question {
  id: string;
  question: string;
  kind: 'direct' | 'paraphrase' | 'variant' | 'context' | 'figure' | 'unanswerable';
  gold: string[];
  /**
   * dev: may be looked at and tuned on. heldout: set aside when the set was written, checked but never
   * tuned on. blind: written later by someone who had read only the articles — never the code, the
   * other questions' results or Cited's answers — and likewise never tuned on. blind3: a third blind
   * round (80 questions, 20 unanswerable sharing names with the articles), written before the work on
   * answers in people's own words began: never looked at question by question, never tuned on.
   * blind4: a fourth blind round written the same way when that work was done, measured on once.
   */
  split: 'dev' | 'heldout' | 'blind' | 'blind3' | 'blind4';
  note?: string;
}

export interface Scores {
  answerable: number;
  unanswerable: number;
  hit1: number;
  hit3: number;
  mrr10: number;
  shown3: number;
  precision: number;
  correctAbstentions: number;
  falseAbstentions: number;
  shownNothing: number;
}

export interface Outcome {
  id: string;
  /** Rank of the first answering quote of the confident answer (1-based), or null. */
  rank: number | null;
  /** Rank of the first answering passage among those shown (answer or closest passages), or null. */
  shownRank: number | null;
  /** No confident answer. */
  abstained: boolean;
  /** Nothing shown at all. */
  empty: boolean;
}

export function loadQuestions(): Question[] {
  return JSON.parse(readFileSync(join(projectRoot(), 'test', 'eval', 'questions.json'), 'utf8')) as Question[];
}

export function runEngine(engine: Engine, questions: readonly Question[]): Outcome[] {
  return questions.map((q) => {
    const { confident, related } = engine.rank(q.question, 10);
    const rankIn = (texts: readonly string[]) => {
      const at = q.gold.length === 0 ? -1 : texts.findIndex((text) => q.gold.some((g) => text.includes(g)));
      return at >= 0 ? at + 1 : null;
    };
    const shown = confident.length > 0 ? confident : related;
    return { id: q.id, rank: rankIn(confident), shownRank: rankIn(shown), abstained: confident.length === 0, empty: shown.length === 0 };
  });
}

export function score(questions: readonly Question[], outcomes: readonly Outcome[]): Scores {
  const byId = new Map(outcomes.map((o) => [o.id, o]));
  const answerable = questions.filter((q) => q.gold.length > 0);
  const unanswerable = questions.filter((q) => q.gold.length === 0);
  const ranks = answerable.map((q) => byId.get(q.id)!.rank);
  const share = (n: number, of: number) => (of === 0 ? 0 : n / of);
  const confident = questions.filter((q) => !byId.get(q.id)!.abstained);
  return {
    answerable: answerable.length,
    unanswerable: unanswerable.length,
    hit1: share(ranks.filter((r) => r === 1).length, answerable.length),
    hit3: share(ranks.filter((r) => r !== null && r <= 3).length, answerable.length),
    mrr10: share(ranks.reduce<number>((sum, r) => sum + (r !== null && r <= 10 ? 1 / r : 0), 0), answerable.length),
    shown3: share(answerable.filter((q) => (byId.get(q.id)!.shownRank ?? 99) <= 3).length, answerable.length),
    precision: share(confident.filter((q) => byId.get(q.id)!.rank === 1).length, confident.length),
    correctAbstentions: share(unanswerable.filter((q) => byId.get(q.id)!.abstained).length, unanswerable.length),
    falseAbstentions: share(answerable.filter((q) => byId.get(q.id)!.abstained).length, answerable.length),
    shownNothing: share(answerable.filter((q) => byId.get(q.id)!.empty).length, answerable.length),
  };
}

/**
 * The targets the project holds itself to on blind splits never tuned on (issue "answers that hold up
 * when people ask in their own words"): a confident first quote right for 75% of answerable questions
 * and 10 points above plain BM25; the right passage among the first three shown for 85%, nothing
 * shown for at most 3%; no confident answer for 80% of unanswerable questions; 90% of confident
 * answers right first.
 */
export const targets = { hit1: 0.75, hit1AboveBm25: 0.1, shown3: 0.85, shownNothingAtMost: 0.03, correctAbstentions: 0.8, precision: 0.9 };

/**
 * What the held-out split has long reached for abstentions (eval.test.ts keeps it there). It used
 * to cap false abstentions at 2%; since an abstention shows the closest passages, what is capped is
 * answerable questions shown nothing at all (the judge abstains on 18% of held-out answerable
 * questions: README "Answer quality").
 */
export const heldoutAbstentions = { correct: 0.9, shownNothingAtMost: 0.03 };

/**
 * The scores Cited has reached on each split (README "Answer quality"), rounded down: eval.test.ts
 * fails below them, so while the targets are out of reach answers still cannot quietly get worse.
 * Raise them when a change raises the scores; never lower them to let a change land.
 *
 * Re-based once, with the judge (issue "answers in people's own words"): a confident answer now
 * needs the judge's say-so, and a question it is not sure of gets the closest passages instead, so
 * Hit@1 (a confident right first quote) fell on dev, held-out and the first blind round while
 * confident wrong answers fell further (see the README for every number before and after). The
 * floors now hold what the targets ask for: Hit@1, the right passage among the first three shown,
 * precision and correct abstentions.
 */
export const reached = {
  dev: { hit1: 0.7, shown3: 0.86, precision: 0.76, correctAbstentions: 0.72 },
  heldout: { hit1: 0.75, shown3: 0.89, precision: 0.91, correctAbstentions: 1 },
  blind: { hit1: 0.45, shown3: 0.67, precision: 0.6, correctAbstentions: 1 },
  blind3: { hit1: 0.7, shown3: 0.85, precision: 0.76, correctAbstentions: 0.6 },
  // Measured once, when the work was done (README "Answer quality").
  blind4: { hit1: 0.66, shown3: 0.83, precision: 0.67, correctAbstentions: 0.35 },
} as const;

export function meetsTargets(s: Scores, bm25: Scores): string[] {
  const misses: string[] = [];
  if (s.hit1 < targets.hit1) misses.push(`Hit@1 ${s.hit1.toFixed(3)} < ${targets.hit1}`);
  if (s.hit1 - bm25.hit1 < targets.hit1AboveBm25) misses.push(`Hit@1 only ${((s.hit1 - bm25.hit1) * 100).toFixed(1)} points above wink-bm25 (< 10)`);
  if (s.shown3 < targets.shown3) misses.push(`shown@3 ${s.shown3.toFixed(3)} < ${targets.shown3}`);
  if (s.shownNothing > targets.shownNothingAtMost) misses.push(`shown nothing ${s.shownNothing.toFixed(3)} > ${targets.shownNothingAtMost}`);
  if (s.correctAbstentions < targets.correctAbstentions) misses.push(`correct abstentions ${s.correctAbstentions.toFixed(3)} < ${targets.correctAbstentions}`);
  if (s.precision < targets.precision) misses.push(`precision ${s.precision.toFixed(3)} < ${targets.precision}`);
  return misses;
}
