/**
 * The index as segments (the model is Lucene's): the main one built over the whole corpus, and a
 * small one for each article added since, searched together. Adding an article builds only its
 * segment; a merge (a full rebuild, off the main thread) later folds them back into one.
 *
 * Every segment is scored with the statistics of all of them (sentence count, average length,
 * document frequencies: `CollectionStats`), so scores are exactly those of one index over
 * everything (test/segments.test.ts pins it). A removed article is hidden at once — its sentences
 * are never returned — while the statistics keep counting it until the next merge.
 */
import type { Sentence } from '../core/types.js';
import { idf } from './bm25.js';
import type { CollectionStats, RawHit, SentenceIndex } from './index.js';

export interface Segment {
  index: SentenceIndex;
  /** The quotable sentences the index numbers, in its doc order. */
  sentences: readonly Sentence[];
}

export interface SegmentHit {
  hit: RawHit;
  segment: Segment;
}

export class Segments implements CollectionStats {
  readonly documents: number;
  readonly averageLength: number;
  /** Per segment, 1 for each sentence of a hidden (removed) article; null when it has none. */
  private readonly hiddenDocs: (Uint8Array | null)[];

  constructor(
    readonly list: readonly Segment[],
    readonly hidden: ReadonlySet<string> = new Set(),
    /** The masks of the first segments of `list`, already made for `hidden` (so a million sentences are not looked over again). */
    known: readonly (Uint8Array | null)[] = [],
  ) {
    let documents = 0;
    let length = 0;
    for (const segment of list) {
      documents += segment.index.size;
      length += segment.index.lengthSum;
    }
    this.documents = documents;
    this.averageLength = documents > 0 ? length / documents : 0;
    this.hiddenDocs = list.map((segment, i) => {
      if (i < known.length) return known[i]!;
      if (hidden.size === 0) return null;
      let mask: Uint8Array | null = null;
      segment.sentences.forEach((s, d) => {
        if (!hidden.has(s.articleId)) return;
        mask ??= new Uint8Array(segment.sentences.length);
        mask[d] = 1;
      });
      return mask;
    });
  }

  /** Sentences in all segments (hidden ones included until the next merge). */
  get size(): number {
    return this.documents;
  }

  df(term: string): number {
    let df = 0;
    for (const segment of this.list) df += segment.index.df(term);
    return df;
  }

  has(term: string): boolean {
    return this.list.some((segment) => segment.index.has(term));
  }

  idf(term: string): number {
    return idf(this.df(term), this.documents);
  }

  /** The best `limit` sentences over every segment, as one index would rank them; hidden articles never. */
  search(terms: string[], limit: number, weights: readonly number[]): SegmentHit[] {
    // Each term's document frequency summed over the segments once per search, not once per segment.
    const dfs = this.list.length === 1 ? null : new Map(terms.map((t) => [t, this.df(t)]));
    const stats: CollectionStats = dfs === null ? this.list[0]!.index.ownStats : { documents: this.documents, averageLength: this.averageLength, df: (t) => dfs.get(t) ?? this.df(t) };
    const found: SegmentHit[] = [];
    this.list.forEach((segment, i) => {
      const hidden = this.hiddenDocs[i] ?? undefined;
      for (const hit of segment.index.search(terms, limit, weights, false, stats, hidden)) found.push({ hit, segment });
    });
    if (this.list.length === 1) return found;
    // Ties keep segment order, then doc order: corpus order, as one index would.
    return found.sort((a, b) => b.hit.score - a.hit.score).slice(0, limit);
  }

  /** These segments and one more (an article just added). */
  with(segment: Segment): Segments {
    return new Segments([...this.list, segment], this.hidden, this.hiddenDocs);
  }

  /**
   * These segments and a server's own beside them (local-libraries.ts), with `hidden` naming
   * removed articles of those segments only: the masks made for these are kept as they are.
   */
  plus(segments: readonly Segment[], hidden: ReadonlySet<string>): Segments {
    return new Segments([...this.list, ...segments], hidden.size === 0 ? this.hidden : new Set([...this.hidden, ...hidden]), this.hiddenDocs);
  }

  /** These segments with the sentences of more articles hidden (removed). */
  hiding(articleIds: Iterable<string>): Segments {
    return new Segments(this.list, new Set([...this.hidden, ...articleIds]));
  }
}
