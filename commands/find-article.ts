/**
 * An article from what a person types: its id, its outlet's name, or its link as /sources shows
 * it (pasted with or without a trailing slash, a query string or a fragment). Used by /ask's
 * `source:` option and by /ask when the whole question is a link.
 */
import type { Article, Cited } from '../src/cited.js';
import { citedError } from '../src/core/errors.js';

/** How many matching ids an "ambiguous" message lists before saying how many more there are. */
const LISTED = 10;

/** A whole question that is one web address, as pasted from a browser or from /sources. */
export function looksLikeUrl(text: string): boolean {
  return /^(https?:\/\/|www\.)\S+$/i.test(text.trim());
}

/**
 * The article whose link is `url`. Letter case of the host, "www.", http or https, a trailing
 * slash and the fragment never matter; the query string matters only when two links differ by it
 * alone (a pasted link usually carries tracking parameters the corpus's link lacks).
 */
export function articleByUrl(articles: readonly Article[], url: string): Article | undefined {
  const wanted = urlKeys(url);
  if (wanted === null) return undefined;
  const keyed = articles.flatMap((a) => {
    const keys = a.url === null ? null : urlKeys(a.url);
    return keys === null ? [] : [{ article: a, keys }];
  });
  return (keyed.find((k) => k.keys.withQuery === wanted.withQuery) ?? keyed.find((k) => k.keys.page === wanted.page))?.article;
}

function urlKeys(url: string): { page: string; withQuery: string } | null {
  let parsed: URL;
  try {
    parsed = new URL(/^https?:\/\//i.test(url) ? url : `https://${url}`);
  } catch {
    return null;
  }
  const page = parsed.hostname.toLowerCase().replace(/^www\./, '') + parsed.pathname.replace(/\/+$/, '');
  return { page, withQuery: page + parsed.search };
}

/**
 * The article id a `source:` value names: an id (letter case aside), a link, or an outlet with a
 * single article (case-insensitive: `ndtv`). An outlet with several articles is refused with their
 * ids — the option limits an answer to one article — and anything else says what it accepts.
 */
export function resolveSource(cited: Pick<Cited, 'articles' | 'article'>, value: string): string {
  if (cited.article(value)) return value;
  const lower = value.toLowerCase();
  const byId = cited.articles.filter((a) => a.id.toLowerCase() === lower);
  if (byId.length === 1) return byId[0]!.id;
  if (byId.length === 0 && looksLikeUrl(value)) {
    const linked = articleByUrl(cited.articles, value);
    if (linked) return linked.id;
  }
  const matching = byId.length > 1 ? byId : cited.articles.filter((a) => a.outlet !== null && a.outlet.toLowerCase() === lower);
  if (matching.length === 1) return matching[0]!.id;
  if (matching.length === 0) throw citedError('NO_SUCH_SOURCE', value);
  const listed = matching.slice(0, LISTED).map((a) => `${a.id} (${a.date ?? 'date unknown'})`);
  const more = matching.length > LISTED ? ` and ${matching.length - LISTED} more (see /sources)` : '';
  throw citedError('AMBIGUOUS_SOURCE', value, listed.join(', ') + more);
}
