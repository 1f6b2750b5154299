/** BM25 as small pure functions, so the scoring can be checked by hand (see test/bm25.test.ts). */

export interface BM25Params {
  /** Term-frequency saturation: how fast repeated words stop adding score. Default 1.2. */
  k1: number;
  /** Length normalisation, 0 (none) to 1 (full). Default 0.75. */
  b: number;
}

export const defaultBM25: BM25Params = { k1: 1.2, b: 0.75 };

/**
 * Inverse document frequency, in the form that never goes negative (Lucene's):
 * ln(1 + (N - df + 0.5) / (df + 0.5)). A word the corpus never uses (df 0) gets the largest value.
 */
export function idf(df: number, documents: number): number {
  return Math.log(1 + (documents - df + 0.5) / (df + 0.5));
}

/** The BM25 score of one term in one document (here: one sentence). */
export function bm25(tf: number, df: number, documents: number, length: number, averageLength: number, params: BM25Params): number {
  const { k1, b } = params;
  const norm = k1 * (1 - b + (b * length) / averageLength);
  return (idf(df, documents) * (tf * (k1 + 1))) / (tf + norm);
}
