import { describe, expect, it } from 'vitest';
import { bm25, defaultBM25, idf } from '../src/search/bm25.js';
import { SentenceIndex } from '../src/search/index.js';

describe('BM25 scoring, checked against values computed by hand', () => {
  it('idf = ln(1 + (N - df + 0.5) / (df + 0.5))', () => {
    expect(idf(1, 10)).toBeCloseTo(Math.log(1 + 9.5 / 1.5), 12); // 1.99243…
    expect(idf(1, 10)).toBeCloseTo(1.9924301646902063, 12);
    expect(idf(10, 10)).toBeCloseTo(Math.log(1 + 0.5 / 10.5), 12); // a word in every sentence still counts a little
    expect(idf(0, 10)).toBeGreaterThan(idf(1, 10)); // an unknown word weighs the most
  });

  it('bm25 = idf · tf(k1+1) / (tf + k1(1 − b + b·len/avg))', () => {
    // tf 2, df 1 of N 10, length 5 of average 10, k1 1.2, b 0.75:
    // 1.99243 · 4.4 / (2 + 1.2 · 0.625) = 1.99243 · 1.6 = 3.18789
    expect(bm25(2, 1, 10, 5, 10, { k1: 1.2, b: 0.75 })).toBeCloseTo(3.1878882635043, 10);
    // b = 0 ignores length; k1 = 0 ignores repetition.
    expect(bm25(3, 1, 10, 50, 10, { k1: 1.2, b: 0 })).toBeCloseTo((idf(1, 10) * 3 * 2.2) / (3 + 1.2), 12);
    expect(bm25(3, 1, 10, 50, 10, { k1: 0, b: 0.75 })).toBeCloseTo(idf(1, 10), 12);
  });

  const noContext = { bm25: defaultBM25, context: { neighbour: 0, reference: 0, title: 0, coverage: 0.5 } };

  it('the index scores each sentence as the sum of its terms, best first', () => {
    const index = SentenceIndex.build(
      {
        docs: [
          { terms: ['troop', 'border'], article: 0, paragraph: 0 },
          { terms: ['troop', 'troop', 'amass', 'border'], article: 0, paragraph: 1 },
          { terms: ['sanction'], article: 1, paragraph: 2 },
        ],
        titles: [[], []],
      },
      noContext,
    );
    expect(index.averageLength).toBeCloseTo(7 / 3, 12);
    const hits = index.search(['troop', 'amass'], 10);
    expect(hits.map((h) => h.doc)).toEqual([1, 0]);
    const avg = 7 / 3;
    const expected1 = bm25(2, 2, 3, 4, avg, defaultBM25) + bm25(1, 1, 3, 4, avg, defaultBM25);
    const expected0 = bm25(1, 2, 3, 2, avg, defaultBM25);
    expect(hits[0]!.score).toBeCloseTo(expected1, 12);
    expect(hits[1]!.score).toBeCloseTo(expected0, 12);
    expect(hits[0]!.coverage).toBeCloseTo(1, 12);
    expect(hits[1]!.coverage).toBeCloseTo(idf(2, 3) / (idf(2, 3) + idf(1, 3)), 12);
  });

  it('credits a word found in the neighbouring sentence of the same paragraph, never retrieving by context alone', () => {
    const input = {
      docs: [
        { terms: ['declar', 'emerg'], article: 0, paragraph: 0 },
        { terms: ['order', 'last', '30', 'day'], article: 0, paragraph: 0 },
        { terms: ['emerg', 'servic'], article: 0, paragraph: 1 },
        { terms: ['weather'], article: 0, paragraph: 2 },
      ],
      titles: [['emerg']],
    };
    const context = { neighbour: 0.5, reference: 0.5, title: 0.25, coverage: 0.5 };
    const index = SentenceIndex.build(input, { bm25: defaultBM25, context });
    const hits = index.search(['emerg', 'last'], 10);
    const byDoc = new Map(hits.map((h) => [h.doc, h]));
    expect(byDoc.has(3)).toBe(false); // matches nothing itself
    const avg = 9 / 4;
    const emerg0 = bm25(1, 2, 4, 2, avg, defaultBM25);
    const last1 = bm25(1, 1, 4, 4, avg, defaultBM25);
    // Sentence 1 has "last"; "emergency" comes from sentence 0 at half its score (more than the title's credit).
    expect(0.5 * emerg0).toBeGreaterThan(0.25 * idf(2, 4));
    expect(byDoc.get(1)!.score).toBeCloseTo(last1 + 0.5 * emerg0, 12);
    expect(byDoc.get(1)!.context).toEqual([0]);
    expect(byDoc.get(1)!.neighbours).toEqual([0]);
    // Sentence 2 (another paragraph) gets no credit from sentence 1's "last"; the title gives "emergency" to no one who has it.
    expect(byDoc.get(2)!.score).toBeCloseTo(bm25(1, 2, 4, 2, avg, defaultBM25), 12);
    expect(byDoc.get(2)!.context).toEqual([]);
  });

  it('credits a sentence that opens with a pronoun with the previous sentence at the reference share, across a paragraph break but not across articles', () => {
    const input = {
      docs: [
        { terms: ['borrel', 'readi'], article: 0, paragraph: 0 },
        { terms: ['detail', 'target'], article: 0, paragraph: 1, refersBack: true }, // "He provided no details about who might be targeted."
        { terms: ['target', 'list'], article: 1, paragraph: 2, refersBack: true }, // "It has a target list." — but the sentence before is another article's
        { terms: ['borrel', 'spoke'], article: 1, paragraph: 3 },
        { terms: ['target', 'week'], article: 1, paragraph: 4 }, // does not open with a pronoun
      ],
      titles: [[], []],
    };
    const context = { neighbour: 0.3, reference: 0.9, title: 0, coverage: 0.5 };
    const index = SentenceIndex.build(input, { bm25: defaultBM25, context });
    const byDoc = new Map(index.search(['borrel', 'target'], 10).map((h) => [h.doc, h]));
    const avg = 2;
    const target = bm25(1, 3, 5, 2, avg, defaultBM25);
    const borrel = bm25(1, 2, 5, 2, avg, defaultBM25);
    expect(byDoc.get(1)!.score).toBeCloseTo(target + 0.9 * borrel, 12);
    expect(byDoc.get(1)!.context).toEqual([0]);
    expect(byDoc.get(1)!.neighbours).toEqual([0]);
    expect(byDoc.get(2)!.score).toBeCloseTo(target, 12);
    expect(byDoc.get(2)!.context).toEqual([]);
    expect(byDoc.get(4)!.score).toBeCloseTo(target, 12);
    // Without the pronoun, the same pair across a paragraph break gives nothing.
    const plain = SentenceIndex.build({ ...input, docs: input.docs.map((doc) => ({ ...doc, refersBack: false })) }, { bm25: defaultBM25, context });
    expect(plain.search(['borrel', 'target'], 10).find((h) => h.doc === 1)!.score).toBeCloseTo(target, 12);
  });

  it('credits a title word at its share of idf when no neighbour has it', () => {
    const index = SentenceIndex.build(
      { docs: [{ terms: ['shell'], article: 0, paragraph: 0 }, { terms: ['talk'], article: 1, paragraph: 1 }], titles: [['donetsk'], []] },
      { bm25: defaultBM25, context: { neighbour: 0.3, reference: 0.3, title: 0.2, coverage: 0.5 } },
    );
    const [hit] = index.search(['shell', 'donetsk'], 10);
    expect(hit!.score).toBeCloseTo(bm25(1, 1, 2, 1, 1, defaultBM25) + 0.2 * idf(0, 2), 12);
    expect(hit!.coverage).toBeCloseTo((idf(1, 2) + 0.5 * idf(0, 2)) / (idf(1, 2) + idf(0, 2)), 12);
  });
});
