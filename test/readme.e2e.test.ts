/** What the README and .env.example promise, checked against the program. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { built, freshDir, root } from './helpers.js';

const readme = readFileSync(join(root, 'README.md'), 'utf8');

describe('README', () => {
  it('its example console answer is what the console prints on a 100-column terminal', async () => {
    const example = /```\n(cited> (.+)\n[\s\S]*?)\n```/.exec(readme);
    expect(example).not.toBeNull();
    const [, shown, question] = example!;
    expect(await consoleOnTerminal(question!)).toBe(shown!.trimEnd());
  });

  it('.env.example documents every variable of the Configuration table, and no other', () => {
    const table = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('## Project layout'));
    const listed = [...table.matchAll(/^\| (`[A-Z_]+`(?:, `[A-Z_]+`)*) \|/gm)].flatMap((m) => [...m[1]!.matchAll(/`([A-Z_]+)`/g)].map((v) => v[1]!));
    expect(listed).toContain('NO_COLOR');
    const example = readFileSync(join(root, '.env.example'), 'utf8');
    const documented = [...example.matchAll(/^([A-Z_]+)=/gm)].map((m) => m[1]!);
    expect([...documented].sort()).toEqual([...listed].sort());
  });
});

/**
 * The console on a pseudo-terminal of 100 columns (util-linux `script`), as a person at a terminal
 * sees it: the question typed at the first prompt, the reply up to the next prompt. The question
 * is typed only once the prompt is shown, and Ctrl+D only once the reply is done: no timing.
 */
function consoleOnTerminal(question: string): Promise<string> {
  const command = `stty cols 100 rows 50; ${JSON.stringify(process.execPath)} ${JSON.stringify(built('src/main.js'))}`;
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', DATA_DIR: freshDir('cited-data-'), DISCORD_TOKEN: undefined, CORPUS_DIR: undefined };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
  const child = spawn('script', ['-qec', command, '/dev/null'], { cwd: freshDir('cited-cwd-'), env, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let typed = false;
  let ended = false;
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    out += d;
    const prompts = out.split('cited> ').length - 1;
    if (prompts >= 1 && !typed) {
      typed = true;
      child.stdin.write(`${question}\r`);
    }
    if (prompts >= 2 && !ended) {
      ended = true;
      child.stdin.write('\x04');
    }
  });
  return new Promise((resolve) =>
    child.on('close', () => {
      // The terminal's line endings and readline's cursor codes are the terminal's, not Cited's.
      const text = out.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '').replace(/\r+\n/g, '\n');
      const from = text.indexOf('cited> ');
      resolve(text.slice(from, text.indexOf('cited> ', from + 1)).trimEnd());
    }),
  );
}
