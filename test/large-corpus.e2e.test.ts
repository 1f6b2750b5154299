import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freshDir, runScript } from './helpers.js';
import { generate } from './bench/generate.js';

describe('a large corpus (real process, small heap)', () => {
  it('is indexed as it is analysed: 50,000 sentences load and answer within a 128 MB heap', async () => {
    // Holding every token of the corpus at once took more than 192 MB here; streaming them into the index takes under 100.
    const { sentences } = generate(50_000, { questions: 0 });
    const dir = freshDir('cited-large-corpus-');
    for (let a = 0; a * 50 < sentences.length; a++) {
      writeFileSync(join(dir, `a${String(a).padStart(4, '0')}.txt`), `Article ${a}\n\n${sentences.slice(a * 50, a * 50 + 50).join('\n')}\n`);
    }
    const wanted = sentences[31_337]!;
    const run = await runScript('src/cli/ask.js', ['--json', wanted.slice(0, -1)], { env: { CORPUS_DIR: dir, NODE_OPTIONS: '--max-old-space-size=128' } });
    expect(run.stderr).not.toMatch(/heap out of memory/);
    expect(run.code).toBe(0);
    const answer = JSON.parse(run.stdout) as { abstained: boolean; excerpts: { text: string; sources: { id: string }[] }[] };
    expect(answer.abstained).toBe(false);
    expect(answer.excerpts[0]!.text).toContain(wanted.slice(0, 40));
    expect(answer.excerpts[0]!.sources[0]!.id).toBe('a0626');
  }, 120_000);
});
