/**
 * A server's own articles (src/local-libraries.ts) through the Library: searched beside the shared
 * corpus for that server only, scored exactly as one index over both, kept across a restart, and
 * following a merge of the shared index.
 */
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCited, type Cited } from '../src/cited.js';
import { isCitedError } from '../src/core/errors.js';
import { Library } from '../src/library.js';
import { freshDir, tempCorpus } from './helpers.js';

const A = '111111111111111111';
const B = '222222222222222222';
const BRIEFING =
  '---\ntitle: Harbour briefing\noutlet: Port Gazette\ndate: 2026-11-30\n---\nThe harbour master said 42 trawlers were stranded by the ice on Tuesday.\n\nShe added that icebreakers from Tallinn would arrive within a week.\n';
const bytes = (text: string) => new Uint8Array(Buffer.from(text));
const QUESTIONS = ['How many trawlers were stranded?', 'icebreakers from Tallinn', 'How many troops has Russia amassed?', 'Lugansk explosions', 'harbour ice'];

async function open(data = freshDir('cited-local-'), shared = tempCorpus({}, true)) {
  const notes: string[] = [];
  const library = await Library.open({ corpusDir: shared, snapshot: join(data, 'index.snapshot'), onNote: (m) => notes.push(m) }, join(data, 'removed'), { serversDir: join(data, 'servers'), mergeAfterMs: 3_600_000 });
  return { library, data, shared, notes };
}

const quoted = (cited: Cited, question: string) => JSON.stringify(cited.ask(question));

describe("a server's own articles", () => {
  it('are quoted, listed and counted in that server only', async () => {
    const { library } = await open();
    const article = await library.addLocal(A, 'briefing.txt', bytes(BRIEFING));
    expect(article.id).toBe('local.briefing');
    const a = library.forServer(A);
    const b = library.forServer(B);
    expect(a.ask('How many trawlers were stranded by the ice?').excerpts[0]!.text).toContain('42 trawlers were stranded');
    expect(a.articles.map((x) => x.id)).toContain('local.briefing');
    expect(a.article('local.briefing')?.outlet).toBe('Port Gazette');
    expect(a.figures('trawlers').groups.flatMap((g) => g.figures.map((f) => f.value))).toContain(42);
    // Server B, direct messages and the shared index know nothing of it, by any path.
    for (const other of [b, library.forServer('dm'), library.current]) {
      expect(quoted(other, 'How many trawlers were stranded by the ice?')).not.toContain('42 trawlers');
      expect(other.article('local.briefing')).toBeUndefined();
      expect(other.articles.some((x) => x.id.startsWith('local.'))).toBe(false);
      expect(other.figures('trawlers').groups).toEqual([]);
      expect(JSON.stringify(other.figureSubjects())).not.toContain('trawler');
      expect(other.sentence(a.ask('trawlers stranded').excerpts[0]!.sentenceIds[0]!)).toBeUndefined();
    }
    // The shared articles are still there for A, with the shared count plus its own.
    expect(a.sentenceCount).toBe(library.current.sentenceCount + 2);
    expect(a.ask('How many troops has Russia amassed?').excerpts.length).toBeGreaterThan(0);
    library.close();
  });

  it('are scored exactly as one index over the shared corpus and them', async () => {
    const { library } = await open();
    await library.addLocal(A, 'briefing.txt', bytes(BRIEFING));
    // One corpus holding both (the article under a shared name): the same sentences, the same scores.
    const together = await createCited({ corpusDir: tempCorpus({ 'briefing.txt': BRIEFING }, true) });
    const view = library.forServer(A);
    const key = (id: string, text: string) => `${id.replace(/^local\./, '')}:${text}`;
    for (const question of QUESTIONS) {
      const want = new Map(together.search(question, 50).hits.map((h) => [key(h.sentence.articleId, h.sentence.text), h.score]));
      const got = new Map(view.search(question, 50).hits.map((h) => [key(h.sentence.articleId, h.sentence.text), h.score]));
      expect([...got.keys()].sort(), question).toEqual([...want.keys()].sort());
      for (const [k, score] of want) expect(got.get(k), `${question}: ${k}`).toBeCloseTo(score, 9);
    }
    library.close();
  });

  it('are removed by their own server only, and are never quoted again', async () => {
    const { library } = await open();
    await library.addLocal(A, 'briefing.txt', bytes(BRIEFING));
    const fromB = await library.remove('local.briefing', B).catch((e: unknown) => e);
    expect(isCitedError(fromB) && fromB.code).toBe('UNKNOWN_SOURCE');
    const noServer = await library.remove('local.briefing').catch((e: unknown) => e);
    expect(isCitedError(noServer) && noServer.code).toBe('UNKNOWN_SOURCE');
    expect(library.forServer(A).article('local.briefing')).toBeDefined();
    await library.remove('local.briefing', A);
    const a = library.forServer(A);
    expect(a.article('local.briefing')).toBeUndefined();
    expect(quoted(a, 'How many trawlers were stranded by the ice?')).not.toContain('42 trawlers');
    expect(a.sentenceCount).toBe(library.current.sentenceCount);
    library.close();
  });

  it('refuse what is not a server, a duplicate name, and a shared article named like one', async () => {
    const { library } = await open();
    for (const place of ['dm', 'console', '../etc']) {
      const refused = await library.addLocal(place, 'briefing.txt', bytes(BRIEFING)).catch((e: unknown) => e);
      expect(isCitedError(refused) && refused.code, place).toBe('NO_SERVER_LIBRARY');
    }
    await library.addLocal(A, 'briefing.txt', bytes(BRIEFING));
    const twice = await library.addLocal(A, 'briefing.txt', bytes(BRIEFING)).catch((e: unknown) => e);
    expect(isCitedError(twice) && twice.code).toBe('SOURCE_EXISTS');
    // Server B may keep an article of the same name: the two never meet.
    expect((await library.addLocal(B, 'briefing.txt', bytes(BRIEFING.replace('42', '43')))).id).toBe('local.briefing');
    expect(library.forServer(B).ask('How many trawlers were stranded?').excerpts[0]!.text).toContain('43 trawlers');
    expect(library.forServer(A).ask('How many trawlers were stranded?').excerpts[0]!.text).toContain('42 trawlers');
    const shared = await library.add('local.notes.txt', bytes(BRIEFING)).catch((e: unknown) => e);
    expect(isCitedError(shared) && shared.code).toBe('BAD_ARTICLE_FILE');
    expect(String(shared)).toMatch(/kept for servers' own articles/);
    library.close();
  });

  it('a shared corpus folder never reads a file named local.*', async () => {
    const warnings: string[] = [];
    const cited = await createCited({ corpusDir: tempCorpus({ 'local.sneaky.txt': BRIEFING }, true), onWarning: (w) => warnings.push(`${w.file}: ${w.message}`) });
    expect(cited.article('local.sneaky')).toBeUndefined();
    expect(warnings).toContain("local.sneaky.txt: skipped: names beginning with local. are kept for servers' own articles; rename the file");
  });

  it('are read back at a restart from what was saved, and indexed again when the folder changed by hand', async () => {
    const first = await open();
    await first.library.addLocal(A, 'briefing.txt', bytes(BRIEFING));
    first.library.close();
    expect(readdirSync(join(first.data, 'servers')).some((f) => f.startsWith(`${A}.index.segment-`))).toBe(true);
    const again = await open(first.data, first.shared);
    expect(again.library.forServer(A).ask('How many trawlers were stranded?').excerpts[0]!.text).toContain('42 trawlers');
    expect(again.notes.some((n) => n.includes(`server ${A}`))).toBe(false);
    again.library.close();
    // A file put in the folder by hand: the saved index no longer accounts for it, so the server is indexed again.
    writeFileSync(join(first.data, 'servers', A, 'local.extra.txt'), 'The ferry to Helsinki was cancelled for the third day running.\n');
    const third = await open(first.data, first.shared);
    const a = third.library.forServer(A);
    expect(a.article('local.extra')).toBeDefined();
    expect(a.article('local.briefing')).toBeDefined();
    expect(a.ask('Why was the ferry to Helsinki cancelled?').excerpts[0]!.text).toContain('ferry to Helsinki');
    third.library.close();
  });

  it('follow a merge of the shared index (its new spellings), and stay removed across a restart', async () => {
    const { library, data, shared } = await open();
    await library.addLocal(A, 'briefing.txt', bytes(BRIEFING));
    await library.addLocal(A, 'ferry.txt', bytes('The ferry to Helsinki was cancelled for the third day running.\n'));
    await library.remove('local.ferry', A);
    await library.add('geneva.txt', bytes('Negotiators met in Geneva on Friday to discuss a ceasefire.\n'));
    const before = library.current;
    await library.merge();
    expect(library.current).not.toBe(before);
    expect(library.current.vocabulary).not.toBe(before.vocabulary);
    const a = library.forServer(A);
    expect(a.ask('How many trawlers were stranded?').excerpts[0]!.text).toContain('42 trawlers');
    expect(a.ask('Where did negotiators discuss a ceasefire?').excerpts[0]!.text).toContain('Geneva');
    expect(a.article('local.ferry')).toBeUndefined();
    library.close();
    const restarted = await open(data, shared);
    expect(restarted.library.forServer(A).article('local.ferry')).toBeUndefined();
    expect(restarted.library.forServer(A).article('local.briefing')).toBeDefined();
    expect(existsSync(join(data, 'removed', 'servers', A))).toBe(true);
    restarted.library.close();
  });

  it('with many additions, a server is indexed again as one segment', async () => {
    const { library } = await open();
    for (let i = 0; i < 10; i++) await library.addLocal(A, `note-${i}.txt`, bytes(`Inspectors counted ${100 + i} containers at pier ${i} on Monday.\n`));
    const a = library.forServer(A);
    expect(a.segments).toBeLessThanOrEqual(library.current.segments + 8);
    expect(a.articles.filter((x) => x.id.startsWith('local.'))).toHaveLength(10);
    expect(a.ask('How many containers were counted at pier 7?').excerpts[0]!.text).toContain('107 containers');
    library.close();
  });
});
