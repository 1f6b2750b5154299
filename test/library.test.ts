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
import { freshDir, tempCorpus } from './helpers.js';

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

/** Runs `change` and counts the event loop's turns until it settles: none when it ran in one go on this thread. */
async function turnsDuring<T>(change: () => Promise<T>): Promise<{ result: T; turns: number }> {
  let turns = 0;
  let done = false;
  const spin = () => {
    if (done) return;
    turns++;
    setImmediate(spin);
  };
  setImmediate(spin);
  try {
    return { result: await change(), turns };
  } finally {
    done = true;
  }
}

describe('rebuilding the index off the main thread', () => {
  it('adds an article while the event loop keeps turning, then searches it; the snapshot it wrote is current', async () => {
    const { library, corpusDir, snapshot, notes } = await open();
    const { result: article, turns } = await turnsDuring(() => library.add('geneva.txt', bytes(GENEVA)));
    expect(article).toMatchObject({ id: 'geneva', file: 'geneva.txt' });
    // The worker loads the language model and analyses while this thread is free: it turns many times.
    expect(turns).toBeGreaterThan(10);
    expect(notes).toEqual([expect.stringMatching(/^index rebuilt: \d+ ms off the main thread, then \d+ ms on it to open \(\d+ sentences\)$/)]);
    expect(library.current.ask('Where did negotiators discuss a ceasefire?').excerpts[0]!.text).toBe(GENEVA.trim());
    expect(library.current.loadedFrom).toBe('snapshot');
    expect((await createCited({ corpusDir, snapshot })).loadedFrom).toBe('snapshot');
  });

  it('without a compiled worker, rebuilds on this thread (the event loop waits) and says so', async () => {
    const { library, notes } = await open({ script: null });
    const { result: article, turns } = await turnsDuring(() => library.add('geneva.txt', bytes(GENEVA)));
    expect(article.id).toBe('geneva');
    expect(turns).toBe(0);
    expect(notes[0]).toBe('index rebuilt on the main thread: no compiled rebuild worker (run `npm run build`)');
    expect(library.current.ask('Where did negotiators discuss a ceasefire?').excerpts[0]!.text).toBe(GENEVA.trim());
  });

  it('removes an article off the main thread too', async () => {
    const { library } = await open();
    const { result: removed, turns } = await turnsDuring(() => library.remove('000_138185aca57c1631'));
    expect(removed.id).toBe('000_138185aca57c1631');
    expect(turns).toBeGreaterThan(10);
    expect(library.current.article('000_138185aca57c1631')).toBeUndefined();
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

  it('an add whose rebuild fails: the file is taken out again, the index in use is unchanged', async () => {
    const { library, corpusDir } = await open({ script: failing() });
    const before = readdirSync(corpusDir).sort();
    await expect(library.add('geneva.txt', bytes(GENEVA))).rejects.toThrow('the index rebuild worker failed: the worker ran out of memory');
    expect(readdirSync(corpusDir).sort()).toEqual(before);
    expect(library.current.article('geneva')).toBeUndefined();
    expect(library.current.articles).toHaveLength(5);
  });

  it('a remove whose rebuild fails: the file is put back and still quoted', async () => {
    const { library, corpusDir } = await open({ script: failing() });
    const before = readdirSync(corpusDir).sort();
    await expect(library.remove('000_138185aca57c1631')).rejects.toThrow(/worker failed/);
    expect(readdirSync(corpusDir).sort()).toEqual(before);
    expect(library.current.article('000_138185aca57c1631')).toBeDefined();
  });

  it('a file of punctuation only is refused as having nothing to quote; it goes to the removed folder, and the snapshot on disk stays current', async () => {
    const { library, corpusDir, snapshot, removedDir } = await open();
    const before = readdirSync(corpusDir).sort();
    const error = await library.add('shouting.txt', bytes('!!! ... ???\n')).catch((e: unknown) => e);
    expect(isCitedError(error) && error.message).toBe('shouting.txt was not added: it has no sentences that could be quoted.');
    expect(readdirSync(corpusDir).sort()).toEqual(before);
    expect(readdirSync(removedDir)).toEqual([expect.stringMatching(/^\d+-shouting\.txt$/)]);
    expect((await createCited({ corpusDir, snapshot })).loadedFrom).toBe('snapshot');
  });

  it('changes are made one at a time: two adds at once both land', async () => {
    const { library } = await open();
    const [a, b] = await Promise.all([library.add('one.txt', bytes(GENEVA)), library.add('two.txt', bytes('Shelling hit the water station in Donetsk.\n'))]);
    expect([a.id, b.id]).toEqual(['one', 'two']);
    expect(library.current.article('one')).toBeDefined();
    expect(library.current.article('two')).toBeDefined();
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
