import { describe, expect, it } from 'vitest';
import { analyzeText } from '../src/nlp/analysis.js';
import { foldNumber, foldToken, hyphenCompounds, opensWithPronoun, termOf } from '../src/nlp/terms.js';

/** The index terms of a text, without variant folding. */
const terms = (text: string) =>
  analyzeText(text)
    .map(foldToken)
    .filter((f): f is string => f !== null)
    .map(termOf);

describe('term normalisation', () => {
  it('drops stop words and keeps content words stemmed', () => {
    expect(terms('What did the troops say about the borders?')).toEqual(['troop', 'border']);
  });

  it('keeps numbers, with and without thousands separators alike', () => {
    expect(foldNumber('150,000')).toBe('150000');
    expect(foldNumber('150000')).toBe('150000');
    expect(foldNumber('007')).toBe('7');
    expect(foldNumber('1.5')).toBe('1.5');
    expect(terms('150,000 troops')).toEqual(terms('150000 troops'));
  });

  it('turns counting words into digits so "five days" meets "5 days"', () => {
    expect(terms('five days')).toEqual(terms('5 days'));
    expect(terms('two soldiers')).toEqual(['2', 'soldier']);
  });

  it('folds British and American spelling (via wink-nlp normal) before stemming', () => {
    expect(terms('mobilised')).toEqual(terms('mobilized'));
    expect(terms('recognised')).toEqual(terms('recognized'));
  });

  it('matches words whose apostrophe a scraper stripped', () => {
    expect(terms('Ukraines')).toEqual(terms("Ukraine's"));
    expect(terms('Russias')).toEqual(terms('Russia’s'));
    expect(terms('werent')).toEqual(terms("weren't")); // both are stop words once expanded
  });

  it('keeps words that carry a news question although wink-nlp lists them as stop words', () => {
    expect(terms('When will the order last?')).toEqual(['order', 'last']);
    expect(terms('the next summit and the first talks')).toEqual(['next', 'summit', 'first', 'talk']);
  });

  it('folds diacritics and dotted abbreviations', () => {
    expect(terms('Zelenskyy')).toEqual(terms('Zelenskyý'));
    expect(terms('U.S. officials')).toEqual(['us', 'offici']);
  });
});

describe('sentences that take their subject from the one before', () => {
  it('are those that open with a personal pronoun', () => {
    for (const text of ['He provided no details about who might be targeted.', 'It has also demanded the alliance halt weapons deployments.', 'They said so.', 'Their appeals came after Putin recognised them.', "It's unclear."])
      expect(opensWithPronoun(analyzeText(text)), text).toBe(true);
  });

  it('are not those that open with a name, a noun or a quotation', () => {
    for (const text of ['Hermes said so.', 'The order allows curfews.', 'Items were seized.', '"It is a moment of peril," he said.', '“She said: Have you heard?”', 'Theirs was the only answer.', 'he said, without a capital.', ''])
      expect(opensWithPronoun(analyzeText(text)), text).toBe(false);
  });
});

describe('hyphenated compounds', () => {
  const compounds = (text: string) => hyphenCompounds(text, analyzeText(text)).map((c) => [c.token.normal, text.slice(c.token.start, c.token.end)]);

  it('are joined into one word spanning the parts', () => {
    expect(compounds('Massive cease-fire violations and a build-up of troops.')).toEqual([
      ['ceasefire', 'cease-fire'],
      ['buildup', 'build-up'],
    ]);
    expect(compounds('A face-to-face summit, with a non\u2011breaking hyphen.')).toEqual([
      ['facetoface', 'face-to-face'],
      ['nonbreaking', 'non\u2011breaking'],
    ]);
  });

  it('are not URL slugs, numbers, dashes between spaces or plain words', () => {
    expect(compounds('See vladimir-putin-mulls-independence-of-separatist-regions for more.')).toEqual([]);
    expect(compounds('The 8-year-old conflict and a 24-hour truce.')).toEqual([]);
    expect(compounds('Biden - Putin talks -- within limits.')).toEqual([]);
    expect(compounds('A ceasefire.')).toEqual([]);
  });
});
