import { describe, expect, it } from 'vitest';
import { appendFileSync, readFileSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCited } from '../src/cited.js';
import { freshDir, tempCorpus } from './helpers.js';

const questions = ['How many troops has Russia amassed?', 'Kiev', 'What is the capital of Australia?', 'What did the OSCE report?', 'Lugansk explosions'];
const answers = (cited: Awaited<ReturnType<typeof createCited>>) => questions.map((q) => cited.ask(q));

describe('the index snapshot', () => {
  it('is written on the first start and read on the next, giving the same answers and figures', async () => {
    const corpusDir = tempCorpus({}, true);
    const snapshot = join(freshDir('cited-snap-'), 'index.snapshot');
    const notes: string[] = [];
    const first = await createCited({ corpusDir, snapshot, onNote: (m) => notes.push(m) });
    expect(first.loadedFrom).toBe('corpus');
    const second = await createCited({ corpusDir, snapshot, onNote: (m) => notes.push(m) });
    expect(second.loadedFrom).toBe('snapshot');
    expect(notes).toEqual([]);
    expect(answers(second)).toEqual(answers(first));
    expect(second.figures('troops')).toEqual(first.figures('troops'));
    expect(second.articles).toEqual(first.articles);
    expect(second.sentenceCount).toBe(first.sentenceCount);
  });

  it('is rebuilt when the corpus changes (stale)', async () => {
    const corpusDir = tempCorpus({}, true);
    const snapshot = join(freshDir('cited-snap-'), 'index.snapshot');
    await createCited({ corpusDir, snapshot });
    const file = join(corpusDir, '002_61b0604fa2a801b5.txt');
    appendFileSync(file, 'Negotiators met in Geneva to discuss a ceasefire.\n');
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    const notes: string[] = [];
    const again = await createCited({ corpusDir, snapshot, onNote: (m) => notes.push(m) });
    expect(again.loadedFrom).toBe('corpus');
    expect(notes).toEqual(['index snapshot not used: stale (the corpus or the options changed); rebuilding it']);
    expect(again.ask('Where did negotiators discuss a ceasefire?').excerpts[0]!.text).toBe('Negotiators met in Geneva to discuss a ceasefire.');
    expect((await createCited({ corpusDir, snapshot })).loadedFrom).toBe('snapshot');
  });

  it('is rebuilt when it is corrupt, and loading never fails because of it', async () => {
    const corpusDir = tempCorpus({}, true);
    const snapshot = join(freshDir('cited-snap-'), 'index.snapshot');
    const reference = answers(await createCited({ corpusDir, snapshot }));
    const bytes = readFileSync(snapshot);
    bytes[bytes.length - 10] = bytes[bytes.length - 10]! ^ 0xff;
    writeFileSync(snapshot, bytes);
    const notes: string[] = [];
    const repaired = await createCited({ corpusDir, snapshot, onNote: (m) => notes.push(m) });
    expect(notes).toEqual(['index snapshot not used: corrupt (checksum mismatch); rebuilding it']);
    expect(answers(repaired)).toEqual(reference);
    writeFileSync(snapshot, 'not a snapshot at all');
    const notes2: string[] = [];
    expect((await createCited({ corpusDir, snapshot, onNote: (m) => notes2.push(m) })).loadedFrom).toBe('corpus');
    expect(notes2[0]).toMatch(/not a snapshot of this format/);
    expect((await createCited({ corpusDir, snapshot })).loadedFrom).toBe('snapshot');
  });

  it('is rebuilt when it was cut short (a torn write)', async () => {
    const corpusDir = tempCorpus({}, true);
    const snapshot = join(freshDir('cited-snap-'), 'index.snapshot');
    const reference = answers(await createCited({ corpusDir, snapshot }));
    truncateSync(snapshot, readFileSync(snapshot).length - 100);
    const notes: string[] = [];
    const again = await createCited({ corpusDir, snapshot, onNote: (m) => notes.push(m) });
    expect(notes).toEqual(['index snapshot not used: corrupt (truncated); rebuilding it']);
    expect(again.loadedFrom).toBe('corpus');
    expect(answers(again)).toEqual(reference);
  });

  it('is rebuilt when it lacks an array (written by another build of the same format)', async () => {
    const corpusDir = tempCorpus({}, true);
    const snapshot = join(freshDir('cited-snap-'), 'index.snapshot');
    const reference = answers(await createCited({ corpusDir, snapshot }));
    // The header names each array; renaming one (same length, so the layout and checksum hold) hides it.
    const bytes = readFileSync(snapshot);
    const at = bytes.indexOf('"name":"refersBack"');
    expect(at).toBeGreaterThan(0);
    bytes.write('"name":"refersBacX"', at);
    writeFileSync(snapshot, bytes);
    const notes: string[] = [];
    const again = await createCited({ corpusDir, snapshot, onNote: (m) => notes.push(m) });
    expect(notes).toEqual(['index snapshot not used: unreadable (arrays missing: refersBack); rebuilding it']);
    expect(again.loadedFrom).toBe('corpus');
    expect(answers(again)).toEqual(reference);
  });

  it('gives back texts in any script exactly, with every sentence where it was', async () => {
    const corpusDir = tempCorpus(
      {
        'zz_scripts.txt':
          'Title: Überblick: Zürich, Kyiv and 北京\n\nThe mayor of Zürich met envoys in Kyiv. 🙂 Talks in 北京 ended on Tuesday.\nA second paragraph — with “quotes” and an em dash — closes the article.\n',
      },
      true,
    );
    const snapshot = join(freshDir('cited-snap-'), 'index.snapshot');
    const first = await createCited({ corpusDir, snapshot });
    const second = await createCited({ corpusDir, snapshot });
    expect(second.loadedFrom).toBe('snapshot');
    expect(second.articles).toEqual(first.articles);
    for (const article of second.articles) for (const s of article.sentences) expect(article.text.slice(s.start, s.end)).toBe(s.text);
    expect(second.ask('Who did the mayor of Zürich meet?').excerpts[0]!.text).toBe('The mayor of Zürich met envoys in Kyiv.');
  });

  it('that cannot be saved is reported, and Cited still works', async () => {
    const blocker = join(freshDir('cited-snap-'), 'a-file');
    writeFileSync(blocker, 'x');
    const notes: string[] = [];
    const cited = await createCited({ corpusDir: tempCorpus({}, true), snapshot: join(blocker, 'index.snapshot'), onNote: (m) => notes.push(m) });
    expect(notes[0]).toMatch(/^index snapshot not saved: /);
    expect(cited.ask('Kiev').abstained).toBe(false);
  });
});
