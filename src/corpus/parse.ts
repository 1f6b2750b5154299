/**
 * Splits an article file into metadata and paragraphs. Scraped news arrives in several shapes,
 * all handled as they are (see README, "The corpus"):
 *   (a) a title line, a date line (`20220223` or `2022-02-23`), a URL line, then one paragraph a line;
 *   (b) no header at all: every line is a paragraph;
 *   (c) a ` date 2022-02-24 Title` line, then paragraphs separated by blank lines;
 *   and optional front matter: `---`, `title: …` / `date: …` / `url: …` / `outlet: …` lines, `---`.
 * HTML entities are decoded first, so the text quoted is the text a reader would see.
 */
import { decode } from 'html-entities';
import type { ArticleMeta, MetadataOrigin } from '../core/types.js';

export interface Line {
  start: number;
  end: number;
}

export interface ParsedArticle {
  /** Decoded text; paragraphs and, later, sentences are ranges of it. */
  text: string;
  meta: Partial<ArticleMeta>;
  origin: Partial<Record<keyof ArticleMeta, MetadataOrigin>>;
  /** Body lines with text, trimmed, in order. */
  paragraphs: Line[];
  /** Problems worth telling the operator about (e.g. a date that is not a date). */
  notes: string[];
}

const DATE_LINE = /^(\d{4})-?(\d{2})-?(\d{2})$/;
const URL_LINE = /^https?:\/\/\S+$/i;
const DATE_TITLE_LINE = /^date\s+(\d{4}-\d{2}-\d{2})\s+(.+)$/i;
const FRONT_MATTER_KEYS = new Set(['title', 'date', 'url', 'outlet']);
const MAX_TITLE_LENGTH = 300;

export function parseArticle(raw: string): ParsedArticle {
  const text = decode(raw.replace(/\r\n?/g, '\n'));
  const lines = splitLines(text);
  const meta: Partial<ArticleMeta> = {};
  const origin: ParsedArticle['origin'] = {};
  const notes: string[] = [];
  const set = (key: keyof ArticleMeta, value: string, from: MetadataOrigin) => {
    // The url becomes the citation's link: only a web address may (never `javascript:`, `data:`, `file:`).
    if (key === 'url' && webUrl(value) === null) return void notes.push(`url "${value}" dropped: only http and https links are kept`);
    if (key === 'date') {
      const date = isoDate(value);
      if (date === null) return void notes.push(`"${value}" is not a date (expected YYYY-MM-DD or YYYYMMDD)`);
      value = date;
    }
    meta[key] = value;
    origin[key] = from;
  };
  const content = (line: Line) => text.slice(line.start, line.end).trim();

  let next = 0;
  // Front matter.
  if (lines.length > 0 && content(lines[0]!) === '---') {
    const close = lines.findIndex((l, i) => i > 0 && content(l) === '---');
    if (close > 0) {
      for (const line of lines.slice(1, close)) {
        const match = /^([A-Za-z]+)\s*:\s*(.*)$/.exec(content(line));
        const key = match?.[1]!.toLowerCase();
        if (match && key && FRONT_MATTER_KEYS.has(key) && match[2]!.trim() !== '') set(key as keyof ArticleMeta, match[2]!.trim(), 'front-matter');
        else if (content(line) !== '') notes.push(`front matter line "${content(line)}" ignored (keys: title, date, url, outlet)`);
      }
      next = close + 1;
    }
  }

  // Header: the first non-empty lines, when they look like one.
  const nonEmpty = lines.map((l, i) => [l, i] as const).filter(([l, i]) => i >= next && content(l) !== '');
  const kind = (l: Line) => {
    const c = content(l);
    if (DATE_LINE.test(c) && isoDate(c) !== null) return 'date';
    if (URL_LINE.test(c)) return 'url';
    if (DATE_TITLE_LINE.test(c)) return 'date-title';
    return 'text';
  };
  let h = 0;
  const first = nonEmpty[0];
  if (first && kind(first[0]) === 'date-title') {
    const [, date, title] = DATE_TITLE_LINE.exec(content(first[0]))!;
    set('date', date!, 'header');
    set('title', collapse(title!), 'header');
    h = 1;
  } else if (first && kind(first[0]) === 'text' && nonEmpty[1] && kind(nonEmpty[1][0]) !== 'text' && content(first[0]).length <= MAX_TITLE_LENGTH) {
    set('title', collapse(content(first[0])), 'header');
    h = 1;
  }
  // Date and URL lines that follow (or open the file without a title).
  while (h < nonEmpty.length && h < 4) {
    const [line] = nonEmpty[h]!;
    const k = kind(line);
    if (k === 'date' && meta.date === undefined) set('date', content(line), 'header');
    else if (k === 'url' && meta.url === undefined) set('url', content(line), 'header');
    else break;
    h++;
  }
  const bodyFrom = h < nonEmpty.length ? nonEmpty[h]![1] : lines.length;

  const paragraphs = lines.slice(bodyFrom).map((l) => trimLine(text, l)).filter((l) => l.end > l.start);
  return { text, meta, origin, paragraphs, notes };
}

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    if (i === text.length || text[i] === '\n') {
      lines.push({ start, end: i });
      start = i + 1;
    }
  }
  return lines;
}

/** Narrows a line to its text, without surrounding spaces (NBSP included). */
function trimLine(text: string, line: Line): Line {
  let { start, end } = line;
  while (start < end && /\s/.test(text[start]!)) start++;
  while (end > start && /\s/.test(text[end - 1]!)) end--;
  return { start, end };
}

function collapse(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/** `20220223` or `2022-02-23` → `2022-02-23`, if it is a real calendar date; otherwise null. */
export function isoDate(value: string): string | null {
  const match = DATE_LINE.exec(value.trim());
  if (!match) return null;
  const [, y, m, d] = match;
  const iso = `${y}-${m}-${d}`;
  const date = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(iso) ? iso : null;
}

/** `value` when it is an http or https URL (a citation link readers may follow), otherwise null. */
export function webUrl(value: string): string | null {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '' ? value : null;
  } catch {
    return null;
  }
}
