/**
 * The id of an article added as an uploaded file, and the file name it is saved under (`<id>.txt`,
 * so the loader, whose id is the file name without `.txt`, reads back the same id).
 *
 * Ids travel in Discord custom ids (`sups:<report>:<id>`, at most 100 characters), menu and
 * autocomplete values (at most 100), and commands, so an uploaded file's name is made into one:
 *   - letters and digits of any script are kept (`новости`, `報道`), with `_`, `.` and `-`; every
 *     other run of characters becomes one `_` (spaces, `#`, quotes, emoji…); NFC first, so the same
 *     name typed on any system gives the same id; leading dots go (a dot file is never read);
 *   - a name with no letter or digit left (`!!!.txt`) gets `article-<10 hex of the content's SHA-1>`;
 *   - a name longer than ARTICLE_ID_MAX (80 UTF-16 units) is cut, and ends with `-` and 10 hex of
 *     the full name's SHA-1, so two long names sharing a beginning stay apart. 80 leaves room for
 *     `sups:<12-digit report>:` within 100, and keeps `<id>.txt` under the file system's 255 bytes
 *     (at most 3 bytes of UTF-8 per UTF-16 unit: 244).
 * The reply to `/sources add` says the id, and the saved name when it differs from the upload's.
 */
import { createHash } from 'node:crypto';

export const ARTICLE_ID_MAX = 80;
/** The rule in a sentence, for the reply that says a file was saved under another name. */
export const ARTICLE_ID_RULE = `article ids keep letters, digits, _ . and -, and are at most ${ARTICLE_ID_MAX} characters`;
/** What an id may hold (see custom-ids.ts, which accepts exactly these). */
export const ARTICLE_ID_CHARS = '\\p{L}\\p{M}\\p{N}_.\\-';
const OTHER = new RegExp(`[^${ARTICLE_ID_CHARS}]+`, 'gu');
const WORDLIKE = /[\p{L}\p{N}]/u;

const sha1 = (data: string | Uint8Array) => createHash('sha1').update(data).digest('hex').slice(0, 10);

/**
 * The id for an uploaded file named `stem` + `.txt` (the caller checks the extension); `max`: the
 * length it may take (a server's own article's id is this after `local.`, so the whole stays within ARTICLE_ID_MAX).
 */
export function articleIdFor(stem: string, content: Uint8Array, max = ARTICLE_ID_MAX): string {
  const cleaned = stem.normalize('NFC').replace(OTHER, '_').replace(/^\.+/, '');
  if (!WORDLIKE.test(cleaned)) return `article-${sha1(content)}`;
  if (cleaned.length <= max) return cleaned;
  const suffix = `-${sha1(cleaned)}`;
  let cut = '';
  // By code points, so a character outside the BMP is never cut in half.
  for (const char of cleaned) {
    if (cut.length + char.length > max - suffix.length) break;
    cut += char;
  }
  return cut + suffix;
}
