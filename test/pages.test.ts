/**
 * Pages from the web, in process, against a real news site on 127.0.0.1 (test/support/news-site.ts):
 * the guarded fetch (addresses, redirects, deadline, size, type), extraction and its metadata,
 * refusals, and adding through a real Library (duplicates by address and by text, the HTML kept).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Library } from '../src/library.js';
import { fetchResource, PassingFetchError } from '../src/pages/fetch.js';
import { refusedAddress } from '../src/pages/address.js';
import { Pages, HTML_TYPES, DuplicateArticleError } from '../src/pages/pages.js';
import { Extractor } from '../src/pages/off-thread.js';
import type { FetchSettings } from '../src/pages/limits.js';
import { citedError, isCitedError } from '../src/core/errors.js';
import { freshDir, tempCorpus } from './helpers.js';
import { ampPage, barePage, jsonLdPage, paywallPage, startNewsSite, stories, type NewsSite } from './support/news-site.js';

let site: NewsSite;
const open: FetchSettings = { timeoutMs: 10_000, allowPrivate: true };

beforeAll(async () => {
  site = await startNewsSite();
});
afterAll(async () => {
  await site?.stop();
});

const page = (path: string, settings: FetchSettings = open) =>
  fetchResource({ url: `${site.url}${path}`, accept: HTML_TYPES, notAccepted: (t) => citedError('NOT_AN_ARTICLE', path, `it is ${t}, not an HTML page`), maxBytes: 10 * 1024 * 1024 }, settings);
const failure = async (work: Promise<unknown>) => {
  const error = await work.then(
    () => null,
    (e: unknown) => e,
  );
  if (!isCitedError(error)) throw new Error(`expected a CitedError, got ${String(error)}`);
  return error;
};

describe('which addresses may be fetched', () => {
  it('names the range of every address it refuses, and lets public ones through', () => {
    expect(refusedAddress('127.0.0.1')).toBe('127.0.0.1 is a loopback address (this machine)');
    expect(refusedAddress('10.1.2.3')).toBe('10.1.2.3 is a private address');
    expect(refusedAddress('192.168.0.1')).toBe('192.168.0.1 is a private address');
    expect(refusedAddress('169.254.169.254')).toBe('169.254.169.254 is a link-local address (where cloud metadata services live)');
    expect(refusedAddress('::1')).toBe('::1 is a loopback address (this machine)');
    expect(refusedAddress('fd00::1')).toBe('fd00::1 is a private (unique local) address');
    expect(refusedAddress('::ffff:127.0.0.1')).toBe('::ffff:127.0.0.1 is a loopback address (this machine)');
    expect(refusedAddress('100.64.0.1')).toBe('100.64.0.1 is a shared (carrier-grade NAT) address');
    expect(refusedAddress('0.0.0.0')).toBe('0.0.0.0 is the unspecified address');
    expect(refusedAddress('93.184.216.34')).toBe(null);
    expect(refusedAddress('2606:2800:220:1:248:1893:25c8:1946')).toBe(null);
  });

  it('refuses the loopback site without ALLOW_PRIVATE_URLS, before connecting', async () => {
    const before = site.requests.length;
    const error = await failure(page(`/news/${stories.grain.slug}`, { timeoutMs: 5000, allowPrivate: false }));
    expect(error.message).toBe(`${site.url}/news/${stories.grain.slug} was not fetched: 127.0.0.1 is a loopback address (this machine), and Cited does not fetch from private, loopback or link-local addresses (ALLOW_PRIVATE_URLS).`);
    expect(site.requests.length).toBe(before);
  });

  it('checks what a host name resolves to', async () => {
    const error = await failure(
      fetchResource(
        { url: `http://intranet.test:${site.port}/news/x`, accept: HTML_TYPES, notAccepted: () => citedError('NOT_AN_ARTICLE', 'x', 'y'), maxBytes: 1000 },
        { timeoutMs: 5000, allowPrivate: false, resolve: async () => [{ address: '10.0.0.5', family: 4 }] },
      ),
    );
    expect(error.message).toBe(`http://intranet.test:${site.port}/news/x was not fetched: intranet.test resolves to 10.0.0.5: 10.0.0.5 is a private address, and Cited does not fetch from private, loopback or link-local addresses (ALLOW_PRIVATE_URLS).`);
  });

  it('checks every redirect: a public page that redirects to a metadata address is refused', async () => {
    // Only this test's own server counts as public here; every other address keeps the real rule.
    const onlySite: FetchSettings = { timeoutMs: 5000, allowPrivate: false, refuse: (a) => (a === '127.0.0.1' ? null : refusedAddress(a)) };
    const error = await failure(page(`/to/${encodeURIComponent('http://169.254.169.254/latest/meta-data/')}`, onlySite));
    expect(error.message).toContain('was not fetched: 169.254.169.254 is a link-local address (where cloud metadata services live), and Cited does not fetch');
  });

  it('connects to the address it checked, whatever the name resolves to a moment later (DNS rebinding)', async () => {
    const answers = [[{ address: '127.0.0.1', family: 4 }], [{ address: '10.0.0.9', family: 4 }]];
    let asked = 0;
    const settings: FetchSettings = { timeoutMs: 5000, allowPrivate: false, refuse: (a) => (a === '127.0.0.1' ? null : refusedAddress(a)), resolve: async () => answers[Math.min(asked++, 1)]! };
    const fetched = await fetchResource({ url: `http://rebind.test:${site.port}/news/${stories.power.slug}`, accept: HTML_TYPES, notAccepted: () => citedError('NOT_AN_ARTICLE', 'x', 'y'), maxBytes: 1 << 20 }, settings);
    expect(asked).toBe(1);
    expect(fetched.body.toString()).toContain(stories.power.headline);
    const request = site.requests.at(-1)!;
    expect(request.headers.host).toBe(`rebind.test:${site.port}`);
  });

  it('fetches only http and https, without credentials', async () => {
    expect((await failure(fetchResource({ url: 'file:///etc/passwd', accept: HTML_TYPES, notAccepted: () => citedError('NOT_AN_ARTICLE', 'x', 'y'), maxBytes: 10 }, open))).message).toBe(
      'file:///etc/passwd was not fetched: only http and https addresses are fetched, not file.',
    );
    expect((await failure(fetchResource({ url: `http://user:pw@127.0.0.1:${site.port}/`, accept: HTML_TYPES, notAccepted: () => citedError('NOT_AN_ARTICLE', 'x', 'y'), maxBytes: 10 }, open))).message).toContain(
      'an address with a user name or password in it is not fetched',
    );
  });
});

describe('the guarded fetch', () => {
  it('introduces itself and follows a chain of three redirects to the page', async () => {
    const fetched = await page('/r/1');
    expect(fetched.url).toBe(`${site.url}/news/${stories.rail.slug}`);
    expect(site.requests.slice(-4).map((r) => [r.path, r.status])).toEqual([
      ['/r/1', 302],
      ['/r/2', 301],
      ['/r/3', 307],
      [`/news/${stories.rail.slug}`, 200],
    ]);
    expect(site.requests.at(-1)!.headers['user-agent']).toMatch(/^Cited\/\d/);
  });

  it('gives up on a redirect loop after five redirects', async () => {
    expect((await failure(page('/loop'))).message).toBe(`Could not fetch ${site.url}/loop: it redirects more than 5 times.`);
  });

  it('stops a server that never finishes within the deadline, and says so', async () => {
    const started = Date.now();
    const error = await failure(page('/slow', { timeoutMs: 1500, allowPrivate: true }));
    expect(error.message).toBe(`Could not fetch ${site.url}/slow: no complete answer within 1.5 s.`);
    expect(error).toBeInstanceOf(PassingFetchError);
    expect(Date.now() - started).toBeLessThan(15_000); // the stated bound, with a generous margin
  });

  it('reports a server error as passing, a 404 as not', async () => {
    const error = await failure(page('/error'));
    expect(error.message).toBe(`Could not fetch ${site.url}/error: the server answered 500 Internal Server Error.`);
    expect(error).toBeInstanceOf(PassingFetchError);
    const missing = await failure(page('/missing'));
    expect(missing).not.toBeInstanceOf(PassingFetchError);
  });

  it('refuses another content type before reading it, and a body over the limit as it comes', async () => {
    expect((await failure(page('/report.pdf'))).message).toBe('/report.pdf was not added: it is application/pdf, not an HTML page.');
    expect((await failure(page('/huge'))).message).toBe(`Could not fetch ${site.url}/huge: it is over the 10.0 MiB limit.`);
  });

  it('reads a gzip-compressed page', async () => {
    expect((await page('/gzip/grain')).body.toString()).toContain(stories.grain.paragraphs[1]);
  });
});

describe('extraction and adding', () => {
  let library: Library;
  let pages: Pages;
  let keep: string;
  let corpus: string;

  beforeAll(async () => {
    corpus = tempCorpus({ 'talks.txt': 'Negotiators met in Geneva on Friday to discuss a ceasefire along the contact line.\n' });
    library = await Library.open({ corpusDir: corpus }, join(freshDir('cited-removed-'), 'removed'));
    keep = join(freshDir('cited-data-'), 'pages');
    pages = new Pages(library, { keepDir: keep, fetch: open });
  });
  afterAll(async () => {
    await pages?.close();
  });

  it('a JSON-LD page: its text a paragraph a line, metadata from JSON-LD over OpenGraph, the HTML kept', async () => {
    const prepared = await pages.fromUrl(`${site.url}/news/${stories.grain.slug}`);
    expect(prepared.meta).toEqual({ title: stories.grain.headline, date: '2026-11-18', url: `${site.url}/news/${stories.grain.slug}`, outlet: 'Bosphorus Ledger' });
    const article = await pages.add(prepared, { uniqueName: true });
    expect(article).toMatchObject({ id: '127.0.0.1-grain-corridor-talks', title: stories.grain.headline, date: '2026-11-18', outlet: 'Bosphorus Ledger', url: `${site.url}/news/${stories.grain.slug}` });
    const stored = readFileSync(join(corpus, article.file), 'utf8');
    expect(stored).toBe(
      ['---', `title: ${stories.grain.headline}`, 'date: 2026-11-18', `url: ${site.url}/news/${stories.grain.slug}`, 'outlet: Bosphorus Ledger', '---', ...stories.grain.paragraphs, ''].join('\n'),
    );
    // Every sentence quoted is a slice of the stored text.
    for (const s of article.sentences) expect(article.text.slice(s.start, s.end)).toBe(s.text);
    expect(readFileSync(join(keep, `${article.id}.html`), 'utf8')).toBe(jsonLdPage(stories.grain, site.url));
    expect(library.current.search('cargo ships waiting off Odesa', 1).hits[0]?.sentence.articleId).toBe(article.id);
  });

  it('the same page again, under any address that leads to it, is a duplicate', async () => {
    const again = await failure(pages.fromUrl(`${site.url}/news/${stories.grain.slug}?utm_source=twitter#top`).then((p) => pages.add(p, { uniqueName: true })));
    expect(again).toBeInstanceOf(DuplicateArticleError);
    expect(again.message).toBe(`${site.url}/news/${stories.grain.slug}?utm_source=twitter#top was not added: the corpus already has it as 127.0.0.1-grain-corridor-talks (the same address, ${site.url}/news/${stories.grain.slug}). /sources remove 127.0.0.1-grain-corridor-talks first to replace it.`);
  });

  it('the same wire story from another outlet, with its own headline and a paragraph less, is a duplicate', async () => {
    const copy = await pages.fromUrl(`${site.url}/news/syndicated-grain`);
    expect(copy.meta.outlet).toBe('Harbour Post');
    const error = await failure(pages.add(copy, { uniqueName: true }));
    expect(error.message).toContain('the corpus already has it as 127.0.0.1-grain-corridor-talks (near-identical text, from Bosphorus Ledger)');
  });

  it('an OpenGraph-only page and an AMP page (cited at its canonical address)', async () => {
    const og = await pages.fromUrl(`${site.url}/og/${stories.power.slug}`);
    expect(og.meta).toEqual({ title: stories.power.headline, date: '2026-11-19', url: `${site.url}/news/${stories.power.slug}?utm_source=feed`, outlet: 'Eastern Ledger' });
    const amp = await pages.fromUrl(`${site.url}/amp/${stories.mobilisation.slug}`);
    expect(amp.meta).toEqual({ title: stories.mobilisation.headline, date: '2026-11-20', url: `${site.url}/news/${stories.mobilisation.slug}`, outlet: 'Kyiv Courier' });
    expect(amp.text.split('\n').slice(6, -1)).toEqual(stories.mobilisation.paragraphs);
    const article = await pages.add(amp, { uniqueName: true });
    expect(article.id).toBe('127.0.0.1-mobilisation-rules');
  });

  it('a page with no metadata at all: its headline, the address it came from, the outlet from the host', async () => {
    const settings: FetchSettings = { ...open, resolve: async () => [{ address: '127.0.0.1', family: 4 }] };
    const named = new Pages(library, { keepDir: keep, fetch: settings, extractor: new Extractor(null) });
    const bare = await named.fromUrl(`http://www.irpin-herald.test:${site.port}/bare/${stories.roof.slug}`);
    expect(bare.meta).toEqual({ title: stories.roof.headline, date: null, url: `http://www.irpin-herald.test:${site.port}/bare/${stories.roof.slug}`, outlet: null });
    const article = await named.add(bare, { uniqueName: true });
    expect(article).toMatchObject({ id: 'irpin-herald.test-irpin-school-roof', outlet: 'Irpin-herald', date: null });
  });

  it('refuses a paywall stub, a page with no article, a PDF and a feed, each saying why', async () => {
    expect((await failure(pages.fromUrl(`${site.url}/premium/inside`))).message).toMatch(
      new RegExp(`^${site.url}/premium/inside was not added: only \\d sentences \\(\\d+ characters\\) of article text — the page says the article is for subscribers \\(a paywall\\)\\.$`),
    );
    expect((await failure(pages.fromUrl(`${site.url}/report.pdf`))).message).toBe(`${site.url}/report.pdf was not added: it is application/pdf, not an HTML page.`);
    site.setFeed('probe.rss', 'Probe', [{ story: stories.rail }]);
    expect((await failure(pages.fromUrl(`${site.url}/feeds/probe.rss`))).message).toBe(`${site.url}/feeds/probe.rss was not added: it is a feed (application/rss+xml), not a page; /sources follow reads feeds.`);
    expect((await failure(pages.fromFile('empty.html', Buffer.from('<html><body><nav><a href="/">Home</a></nav></body></html>')))).message).toMatch(/^empty\.html was not added: (no article text was found in the page|only .*)/);
  });

  it('an uploaded .html file: extracted the same way; a file with no HTML in it is refused', async () => {
    const prepared = await pages.fromFile('rail story.html', Buffer.from(jsonLdPage(stories.rail, site.url)));
    const article = await pages.add(prepared, { uniqueName: false });
    expect(article).toMatchObject({ id: 'rail_story', outlet: 'Southern Wire', date: '2026-11-21' });
    expect(existsSync(join(keep, 'rail_story.html'))).toBe(true);
    expect((await failure(pages.fromFile('notes.html', Buffer.from('Just some notes, no markup at all.')))).message).toBe('notes.html was not added: it is not HTML (no tags in it); a plain-text article goes in a .txt file.');
  });

  it('.html and .htm files in the corpus folder load as articles; a paywall page there is skipped with the reason', async () => {
    const dir = tempCorpus({
      'amp-story.html': ampPage(stories.mobilisation, 'https://courier.example'),
      'roof.htm': barePage(stories.roof),
      'paywalled.html': paywallPage('https://premium.example'),
      'clash.html': jsonLdPage(stories.dam, 'https://daily.example'),
      'clash.txt': 'A plain article that shares the page’s name and wins.\n',
      'twice.htm': jsonLdPage(stories.bridge, 'https://wire.example'),
      'twice.html': jsonLdPage(stories.rail, 'https://wire.example'),
    });
    writeFileSync(join(dir, 'notes.md'), 'not an article');
    const warnings: string[] = [];
    const loaded = await Library.open({ corpusDir: dir, onWarning: (w) => warnings.push(`${w.file}: ${w.message}`) }, join(freshDir('cited-removed-'), 'removed'));
    const amp = loaded.current.article('amp-story')!;
    expect(amp).toMatchObject({ file: 'amp-story.html', title: stories.mobilisation.headline, outlet: 'Kyiv Courier', date: '2026-11-20', url: 'https://courier.example/news/mobilisation-rules' });
    expect(amp.sentences.map((s) => s.text)).toEqual(stories.mobilisation.paragraphs);
    expect(loaded.current.article('roof')).toMatchObject({ title: stories.roof.headline, url: null, outlet: null });
    expect(loaded.current.article('clash')?.file).toBe('clash.txt');
    expect(loaded.current.article('twice')?.file).toBe('twice.htm');
    expect(warnings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^paywalled\.html: skipped: only \d sentences .* \(a paywall\)$/),
        'clash.html: skipped: clash.txt has the same id (the .txt is read)',
        'twice.html: skipped: another page has the same id, twice',
        'notes.md: skipped: only .txt, .html and .htm files are read as articles',
      ]),
    );
  });
});

describe('the duplicate rule', () => {
  const words = (from: number, count: number) => Array.from({ length: count }, (_, i) => `word${from + i}`).join(' ');
  const article = (id: string, text: string, url: string | null = null) =>
    ({ id, url, outlet: 'Wire', sentences: [{ id: `${id}#x`, text }] }) as unknown as import('../src/core/types.js').Article;

  it('compares addresses without scheme, www., fragment, trailing slash or tracking parameters', async () => {
    const { urlKey } = await import('../src/pages/duplicates.js');
    expect(urlKey('https://www.example.com/news/a/?utm_source=x&id=3&fbclid=y#top')).toBe(urlKey('http://example.com/news/a?id=3'));
    expect(urlKey('https://example.com/news/a?id=3')).not.toBe(urlKey('https://example.com/news/a?id=4'));
    expect(urlKey('javascript:alert(1)')).toBe(null);
  });

  it('a text is a duplicate when 80% of the shorter one’s shingles are in the other, not at 70%', async () => {
    const { DuplicateFinder } = await import('../src/pages/duplicates.js');
    const finder = new DuplicateFinder();
    const corpus = [article('base', words(0, 204))]; // 200 shingles
    // 200 shingles in all, 170 of them shared (85%): a duplicate.
    expect((await finder.find({ urls: [], text: `${words(30, 174)} ${words(5000, 30)}` }, corpus))?.article.id).toBe('base');
    // 140 of 200 shared (70%): not.
    expect(await finder.find({ urls: [], text: `${words(60, 144)} ${words(6000, 60)}` }, corpus)).toBe(null);
    // Contained whole in a longer article: a duplicate.
    expect((await finder.find({ urls: [], text: words(100, 60) }, corpus))?.article.id).toBe('base');
    expect(await finder.find({ urls: [], text: words(9000, 300) }, corpus)).toBe(null);
  });
});
