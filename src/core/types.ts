/** The data model shared by every part of Cited. Nothing here knows about Discord or terminals. */

/**
 * Why a sentence is kept out of answers (it stays in the article so it can be inspected):
 * publishing machinery, an exact repeat, a photo caption, or no letter or digit at all (`!!! …`).
 */
export type ExclusionReason = 'boilerplate' | 'duplicate' | 'caption' | 'wordless';

export interface Sentence {
  /** Stable across restarts and re-indexing: `<articleId>#<hash of the sentence text>`. */
  id: string;
  articleId: string;
  /** Position among the article's sentences, from 0 (excluded sentences count too). */
  position: number;
  /** Paragraph (line) of the article body it comes from, from 0. */
  paragraph: number;
  /** The verbatim text: `article.text.slice(start, end) === text`. */
  text: string;
  start: number;
  end: number;
  excluded?: ExclusionReason;
}

/** Where an article's metadata came from, so /sources can say how much to trust it. */
export type MetadataOrigin = 'header' | 'front-matter' | 'sources.json';

export interface ArticleMeta {
  title: string | null;
  /** ISO date `YYYY-MM-DD`, or null when nothing says. */
  date: string | null;
  url: string | null;
  outlet: string | null;
}

export interface Article extends ArticleMeta {
  /** From the file name without extension: stable as long as the file keeps its name. */
  id: string;
  file: string;
  /** The article body after decoding (entities, line endings); every sentence is a slice of it. */
  text: string;
  sentences: Sentence[];
  metaOrigin: Partial<Record<keyof ArticleMeta, MetadataOrigin>>;
}

/** Articles by id: a Map, or the layers of one server's view of the corpus (its own articles beside the shared ones). */
export interface ArticleLookup {
  get(id: string): Article | undefined;
}

/** A source as cited to users: the article's metadata and its citation number in one answer. */
export interface Citation extends ArticleMeta {
  number: number;
  articleId: string;
}

/** A character range [start, end) inside an excerpt's text, e.g. a query word to highlight. */
export interface Span {
  start: number;
  end: number;
}

export interface Excerpt {
  /** Verbatim sentence text (no markup). */
  text: string;
  score: number;
  /** The sentences quoted, in text order: one, or two adjacent ones when the neighbour completes it. */
  sentenceIds: string[];
  /** Near-identical sentences (usually from other outlets) merged into this excerpt. */
  duplicateIds: string[];
  /** Citation numbers: the quoted article first, then the articles of the duplicates ("also reported by"). */
  citations: number[];
  /** Query words found in `text`. */
  highlights: Span[];
}

export interface QueryTerms {
  /** Informative words of the question as the index saw them (after folding). */
  searched: string[];
  /** Words the corpus never uses. */
  unknown: string[];
  /** Spelling variants folded onto the corpus's form, e.g. `{ from: 'kiev', to: 'kyiv' }`. */
  folded: { from: string; to: string }[];
}

export interface Answer {
  question: string;
  abstained: boolean;
  excerpts: Excerpt[];
  /**
   * When no passage clearly answers (`abstained`): the closest the articles come, best first, shown
   * apart from answers and labelled so. Empty when the question is answered, and when none of its
   * words occurs in the articles at all.
   */
  related: Excerpt[];
  /** Every source cited by `excerpts` and `related`, numbered from 1 in order of first use. */
  citations: Citation[];
  terms: QueryTerms;
  /** True when more excerpts clear the relevance floor than were returned (`offset` pages on). */
  more: boolean;
}

export interface LoadWarning {
  file: string;
  message: string;
}
