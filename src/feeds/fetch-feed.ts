/**
 * Fetches a feed through the guarded fetch (pages/fetch.ts: public addresses only, redirects,
 * deadline, size limit) as a conditional request, and reads it (read-feed.ts).
 */
import { citedError } from '../core/errors.js';
import { decodeDocument } from '../pages/decode.js';
import { fetchResource } from '../pages/fetch.js';
import { MAX_FEED_BYTES, type FetchSettings } from '../pages/limits.js';
import { FEED_TYPES, HTML_TYPES } from '../pages/pages.js';
import { readFeed, type ParsedFeed } from './read-feed.js';

export type FeedFetch =
  | { notModified: true; etag: string | null; lastModified: string | null }
  | { notModified: false; feed: ParsedFeed; etag: string | null; lastModified: string | null };

export async function fetchFeed(url: string, settings: FetchSettings, validators: { etag?: string | null; lastModified?: string | null } = {}, signal?: AbortSignal): Promise<FeedFetch> {
  const fetched = await fetchResource(
    {
      url,
      // text/html is let through to say "that is a page", and text/plain because some servers label feeds so.
      accept: [...FEED_TYPES, ...HTML_TYPES, 'text/plain'],
      notAccepted: (type) => citedError('NOT_A_FEED', url, `it is ${type}`),
      maxBytes: MAX_FEED_BYTES,
      ...validators,
      ...(signal ? { signal } : {}),
    },
    settings,
  );
  if (fetched.notModified) return { notModified: true, etag: fetched.etag, lastModified: fetched.lastModified };
  const feed = readFeed(decodeDocument(fetched.body, fetched.charset), fetched.url);
  return { notModified: false, feed, etag: fetched.etag, lastModified: fetched.lastModified };
}
