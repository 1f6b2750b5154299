import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { loadCorpus, type LoadOptions } from '../src/corpus/load.js';
import { defaultBoilerplate } from '../src/corpus/boilerplate.js';
import { outletFromUrl } from '../src/corpus/outlet.js';
import { corpusDir, root, tempCorpus } from './helpers.js';

const options: LoadOptions = { maxArticleBytes: 5 * 1024 * 1024, boilerplate: defaultBoilerplate };
const load = (dir = corpusDir, opts = options) => loadCorpus(dir, opts);
const bundled = await load();
const article = (id: string) => bundled.articles.find((a) => a.id.startsWith(id))!;
const quotable = (id: string) => article(id).sentences.filter((s) => !s.excluded);

describe('the bundled corpus', () => {
  // SHA-256 of the seed articles as delivered: the corpus must hold them unchanged.
  const seedHashes = [
    ['000_138185aca57c1631.txt', 'f9c3f45d3128a69868ee07c02c8b6cca7d1b4e93b97f8722bfd6c187acf37c11'],
    ['001_8b43fa19184383b1.txt', 'ccc3ada188db96f5e0c877cec308ba52ac5c5ada3b5377bcf40a9a47c3306c3f'],
    ['002_61b0604fa2a801b5.txt', 'f0a4a78223ffcab9045045c9f67ae03293c0f5c611142c5bab366359d1a15376'],
    ['003_67a18a0e446c63d1.txt', 'eb786caaf5b9cc8acc8ec7781c8406443860e2e5ba34a78f1b22991440f03a31'],
    ['004_80fcfe79319a8e65.txt', '97c5f6377b52d962b5a0d012267a276026c7d45d8bde6db325544d6d7ab0fd3c'],
  ];
  const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

  it('is the seed articles byte for byte', () => {
    expect(readdirSync(corpusDir).filter((f) => f.endsWith('.txt') && f !== 'aliases.txt').sort()).toEqual(seedHashes.map(([name]) => name));
    for (const [name, hash] of seedHashes) expect(sha256(join(corpusDir, name!))).toBe(hash);
    // Where the shared seeds sit beside the checkout (as in CI), compare with them directly too.
    const seeds = join(root, '..', 'shared', 'seeds');
    if (existsSync(seeds)) for (const [name] of seedHashes) expect(sha256(join(seeds, name!))).toBe(sha256(join(corpusDir, name!)));
  });

  it('loads all five articles without warnings', () => {
    expect(bundled.articles.map((a) => a.id)).toEqual([
      '000_138185aca57c1631',
      '001_8b43fa19184383b1',
      '002_61b0604fa2a801b5',
      '003_67a18a0e446c63d1',
      '004_80fcfe79319a8e65',
    ]);
    expect(bundled.warnings).toEqual([]);
  });
});

describe('format (a): title, YYYYMMDD date and URL lines, one paragraph a line', () => {
  it('reads the header into metadata and names the outlet from the host', () => {
    expect(article('000')).toMatchObject({
      title: 'ProRussian Leaders In Ukraine Ask Putin For Military Against Kyiv',
      date: '2022-02-23',
      url: 'https://www.ndtv.com/world-news/pro-russian-leaders-in-ukraine-ask-putin-for-military-against-kyiv-2785807',
      outlet: 'NDTV',
    });
    expect(article('001')).toMatchObject({ date: '2022-02-23', outlet: 'Newsweek' });
    expect(article('003')).toMatchObject({ date: '2022-02-21', outlet: 'Rashtranews' });
  });

  it('keeps the header out of the first sentence', () => {
    expect(article('000').sentences[0]!.text).toBe(
      'Rebel leaders in eastern Ukraine have asked Moscow for military help against Kyiv, the Kremlin announced late Wednesday, in a move that opens the door for massed Russian troops to move in.',
    );
    for (const a of bundled.articles) for (const s of a.sentences) expect(s.text).not.toMatch(/^\d{8}|https?:\/\//);
  });

  it('excludes syndication boilerplate, with the reason, even mid-article or after a sentence', () => {
    const excluded = (id: string) => article(id).sentences.filter((s) => s.excluded).map((s) => [s.excluded, s.text]);
    expect(excluded('000')).toEqual([['boilerplate', 'Except for the headline, this story has not been edited by NDTV staff and is published from a syndicated feed.']]);
    expect(excluded('003')).toEqual([
      ['boilerplate', 'News Source :Except for the headline, this story has not been edited by Rashtra News staff and is published from a www.indiatoday.in feed.'],
      ['boilerplate', 'Follow Russia Ukraine crisis LIVE Updates'],
    ]);
    // The sentence the "Follow … LIVE Updates" link was glued to is still quotable.
    expect(quotable('003').some((s) => s.text === 'Russias lower house made the same plea last week.')).toBe(true);
  });
});

describe('format (b): no header at all', () => {
  it('says unknown (null) for everything the text does not give, and quotes from the first line', () => {
    expect(article('002')).toMatchObject({ title: null, date: null, url: null, outlet: null });
    expect(article('002').sentences[0]!.text).toMatch(/^Officials in the breakaway Ukrainian region of Donetsk have called on Moscow/);
  });
});

describe('format (c): " date YYYY-MM-DD Title", blank lines, entities, a repeated caption', () => {
  it('reads date and title from the first line and leaves url and outlet unknown', () => {
    expect(article('004')).toMatchObject({
      date: '2022-02-24',
      title: "Kremlin says Ukraine rebels asked Russia's help against Kyiv",
      url: null,
      outlet: null,
    });
  });

  it('decodes HTML entities and keeps the twice-printed photo caption out of answers', () => {
    expect(article('004').text).not.toContain('&#039;');
    const captions = article('004').sentences.filter((s) => s.excluded === 'caption');
    expect(captions.map((s) => s.text)).toEqual([
      "Leonid Pasechnik (L) and Denis Pushilin, Heads of the Lugansk and Donetsk People's Republics",
      "Leonid Pasechnik (L) and Denis Pushilin, Heads of the Lugansk and Donetsk People's Republics",
    ]);
    expect(quotable('004')[0]!.text).toMatch(/^The heads of the Donetsk and Lugansk People's Republics \(DPR and LPR\)/);
  });
});

describe('sentences', () => {
  it('are verbatim slices of their article, with positions in order', () => {
    for (const a of bundled.articles) {
      a.sentences.forEach((s, i) => {
        expect(a.text.slice(s.start, s.end)).toBe(s.text);
        expect(s.position).toBe(i);
        expect(s.articleId).toBe(a.id);
        expect(s.text).toBe(s.text.trim());
      });
    }
  });

  it('keep curly quotes and scraper-stripped apostrophes as the article has them', () => {
    expect(quotable('002').some((s) => s.text.includes('“the situation isn’t just difficult, it is genuinely critical.”'))).toBe(true);
    expect(quotable('003').some((s) => s.text.includes('Ukrainian forces werent returning fire'))).toBe(true);
  });

  it('have ids that survive a reload and changes elsewhere in the corpus', async () => {
    const again = await load();
    expect(again.articles.flatMap((a) => a.sentences.map((s) => s.id))).toEqual(bundled.articles.flatMap((a) => a.sentences.map((s) => s.id)));

    const dir = tempCorpus({}, true);
    const file = join(dir, '000_138185aca57c1631.txt');
    const text = readFileSync(file, 'utf8').replace('Rebel leaders in eastern Ukraine', 'A new first line.\nRebel leaders in eastern Ukraine');
    writeFileSync(file, text);
    writeFileSync(join(dir, '0000_new.txt'), 'A brand new article about something else entirely.\n');
    const changed = await load(dir);
    const ids = new Set(changed.articles.flatMap((a) => a.sentences.map((s) => s.id)));
    for (const s of bundled.articles.flatMap((a) => a.sentences)) expect(ids.has(s.id)).toBe(true);
    expect(bundled.articles[0]!.sentences[0]!.id).toMatch(/^000_138185aca57c1631#[0-9a-f]{10}$/);
  });

  it('quote each sentence of an article once: exact repeats are excluded as duplicates', async () => {
    const dir = tempCorpus({ 'rep.txt': 'Shelling went on all night near Donetsk.\nOther news came later.\nShelling went on all night near Donetsk. Then it stopped.\n' });
    const [a] = (await load(dir)).articles;
    expect(a!.sentences.map((s) => [s.text, s.excluded ?? null])).toEqual([
      ['Shelling went on all night near Donetsk.', null],
      ['Other news came later.', null],
      ['Shelling went on all night near Donetsk.', 'duplicate'],
      ['Then it stopped.', null],
    ]);
    expect(new Set(a!.sentences.map((s) => s.id)).size).toBe(4);
  });
});

describe('metadata from sources.json and front matter', () => {
  it('sources.json supplies what the text lacks and overrides what it says', async () => {
    const dir = tempCorpus(
      {
        'sources.json': JSON.stringify({
          '002_61b0604fa2a801b5': { outlet: 'RT', date: '2022-02-21', url: 'https://www.rt.com/russia/x/' },
          '000_138185aca57c1631': { title: 'Corrected title' },
        }),
      },
      true,
    );
    const loaded = await load(dir);
    expect(loaded.warnings).toEqual([]);
    const byId = (id: string) => loaded.articles.find((a) => a.id === id)!;
    expect(byId('002_61b0604fa2a801b5')).toMatchObject({ outlet: 'RT', date: '2022-02-21', url: 'https://www.rt.com/russia/x/', title: null });
    expect(byId('002_61b0604fa2a801b5').metaOrigin.outlet).toBe('sources.json');
    expect(byId('000_138185aca57c1631')).toMatchObject({ title: 'Corrected title', outlet: 'NDTV' });
  });

  it('a broken sources.json is reported and ignored, not fatal', async () => {
    const loaded = await load(tempCorpus({ 'sources.json': '{ not json', 'a.txt': 'One sentence about Kyiv.\n' }));
    expect(loaded.articles).toHaveLength(1);
    expect(loaded.warnings).toEqual([{ file: 'sources.json', message: expect.stringMatching(/not JSON.*ignored/) }]);
  });

  it('front matter sets title, date, url and outlet', async () => {
    const loaded = await load(tempCorpus({ 'fm.txt': '---\ntitle: Talks in Geneva\ndate: 2022-03-01\nurl: https://www.bbc.co.uk/news/x\n---\nDiplomats met in Geneva.\n' }));
    expect(loaded.articles[0]).toMatchObject({ title: 'Talks in Geneva', date: '2022-03-01', url: 'https://www.bbc.co.uk/news/x', outlet: 'BBC' });
    expect(loaded.articles[0]!.sentences.map((s) => s.text)).toEqual(['Diplomats met in Geneva.']);
  });
});

describe('outlet names from URLs', () => {
  it.each([
    ['https://www.ndtv.com/world-news/x', 'NDTV'],
    ['https://www.newsweek.com/x', 'Newsweek'],
    ['https://www.bbc.co.uk/news/x', 'BBC'],
    ['https://edition.cnn.com/x', 'CNN'],
    ['not a url', null],
    ['http://127.0.0.1:8080/news/x', null],
    ['http://[::1]/news/x', null],
  ])('%s → %s', (url, outlet) => expect(outletFromUrl(url)).toBe(outlet));
});

describe('bad files are skipped with a warning that names them', () => {
  it('binary, empty, not UTF-8, too large, not an article file, a page without an article — the good article still loads', async () => {
    const dir = tempCorpus({
      'good.txt': 'Explosions were heard in Donetsk.\n',
      'binary.txt': new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x01]),
      'empty.txt': '  \n\n',
      'latin1.txt': new Uint8Array([0x43, 0x61, 0x66, 0xe9, 0x20, 0x6e, 0x65, 0x77, 0x73, 0x2e]),
      'huge.txt': 'Word '.repeat(400),
      'page.html': '<p>Hello</p>',
      'notes.pdf': '%PDF-1.7',
    });
    const loaded = await load(dir, { ...options, maxArticleBytes: 1000 });
    expect(loaded.articles.map((a) => a.id)).toEqual(['good']);
    const warned = Object.fromEntries(loaded.warnings.map((w) => [w.file, w.message]));
    expect(warned['binary.txt']).toMatch(/binary/);
    expect(warned['empty.txt']).toMatch(/empty/);
    expect(warned['latin1.txt']).toMatch(/UTF-8/);
    expect(warned['huge.txt']).toMatch(/over the 1 KiB limit/);
    expect(warned['page.html']).toBe('skipped: no article text was found in the page');
    expect(warned['notes.pdf']).toBe('skipped: only .txt, .html and .htm files are read as articles');
  });

  it('a missing corpus folder is a clear error', async () => {
    await expect(load(join(root, 'no-such-folder'))).rejects.toThrow(/corpus folder .*no-such-folder does not exist/);
  });
});
