/**
 * The name a removed article's file is kept under (in DATA_DIR/removed-sources): `<time>-<file>`, so
 * removals of files of one name never overwrite each other; a hash when that would be too long a
 * name for the file system (255 bytes).
 */
import { createHash } from 'node:crypto';

const NAME_MAX_BYTES = 255;

export function removedName(file: string): string {
  const name = `${Date.now()}-${file}`;
  return Buffer.byteLength(name) <= NAME_MAX_BYTES ? name : `${Date.now()}-${createHash('sha1').update(file).digest('hex').slice(0, 12)}.txt`;
}
