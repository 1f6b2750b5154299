/**
 * The index as segments (search/segments.ts): an article added while running is indexed on its
 * own and searched with the rest, and every score is exactly what one index over everything gives.
 */
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCited, indexFiles, type Cited } from '../src/cited.js';
import { corpusDir, tempCorpus } from './helpers.js';

const QUESTIONS = [
  'How many troops has Russia amassed?',
  'Lugansk explosions',
  'What did Peskov say about the letters?',
  'Kiev ceasefire talks in Geneva',
  'state of emergency',
  'Who visited Zelensky?',
  'How many residents fled?',
  'drones and anti-tank weapons',
];
const EXTRA = {
  'zz-geneva.txt': '---\ntitle: Talks resume in Geneva\ndate: 2026-11-20\n---\nNegotiators from both sides met in Geneva on Friday to discuss a ceasefire along the contact line.\n\nPeskov said the Kremlin would study the proposal and that 150,000 troops would stay near the border.\n\nHe added that the talks in Geneva could resume next week.\n',
  'zz-drones.txt': 'Ukraine received drones and anti-tank weapons from its allies, officials said.\n\nThe Ukrainian army now fields more than 200,000 troops, the ministry said.\n',
};

/** Every hit's score by sentence id. */
function scores(cited: Cited, question: string): Map<string, number> {
  return new Map(cited.search(question, 50).hits.map((h) => [h.sentence.id, h.score]));
}

describe('an article added as a segment', () => {
  it('is searched with the rest, and every score equals a full rebuild’s', async () => {
    const everything = tempCorpus(EXTRA, true);
    const base = mkdtempSync(join(tmpdir(), 'cited-base-'));
    for (const file of readdirSync(corpusDir)) cpSync(join(corpusDir, file), join(base, file));
    const rebuilt = await createCited({ corpusDir: everything });
    let running = await createCited({ corpusDir: base });
    // Added one at a time, as moderators would: two segments beside the main index.
    for (const file of Object.keys(EXTRA)) {
      cpSync(join(everything, file), join(base, file));
      const added = await indexFiles({ corpusDir: base }, [file]);
      running = await running.withArticles(added);
    }
    expect(running.segments).toBe(3);
    expect(running.sentenceCount).toBe(rebuilt.sentenceCount);
    expect(running.articles.map((a) => a.id).sort()).toEqual(rebuilt.articles.map((a) => a.id).sort());
    for (const question of QUESTIONS) {
      const want = scores(rebuilt, question);
      const got = scores(running, question);
      expect([...got.keys()].sort(), question).toEqual([...want.keys()].sort());
      for (const [id, score] of want) expect(got.get(id), `${question}: ${id}`).toBeCloseTo(score, 9);
    }
    // What the new articles say is quoted, with its context (the pronoun's sentence before).
    expect(running.ask('Did Peskov say the Geneva talks could resume?').excerpts[0]!.text).toContain('He added that the talks in Geneva could resume next week.');
    expect(running.figures('troops').groups.flatMap((g) => g.figures.map((f) => f.value))).toEqual(expect.arrayContaining([200000]));
    rmSync(base, { recursive: true, force: true });
  });

  it('an article removed is never quoted again, at once', async () => {
    const cited = await createCited({ corpusDir: tempCorpus(EXTRA, true) });
    expect(JSON.stringify(cited.ask('Negotiators met in Geneva to discuss a ceasefire').excerpts)).toContain('Negotiators from both sides');
    const without = cited.withoutArticles(['zz-geneva']);
    expect(without.article('zz-geneva')).toBeUndefined();
    expect(JSON.stringify(without.ask('Negotiators met in Geneva to discuss a ceasefire'))).not.toContain('Negotiators from both sides');
    expect(without.search('Negotiators Geneva ceasefire', 50).hits.some((h) => h.sentence.articleId === 'zz-geneva')).toBe(false);
    expect(without.sentenceCount).toBe(cited.sentenceCount - 3);
    expect(without.figures('troops').groups.flatMap((g) => g.figures).some((f) => f.source.articleId === 'zz-geneva')).toBe(false);
  });
});
