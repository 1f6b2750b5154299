/** Input that looks like content but is not: wordless sentences, links that are not web links, invisible characters in questions. */
import { describe, expect, it } from 'vitest';
import { createCited } from '../src/cited.js';
import { loadCorpus, type LoadOptions } from '../src/corpus/load.js';
import { defaultBoilerplate } from '../src/corpus/boilerplate.js';
import { removeInvisible } from '../src/nlp/invisible.js';
import { tempCorpus } from './helpers.js';

const options: LoadOptions = { maxArticleBytes: 5 * 1024 * 1024, boilerplate: defaultBoilerplate };

describe('a sentence without a letter or digit is not quotable', () => {
  it('is kept with the reason "wordless", and a file of nothing else is skipped as having nothing to quote', async () => {
    const dir = tempCorpus({
      'mixed.txt': 'Troops moved near the border on Friday.\n!!! ... ???\n— — —\nThe talks resumed in 2 cities.\n',
      'punctuation.txt': '!!! ... ???\n',
    });
    const { articles, warnings } = await loadCorpus(dir, options);
    expect(articles.map((a) => a.id)).toEqual(['mixed']);
    const sentences = articles[0]!.sentences.map((s) => [s.text, s.excluded ?? null]);
    expect(sentences).toEqual([
      ['Troops moved near the border on Friday.', null],
      ['!!! ... ???', 'wordless'],
      ['— — —', 'wordless'],
      ['The talks resumed in 2 cities.', null],
    ]);
    expect(warnings).toEqual([{ file: 'punctuation.txt', message: 'skipped: no sentences to quote in it' }]);
  });

  it('keeps a sentence whose only word is in another script, or a number', async () => {
    const dir = tempCorpus({ 'other.txt': 'Новости.\n2022!\n' });
    const { articles } = await loadCorpus(dir, options);
    expect(articles[0]!.sentences.map((s) => s.excluded ?? null)).toEqual([null, null]);
  });
});

describe('a citation link must be a web link (http or https)', () => {
  it('drops a front-matter url that is not, with a warning naming the file; the url is then unknown', async () => {
    const dir = tempCorpus({
      'script.txt': '---\ntitle: Talks\nurl: javascript:alert(1)\n---\nNegotiators met in Geneva.\n',
      'data.txt': '---\nurl: data:text/html,<b>x</b>\n---\nShelling hit the water station.\n',
      'web.txt': '---\nurl: https://www.bbc.co.uk/news/1\n---\nA ceasefire was agreed.\n',
    });
    const cited = await createCited({ corpusDir: dir });
    expect(cited.article('script')).toMatchObject({ url: null, outlet: null, title: 'Talks' });
    expect(cited.article('data')!.url).toBeNull();
    expect(cited.article('web')).toMatchObject({ url: 'https://www.bbc.co.uk/news/1', outlet: 'BBC' });
    expect(cited.warnings).toEqual(
      expect.arrayContaining([
        { file: 'script.txt', message: 'url "javascript:alert(1)" dropped: only http and https links are kept' },
        { file: 'data.txt', message: 'url "data:text/html,<b>x</b>" dropped: only http and https links are kept' },
      ]),
    );
    expect(cited.ask('Where did negotiators meet?').citations[0]!.url).toBeNull();
  });

  it('drops a sources.json url that is not, with a warning, and keeps the rest of the file', async () => {
    const dir = tempCorpus({
      'a.txt': 'https://www.ndtv.com/world-news/a\nNegotiators met in Geneva.\n',
      'b.txt': 'Shelling hit the water station.\n',
      'sources.json': JSON.stringify({ a: { url: 'javascript:alert(document.cookie)' }, b: { url: 'file:///etc/passwd', outlet: 'RT' } }),
    });
    const cited = await createCited({ corpusDir: dir });
    // Dropped as if not given: a's own header link stays; b has none.
    expect(cited.article('a')).toMatchObject({ url: 'https://www.ndtv.com/world-news/a', outlet: 'NDTV' });
    expect(cited.article('b')).toMatchObject({ url: null, outlet: 'RT' });
    expect(cited.warnings).toEqual([
      { file: 'sources.json', message: '"a".url "javascript:alert(document.cookie)" dropped: only http and https links are kept' },
      { file: 'sources.json', message: '"b".url "file:///etc/passwd" dropped: only http and https links are kept' },
    ]);
  });
});

const bundled = await createCited();

describe('invisible characters in a question', () => {
  const cited = bundled;

  it('are removed: "tro\\u200Bops" finds troops, and the answer carries the cleaned question', () => {
    const clean = cited.ask('How many troops has Russia amassed?');
    for (const hidden of ['\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF', '\u00AD']) {
      const answer = cited.ask(`How many tro${hidden}ops has Rus${hidden}sia amassed?`);
      expect(answer.question).toBe('How many troops has Russia amassed?');
      expect(answer.abstained).toBe(false);
      expect(answer.excerpts.map((e) => e.text)).toEqual(clean.excerpts.map((e) => e.text));
    }
  });

  it('are removed from searches and figure topics too', () => {
    expect(cited.search('tro\u200Bops', 5).hits.map((h) => h.sentence.id)).toEqual(cited.search('troops', 5).hits.map((h) => h.sentence.id));
    expect(cited.figures('tro\u00ADops')).toEqual({ ...cited.figures('troops'), topic: 'troops' });
  });

  it('leaves everything else as it is', () => {
    expect(removeInvisible('Kyiv — “ceasefire” 150,000 новости 報道 🙂')).toBe('Kyiv — “ceasefire” 150,000 новости 報道 🙂');
  });
});
