/**
 * Every limit on reading the web, in one place (README, "Articles from pages and feeds", lists them
 * with their reasons). A fetch that passes one of them fails with a message naming it.
 */

/** Fetching: what Cited asks of a server, and how long and how much it takes from one. */
export interface FetchSettings {
  /**
   * Whole fetch, redirects and body included (FETCH_TIMEOUT_SECONDS). A server that trickles bytes
   * must not hold a feed's poll, or a moderator's /sources add, for long.
   */
  timeoutMs: number;
  /** Fetch from private, loopback and link-local addresses too (ALLOW_PRIVATE_URLS): only for tests and closed networks. */
  allowPrivate: boolean;
  /** Resolves a host name to its addresses (default: the system's resolver, as dns.lookup). Tests stand in a DNS. */
  resolve?: (host: string) => Promise<{ address: string; family: number }[]>;
  /** Why an address is refused, or null (default: address.ts's public-only rule). Tests narrow it to reach a loopback server. */
  refuse?: (address: string) => string | null;
}

export const defaultFetchSettings: FetchSettings = { timeoutMs: 15_000, allowPrivate: false };

/** An HTML page, decompressed: news pages with inline scripts run to 1–3 MB; ten leaves room and bounds memory. */
export const MAX_PAGE_BYTES = 10 * 1024 * 1024;
/** A feed, decompressed: feeds of a few hundred items with full text stay well under it. */
export const MAX_FEED_BYTES = 5 * 1024 * 1024;
/** Redirects followed, each checked like the first address; news links go through two or three (tracker, http→https, www). */
export const MAX_REDIRECTS = 5;

/** How Cited introduces itself to the sites it reads, so their operators can tell what it is. */
export const USER_AGENT = 'Cited/0.1 (news-quoting bot; reads pages and feeds its operators chose)';

/**
 * The least an extracted page must hold to be an article: three sentences and 300 characters. Below
 * that it is a paywall stub, a teaser or a page of links ("Subscribe to read. This story is for
 * members."), and quoting it would cite an article nobody can check.
 */
export const MIN_ARTICLE_SENTENCES = 3;
export const MIN_ARTICLE_CHARS = 300;

/** Feed items read per feed per poll, newest first; the rest wait for the next poll (each add re-indexes). */
export const MAX_ITEMS_PER_POLL = 10;
/** A feed item whose page failed for a passing reason (a timeout, a 5xx) is tried again this many times in all. */
export const MAX_ITEM_ATTEMPTS = 3;
/** Default time between polls of a feed (FEED_POLL_SECONDS): news feeds change every few minutes to hours. */
export const DEFAULT_POLL_SECONDS = 15 * 60;
/** Backoff after failures doubles the wait, up to this. */
export const MAX_BACKOFF_MS = 24 * 60 * 60 * 1000;
