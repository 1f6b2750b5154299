/**
 * The evaluation of answer quality: questions about the bundled corpus written as users ask them
 * (questions.json), each with the sentence(s) that answer it, or none when the corpus cannot.
 *
 * A result answers a question when its text contains one of the question's gold strings.
 *   Hit@k       answerable questions with an answering result among the first k
 *   MRR@10      mean of 1/rank of the first answering result (0 past 10)
 *   correct abstentions   unanswerable questions given no result
 *   false abstentions     answerable questions given no result
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
   */
  split: 'dev' | 'heldout' | 'blind' | 'blind3';
  note?: string;
}

export interface Scores {
  answerable: number;
  unanswerable: number;
  hit1: number;
  hit3: number;
  mrr10: number;
  correctAbstentions: number;
  falseAbstentions: number;
}

export interface Outcome {
  id: string;
  /** Rank of the first answering result (1-based), or null; for unanswerable, null. */
  rank: number | null;
  abstained: boolean;
}

export function loadQuestions(): Question[] {
  return JSON.parse(readFileSync(join(projectRoot(), 'test', 'eval', 'questions.json'), 'utf8')) as Question[];
}

export function runEngine(engine: Engine, questions: readonly Question[]): Outcome[] {
  return questions.map((q) => {
    const results = engine.rank(q.question, 10);
    const at = results.findIndex((text) => q.gold.some((g) => text.includes(g)));
    return { id: q.id, rank: at >= 0 ? at + 1 : null, abstained: results.length === 0 };
  });
}

export function score(questions: readonly Question[], outcomes: readonly Outcome[]): Scores {
  const byId = new Map(outcomes.map((o) => [o.id, o]));
  const answerable = questions.filter((q) => q.gold.length > 0);
  const unanswerable = questions.filter((q) => q.gold.length === 0);
  const ranks = answerable.map((q) => byId.get(q.id)!.rank);
  const share = (n: number, of: number) => (of === 0 ? 0 : n / of);
  return {
    answerable: answerable.length,
    unanswerable: unanswerable.length,
    hit1: share(ranks.filter((r) => r === 1).length, answerable.length),
    hit3: share(ranks.filter((r) => r !== null && r <= 3).length, answerable.length),
    mrr10: share(ranks.reduce<number>((sum, r) => sum + (r !== null && r <= 10 ? 1 / r : 0), 0), answerable.length),
    correctAbstentions: share(unanswerable.filter((q) => byId.get(q.id)!.abstained).length, unanswerable.length),
    falseAbstentions: share(answerable.filter((q) => byId.get(q.id)!.abstained).length, answerable.length),
  };
}

/** The targets the project holds itself to (issue "answer quality"). */
export const targets = { hit1: 0.9, hit3: 0.95, correctAbstentions: 0.9, falseAbstentionsAtMost: 0.02 };

/**
 * The scores Cited has reached on each split (README "Answer quality"), rounded down: eval.test.ts
 * fails below them, so while the targets are out of reach retrieval still cannot quietly get worse.
 * Raise them when a change raises the scores; never lower them to let a change land.
 */
export const reached = {
  dev: { hit1: 0.7, hit3: 0.78, mrr10: 0.74 },
  heldout: { hit1: 0.82, hit3: 0.89, mrr10: 0.85 },
  blind: { hit1: 0.51, hit3: 0.61, mrr10: 0.55 },
  blind3: { hit1: 0.68, hit3: 0.73, mrr10: 0.7 },
} as const;

export function meetsTargets(s: Scores): string[] {
  const misses: string[] = [];
  if (s.hit1 < targets.hit1) misses.push(`Hit@1 ${s.hit1.toFixed(3)} < ${targets.hit1}`);
  if (s.hit3 < targets.hit3) misses.push(`Hit@3 ${s.hit3.toFixed(3)} < ${targets.hit3}`);
  if (s.correctAbstentions < targets.correctAbstentions) misses.push(`correct abstentions ${s.correctAbstentions.toFixed(3)} < ${targets.correctAbstentions}`);
  if (s.falseAbstentions > targets.falseAbstentionsAtMost) misses.push(`false abstentions ${s.falseAbstentions.toFixed(3)} > ${targets.falseAbstentionsAtMost}`);
  return misses;
}
