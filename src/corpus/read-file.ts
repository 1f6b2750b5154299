/**
 * Reads one article file as text, or says plainly why it cannot: too large, empty, binary or
 * not UTF-8. Loading goes on without the file; the message names it and the fix.
 */
import { readFileSync, statSync } from 'node:fs';

export type FileText = { ok: true; text: string } | { ok: false; message: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function readArticleFile(path: string, maxBytes: number): FileText {
  let bytes: Buffer;
  try {
    const size = statSync(path).size;
    if (size > maxBytes) return { ok: false, message: `skipped: ${tooLarge(size, maxBytes)}` };
    bytes = readFileSync(path);
  } catch (error) {
    return { ok: false, message: `skipped: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})` };
  }
  return decodeArticle(bytes, maxBytes);
}

/** The same checks on bytes already in memory (an upload), before anything is written. */
export function decodeArticle(bytes: Uint8Array, maxBytes: number): FileText {
  if (bytes.length > maxBytes) return { ok: false, message: `skipped: ${tooLarge(bytes.length, maxBytes)}` };
  if (bytes.includes(0)) return { ok: false, message: 'skipped: looks binary (contains NUL bytes), not a text article' };
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { ok: false, message: 'skipped: not valid UTF-8 text; save it as UTF-8 and reload' };
  }
  if (text.trim() === '') return { ok: false, message: 'skipped: the file is empty' };
  return { ok: true, text: text.replace(/^\uFEFF/, '') };
}

export const tooLarge = (size: number, maxBytes: number): string => `${formatBytes(size)} is over the ${formatBytes(maxBytes)} limit for one article (option maxArticleBytes)`;

export function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MiB` : `${Math.ceil(n / 1024)} KiB`;
}
