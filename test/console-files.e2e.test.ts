/**
 * `/sources add <path>` in the console (a real process, real files): the path is checked before
 * it is read — a device that never ends, a FIFO nobody writes to, a folder, a file over the size
 * limit, a file that is not .txt — and each gets its own message; the chat goes on answering.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freshDir, runScript, tempCorpus } from './helpers.js';

describe('console /sources add checks a path before reading it', () => {
  it('refuses /dev/zero, a FIFO, a folder, an over-large file and a .md file, each with a clear message, and keeps chatting', async () => {
    const files = freshDir('cited-files-');
    const fifo = join(files, 'pipe.txt');
    execFileSync('mkfifo', [fifo]);
    mkdirSync(join(files, 'folder.txt'));
    // Sparse: six MiB on paper, nothing on disk.
    writeFileSync(join(files, 'huge.txt'), '');
    truncateSync(join(files, 'huge.txt'), 6 * 1024 * 1024);
    writeFileSync(join(files, 'notes.md'), 'Negotiators met in Geneva on Friday.\n');
    writeFileSync(join(files, 'geneva.txt'), 'Negotiators met in Geneva on Friday to discuss a ceasefire.\n');
    const run = await runScript('src/main.js', [], {
      input: [
        '/sources add /dev/zero',
        `/sources add ${fifo}`,
        `/sources add ${join(files, 'folder.txt')}`,
        `/sources add ${join(files, 'huge.txt')}`,
        `/sources add ${join(files, 'notes.md')}`,
        `/sources add ${join(files, 'missing.txt')}`,
        `/sources add ${join(files, 'geneva.txt')}`,
        'Where did negotiators meet?',
      ].join('\n') + '\n',
      env: { DISCORD_TOKEN: undefined, CORPUS_DIR: tempCorpus({}, true) },
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('/dev/zero was not added: it is not a regular file (it is a device); give the path of a .txt article or an .html page.');
    expect(run.stdout).toContain(`${fifo} was not added: it is not a regular file (it is a FIFO (named pipe)); give the path of a .txt article or an .html page.`);
    expect(run.stdout).toContain(`${join(files, 'folder.txt')} was not added: it is not a regular file (it is a folder); give the path of a .txt article or an .html page.`);
    expect(run.stdout).toContain(`${join(files, 'huge.txt')} was not added: 6.0 MiB is over the 5.0 MiB limit for one article (option maxArticleBytes).`);
    expect(run.stdout).toContain(`${join(files, 'notes.md')} was not added: only .txt, .html and .htm files can be added as articles.`);
    expect(run.stdout).toContain(`${join(files, 'missing.txt')} was not added: there is no such file.`);
    // After all that, the chat still adds a good file and answers from it.
    expect(run.stdout).toContain('Added geneva (unknown outlet, date unknown): 1 quotable sentences.');
    expect(run.stdout).toContain('> Negotiators met in Geneva on Friday to discuss a ceasefire. [1]');
    expect(run.stderr).not.toMatch(/internal error|RangeError|Something went wrong/);
  });
});
