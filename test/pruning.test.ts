import { describe, expect, it } from 'vitest';
import { defaultBM25 } from '../src/search/bm25.js';
import { SentenceIndex } from '../src/search/index.js';
import { kthLargest, topByScore } from '../src/search/top-k.js';
import { generate, mulberry32 } from './bench/generate.js';

describe('choosing the best k without sorting everything', () => {
  it('finds the k-th largest value, duplicates included', () => {
    const random = mulberry32(7);
    for (let round = 0; round < 50; round++) {
      const n = 1 + Math.floor(random() * 300);
      const values = Float64Array.from({ length: n }, () => Math.floor(random() * 20));
      const sorted = [...values].sort((a, b) => b - a);
      const k = 1 + Math.floor(random() * n);
      expect(kthLargest(Float64Array.from(values), n, k)).toBe(sorted[k - 1]);
    }
  });

  it('keeps the k best docs, ties to the lower doc, best first', () => {
    const score = Float64Array.from([1, 5, 3, 5, 0, 3, 3]);
    const docs = Uint32Array.from([6, 5, 4, 3, 2, 1, 0]);
    expect(topByScore(docs, 7, 4, score, new Float64Array(7))).toEqual([1, 3, 2, 5]);
    expect(topByScore(docs, 7, 10, score, new Float64Array(7))).toEqual([1, 3, 2, 5, 6, 0, 4]);
  });
});

describe('MaxScore pruning', () => {
  // The benchmark's generated corpus: Zipf words, so queries mix very common and rare terms.
  const { sentences, questions } = generate(20000, { questions: 300 });
  const index = SentenceIndex.build(
    { docs: sentences.map((s, i) => ({ terms: s.toLowerCase().match(/[a-z0-9]+/g) ?? [], article: Math.floor(i / 50), paragraph: Math.floor(i / 5) })), titles: Array.from({ length: 400 }, () => []) },
    { bm25: defaultBM25, context: { neighbour: 0.3, reference: 0.3, title: 0, coverage: 0.5 } },
  );
  const queries = questions.map((q) => [...new Set(q.toLowerCase().match(/[a-z0-9]+/g) ?? [])]);

  it('returns exactly what scoring every posting returns, at every limit', () => {
    for (const terms of queries) {
      for (const limit of [1, 10, 100]) {
        expect(index.search(terms, limit)).toEqual(index.search(terms, limit, undefined, true));
      }
    }
  });

  it('reads fewer postings on queries with common words', () => {
    let pruned = 0;
    let read = 0;
    let postings = 0;
    for (const terms of queries) {
      index.search(terms, 10);
      if (index.lastSearch.pruned) pruned++;
      read += index.lastSearch.read;
      postings += index.lastSearch.postings;
      index.search(terms, 10, undefined, true);
      expect(index.lastSearch.read).toBe(index.lastSearch.postings); // exhaustive reads them all
    }
    expect(pruned).toBeGreaterThan(queries.length / 4);
    expect(read).toBeLessThan(postings * 0.8);
  });
});
