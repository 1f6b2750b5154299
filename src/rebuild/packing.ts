/**
 * Articles as columns, to cross from the worker to the main thread (and to a segment file) cheaply:
 * a sentence is its id and four numbers, its text a slice of the article's. Tens of thousands of
 * sentence objects cloned one by one held the main thread for a tenth of a second on arrival; as
 * columns they arrive in milliseconds, and are made objects again in slices that let the event
 * loop through.
 */
import type { Article, Sentence } from '../core/types.js';
import { EXCLUSIONS } from '../snapshot.js';

export interface PackedArticles {
  /** The articles without their sentences. */
  articles: Omit<Article, 'sentences'>[];
  /** Per article: its sentence ids (one per line), and their numbers as columns. */
  sentences: { ids: string; position: Uint32Array; paragraph: Uint32Array; start: Uint32Array; end: Uint32Array; excluded: Uint8Array }[];
}

export function packArticles(articles: readonly Article[]): PackedArticles {
  return {
    articles: articles.map(({ sentences: _, ...rest }) => rest),
    sentences: articles.map(({ sentences }) => ({
      ids: sentences.map((s) => s.id).join('\n'),
      position: Uint32Array.from(sentences, (s) => s.position),
      paragraph: Uint32Array.from(sentences, (s) => s.paragraph),
      start: Uint32Array.from(sentences, (s) => s.start),
      end: Uint32Array.from(sentences, (s) => s.end),
      excluded: Uint8Array.from(sentences, (s) => EXCLUSIONS.indexOf(s.excluded)),
    })),
  };
}

/** The buffers of the columns, to transfer rather than copy. */
export function transferables(packed: PackedArticles): ArrayBuffer[] {
  return packed.sentences.flatMap((c) => [c.position, c.paragraph, c.start, c.end, c.excluded].map((a) => a.buffer as ArrayBuffer));
}

/** The articles again; every `slice` sentences, `pause` is awaited (e.g. a turn of the event loop). */
export async function unpackArticles(packed: PackedArticles, pause: () => Promise<void> = () => new Promise((r) => setImmediate(r)), slice = 4000): Promise<Article[]> {
  const articles: Article[] = [];
  let made = 0;
  for (const [i, meta] of packed.articles.entries()) {
    const columns = packed.sentences[i]!;
    const ids = columns.ids === '' ? [] : columns.ids.split('\n');
    const sentences: Sentence[] = [];
    for (let k = 0; k < ids.length; k++) {
      const reason = EXCLUSIONS[columns.excluded[k]!];
      const start = columns.start[k]!;
      const end = columns.end[k]!;
      sentences.push({ id: ids[k]!, articleId: meta.id, position: columns.position[k]!, paragraph: columns.paragraph[k]!, text: meta.text.slice(start, end), start, end, ...(reason ? { excluded: reason } : {}) });
      if (++made % slice === 0) await pause();
    }
    articles.push({ ...meta, sentences });
  }
  return articles;
}
