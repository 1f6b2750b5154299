/**
 * A feed document → its items, whatever the format: RSS 2.0 (and RSS 1.0/RDF), Atom and JSON Feed,
 * parsed by feedsmith. feedsmith was picked over rss-parser (no JSON Feed; xml2js, little upkeep),
 * @rowanmanning/feed-parser (no JSON Feed) and @extractus/feed-extractor (normalises items down to
 * a shortened description and wants to fetch the feed itself): it detects the format, keeps the
 * namespaces where full text lives (content:encoded, Atom <content>, content_html), is typed and
 * actively kept, and leaves the fetching to our guarded fetch. Its XML parser (fast-xml-parser)
 * does not expand entity declarations, so a "billion laughs" feed stays small.
 */
import { parseFeed } from 'feedsmith';
import { citedError } from '../core/errors.js';
import { dateOf } from '../pages/extract.js';

export interface FeedItem {
  /** What identifies the item across polls: its guid / id, else its link. */
  key: string;
  /** The article's address, absolute; null when the item has none. */
  url: string | null;
  title: string | null;
  /** YYYY-MM-DD as the feed states it. */
  date: string | null;
  /** For ordering, newest first (ms since the epoch; 0 when unknown). */
  publishedAt: number;
  /** The article's full text as HTML, when the feed carries it (content:encoded, Atom content, content_html). */
  html: string | null;
  /** Or as plain text (JSON Feed content_text). */
  text: string | null;
}

export interface ParsedFeed {
  format: 'rss' | 'atom' | 'json' | 'rdf';
  title: string | null;
  items: FeedItem[];
}

type Any = Record<string, unknown>;

export function readFeed(text: string, feedUrl: string): ParsedFeed {
  let parsed: { format: string; feed: unknown };
  try {
    parsed = parseFeed(text.replace(/^\uFEFF/, '')) as { format: string; feed: unknown };
  } catch (error) {
    const why = /unrecognized|detect/i.test((error as Error).message)
      ? /^\s*<(!doctype\s+html|html)/i.test(text)
        ? 'it is an HTML page (/sources add url: adds a page)'
        : 'it is neither RSS, Atom nor JSON Feed'
      : `it cannot be parsed (${(error as Error).message})`;
    throw citedError('NOT_A_FEED', feedUrl, why);
  }
  const feed = parsed.feed as Any;
  const format = parsed.format as ParsedFeed['format'];
  const absolute = (href: unknown) => {
    const value = str(href);
    if (value === null) return null;
    try {
      const url = new URL(value, feedUrl);
      return url.protocol === 'http:' || url.protocol === 'https:' ? url.toString() : null;
    } catch {
      return null;
    }
  };
  const raw = (format === 'atom' ? feed['entries'] : feed['items']) ?? [];
  const items: FeedItem[] = [];
  for (const entry of raw as Any[]) {
    let url: string | null;
    let key: string | null;
    let published: string | null;
    let html: string | null = null;
    let text: string | null = null;
    if (format === 'atom') {
      const links = (entry['links'] ?? []) as Any[];
      url = absolute((links.find((l) => l['rel'] === undefined || l['rel'] === 'alternate') ?? links[0])?.['href']);
      key = str(entry['id']) ?? url;
      published = str(entry['published']) ?? str(entry['updated']);
      const content = entry['content'] as Any | undefined;
      if (content && !content['src']) html = str(content['value']);
    } else if (format === 'json') {
      url = absolute(entry['url'] ?? entry['external_url']);
      key = str(entry['id']) ?? url;
      published = str(entry['date_published']) ?? str(entry['date_modified']);
      html = str(entry['content_html']);
      text = str(entry['content_text']);
    } else {
      url = absolute(entry['link']);
      const guid = entry['guid'];
      key = (guid && typeof guid === 'object' ? str((guid as Any)['value']) : str(guid)) ?? url;
      published = str(entry['pubDate']) ?? str((entry['dc'] as Any | undefined)?.['date']) ?? str((entry['dc'] as Any | undefined)?.['dates']);
      html = str((entry['content'] as Any | undefined)?.['encoded']);
    }
    if (key === null) continue; // nothing to know it by again
    const time = published ? Date.parse(published) : NaN;
    items.push({ key, url, title: titleOf(entry['title']), date: published ? dateOf(published) : null, publishedAt: Number.isNaN(time) ? 0 : time, html, text });
  }
  return { format, title: titleOf(feed['title']), items };
}

function str(value: unknown): string | null {
  if (Array.isArray(value)) return str(value[0]);
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

function titleOf(value: unknown): string | null {
  const text = value && typeof value === 'object' && !Array.isArray(value) ? str((value as Any)['value']) : str(value);
  // Atom titles may be HTML (type="html"); a title is shown as text.
  return text === null ? null : text.replace(/<[^>]*>/g, '').replace(/\s+/g, ' ').trim() || null;
}
