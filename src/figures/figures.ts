/**
 * Figures across the corpus: every figure of every quotable sentence (see extract.ts), grouped by
 * what it counts, with agreement and disagreement between sources spelled out.
 *
 * Grouping: figures count the same thing when their subject nouns share a stem (troops/troop);
 * "lives", "people" or "persons" in a sentence about killing or deaths form one group, "people
 * killed", so "cost more than 14,000 lives" and "over 14,000 people have been killed" meet.
 *
 * Comparing (`compareFigures`), within a group:
 *   - figures printed in one sentence are parts of one report (533 in Donetsk, 860 in Luhansk),
 *     never rivals;
 *   - figures of different sentences whose values are within a factor of 1.5 are estimates of one
 *     quantity: they agree when equal (or consistent bounds: "more than 14,000" and "over 14,000"),
 *     else they disagree (150,000 against 147,000 troops);
 *   - values further apart are taken as different quantities (9,000 in Belarus, 147,000 in all).
 */
import type { ArticleLookup, Citation, Sentence } from '../core/types.js';
import { tagText } from '../nlp/analysis.js';
import { mentionsNumber } from '../nlp/terms.js';
import type { Analyzer } from '../nlp/analyzer.js';
import { removeInvisible } from '../nlp/invisible.js';
import type { Searcher } from '../search/search.js';
import { countsDeaths, extractFigures, type ExtractedFigure } from './extract.js';

export interface Figure extends ExtractedFigure {
  /** The sentence it is printed in, verbatim; `start`/`end` locate the figure in it. */
  sentence: string;
  sentenceId: string;
  source: Omit<Citation, 'number'>;
  /** The group it belongs to (a stem, or "kill" for deaths). */
  key: string;
}

export interface Comparison {
  verdict: 'agree' | 'disagree';
  /** The figures compared, largest value first. */
  figures: Figure[];
}

export interface FigureGroup {
  /** What the figures count, as the articles print it most often ("troops"; "people killed"). */
  subject: string;
  key: string;
  figures: Figure[];
  comparisons: Comparison[];
}

export interface FigureResult {
  /** The topic asked about, or null for the overview. */
  topic: string | null;
  groups: FigureGroup[];
}

export interface FigureOptions {
  /** Values within this factor of each other are estimates of one quantity. Default 1.5. */
  sameQuantityRatio: number;
  /** Groups in the overview (no topic). Default 8. */
  overviewGroups: number;
}

export const defaultFigureOptions: FigureOptions = { sameQuantityRatio: 1.5, overviewGroups: 8 };

const DEATHS_KEY = 'kill';
/** Units a figure measures in, rather than things it counts. */
const MEASURES = new Set(['kilometre', 'kilometer', 'km', 'mile', 'metre', 'meter', 'foot', 'feet', 'yard', 'kilogram', 'kg', 'tonne', 'ton', 'percent', 'degree', 'hectare']);
/** Topic words (as index terms) that ask for the "people killed" group. */
const DEATH_TERMS = new Set(['death', 'dead', 'die', 'casualti', 'kill', 'fatal', 'toll']);

export class FigureIndex {
  private cache: Figure[] | null = null;
  /** The sentences with figures, by id (filled as the figures are extracted). */
  private readonly sentenceOf = new Map<string, Sentence>();

  constructor(
    private readonly sentences: readonly Sentence[],
    private readonly articles: ArticleLookup,
    private readonly searcher: Searcher,
    private readonly options: FigureOptions = defaultFigureOptions,
    /** The figures of the corpus before these sentences were added (their extraction is shared, not repeated). */
    private readonly earlier: FigureIndex | null = null,
  ) {}

  /**
   * This index with more sentences (an article added while running): the figures already extracted
   * are kept, only the new sentences' are extracted when first asked for. `articles` and `searcher`
   * are the corpus's now.
   */
  extended(sentences: readonly Sentence[], articles: ArticleLookup, searcher: Searcher): FigureIndex {
    return new FigureIndex(sentences, articles, searcher, this.options, this);
  }

  /** Every figure in the corpus, in corpus order (extracted on first use, then kept). */
  all(): Figure[] {
    if (this.cache === null) {
      this.cache = this.earlier ? [...this.earlier.all()] : [];
      for (const sentence of this.sentences) {
        if (!mentionsNumber(sentence.text)) continue;
        const { id: articleId, title, date, url, outlet } = this.articles.get(sentence.articleId)!;
        for (const figure of extractFigures(sentence.text, tagText(sentence.text))) {
          this.sentenceOf.set(sentence.id, sentence);
          this.cache.push({ ...figure, sentence: sentence.text, sentenceId: sentence.id, source: { articleId, title, date, url, outlet }, key: groupKey(figure, sentence.text, this.searcher.analyzer) });
        }
      }
    }
    return this.cache;
  }

  /** The sentence a figure was found in (this index's, or an earlier one's). */
  private sentenceFor(id: string): Sentence | undefined {
    return this.sentenceOf.get(id) ?? this.earlier?.sentenceFor(id);
  }

  /** Subjects with the most figures, for the overview and for autocomplete. */
  subjects(allow?: (sentence: Sentence) => boolean): { key: string; subject: string; count: number }[] {
    const figures = allow ? this.all().filter((f) => allow(this.sentenceFor(f.sentenceId)!)) : this.all();
    return groupFigures(figures, this.options)
      .map((g) => ({ key: g.key, subject: g.subject, count: g.figures.length }))
      .sort((a, b) => b.count - a.count || a.subject.localeCompare(b.subject));
  }

  /**
   * Figures on a topic: those whose subject is a topic word (same folding as /ask, variants
   * included); failing that, those printed in the sentences the topic finds. Without a topic, the
   * subjects with the most figures.
   */
  find(asked: string | null, allow?: (sentence: Sentence) => boolean): FigureResult {
    // As for questions: the topic searched, and shown, is the one without invisible characters.
    const topic = asked === null ? null : removeInvisible(asked);
    const figures = allow ? this.all().filter((f) => allow(this.sentenceFor(f.sentenceId)!)) : this.all();
    if (topic === null || topic.trim() === '') {
      const groups = groupFigures(figures, this.options)
        .filter((g) => g.figures.length > 1)
        .sort((a, b) => b.figures.length - a.figures.length || a.subject.localeCompare(b.subject))
        .slice(0, this.options.overviewGroups);
      return { topic: null, groups };
    }
    const result = this.searcher.search(topic, 500);
    const topicTerms = new Set(result.indexTerms);
    const aboutDeaths = [...topicTerms].some((t) => DEATH_TERMS.has(t));
    const bySubject = figures.filter((f) => topicTerms.has(f.key) || (f.key === DEATHS_KEY && aboutDeaths));
    // When no figure counts the topic itself ("Donetsk", "evacuation"), show the figures printed in
    // the sentences the topic finds.
    const found = new Set(result.hits.filter((h) => h.coverage >= 0.5).map((h) => h.sentence.id));
    // Never measures of something else: "/figures tanks" is not the distance of the village the tanks were seen in.
    const chosen = bySubject.length > 0 ? bySubject : figures.filter((f) => found.has(f.sentenceId) && !MEASURES.has(f.subjectLemma ?? ''));
    const groups = groupFigures(chosen, this.options).sort((a, b) => Number(topicTerms.has(b.key)) - Number(topicTerms.has(a.key)) || b.figures.length - a.figures.length);
    return { topic: topic.trim(), groups };
  }
}

/** A figure's group: what it counts, as the index term a topic is searched by (the same analyzer). */
function groupKey(figure: ExtractedFigure, sentence: string, analyzer: Analyzer): string {
  if (countsDeaths(sentence.slice(figure.start), figure.subjectLemma)) return DEATHS_KEY;
  return analyzer.termOfWord(figure.subject ?? '') ?? figure.subject ?? '';
}

/** Figures grouped by key, each group with its comparisons; groups in order of first figure. */
export function groupFigures(figures: readonly Figure[], options: FigureOptions = defaultFigureOptions): FigureGroup[] {
  const byKey = new Map<string, Figure[]>();
  for (const f of figures) byKey.set(f.key, [...(byKey.get(f.key) ?? []), f]);
  return [...byKey.entries()].map(([key, members]) => ({
    key,
    subject: key === DEATHS_KEY ? 'people killed' : mostCommon(members.map((f) => f.subject ?? key)),
    figures: [...members].sort((a, b) => b.value - a.value),
    comparisons: compareFigures(members, options.sameQuantityRatio),
  }));
}

/** See the module comment for the rules. */
export function compareFigures(figures: readonly Figure[], ratio: number): Comparison[] {
  // Union figures of different sentences whose values are close; never two of one sentence.
  const clusters: Figure[][] = [];
  for (const figure of [...figures].sort((a, b) => b.value - a.value)) {
    const cluster = clusters.find(
      (c) => c.every((other) => other.sentenceId !== figure.sentenceId && other.kind === figure.kind) && c.some((other) => close(other.value, figure.value, ratio)),
    );
    if (cluster) cluster.push(figure);
    else clusters.push([figure]);
  }
  return clusters
    .filter((c) => c.length > 1)
    .map((c) => ({ verdict: c.every((f) => consistent(f, c[0]!)) ? 'agree' : 'disagree', figures: c }));
}

function close(a: number, b: number, ratio: number): boolean {
  return Math.max(a, b) <= Math.min(a, b) * ratio;
}

/** Equal values agree; so do bounds that allow each other (both "more than 14,000"). */
function consistent(a: Figure, b: Figure): boolean {
  if (a.value === b.value) return true;
  const tolerance = a.qualifier === 'approximate' || b.qualifier === 'approximate' ? 0.02 : 0;
  return Math.abs(a.value - b.value) <= tolerance * Math.max(a.value, b.value);
}

function mostCommon(words: string[]): string {
  const counts = new Map<string, number>();
  for (const w of words) counts.set(w, (counts.get(w) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]![0];
}
