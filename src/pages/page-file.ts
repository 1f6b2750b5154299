/**
 * A `.html` / `.htm` page dropped into the corpus folder, read as an article: extracted when the
 * corpus is loaded (extract.ts), the same way `/sources add` extracts a page, into the text an
 * article file would hold (front matter, a paragraph a line). The file on disk stays the page;
 * quotes are slices of the extracted text, which is the same on every load.
 */
import { readFileSync, statSync } from 'node:fs';
import { isCitedError } from '../core/errors.js';
import type { FileText } from '../corpus/read-file.js';
import { formatBytes } from '../corpus/read-file.js';
import { articleFile } from './article-file.js';
import { decodeDocument } from './decode.js';
import { extractPage } from './extract.js';
import { MAX_PAGE_BYTES } from './limits.js';

export function readPageArticle(path: string, file: string): FileText {
  let bytes: Buffer;
  try {
    const size = statSync(path).size;
    if (size > MAX_PAGE_BYTES) return { ok: false, message: `skipped: ${formatBytes(size)} is over the ${formatBytes(MAX_PAGE_BYTES)} limit for a page` };
    bytes = readFileSync(path);
  } catch (error) {
    return { ok: false, message: `skipped: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})` };
  }
  try {
    const page = extractPage(decodeDocument(bytes, null), null, file);
    return { ok: true, text: articleFile(page, page.paragraphs) };
  } catch (error) {
    if (!isCitedError(error)) throw error;
    // "page.html was not added: no article text…" → "skipped: no article text…"
    return { ok: false, message: `skipped: ${error.message.replace(/^.*? was not added: /, '').replace(/\.$/, '')}` };
  }
}
