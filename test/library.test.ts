/**
 * The Library (src/library.ts) over a real corpus folder: the index is rebuilt on a real worker
 * thread (the compiled dist/src/rebuild/worker.js, which `npm test` builds first), a failed change
 * leaves the folder as it was, and uploaded file names become ids every part of Cited accepts.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCited } from '../src/cited.js';
import { isCitedError } from '../src/core/errors.js';
import { Library } from '../src/library.js';
import { rebuildIndex } from '../src/rebuild/rebuild.js';
import { parseFormId } from '../src/discord/custom-ids.js';
import { freshDir, tempCorpus, turnsDuring } from './helpers.js';

const GENEVA = 'Negotiators met in Geneva on Friday to discuss a ceasefire.\n';
const bytes = (text: string) => new Uint8Array(Buffer.from(text));

async function open(rebuild: Parameters<typeof Library.open>[2] = {}) {
  const corpusDir = tempCorpus({}, true);
  const data = freshDir('cited-library-');
  const notes: string[] = [];
  const snapshot = join(data, 'index.snapshot');
  const library = await Library.open({ corpusDir, snapshot, onNote: (m) => notes.push(m) }, join(data, 'removed'), rebuild);
  return { library, corpusDir, snapshot, removedDir: join(data, 'removed'), notes };
}

describe('adding and removing while running: segments off the main thread, merged later', () => {
  it('adds an article as a segment indexed on a worker while the event loop keeps turning; a restart finds it from the saved changes', async () => {
    const { library, corpusDir, snapshot, notes } = await open();
    const { result: article, turns } = await turnsDuring(() => library.add('geneva.txt', bytes(GENEVA)));
    expect(article).toMatchObject({ id: 'geneva', file: 'geneva.txt' });
    // The worker loads the language model and analyses while this thread is free: it turns many times.
    expect(turns).toBeGreaterThan(10);
    expect(notes).toEqual([expect.stringMatching(/^article geneva added: \d+ ms off the main thread, then \d+ ms on it \(2 segments\)$/)]);
    expect(library.current.segments).toBe(2);
    expect(library.current.ask('Where did negotiators discuss a ceasefire?').excerpts[0]!.text).toBe(GENEVA.trim());
    // The main snapshot was not rewritten: the segment and the change list beside it bring a restart up to date.
    const restarted = await createCited({ corpusDir, snapshot });
    expect(restarted.loadedFrom).toBe('snapshot');
    expect(restarted.segments).toBe(2);
    expect(restarted.ask('Where did negotiators discuss a ceasefire?').excerpts[0]!.text).toBe(GENEVA.trim());
    library.close();
  });

  it('without a compiled worker, indexes the article on this thread and says so', async () => {
    const { library, notes } = await open({ script: null });
    const article = await library.add('geneva.txt', bytes(GENEVA));
    expect(article.id).toBe('geneva');
    // (Turns of the event loop are no measure here: saving the segment reads and writes files
    // asynchronously, and how many turns that takes depends on how busy the machine is.)
    expect(notes[0]).toBe('added articles indexed on the main thread: no compiled rebuild worker (run `npm run build`)');
    expect(library.current.ask('Where did negotiators discuss a ceasefire?').excerpts[0]!.text).toBe(GENEVA.trim());
    library.close();
  });

  it('removes an article at once — no rebuild waits — and a restart keeps it removed', async () => {
    const { library, corpusDir, snapshot } = await open();
    const removed = await library.remove('000_138185aca57c1631');
    expect(removed.id).toBe('000_138185aca57c1631');
    expect(library.current.article('000_138185aca57c1631')).toBeUndefined();
    expect(JSON.stringify(library.current.ask('How many troops has Russia amassed?'))).not.toContain('Western capitals say');
    const restarted = await createCited({ corpusDir, snapshot });
    expect(restarted.loadedFrom).toBe('snapshot');
    expect(restarted.article('000_138185aca57c1631')).toBeUndefined();
    library.close();
  });

  it('a merge folds the segments back into one index off the main thread, with the same answers; a restart reads the merged snapshot alone', async () => {
    const { library, corpusDir, snapshot, notes } = await open();
    await library.add('geneva.txt', bytes(GENEVA));
    await library.remove('003_67a18a0e446c63d1');
    const before = library.current.ask('Where did negotiators discuss a ceasefire?').excerpts[0]!.text;
    const { turns } = await turnsDuring(() => library.merge());
    expect(turns).toBeGreaterThan(10);
    expect(library.current.segments).toBe(1);
    expect(notes.at(-1)).toMatch(/^index merged: \d+ ms off the main thread, then \d+ ms on it \(\d+ sentences, 1 segments\)$/);
    expect(library.current.ask('Where did negotiators discuss a ceasefire?').excerpts[0]!.text).toBe(before);
    expect(library.current.article('003_67a18a0e446c63d1')).toBeUndefined();
    const restarted = await createCited({ corpusDir, snapshot });
    expect([restarted.loadedFrom, restarted.segments]).toEqual(['snapshot', 1]);
    expect(restarted.article('geneva')).toBeDefined();
    library.close();
  });

  it('changes made while a merge runs are applied on top of it', async () => {
    const { library } = await open();
    await library.add('geneva.txt', bytes(GENEVA));
    const merging = library.merge();
    await library.add('donetsk.txt', bytes('Shelling hit the water station in Donetsk.\n'));
    await library.remove('geneva');
    await merging;
    expect(library.current.article('donetsk')).toBeDefined();
    expect(library.current.article('geneva')).toBeUndefined();
    expect(library.current.ask('What did the shelling hit in Donetsk?').excerpts[0]!.text).toContain('water station');
    library.close();
  });

  it('passes an error thrown in the worker back with its code', async () => {
    const error = await rebuildIndex({ corpusDir: '/nonexistent/corpus' }, join(freshDir('cited-snap-'), 'x.snapshot')).catch((e: unknown) => e);
    expect(isCitedError(error) && error.code).toBe('CORPUS_NOT_FOUND');
  });
});

describe('a change that fails leaves the corpus as it was', () => {
  const failing = () => {
    const script = join(freshDir('cited-worker-'), 'failing-worker.mjs');
    writeFileSync(script, "throw new Error('the worker ran out of memory');\n");
    return script;
  };

  it('an add whose indexing fails: the file is taken out again, the index in use is unchanged', async () => {
    const { library, corpusDir } = await open({ script: failing() });
    const before = readdirSync(corpusDir).sort();
    await expect(library.add('geneva.txt', bytes(GENEVA))).rejects.toThrow('the index rebuild worker failed: the worker ran out of memory');
    expect(readdirSync(corpusDir).sort()).toEqual(before);
    expect(library.current.article('geneva')).toBeUndefined();
    expect(library.current.articles).toHaveLength(5);
    library.close();
  });

  it('a merge that fails leaves the index in use as it was, and says so', async () => {
    const { library, notes } = await open({ script: failing() });
    await library.remove('000_138185aca57c1631');
    await library.merge();
    expect(notes.at(-1)).toMatch(/^index merge failed, the index in use is unchanged: the index rebuild worker failed/);
    expect(library.current.article('000_138185aca57c1631')).toBeUndefined();
    expect(library.current.articles).toHaveLength(4);
    library.close();
  });

  it('a file of punctuation only is refused as having nothing to quote; it goes to the removed folder, and the snapshot on disk stays current', async () => {
    const { library, corpusDir, snapshot, removedDir } = await open();
    const before = readdirSync(corpusDir).sort();
    const error = await library.add('shouting.txt', bytes('!!! ... ???\n')).catch((e: unknown) => e);
    expect(isCitedError(error) && error.message).toBe('shouting.txt was not added: it has no sentences that could be quoted.');
    expect(readdirSync(corpusDir).sort()).toEqual(before);
    expect(readdirSync(removedDir)).toEqual([expect.stringMatching(/^\d+-shouting\.txt$/)]);
    expect((await createCited({ corpusDir, snapshot })).loadedFrom).toBe('snapshot');
    library.close();
  });

  it('changes are made one at a time: two adds at once both land', async () => {
    const { library } = await open();
    const [a, b] = await Promise.all([library.add('one.txt', bytes(GENEVA)), library.add('two.txt', bytes('Shelling hit the water station in Donetsk.\n'))]);
    expect([a.id, b.id]).toEqual(['one', 'two']);
    expect(library.current.article('one')).toBeDefined();
    expect(library.current.article('two')).toBeDefined();
    library.close();
  });
});

describe('file names become article ids', () => {
  it('a 246-character name is added under an id of 80 characters (hash-suffixed), which the loader and custom ids accept', async () => {
    const { library, corpusDir, snapshot } = await open();
    const long = `${'ukraine-border-troops-'.repeat(10)}geneva-talks-round-one.txt`;
    expect(long).toHaveLength(246);
    const article = await library.add(long, bytes(GENEVA));
    expect(article.id).toHaveLength(80);
    expect(article.id).toMatch(/^ukraine-border-troops-.*-[0-9a-f]{10}$/);
    expect(article.file).toBe(`${article.id}.txt`);
    expect(existsSync(join(corpusDir, article.file))).toBe(true);
    expect(readdirSync(corpusDir).some((f) => f.startsWith('.incoming'))).toBe(false);
    // Another long name with the same beginning gets another id.
    const other = await library.add(long.replace('talks', 'peace'), bytes('Shelling hit the water station in Donetsk.\n'));
    expect(other.id).not.toBe(article.id);
    expect(other.id).toHaveLength(80);
    // A restart (the loader: id = file name without .txt) finds the same ids.
    const reloaded = await createCited({ corpusDir, snapshot: `${snapshot}.other` });
    expect(reloaded.article(article.id)).toBeDefined();
    expect(parseFormId(`sups:123456789012:${article.id}`)).toEqual({ kind: 'suppress-source', reportId: 123456789012, articleId: article.id });
    expect(`sups:123456789012:${article.id}`.length).toBeLessThanOrEqual(100);
  });

  it('names in other scripts keep their letters and stay apart; a name without letters gets an id from the content', async () => {
    const { library, corpusDir } = await open();
    const news = await library.add('новости.txt', bytes(GENEVA));
    const report = await library.add('報道.txt', bytes('Shelling hit the water station in Donetsk.\n'));
    const spaced = await library.add('Ukraine talks #2 (draft).TXT', bytes('Talks resumed in Minsk on Monday.\n'));
    const symbols = await library.add('!!!.txt', bytes('A ceasefire was agreed in Istanbul.\n'));
    expect([news.id, report.id, spaced.id]).toEqual(['новости', '報道', 'Ukraine_talks_2_draft_']);
    expect(symbols.id).toMatch(/^article-[0-9a-f]{10}$/);
    const reloaded = await createCited({ corpusDir });
    for (const article of [news, report, spaced, symbols]) {
      expect(reloaded.article(article.id)?.file).toBe(article.file);
      expect(parseFormId(`sups:1:${article.id}`)).toMatchObject({ articleId: article.id });
    }
  });

  it('an id already in the corpus is refused, and so is the spelling-variant file', async () => {
    const { library } = await open();
    await expect(library.add('000_138185aca57c1631.txt', bytes(GENEVA))).rejects.toThrow('An article with the id "000_138185aca57c1631" is already in the corpus');
    await expect(library.add('aliases.txt', bytes(GENEVA))).rejects.toThrow('aliases.txt was not added: aliases.txt is the spelling-variant file, not an article; rename the file.');
    await expect(library.add('notes.md', bytes(GENEVA))).rejects.toThrow('notes.md was not added: only .txt files can be added as articles.');
  });
});
