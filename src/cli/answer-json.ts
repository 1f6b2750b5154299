/**
 * The machine interface of Cited (`npm run ask -- --json`). Keep this shape stable; evaluations
 * depend on it:
 *   {"question","abstained","excerpts":[{"text","score","sources":[{"id","title","outlet","date","url"}]}],"related":[…]}
 * Unknown metadata is null. An excerpt's sources start with the article quoted, then the articles
 * that reported the same sentence. `related` (same shape as `excerpts`) holds the closest passages
 * when no passage clearly answers (`abstained: true`, `excerpts: []`); it is empty otherwise, and
 * when none of the question's words occurs in the articles. A question that cannot be asked (empty, too long) gives
 * `abstained: true`, no excerpts and an `error: {code, message}`.
 * Added later: `notes`, what the console prints about the question's words, as sentences — how a
 * spelling was searched ("the articles spell it both “Luhansk” and “Lugansk”") and the words no
 * article uses ("no article mentions: australia"); `[]` when there is nothing to say, and always
 * `[]` beside an `error`.
 */
import type { Answer, Excerpt } from '../cited.js';
import type { CitedError } from '../core/errors.js';

export interface JsonSource {
  id: string;
  title: string | null;
  outlet: string | null;
  date: string | null;
  url: string | null;
}

export interface JsonExcerpt {
  text: string;
  score: number;
  sources: JsonSource[];
}

export interface JsonAnswer {
  question: string;
  abstained: boolean;
  excerpts: JsonExcerpt[];
  related: JsonExcerpt[];
  notes: string[];
  error?: { code: string; message: string };
}

export function answerToJson(answer: Answer, notes: readonly string[]): JsonAnswer {
  return {
    question: answer.question,
    abstained: answer.abstained,
    excerpts: answer.excerpts.map((e) => excerptToJson(e, answer)),
    related: answer.related.map((e) => excerptToJson(e, answer)),
    notes: [...notes],
  };
}

function excerptToJson(e: Excerpt, answer: Answer): JsonExcerpt {
  return {
    text: e.text,
    score: Math.round(e.score * 1e4) / 1e4,
    sources: e.citations.map((n) => {
      const { articleId, title, outlet, date, url } = answer.citations[n - 1]!;
      return { id: articleId, title, outlet, date, url };
    }),
  };
}

export function errorToJson(question: string, error: CitedError): JsonAnswer {
  return { question, abstained: true, excerpts: [], related: [], notes: [], error: { code: error.code, message: error.message } };
}
