/**
 * An inverted index over sentences on flat typed arrays (CSR layout): for term t, its postings
 * are docs[offsets[t] .. offsets[t+1]) with their term frequencies in freqs[...]. Doc numbers run
 * in corpus order, so a sentence's neighbours are doc ± 1 when they share its paragraph.
 */
import { bm25, idf, type BM25Params } from './bm25.js';

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

  constructor(input: IndexInput, private readonly options: IndexOptions) {
    const { docs } = input;
    this.size = docs.length;
    this.lengths = new Uint16Array(docs.length);
    this.articleOf = new Uint32Array(docs.length);
    this.paragraphOf = new Uint32Array(docs.length);
    this.titleTerms = input.titles.map((t) => new Set(t));

    // Pass 1: count postings per term.
    const counts: number[] = [];
    const perDoc: Map<number, number>[] = docs.map((doc, d) => {
      this.lengths[d] = Math.min(doc.terms.length, 0xffff);
      this.articleOf[d] = doc.article;
      this.paragraphOf[d] = doc.paragraph;
      const tf = new Map<number, number>();
      for (const term of doc.terms) {
        let id = this.termIds.get(term);
        if (id === undefined) {
          id = this.termIds.size;
          this.termIds.set(term, id);
          counts.push(0);
        }
        tf.set(id, (tf.get(id) ?? 0) + 1);
      }
      for (const id of tf.keys()) counts[id]!++;
      return tf;
    });
    let total = 0;
    this.offsets = new Uint32Array(counts.length + 1);
    counts.forEach((c, id) => {
      this.offsets[id] = total;
      total += c;
    });
    this.offsets[counts.length] = total;

    // Pass 2: fill postings in doc order, so every list comes out sorted.
    this.docs = new Uint32Array(total);
    this.freqs = new Uint16Array(total);
    const fill = this.offsets.slice(0, counts.length);
    perDoc.forEach((tf, d) => {
      for (const [id, f] of tf) {
        const at = fill[id]!++;
        this.docs[at] = d;
        this.freqs[at] = Math.min(f, 0xffff);
      }
    });
    const lengthSum = this.lengths.reduce((a, b) => a + b, 0);
    this.averageLength = docs.length > 0 ? lengthSum / docs.length : 0;
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
   * sentence), best first. Terms are unique index terms; unknown ones still weigh in coverage.
   * `weights` are the terms' weights in coverage (default: their idf).
   */
  search(terms: string[], limit: number, weights: readonly number[] = terms.map((t) => this.idf(t))): RawHit[] {
    const { bm25: params, context } = this.options;
    const direct = new Map<number, { score: number; matched: number[] }>();
    // Per term: the sentences holding it directly and what each scored.
    const perTerm: Map<number, number>[] = terms.map(() => new Map());

    terms.forEach((term, q) => {
      const id = this.termIds.get(term);
      if (id === undefined) return;
      const df = this.offsets[id + 1]! - this.offsets[id]!;
      for (let p = this.offsets[id]!; p < this.offsets[id + 1]!; p++) {
        const d = this.docs[p]!;
        const s = bm25(this.freqs[p]!, df, this.size, this.lengths[d]!, this.averageLength, params);
        perTerm[q]!.set(d, s);
        const entry = direct.get(d);
        if (entry) {
          entry.score += s;
          entry.matched.push(q);
        } else direct.set(d, { score: s, matched: [q] });
      }
    });

    const totalWeight = weights.reduce((a, b) => a + b, 0) || 1;
    const hits: RawHit[] = [];
    for (const [d, { score, matched }] of direct) {
      let total = score;
      let covered = 0;
      const viaContext: number[] = [];
      const neighbours = new Set<number>();
      terms.forEach((term, q) => {
        const own = perTerm[q]!;
        if (own.has(d)) {
          covered += weights[q]!;
          return;
        }
        let credit = 0;
        let from = -1;
        for (const n of [d - 1, d + 1]) {
          const s = own.get(n);
          if (s !== undefined && this.paragraphOf[n] === this.paragraphOf[d] && s * context.neighbour > credit) {
            credit = s * context.neighbour;
            from = n;
          }
        }
        if (this.titleTerms[this.articleOf[d]!]!.has(term) && weights[q]! * context.title > credit) {
          credit = weights[q]! * context.title;
          from = -1;
        }
        if (from >= 0) neighbours.add(from);
        if (credit > 0) {
          total += credit;
          covered += weights[q]! * context.coverage;
          viaContext.push(q);
        }
      });
      hits.push({ doc: d, score: total, coverage: covered / totalWeight, matched, context: viaContext, neighbours: [...neighbours] });
    }
    hits.sort((a, b) => b.score - a.score || a.doc - b.doc);
    return hits.slice(0, limit);
  }
}
