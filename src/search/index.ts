/**
 * An inverted index over sentences on flat typed arrays (CSR layout): for term t, its postings
 * are docs[offsets[t] .. offsets[t+1]) with their term frequencies in freqs[...]. Doc numbers run
 * in corpus order, so a sentence's neighbours are doc ± 1 when they share its paragraph.
 */
import { idf, type BM25Params } from './bm25.js';
import { kthLargest, topByScore } from './top-k.js';

/** Query terms one search takes (one bit each in the accumulator's match mask). */
export const MAX_QUERY_TERMS = 32;

export interface ContextWeights {
  /**
   * Share of a neighbouring sentence's score credited to a sentence for a question word the
   * neighbour has and it lacks ("The order will last 30 days" after the sentence naming the order).
   * Only neighbours in the same paragraph count: scraped articles often run unrelated paragraphs together.
   */
  neighbour: number;
  /**
   * Share of the previous sentence's score credited, for a question word it has, to a sentence that
   * opens with a pronoun ("He provided no details…" after "We are ready, said Borrell."): that
   * sentence's subject is there. Counted across a paragraph break (wire copy runs a sentence a
   * paragraph), never across articles.
   */
  reference: number;
  /** Credit, as a share of the word's idf, for a question word found in the article's title. */
  title: number;
  /** Credit a word matched only through context counts for in coverage (0 to 1). */
  coverage: number;
}

export interface IndexOptions {
  bm25: BM25Params;
  context: ContextWeights;
}

/**
 * What BM25 needs to know of the whole collection: how many sentences, how long on average, and in
 * how many a term occurs. One index answers for itself; an index that is one segment of several
 * (search/segments.ts) is searched with the statistics of all of them, so its scores are exactly
 * those of one index over everything.
 */
export interface CollectionStats {
  documents: number;
  averageLength: number;
  df(term: string): number;
}

export interface IndexInput {
  /**
   * Per sentence, its terms in order (repeats count), its article and its paragraph (numbered across
   * the corpus), and whether it takes its subject from the sentence before (default no).
   */
  docs: { terms: string[]; article: number; paragraph: number; refersBack?: boolean }[];
  /** Per article, the terms of its title. */
  titles: string[][];
}

/** Sentences as term numbers: what `fromTermIds` builds from. */
export interface TermIdInput {
  /** Term of each term number. */
  terms: string[];
  /** The term numbers of every sentence, one after another. */
  occurrences: Uint32Array;
  /** Per sentence, where its term numbers end in `occurrences`. */
  docEnds: Uint32Array;
  /** Per sentence, its article and its paragraph (numbered across the corpus). */
  article: Uint32Array;
  paragraph: Uint32Array;
  /** Per sentence, 1 when it takes its subject from the sentence before (see ContextWeights.reference). */
  refersBack: Uint8Array;
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
  /** Per sentence, 1 when it opens with a pronoun and takes its subject from the sentence before. */
  refersBack: Uint8Array;
  /** Per article, the terms of its title. */
  titles: string[][];
}

/** Per-search working memory, one slot per sentence. */
interface Scratch {
  score: Float64Array;
  mask: Uint32Array;
  /** The sentences met so far, in the order met. */
  touched: Uint32Array;
  /** Scores copied out for selection. */
  buffer: Float64Array;
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
  /** Sum of the sentences' lengths (for the collection's average length). */
  readonly lengthSum: number;
  private accumulators: Scratch | null = null;
  /** What the last search did: postings of its terms, postings read or looked up, whether pruning began. */
  lastSearch = { postings: 0, read: 0, pruned: false };
  /**
   * Per term id, its postings' largest frequency and shortest sentence (for pruning: no posting
   * can score more than those two together); found on first use, 0 until then. Independent of the
   * collection's average length, so they stay valid as segments come and go.
   */
  private readonly maxFreq: Uint16Array;
  private readonly minLength: Uint16Array;
  /** This index's own statistics (when it is the whole collection). */
  readonly ownStats: CollectionStats;

  /** An index over the given arrays (from `build`, or read back from a snapshot). */
  constructor(
    private readonly arrays: IndexArrays,
    private readonly options: IndexOptions,
  ) {
    this.size = arrays.lengths.length;
    // Plain loops: this runs at every start from a snapshot, over every term and sentence.
    const terms = arrays.terms;
    for (let id = 0; id < terms.length; id++) this.termIds.set(terms[id]!, id);
    this.offsets = arrays.offsets;
    this.docs = arrays.docs;
    this.freqs = arrays.freqs;
    this.lengths = arrays.lengths;
    this.articleOf = arrays.articleOf;
    this.paragraphOf = arrays.paragraphOf;
    this.titleTerms = arrays.titles.map((t) => new Set(t));
    let lengthSum = 0;
    for (let d = 0; d < this.size; d++) lengthSum += this.lengths[d]!;
    this.lengthSum = lengthSum;
    this.averageLength = this.size > 0 ? lengthSum / this.size : 0;
    this.maxFreq = new Uint16Array(terms.length);
    this.minLength = new Uint16Array(terms.length);
    this.ownStats = { documents: this.size, averageLength: this.averageLength, df: (term) => this.df(term) };
  }

  /** Builds the index of sentences given as terms (tests and small inputs; see fromTermIds). */
  static build(input: IndexInput, options: IndexOptions): SentenceIndex {
    const termIds = new Map<string, number>();
    const id = (term: string) => {
      let n = termIds.get(term);
      if (n === undefined) termIds.set(term, (n = termIds.size));
      return n;
    };
    const occurrences = Uint32Array.from(input.docs.flatMap((doc) => doc.terms.map(id)));
    let end = 0;
    const docEnds = Uint32Array.from(input.docs, (doc) => (end += doc.terms.length));
    return SentenceIndex.fromTermIds(
      {
        terms: [...termIds.keys()],
        occurrences,
        docEnds,
        article: Uint32Array.from(input.docs, (doc) => doc.article),
        paragraph: Uint32Array.from(input.docs, (doc) => doc.paragraph),
        refersBack: Uint8Array.from(input.docs, (doc) => (doc.refersBack ? 1 : 0)),
        titles: input.titles,
      },
      options,
    );
  }

  /**
   * Builds the index from term numbers: flat arrays in, flat arrays out, no object per sentence
   * (a million sentences would otherwise mean a million small maps to build and collect).
   */
  static fromTermIds(input: TermIdInput, options: IndexOptions): SentenceIndex {
    const { occurrences, docEnds } = input;
    const docCount = docEnds.length;
    const termCount = input.terms.length;
    const lengths = new Uint16Array(docCount);
    // Pass 1: postings per term (a term repeated in a sentence is one posting).
    const counts = new Uint32Array(termCount);
    const lastDoc = new Int32Array(termCount).fill(-1);
    let from = 0;
    for (let d = 0; d < docCount; d++) {
      const to = docEnds[d]!;
      lengths[d] = Math.min(to - from, 0xffff);
      for (let i = from; i < to; i++) {
        const t = occurrences[i]!;
        if (lastDoc[t] !== d) {
          lastDoc[t] = d;
          counts[t]!++;
        }
      }
      from = to;
    }
    const offsets = new Uint32Array(termCount + 1);
    for (let t = 0; t < termCount; t++) offsets[t + 1] = offsets[t]! + counts[t]!;
    const total = offsets[termCount]!;

    // Pass 2: fill postings in doc order, so every list comes out sorted; a repeat adds to its posting's frequency.
    const postings = new Uint32Array(total);
    const freqs = new Uint16Array(total);
    const fill = offsets.slice(0, termCount);
    lastDoc.fill(-1);
    from = 0;
    for (let d = 0; d < docCount; d++) {
      const to = docEnds[d]!;
      for (let i = from; i < to; i++) {
        const t = occurrences[i]!;
        if (lastDoc[t] !== d) {
          lastDoc[t] = d;
          const at = fill[t]!++;
          postings[at] = d;
          freqs[at] = 1;
        } else {
          const at = fill[t]! - 1;
          if (freqs[at]! < 0xffff) freqs[at]!++;
        }
      }
      from = to;
    }
    return new SentenceIndex({ terms: input.terms, offsets, docs: postings, freqs, lengths, articleOf: input.article, paragraphOf: input.paragraph, refersBack: input.refersBack, titles: input.titles }, options);
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
   * Two passes. First the sentences' own BM25, term at a time into a reused accumulator with a bit
   * per matched term, rarest (highest-scoring) terms first, with MaxScore pruning: once the most
   * the remaining terms could add together is below the pool's k-th best score so far, no sentence
   * that has none of the terms seen so far can reach the pool, so the remaining terms only add to
   * sentences already met (by lookup when those are few). The pool is exactly what scoring every
   * posting would give (`exhaustive` does that, to check it). Then only the pool — the best
   * `max(limit × 8, 64)` sentences — gets context credit and coverage, and is sorted. Context adds at
   * most a fraction of a neighbour's score, so a sentence outside the pool cannot overtake the
   * pool's best in practice.
   *
   * `stats` are the whole collection's (default: this index's own): idf and length normalisation
   * come from them, so a segment scores as one index over everything would. `hidden` marks
   * sentences never to return (a removed article's, until the next merge); with it, every posting is
   * scored (hidden sentences could otherwise hold the pool's place while pruning decides).
   */
  search(terms: string[], limit: number, weights?: readonly number[], exhaustive = false, stats: CollectionStats = this.ownStats, hidden?: Uint8Array): RawHit[] {
    if (hidden) exhaustive = true;
    if (terms.length > MAX_QUERY_TERMS) throw new Error(`Cited: at most ${MAX_QUERY_TERMS} query terms (got ${terms.length})`);
    const termWeights = weights ?? terms.map((t) => idf(stats.df(t), stats.documents));
    const { context } = this.options;
    const { score, mask, touched, buffer } = this.scratch();
    const { k1, b } = this.options.bm25;
    const k1plus1 = k1 + 1;
    // BM25's length normalisation k1 · (1 − b + b · length / average) as normBase + normScale · length.
    const normBase = k1 * (1 - b);
    const normScale = stats.averageLength > 0 ? (k1 * b) / stats.averageLength : 0;
    const lengths = this.lengths;
    const poolSize = Math.max(limit * 8, 64);
    const postings = terms.map((term, q) => {
      const id = this.termIds.get(term);
      if (id === undefined) return null;
      const start = this.offsets[id]!;
      const end = this.offsets[id + 1]!;
      const termIdf = idf(stats.df(term), stats.documents);
      // The bound is raised by a hair so rounding can never make it smaller than a real score.
      return { q, start, end, idf: termIdf, bound: termIdf * this.bound(id, normBase, normScale) * (1 + 1e-9) };
    });
    const order = postings.filter((p) => p !== null).sort((a, b) => b.bound - a.bound || a.q - b.q);
    let remaining = order.reduce((sum, p) => sum + p.bound, 0);
    let seen = 0;
    let count = 0;
    let adding = true;
    let read = 0;
    for (const list of order) {
      remaining -= list.bound;
      const bit = (1 << list.q) >>> 0;
      const length = list.end - list.start;
      read += adding || count * Math.log2(length + 1) >= length ? length : count;
      if (adding) {
        for (let p = list.start; p < list.end; p++) {
          const d = this.docs[p]!;
          const tf = this.freqs[p]!;
          if (mask[d] === 0) touched[count++] = d;
          score[d] = score[d]! + (list.idf * tf * k1plus1) / (tf + normBase + normScale * lengths[d]!);
          mask[d] = (mask[d]! | bit) >>> 0;
        }
      } else if (count * Math.log2(length + 1) < length) {
        // Few sentences still in the running: look each up rather than read the whole list.
        for (let i = 0; i < count; i++) {
          const d = touched[i]!;
          const p = this.find(list.start, list.end, d);
          if (p < 0) continue;
          const tf = this.freqs[p]!;
          score[d] = score[d]! + (list.idf * tf * k1plus1) / (tf + normBase + normScale * lengths[d]!);
          mask[d] = (mask[d]! | bit) >>> 0;
        }
      } else {
        for (let p = list.start; p < list.end; p++) {
          const d = this.docs[p]!;
          if (mask[d] === 0) continue;
          const tf = this.freqs[p]!;
          score[d] = score[d]! + (list.idf * tf * k1plus1) / (tf + normBase + normScale * lengths[d]!);
          mask[d] = (mask[d]! | bit) >>> 0;
        }
      }
      seen += list.bound;
      // No score can exceed the bounds of the terms seen so far: only when those outweigh the rest is a selection worth making.
      if (adding && !exhaustive && remaining > 0 && remaining < seen && count > poolSize) {
        for (let i = 0; i < count; i++) buffer[i] = score[touched[i]!]!;
        if (remaining < kthLargest(buffer, count, poolSize)) adding = false;
      }
    }

    const totalWeight = termWeights.reduce((a, c) => a + c, 0) || 1;
    /** The BM25 of term q in doc d (0 if d lacks it). Not from the mask: pruning leaves neighbours' masks incomplete. */
    const termScore = (q: number, d: number): number => {
      const list = postings[q];
      const p = list ? this.find(list.start, list.end, d) : -1;
      if (p < 0) return 0;
      const tf = this.freqs[p]!;
      return (list!.idf * tf * k1plus1) / (tf + normBase + normScale * lengths[d]!);
    };

    this.lastSearch = { postings: order.reduce((sum, p) => sum + p.end - p.start, 0), read, pruned: !adding };
    if (hidden) for (let i = 0; i < count; i++) if (hidden[touched[i]!] === 1) score[touched[i]!] = -Infinity;
    const pool = topByScore(touched, count, poolSize, score, buffer);
    const hits: RawHit[] = [];
    for (const d of pool) {
      if (score[d] === -Infinity) continue;
      let total = score[d]!;
      let covered = 0;
      const matched: number[] = [];
      const viaContext: number[] = [];
      const neighbours = new Set<number>();
      const refers = this.arrays.refersBack[d] === 1 && d > 0 && this.articleOf[d - 1] === this.articleOf[d];
      for (let q = 0; q < terms.length; q++) {
        if ((mask[d]! & ((1 << q) >>> 0)) !== 0) {
          matched.push(q);
          covered += termWeights[q]!;
          continue;
        }
        let credit = 0;
        let from = -1;
        for (const n of [d - 1, d + 1]) {
          if (n < 0 || n >= this.size) continue;
          const antecedent = refers && n === d - 1;
          if (!antecedent && this.paragraphOf[n] !== this.paragraphOf[d]) continue;
          const s = termScore(q, n) * (antecedent ? context.reference : context.neighbour);
          if (s > credit) {
            credit = s;
            from = n;
          }
        }
        if (this.titleTerms[this.articleOf[d]!]!.has(terms[q]!) && termWeights[q]! * context.title > credit) {
          credit = termWeights[q]! * context.title;
          from = -1;
        }
        if (from >= 0) neighbours.add(from);
        if (credit > 0) {
          total += credit;
          covered += termWeights[q]! * context.coverage;
          viaContext.push(q);
        }
      }
      hits.push({ doc: d, score: total, coverage: covered / totalWeight, matched, context: viaContext, neighbours: [...neighbours] });
    }
    for (let i = 0; i < count; i++) {
      score[touched[i]!] = 0;
      mask[touched[i]!] = 0;
    }
    hits.sort((a, b) => b.score - a.score || a.doc - b.doc);
    return hits.slice(0, limit);
  }

  /** Where doc d is in the postings [start, end), or -1: a binary search (postings are in doc order). */
  private find(start: number, end: number, d: number): number {
    let lo = start;
    let hi = end - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const at = this.docs[mid]!;
      if (at === d) return mid;
      if (at < d) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /**
   * At least the most one posting of term `id` scores, per unit of idf: tf·(k1+1) / (tf + norm)
   * with the largest frequency and the shortest sentence among its postings (the score grows with
   * the one and falls with the other).
   */
  private bound(id: number, normBase: number, normScale: number): number {
    if (this.maxFreq[id] === 0) {
      let most = 0;
      let shortest = 0xffff;
      for (let p = this.offsets[id]!; p < this.offsets[id + 1]!; p++) {
        if (this.freqs[p]! > most) most = this.freqs[p]!;
        const length = this.lengths[this.docs[p]!]!;
        if (length < shortest) shortest = length;
      }
      this.maxFreq[id] = most;
      this.minLength[id] = shortest;
    }
    const tf = this.maxFreq[id]!;
    return (tf * (this.options.bm25.k1 + 1)) / (tf + normBase + normScale * this.minLength[id]!);
  }

  /** Accumulators sized to the index, allocated once and reused by every search. */
  private scratch(): Scratch {
    this.accumulators ??= { score: new Float64Array(this.size), mask: new Uint32Array(this.size), touched: new Uint32Array(this.size), buffer: new Float64Array(this.size) };
    return this.accumulators;
  }
}
