import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
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

/**
 * A worker thread's script, compiled: `name` beside the calling module in `dist/`. Worker threads
 * run JavaScript, so under vitest (which runs the TypeScript sources) this is the file `tsc -p .`
 * wrote, which `npm test` runs first. Null when there is none (the sources run without a build).
 */
export function compiledWorker(moduleUrl: string, name: string): string | null {
  const here = fileURLToPath(moduleUrl);
  const script = here.endsWith('.ts') ? join(projectRoot(), 'dist', dirname(relative(projectRoot(), here)), name) : join(dirname(here), name);
  return existsSync(script) ? script : null;
}
