/**
 * An inverted index over sentences on flat typed arrays (CSR layout): for term t, its postings
 * are docs[offsets[t] .. offsets[t+1]) with their term frequencies in freqs[...]. Doc numbers run
 * in corpus order, so a sentence's neighbours are doc ± 1 when they share its paragraph.
 */
import { idf, type BM25Params } from './bm25.js';

/** Query terms one search takes (one bit each in the accumulator's match mask). */
export const MAX_QUERY_TERMS = 32;

/** The `k` docs with the highest `score`, best first (ties: lower doc first), without sorting them all. */
function topByScore(docs: readonly number[], k: number, score: Float64Array): number[] {
  const better = (a: number, b: number) => score[a]! > score[b]! || (score[a] === score[b] && a < b);
  if (docs.length <= k) return [...docs].sort((a, b) => (better(a, b) ? -1 : 1));
  // A min-heap of the best k seen so far: the root is the weakest kept.
  const heap: number[] = [];
  const down = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let weakest = i;
      if (l < heap.length && better(heap[weakest]!, heap[l]!)) weakest = l;
      if (r < heap.length && better(heap[weakest]!, heap[r]!)) weakest = r;
      if (weakest === i) return;
      [heap[i], heap[weakest]] = [heap[weakest]!, heap[i]!];
      i = weakest;
    }
  };
  for (const d of docs) {
    if (heap.length < k) {
      heap.push(d);
      for (let i = heap.length - 1; i > 0; ) {
        const parent = (i - 1) >> 1;
        if (!better(heap[parent]!, heap[i]!)) break;
        [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
        i = parent;
      }
    } else if (better(d, heap[0]!)) {
      heap[0] = d;
      down(0);
    }
  }
  return heap.sort((a, b) => (better(a, b) ? -1 : 1));
}

export interface ContextWeights {
  /**
   * Share of a neighbouring sentence's score credited to a sentence for a question word the
   * neighbour has and it lacks ("The order will last 30 days" after the sentence naming the order).
   * Only neighbours in the same paragraph count: scraped articles often run unrelated paragraphs together.
   */
  neighbour: number;
  /** Credit, as a share of the word's idf, for a question word found in the article's title. */
  title: number;
  /** Credit a word matched only through context counts for in coverage (0 to 1). */
  coverage: number;
}

export interface IndexOptions {
  bm25: BM25Params;
  context: ContextWeights;
}

export interface IndexInput {
  /** Per sentence, its terms in order (repeats count), its article and its paragraph (numbered across the corpus). */
  docs: { terms: string[]; article: number; paragraph: number }[];
  /** Per article, the terms of its title. */
  titles: string[][];
}

/** The index as flat arrays (what a snapshot stores). */
export interface IndexArrays {
  /** Term of each term id. */
  terms: string[];
  offsets: Uint32Array;
  docs: Uint32Array;
  freqs: Uint16Array;
  lengths: Uint16Array;
  articleOf: Uint32Array;
  paragraphOf: Uint32Array;
  /** Per article, the terms of its title. */
  titles: string[][];
}

export interface RawHit {
  doc: number;
  score: number;
  /** Share of the question's idf weight the sentence covers, 0 to 1 (context at reduced credit). */
  coverage: number;
  /** Indexes into the query's term list: found in the sentence itself. */
  matched: number[];
  /** Found only in a neighbouring sentence or the title. */
  context: number[];
  /** Neighbouring sentences (doc numbers) that supplied context words. */
  neighbours: number[];
}

export class SentenceIndex {
  readonly size: number;
  readonly averageLength: number;
  private readonly termIds = new Map<string, number>();
  private readonly offsets: Uint32Array;
  private readonly docs: Uint32Array;
  private readonly freqs: Uint16Array;
  private readonly lengths: Uint16Array;
  private readonly articleOf: Uint32Array;
  private readonly paragraphOf: Uint32Array;
  private readonly titleTerms: Set<string>[];
  /** Per sentence, BM25's length normalisation k1 · (1 − b + b · length / average), computed once. */
  private readonly norms: Float64Array;
  private accumulators: { score: Float64Array; mask: Uint32Array } | null = null;

  /** An index over the given arrays (from `build`, or read back from a snapshot). */
  constructor(
    private readonly arrays: IndexArrays,
    private readonly options: IndexOptions,
  ) {
    this.size = arrays.lengths.length;
    arrays.terms.forEach((term, id) => this.termIds.set(term, id));
    this.offsets = arrays.offsets;
    this.docs = arrays.docs;
    this.freqs = arrays.freqs;
    this.lengths = arrays.lengths;
    this.articleOf = arrays.articleOf;
    this.paragraphOf = arrays.paragraphOf;
    this.titleTerms = arrays.titles.map((t) => new Set(t));
    const lengthSum = this.lengths.reduce((a, b) => a + b, 0);
    this.averageLength = this.size > 0 ? lengthSum / this.size : 0;
    const { k1, b } = options.bm25;
    this.norms = Float64Array.from(this.lengths, (length) => k1 * (1 - b + (b * length) / this.averageLength));
  }

  /** Builds the index of a corpus's sentences. */
  static build(input: IndexInput, options: IndexOptions): SentenceIndex {
    const { docs } = input;
    const lengths = new Uint16Array(docs.length);
    const articleOf = new Uint32Array(docs.length);
    const paragraphOf = new Uint32Array(docs.length);
    const termIds = new Map<string, number>();

    // Pass 1: count postings per term.
    const counts: number[] = [];
    const perDoc: Map<number, number>[] = docs.map((doc, d) => {
      lengths[d] = Math.min(doc.terms.length, 0xffff);
      articleOf[d] = doc.article;
      paragraphOf[d] = doc.paragraph;
      const tf = new Map<number, number>();
      for (const term of doc.terms) {
        let id = termIds.get(term);
        if (id === undefined) {
          id = termIds.size;
          termIds.set(term, id);
          counts.push(0);
        }
        tf.set(id, (tf.get(id) ?? 0) + 1);
      }
      for (const id of tf.keys()) counts[id]!++;
      return tf;
    });
    let total = 0;
    const offsets = new Uint32Array(counts.length + 1);
    counts.forEach((c, id) => {
      offsets[id] = total;
      total += c;
    });
    offsets[counts.length] = total;

    // Pass 2: fill postings in doc order, so every list comes out sorted.
    const postings = new Uint32Array(total);
    const freqs = new Uint16Array(total);
    const fill = offsets.slice(0, counts.length);
    perDoc.forEach((tf, d) => {
      for (const [id, f] of tf) {
        const at = fill[id]!++;
        postings[at] = d;
        freqs[at] = Math.min(f, 0xffff);
      }
    });
    return new SentenceIndex({ terms: [...termIds.keys()], offsets, docs: postings, freqs, lengths, articleOf, paragraphOf, titles: input.titles }, options);
  }

  /** Everything the index is made of, for a snapshot. */
  state(): IndexArrays {
    return this.arrays;
  }

  /** Number of sentences containing `term` (0 when the corpus never uses it). */
  df(term: string): number {
    const id = this.termIds.get(term);
    return id === undefined ? 0 : this.offsets[id + 1]! - this.offsets[id]!;
  }

  has(term: string): boolean {
    return this.termIds.has(term);
  }

  idf(term: string): number {
    return idf(this.df(term), this.size);
  }

  /**
   * Scores every sentence that contains at least one of `terms` (context alone never retrieves a
   * sentence), best first. Terms are unique index terms, at most 32 (Searcher keeps the 32 most
   * informative); unknown ones still weigh in coverage. `weights` are the terms' weights in
   * coverage (default: their idf).
   *
   * Two passes: the postings add each sentence's own BM25 into a reused accumulator, with a bit
   * per matched term; then only the best `max(limit × 8, 64)` sentences by that score get their
   * context credit and coverage computed, and are sorted. Context adds at most a fraction of a
   * neighbour's score, so a sentence outside that pool cannot overtake the pool's best in practice.
   */
  search(terms: string[], limit: number, weights: readonly number[] = terms.map((t) => this.idf(t))): RawHit[] {
    if (terms.length > MAX_QUERY_TERMS) throw new Error(`Cited: at most ${MAX_QUERY_TERMS} query terms (got ${terms.length})`);
    const { context } = this.options;
    const { score, mask } = this.scratch();
    const k1plus1 = this.options.bm25.k1 + 1;
    const postings = terms.map((term) => {
      const id = this.termIds.get(term);
      if (id === undefined) return null;
      const start = this.offsets[id]!;
      const end = this.offsets[id + 1]!;
      return { start, end, idf: idf(end - start, this.size) };
    });
    const touched: number[] = [];
    postings.forEach((list, q) => {
      if (!list) return;
      const bit = (1 << q) >>> 0;
      for (let p = list.start; p < list.end; p++) {
        const d = this.docs[p]!;
        const tf = this.freqs[p]!;
        if (mask[d] === 0) touched.push(d);
        score[d] = score[d]! + (list.idf * tf * k1plus1) / (tf + this.norms[d]!);
        mask[d] = (mask[d]! | bit) >>> 0;
      }
    });

    const totalWeight = weights.reduce((a, b) => a + b, 0) || 1;
    /** The BM25 of term q in doc d (0 if d lacks it): a binary search in q's postings. */
    const termScore = (q: number, d: number): number => {
      const list = postings[q];
      if (!list || (mask[d]! & ((1 << q) >>> 0)) === 0) return 0;
      let lo = list.start;
      let hi = list.end - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const at = this.docs[mid]!;
        if (at === d) {
          const tf = this.freqs[mid]!;
          return (list.idf * tf * k1plus1) / (tf + this.norms[d]!);
        }
        if (at < d) lo = mid + 1;
        else hi = mid - 1;
      }
      return 0;
    };

    const pool = topByScore(touched, Math.max(limit * 8, 64), score);
    const hits: RawHit[] = [];
    for (const d of pool) {
      let total = score[d]!;
      let covered = 0;
      const matched: number[] = [];
      const viaContext: number[] = [];
      const neighbours = new Set<number>();
      for (let q = 0; q < terms.length; q++) {
        if ((mask[d]! & ((1 << q) >>> 0)) !== 0) {
          matched.push(q);
          covered += weights[q]!;
          continue;
        }
        let credit = 0;
        let from = -1;
        for (const n of [d - 1, d + 1]) {
          if (n < 0 || n >= this.size || this.paragraphOf[n] !== this.paragraphOf[d]) continue;
          const s = termScore(q, n) * context.neighbour;
          if (s > credit) {
            credit = s;
            from = n;
          }
        }
        if (this.titleTerms[this.articleOf[d]!]!.has(terms[q]!) && weights[q]! * context.title > credit) {
          credit = weights[q]! * context.title;
          from = -1;
        }
        if (from >= 0) neighbours.add(from);
        if (credit > 0) {
          total += credit;
          covered += weights[q]! * context.coverage;
          viaContext.push(q);
        }
      }
      hits.push({ doc: d, score: total, coverage: covered / totalWeight, matched, context: viaContext, neighbours: [...neighbours] });
    }
    for (const d of touched) {
      score[d] = 0;
      mask[d] = 0;
    }
    hits.sort((a, b) => b.score - a.score || a.doc - b.doc);
    return hits.slice(0, limit);
  }

  /** Accumulators sized to the index, allocated once and reused by every search. */
  private scratch(): { score: Float64Array; mask: Uint32Array } {
    this.accumulators ??= { score: new Float64Array(this.size), mask: new Uint32Array(this.size) };
    return this.accumulators;
  }
}
