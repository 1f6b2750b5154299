/**
 * Is this article already in the corpus? Two rules, in order:
 *
 * 1. **Same address.** The candidate's canonical URL (or a feed item's link) names an article
 *    already there, compared as `urlKey` writes them: scheme, `www.`, default port, fragment,
 *    trailing slash and tracking parameters (utm_*, fbclid, gclid…) do not count.
 * 2. **Near-identical text** — the same wire story run by another outlet, with its own headline,
 *    byline or a paragraph more or less. Texts are compared as sets of 5-word shingles (Broder's
 *    resemblance, 1997): the candidate is a duplicate of an article when at least 80% of the
 *    shingles of the shorter of the two are in the other (containment). Finding which articles to
 *    compare must stay cheap on a large corpus, so each article keeps a bottom-128 sketch of its
 *    shingle hashes (one hash function; the 128 smallest values estimate the resemblance of two
 *    texts); only articles whose sketch shares some of the candidate's are compared in full.
 *
 * Sketches are made lazily (when the first candidate is checked), a few articles at a time with
 * the event loop let through between, and kept by article id.
 */
import type { Article } from '../core/types.js';

/** Shingle length in words: long enough that common phrases do not match, short enough to survive edits. */
const SHINGLE = 5;
const SKETCH = 128;
/** Estimated resemblance from the sketches that makes an article worth comparing in full. */
const SHORTLIST = 0.05;
/** Share of the shorter text's shingles found in the other that makes it a duplicate. */
export const CONTAINMENT = 0.8;
const TRACKING = /^(utm_\w+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|ocid|cmpid|smid|ref|ref_src|taid|at_medium|at_campaign|guccounter|__twitter_impression)$/i;

/** A URL as compared: host without www., path without trailing slash, query without tracking, no scheme or fragment. */
export function urlKey(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  const params = [...url.searchParams].filter(([k]) => !TRACKING.test(k)).sort(([a], [b]) => a.localeCompare(b));
  const query = params.length > 0 ? `?${new URLSearchParams(params).toString()}` : '';
  const path = url.pathname.replace(/\/+$/, '') || '/';
  return `${url.hostname.toLowerCase().replace(/^www\d*\./, '')}${url.port && !['80', '443'].includes(url.port) ? `:${url.port}` : ''}${path}${query}`;
}

export interface Duplicate {
  article: Article;
  how: string;
}

export class DuplicateFinder {
  /**
   * Sketches by article id, with what they were made from — the sentence count and the last
   * sentence's id, which holds a hash of its text — so an id reused for new text is redone without
   * reading every article's text on every check.
   */
  #sketches = new Map<string, { made: string; sketch: Uint32Array }>();

  /** The corpus article that `candidate` (its addresses and text) duplicates, or null. */
  async find(candidate: { urls: readonly (string | null)[]; text: string }, articles: readonly Article[]): Promise<Duplicate | null> {
    const keys = new Set(candidate.urls.map((u) => (u ? urlKey(u) : null)).filter((k): k is string => k !== null));
    if (keys.size > 0) {
      const same = articles.find((a) => a.url !== null && keys.has(urlKey(a.url) ?? ''));
      if (same) return { article: same, how: `the same address, ${same.url}` };
    }
    const shingles = shingleSet(candidate.text);
    if (shingles.size === 0) return null;
    const sketch = bottomK(shingles);
    await this.#refresh(articles);
    for (const article of articles) {
      const known = this.#sketches.get(article.id);
      if (!known || resemblance(sketch, known.sketch) < SHORTLIST) continue;
      const theirs = shingleSet(articleText(article));
      if (containment(shingles, theirs) >= CONTAINMENT) return { article, how: `near-identical text${article.outlet ? `, from ${article.outlet}` : ''}` };
    }
    return null;
  }

  /** Makes the sketches of articles not seen yet, letting the event loop through every 50. */
  async #refresh(articles: readonly Article[]): Promise<void> {
    const present = new Set<string>();
    let sketched = 0;
    for (const article of articles) {
      present.add(article.id);
      const made = `${article.sentences.length} ${article.sentences.at(-1)?.id ?? ''}`;
      if (this.#sketches.get(article.id)?.made === made) continue;
      this.#sketches.set(article.id, { made, sketch: bottomK(shingleSet(articleText(article))) });
      if (++sketched % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    for (const id of this.#sketches.keys()) if (!present.has(id)) this.#sketches.delete(id);
  }
}

/** An article's quotable text (front matter and headers are not the story). */
function articleText(article: Article): string {
  return article.sentences.map((s) => s.text).join('\n');
}

/** The text's 5-word shingles as 32-bit FNV-1a hashes (words: letters and digits, lower case). */
export function shingleSet(text: string): Set<number> {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const set = new Set<number>();
  for (let i = 0; i + SHINGLE <= words.length; i++) set.add(fnv1a(words.slice(i, i + SHINGLE).join(' ')));
  return set;
}

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function bottomK(set: Set<number>): Uint32Array {
  return Uint32Array.from(set).sort().subarray(0, SKETCH);
}

/** Estimated resemblance of two texts from their sorted bottom-k sketches. */
function resemblance(a: Uint32Array, b: Uint32Array): number {
  const k = Math.min(SKETCH, a.length + b.length);
  let i = 0;
  let j = 0;
  let taken = 0;
  let shared = 0;
  while (taken < k && (i < a.length || j < b.length)) {
    if (j >= b.length || (i < a.length && a[i]! < b[j]!)) i++;
    else if (i >= a.length || b[j]! < a[i]!) j++;
    else {
      shared++;
      i++;
      j++;
    }
    taken++;
  }
  return taken === 0 ? 0 : shared / taken;
}

function containment(a: Set<number>, b: Set<number>): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  if (small.size === 0) return 0;
  let inside = 0;
  for (const h of small) if (large.has(h)) inside++;
  return inside / small.size;
}
