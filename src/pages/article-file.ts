/**
 * An extracted page or feed item → the text of a corpus article file: front matter (`---`,
 * `title:`, `date:`, `url:`, `outlet:`, `---`, the fields corpus/parse.ts reads) and then one
 * paragraph a line. The file is what is quoted: every quote is a slice of this text as stored.
 */
import { webUrl } from '../corpus/parse.js';
import type { PageMeta } from './extract.js';

/**
 * Lines the corpus reader would take for a header rather than text — a bare address, a bare date,
 * ` date YYYY-MM-DD Title` — are left out: never prose worth quoting, and read as a header they
 * would replace the front matter's title or address.
 */
const HEADER_LIKE = [/^https?:\/\/\S+$/i, /^\d{4}-?\d{2}-?\d{2}$/, /^date\s+\d{4}-\d{2}-\d{2}\s/i, /^-{3,}$/];

export function articleFile(meta: PageMeta, paragraphs: readonly string[]): string {
  const front = ['---'];
  const one = (v: string) => v.replace(/\s+/g, ' ').trim();
  if (meta.title) front.push(`title: ${one(meta.title)}`);
  if (meta.date) front.push(`date: ${meta.date}`);
  if (meta.url && webUrl(meta.url)) front.push(`url: ${one(meta.url)}`);
  if (meta.outlet) front.push(`outlet: ${one(meta.outlet)}`);
  front.push('---');
  const body = paragraphs.map(one).filter((line) => line !== '' && !HEADER_LIKE.some((r) => r.test(line)));
  return `${front.join('\n')}\n${body.join('\n')}\n`;
}

/**
 * A file name for an article from `url`: the host (without www.) and the last part of the path,
 * `www.example.com/world/2024/talks-resume.html` → `example.com-talks-resume`. corpus/article-id.ts
 * then makes it a safe id.
 */
export function nameFromUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'article'; // a feed item with no address of its own
  }
  const host = parsed.hostname.replace(/^www\d*\./, '');
  const last = parsed.pathname.split('/').filter((p) => p !== '' && !/^(index|amp)(\.\w+)?$/i.test(p)).at(-1) ?? '';
  const slug = last.replace(/\.(s?html?|php|aspx?|jsp|cms)$/i, '');
  return slug === '' ? host : `${host}-${slug}`;
}
