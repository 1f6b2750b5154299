/**
 * Figures, first version: the numbers printed in the sentences a topic finds, each with its
 * quote and source. Years, ages ("27-year-old"), and small list numbers are left out. (Subjects,
 * qualifiers, attribution and disagreement between outlets come with the "figures" issue.)
 */
import type { Article, Citation } from '../core/types.js';
import { analyzeText } from '../nlp/analysis.js';
import type { Searcher } from '../search/search.js';

export interface Figure {
  /** The figure as printed, e.g. "150,000" or "five million". */
  text: string;
  /** Its numeric value, e.g. 150000. */
  value: number;
  /** The sentence it is printed in (verbatim) and where the figure sits in it. */
  sentence: string;
  start: number;
  end: number;
  sentenceId: string;
  source: Omit<Citation, 'number'>;
}

export interface FigureResult {
  topic: string;
  figures: Figure[];
}

const SCALES: Record<string, number> = { hundred: 1e2, thousand: 1e3, million: 1e6, billion: 1e9 };
const WORDS: Record<string, number> = { two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, dozen: 12, twenty: 20, fifty: 50, hundred: 100 };

export function findFigures(topic: string, searcher: Searcher, articles: ReadonlyMap<string, Article>, minCoverage: number, limit = 20): FigureResult {
  const figures: Figure[] = [];
  for (const hit of searcher.search(topic, 200).hits) {
    if (hit.coverage < minCoverage) continue;
    const article = articles.get(hit.sentence.articleId)!;
    for (const figure of figuresIn(hit.sentence.text)) {
      const { id: articleId, title, date, url, outlet } = article;
      figures.push({ ...figure, sentence: hit.sentence.text, sentenceId: hit.sentence.id, source: { articleId, title, date, url, outlet } });
      if (figures.length >= limit) return { topic, figures };
    }
  }
  return { topic, figures };
}

/** Numbers in one sentence, with their printed form, value and offsets. */
export function figuresIn(sentence: string): { text: string; value: number; start: number; end: number }[] {
  const tokens = analyzeText(sentence);
  const found: { text: string; value: number; start: number; end: number }[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    let value = token.kind === 'number' ? Number(token.normal.replace(/,/g, '')) : (WORDS[token.normal] ?? NaN);
    if (!Number.isFinite(value)) continue;
    let end = token.end;
    const next = tokens[i + 1];
    if (next && SCALES[next.normal] && next.start - end <= 1) {
      value *= SCALES[next.normal]!;
      end = next.end;
      i++;
    }
    const after = sentence.slice(end, end + 12);
    const isYear = token.kind === 'number' && /^(19|20)\d\d$/.test(token.normal) && end === token.end;
    const isAge = /^-year-old/.test(after);
    const isSmall = value < 10 && !/^\s*%/.test(after);
    if (isYear || isAge || isSmall) continue;
    found.push({ text: sentence.slice(token.start, end), value, start: token.start, end });
  }
  return found;
}
