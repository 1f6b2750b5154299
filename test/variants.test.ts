import { describe, expect, it } from 'vitest';
import { areVariants, parseAliases, soundex, Variants } from '../src/search/variants.js';
import { createCited } from '../src/cited.js';
import { tempCorpus } from './helpers.js';

describe('the variant rule', () => {
  it.each([
    ['kyiv', 'kiev'],
    ['luhansk', 'lugansk'],
    ['zelensky', 'zelenskyy'],
    ['donbas', 'donbass'],
  ])('joins %s and %s', (a, b) => {
    expect(areVariants(a, b)).toBe(true);
    expect(areVariants(b, a)).toBe(true);
  });

  it.each([
    ['russia', 'russian'], // an inflection, not a spelling
    ['putin', 'putins'],
    ['russias', 'russian'], // "Russia's" with the apostrophe stripped
    ['ukraine', 'ukrainian'],
    ['donetsk', 'donbass'],
    ['biden', 'borrell'],
    ['kyiv', 'kyiv'],
    ['oslo', 'olso'.slice(0, 3)], // too short to judge
  ])('keeps %s and %s apart', (a, b) => expect(areVariants(a, b)).toBe(false));

  it('uses Soundex to allow two edits only between names that sound alike', () => {
    expect(soundex('Kyiv')).toBe(soundex('Kiev'));
    expect(soundex('Robert')).toBe('R163');
    expect(soundex('Ashcraft')).toBe('A261');
    expect(areVariants('kyiv', 'kiev')).toBe(true);
    expect(areVariants('kyiv', 'keep')).toBe(false); // two edits, different sound
  });
});

describe('variants learnt from a vocabulary', () => {
  const vocabulary = {
    counts: new Map([['kyiv', 3], ['kiev', 5], ['russia', 9], ['russian', 4], ['explosions', 2]]),
    names: new Set(['kyiv', 'kiev', 'russia', 'russian']),
  };

  it('folds each group onto its most frequent spelling and leaves inflections alone', () => {
    const variants = new Variants(vocabulary);
    expect(variants.canonical('kyiv')).toBe('kiev');
    expect(variants.canonical('kiev')).toBe('kiev');
    expect(variants.canonical('russian')).toBe('russian');
    expect(variants.groups()).toEqual([['kiev', 'kyiv']]);
  });

  it('corrects a question word the corpus never uses: name variants and one-letter slips', () => {
    const variants = new Variants(vocabulary);
    expect(variants.correct('kyyiv')).toBe('kiev');
    expect(variants.correct('explosoins')).toBe(null); // two edits in an ordinary word: no guess
    expect(variants.correct('explosiins')).toBe('explosions');
    expect(variants.correct('australia')).toBe(null);
    expect(variants.correct('kiev')).toBe(null); // known words are not "corrected"
  });

  it('never takes an English word for a slip, and takes it for a name only when it sounds the same', () => {
    const variants = new Variants({ counts: new Map([['prime', 4], ['kyiv', 9], ['sought', 2], ['getting', 3]]), names: new Set(['prime', 'kyiv']) });
    expect(variants.correct('price')).toBe('prime'); // without the lexicon's word, "price" looks like a slip of "Prime"
    expect(variants.correct('price', true)).toBe(null);
    expect(variants.correct('bought', true)).toBe(null);
    expect(variants.correct('letting', true)).toBe(null);
    expect(variants.correct('kiev', true)).toBe('kyiv'); // the lexicon knows "kiev"; it sounds as Kyiv does
  });

  it('follows aliases.txt: "=" joins, "!=" keeps apart, bad lines are reported', () => {
    const bad: [number, string][] = [];
    const rules = parseAliases('# comment\nKharkiv = Kharkov = Charkiw\nkyiv != kiev\nnonsense line\n', (line, why) => bad.push([line, why]));
    expect(rules).toEqual({ groups: [['kharkiv', 'kharkov', 'charkiw']], apart: [['kyiv', 'kiev']] });
    expect(bad).toEqual([[4, expect.stringMatching(/expected "a = b"/)]]);
    const variants = new Variants({ ...vocabulary, names: new Set([...vocabulary.names, 'kharkov']) }, rules);
    expect(variants.canonical('kyiv')).toBe('kyiv');
    expect(variants.canonical('kharkov')).toBe('kharkiv');
    expect(variants.canonical('charkiw')).toBe('kharkiv');
  });
});

describe('name variants in the bundled corpus meet', async () => {
  const cited = await createCited();
  const found = (question: string) => cited.search(question, 200).hits.map((h) => h.sentence.text);

  it.each([
    ['Kiev', /\bKyiv\b/, /\bKiev\b/],
    ['Luhansk', /\bLugansk\b/, /\bLuhansk\b/],
    ['Zelensky', /\bZelenskyy\b/, /\bZelensky\b/],
    ['Donbas', /\bDonbass\b/, /\bDonbas\b/],
  ])('%s finds both spellings', (word, other, same) => {
    expect(found(word).some((t) => other.test(t))).toBe(true);
    expect(found(word).some((t) => same.test(t))).toBe(true);
  });

  it('a question spelled a way the corpus never uses still finds the name', () => {
    const result = cited.search('Zelenskiy', 10);
    expect(result.terms.folded).toEqual([{ from: 'zelenskiy', to: expect.stringMatching(/^zelensky/) }]);
    expect(result.hits.length).toBeGreaterThan(0);
  });

  it('does not join different places or inflections', () => {
    expect(found('Donetsk').every((t) => /Donetsk/.test(t))).toBe(true);
    expect(found('Russian').every((t) => /Russian/.test(t))).toBe(true);
  });

  it('an aliases.txt in the corpus folder is applied, and its bad lines are warned about', async () => {
    const files = { 'a.txt': 'Fighting was reported near Cherson.\n', 'b.txt': 'Officials in Kherson said the city was calm.\n' };
    const without = await createCited({ corpusDir: tempCorpus(files) });
    expect(without.search('Kherson', 10).hits).toHaveLength(1); // different first letter: no rule joins them
    const withAliases = await createCited({ corpusDir: tempCorpus({ ...files, 'aliases.txt': 'kherson = cherson\noops\n' }) });
    expect(withAliases.warnings).toEqual([{ file: 'aliases.txt', message: expect.stringMatching(/^line 2 ignored/) }]);
    expect(withAliases.search('Kherson', 10).hits).toHaveLength(2);
    expect(withAliases.search('Cherson', 10).hits).toHaveLength(2);
  });
});
