import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The project's root folder (the one with package.json), found from this file whether it runs
 * from `src/` under vitest or from the compiled `dist/src/`.
 */
export function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('Cited: cannot find the project root (no package.json above ' + fileURLToPath(import.meta.url) + ')');
    dir = parent;
  }
  return dir;
}
