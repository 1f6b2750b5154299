/**
 * A file option in the console is a path: read it into an attachment, checking before reading —
 * a regular file (a FIFO would block the chat forever, a device such as /dev/zero never ends),
 * within the size limit (an article's for a `.txt`, a page's for an `.html` or `.htm`), one of
 * those three — and reading no more than the limit allows. Each refusal says which check failed.
 */
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { basename, resolve } from 'node:path';
import { citedError } from '../core/errors.js';
import { formatBytes, tooLarge } from '../corpus/read-file.js';
import type { Attachment } from '../../commands/index.js';
import { MAX_PAGE_BYTES } from '../pages/limits.js';

export function readAttachment(path: string, articleBytes: number): Attachment {
  const maxBytes = /\.html?$/i.test(path) ? MAX_PAGE_BYTES : articleBytes;
  const refuse = (why: string) => citedError('BAD_ARTICLE_FILE', path, why);
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO for reading returns at once instead of waiting for a writer;
    // the checks below then run on what was opened, not on a name that could change meanwhile.
    fd = openSync(resolve(path), constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw refuse(code === 'ENOENT' ? 'there is no such file' : `it cannot be read (${code ?? 'error'})`);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw refuse(`it is not a regular file (it is ${kind(stat)}); give the path of a .txt article or an .html page`);
    if (stat.size > maxBytes) throw refuse(tooLarge(stat.size, maxBytes));
    if (!/\.(txt|html?)$/i.test(path)) throw refuse('only .txt, .html and .htm files can be added as articles');
    // One byte past the limit tells a file that grew since it was looked at from one that fits.
    const buffer = Buffer.alloc(Math.min(stat.size, maxBytes) + 1);
    let length = 0;
    for (let read = -1; read !== 0 && length < buffer.length; length += read) read = readSync(fd, buffer, length, buffer.length - length, length);
    if (length > maxBytes) throw refuse(`it grew past the ${formatBytes(maxBytes)} limit for one article while it was read`);
    return { name: basename(path), bytes: new Uint8Array(buffer.buffer, buffer.byteOffset, length) };
  } finally {
    closeSync(fd);
  }
}

function kind(stat: Stats): string {
  if (stat.isDirectory()) return 'a folder';
  if (stat.isFIFO()) return 'a FIFO (named pipe)';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  if (stat.isSocket()) return 'a socket';
  return 'not a file';
}
