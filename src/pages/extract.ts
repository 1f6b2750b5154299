/**
 * An HTML page → an article: its text, one paragraph a line, and its metadata, read from the page
 * itself. Mozilla's Readability (Firefox's Reader View) finds the article in the page, over a
 * linkedom DOM (README, "Articles from pages and feeds", has the measurements that chose linkedom
 * over jsdom: the same text on 16 news pages, 8.5 times faster, a third of the install).
 *
 * Metadata, most trusted first (a field missing in one source is taken from the next):
 *   1. JSON-LD NewsArticle (or Article, BlogPosting…): headline, datePublished, publisher.name,
 *      url / mainEntityOfPage — what the outlet tells search engines;
 *   2. OpenGraph: og:title, og:site_name, og:url, article:published_time — what it tells social sites;
 *   3. <link rel="canonical"> for the address, <time datetime> for the date, <title> (via Readability),
 *      else a headline over the text (a short first line without end punctuation);
 *   4. the address the page was fetched from; the outlet then comes from its host (corpus/outlet.ts).
 * A page that yields no article text, or too little to be an article (a paywall stub, a teaser),
 * is refused with a message saying which.
 */
import { parseHTML } from 'linkedom';
import { Readability } from '@mozilla/readability';
import { citedError } from '../core/errors.js';
import { isoDate, webUrl } from '../corpus/parse.js';

/**
 * Bump when extraction changes what a page's text comes out as (this code, or a new linkedom or
 * Readability): it is part of the index snapshot's fingerprint, so pages in the corpus folder are
 * extracted again rather than kept as the old code read them.
 */
export const EXTRACTION_VERSION = 1;
import { MIN_ARTICLE_CHARS, MIN_ARTICLE_SENTENCES } from './limits.js';

export type MetaOrigin = 'json-ld' | 'opengraph' | 'canonical' | 'time' | 'title' | 'heading' | 'address';

export interface PageMeta {
  title: string | null;
  /** YYYY-MM-DD: the date as printed in the page's own time zone. */
  date: string | null;
  url: string | null;
  outlet: string | null;
}

export interface ExtractedPage extends PageMeta {
  /** The article's paragraphs, whitespace collapsed, in order. */
  paragraphs: string[];
  /** Where each field came from. */
  origin: Partial<Record<keyof PageMeta, MetaOrigin>>;
}

/** A DOM node as far as this module reads it (linkedom's nodes have this shape). */
interface DomNode {
  nodeType: number;
  nodeName: string;
  childNodes: ArrayLike<DomNode>;
  textContent: string | null;
  getAttribute?(name: string): string | null;
}
interface DomDocument {
  querySelectorAll(selector: string): ArrayLike<DomNode & { getAttribute(name: string): string | null }>;
}

/**
 * Extracts the article of `html`. `pageUrl` is where the page was fetched from (null for an
 * uploaded file): relative addresses are resolved against it, and it is the address of last resort.
 * `what` names the page in refusals (the URL or the file name).
 */
export function extractPage(html: string, pageUrl: string | null, what: string): ExtractedPage {
  const { document } = parseHTML(html) as unknown as { document: DomDocument };
  // Metadata first: Readability takes the document apart.
  const meta = pageMetadata(document, pageUrl);
  const article = new Readability<DomNode>(document as never, { serializer: (node) => node as unknown as DomNode }).parse();
  const paragraphs = article?.content ? textLines(article.content) : [];
  if (paragraphs.length === 0) throw citedError('NOT_AN_ARTICLE', what, 'no article text was found in the page');
  let title = meta.title ?? clean(article?.title ?? '') ?? null;
  let titleFrom: MetaOrigin | null = meta.title !== null ? null : title !== null ? 'title' : null;
  // A page with no title anywhere but a headline over its text: a short first line without end punctuation.
  if (title === null && paragraphs.length > 1 && paragraphs[0]!.length <= 200 && !/[.!?…:"”]$/.test(paragraphs[0]!)) {
    title = paragraphs[0]!;
    titleFrom = 'heading';
  }
  const origin = { ...meta.origin, ...(titleFrom ? { title: titleFrom } : {}) };
  // The headline, when Readability kept it as the first line, is already the title.
  if (title !== null && paragraphs[0] === title) paragraphs.shift();
  checkEnough(paragraphs, what, meta.paywalled);
  return { title, date: meta.date, url: meta.url ?? (pageUrl ? webUrl(pageUrl) : null), outlet: meta.outlet, paragraphs, origin: meta.url === null && pageUrl ? { ...origin, url: 'address' } : origin };
}

/** Refuses text too short to be an article: a paywall stub, a teaser, a page of links. */
export function checkEnough(paragraphs: readonly string[], what: string, paywalled = false): void {
  const text = paragraphs.join('\n');
  const sentences = countSentences(text);
  if (sentences >= MIN_ARTICLE_SENTENCES && text.length >= MIN_ARTICLE_CHARS) return;
  const found = `only ${sentences === 1 ? 'one sentence' : `${sentences} sentences`} (${text.length} characters) of article text`;
  const why = paywalled
    ? `${found} — the page says the article is for subscribers (a paywall)`
    : `${found} — a paywall stub, a teaser or a page of links, not an article (at least ${MIN_ARTICLE_SENTENCES} sentences and ${MIN_ARTICLE_CHARS} characters are needed)`;
  throw citedError('NOT_AN_ARTICLE', what, why);
}

/** Sentences, roughly: end punctuation followed by a space or the end (enough for the limit above). */
function countSentences(text: string): number {
  return text.split('\n').reduce((n, line) => n + (line.trim() === '' ? 0 : (line.match(/[.!?…]+["”’)\]]*(?=\s|$)/g)?.length ?? 1)), 0);
}

// --- Paragraphs -------------------------------------------------------------------------------

/** Elements that end a line: a paragraph, heading, list item, quote, table cell… */
const BLOCK = new Set(
  'ADDRESS ARTICLE ASIDE BLOCKQUOTE DD DETAILS DIV DL DT FIELDSET FIGCAPTION FIGURE FOOTER FORM H1 H2 H3 H4 H5 H6 HEADER HR LI MAIN NAV OL P PRE SECTION SUMMARY TABLE TBODY TD TFOOT TH THEAD TR UL'.split(' '),
);
/**
 * Never article text: what a reader does not see, and photo captions ("Photo: Reuters"), which
 * describe a picture and credit its maker rather than report.
 */
const SKIP = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'SVG', 'MATH', 'IFRAME', 'OBJECT', 'BUTTON', 'SELECT', 'TEXTAREA', 'FIGCAPTION']);
const TEXT_NODE = 3;
const ELEMENT_NODE = 1;

/** An element's text as lines: one per block (paragraph), a <br> breaks a line, whitespace collapsed. */
export function textLines(root: DomNode): string[] {
  const lines: string[] = [];
  let current = '';
  const flush = () => {
    const line = current.replace(/\s+/g, ' ').trim();
    if (line !== '') lines.push(line);
    current = '';
  };
  const walk = (node: DomNode) => {
    for (const child of Array.from(node.childNodes)) {
      if (child.nodeType === TEXT_NODE) current += child.textContent ?? '';
      else if (child.nodeType === ELEMENT_NODE) {
        const tag = child.nodeName.toUpperCase();
        if (SKIP.has(tag)) continue;
        if (tag === 'BR') flush();
        else if (BLOCK.has(tag)) {
          flush();
          walk(child);
          flush();
        } else walk(child);
      }
    }
  };
  walk(root);
  flush();
  return lines;
}

/** Lines of an HTML fragment (a feed item's full text). */
export function fragmentLines(html: string): string[] {
  const { document } = parseHTML(`<!doctype html><html><body>${html}</body></html>`) as unknown as { document: { body: DomNode } };
  return textLines(document.body);
}

// --- Metadata ---------------------------------------------------------------------------------

interface Found extends PageMeta {
  origin: Partial<Record<keyof PageMeta, MetaOrigin>>;
  /** JSON-LD says the article is not free to read. */
  paywalled: boolean;
}

export function pageMetadata(document: DomDocument, pageUrl: string | null): Found {
  const found: Found = { title: null, date: null, url: null, outlet: null, origin: {}, paywalled: false };
  const offer = (key: keyof PageMeta, value: string | null | undefined, from: MetaOrigin) => {
    if (found[key] !== null || value === null || value === undefined) return;
    const cleaned = key === 'date' ? dateOf(value) : key === 'url' ? absoluteUrl(value, pageUrl) : clean(value);
    if (cleaned === null) return;
    found[key] = cleaned;
    found.origin[key] = from;
  };

  const ld = newsArticle(document);
  if (ld) {
    offer('title', str(ld['headline']) ?? str(ld['name']), 'json-ld');
    offer('date', str(ld['datePublished']), 'json-ld');
    offer('outlet', nameOf(ld['publisher']), 'json-ld');
    offer('url', str(ld['url']) ?? idOf(ld['mainEntityOfPage']), 'json-ld');
    const free = ld['isAccessibleForFree'];
    found.paywalled = free === false || (typeof free === 'string' && free.toLowerCase() === 'false');
  }
  const metaContent = (name: string) => {
    for (const m of Array.from(document.querySelectorAll('meta'))) {
      const key = (m.getAttribute('property') ?? m.getAttribute('name') ?? '').trim().toLowerCase();
      if (key === name) return m.getAttribute('content');
    }
    return null;
  };
  offer('title', metaContent('og:title'), 'opengraph');
  offer('outlet', metaContent('og:site_name'), 'opengraph');
  offer('url', metaContent('og:url'), 'opengraph');
  offer('date', metaContent('article:published_time'), 'opengraph');
  const canonical = Array.from(document.querySelectorAll('link')).find((l) => (l.getAttribute('rel') ?? '').toLowerCase().split(/\s+/).includes('canonical'));
  offer('url', canonical?.getAttribute('href'), 'canonical');
  const time = document.querySelectorAll('article time[datetime]')[0] ?? document.querySelectorAll('time[datetime]')[0];
  offer('date', time?.getAttribute('datetime'), 'time');
  return found;
}

type Json = Record<string, unknown>;

/** The page's JSON-LD article: a NewsArticle first, else any Article or blog post. */
function newsArticle(document: DomDocument): Json | null {
  const candidates: Json[] = [];
  const collect = (value: unknown) => {
    if (Array.isArray(value)) return value.forEach(collect);
    if (value === null || typeof value !== 'object') return;
    const node = value as Json;
    if (node['@graph']) collect(node['@graph']);
    const types = ([] as unknown[]).concat(node['@type'] ?? []).map(String);
    if (types.length > 0) candidates.push(node);
  };
  for (const script of Array.from(document.querySelectorAll('script'))) {
    if ((script.getAttribute('type') ?? '').trim().toLowerCase() !== 'application/ld+json') continue;
    try {
      collect(JSON.parse(script.textContent ?? ''));
    } catch {
      // A page's broken JSON-LD is the page's problem: the other sources still give metadata.
    }
  }
  const typesOf = (n: Json) => ([] as unknown[]).concat(n['@type'] ?? []).map(String);
  return (
    candidates.find((n) => typesOf(n).some((t) => /NewsArticle$/.test(t))) ??
    candidates.find((n) => typesOf(n).some((t) => /^(Article|BlogPosting|LiveBlogPosting|Report)$/.test(t))) ??
    null
  );
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : Array.isArray(v) ? str(v[0]) : null);
const nameOf = (v: unknown): string | null => (typeof v === 'string' ? str(v) : Array.isArray(v) ? nameOf(v[0]) : v && typeof v === 'object' ? str((v as Json)['name']) : null);
const idOf = (v: unknown): string | null => (typeof v === 'string' ? str(v) : v && typeof v === 'object' ? (str((v as Json)['@id']) ?? str((v as Json)['url'])) : null);

/** Whitespace collapsed; null when nothing is left. */
function clean(value: string): string | null {
  const text = value.replace(/\s+/g, ' ').trim();
  return text === '' ? null : text;
}

/** `2024-03-05T10:00:00+02:00` → `2024-03-05`: the calendar date the outlet printed, in its own time zone. */
export function dateOf(value: string): string | null {
  const match = /^\s*(\d{4}-\d{2}-\d{2})/.exec(value);
  if (match) return isoDate(match[1]!);
  // RFC 822 dates (feeds): "Tue, 03 Jun 2025 09:00:00 GMT", read in the zone they state.
  const parsed = /\d{1,2}\s+[A-Za-z]{3}\s+\d{4}/.test(value) ? new Date(value) : null;
  if (!parsed || Number.isNaN(parsed.getTime())) return null;
  const offset = /([+-])(\d{2}):?(\d{2})\s*$/.exec(value);
  const shift = offset ? (offset[1] === '-' ? -1 : 1) * (Number(offset[2]) * 60 + Number(offset[3])) * 60_000 : 0;
  return new Date(parsed.getTime() + shift).toISOString().slice(0, 10);
}

function absoluteUrl(value: string, base: string | null): string | null {
  try {
    return webUrl(new URL(value.trim(), base ?? undefined).toString());
  } catch {
    return null;
  }
}
