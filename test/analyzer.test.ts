/** The one analyzer: the index, a question, a figure's subject and a highlight turn words into the same terms. */
import { describe, expect, it } from 'vitest';
import { Analyzer } from '../src/nlp/analyzer.js';
import { analyzeText } from '../src/nlp/analysis.js';
import { noAliases, Variants } from '../src/search/variants.js';

const analyzer = new Analyzer(new Variants({ counts: new Map([['kyiv', 12], ['kiev', 3], ['ceasefire', 2], ['troops', 9]]), names: new Set(['kyiv', 'kiev']) }, noAliases));

describe('Analyzer', () => {
  it('folds a spelling onto the corpus’s own, then stems, whichever path a word takes', () => {
    const kyiv = analyzer.termOfForm('kyiv');
    expect(analyzer.termOfForm('kiev')).toBe(kyiv);
    expect(analyzer.termOfWord('Kiev')).toBe(kyiv);
    expect(analyzer.termsOf(analyzeText('Troops massed near Kiev'))).toEqual([analyzer.termOfForm('troops'), analyzer.termOfForm('massed'), analyzer.termOfForm('near'), kyiv]);
    expect(analyzer.termOfForm('troops')).toBe('troop');
  });

  it('gives a text the terms the index has for it, hyphenated compounds joined beside their parts', () => {
    const terms = analyzer.termsOfText('The cease-fire held.');
    expect(terms.has(analyzer.termOfForm('ceasefire'))).toBe(true);
    expect(terms.has(analyzer.termOfForm('cease'))).toBe(true);
  });

  it('highlights a compound found whole once, and a variant spelling where the text has it', () => {
    const text = 'The cease-fire in Kiev held.';
    const spans = analyzer.highlight(text, new Set([analyzer.termOfForm('ceasefire'), analyzer.termOfForm('kyiv')]));
    expect(spans.map((s) => text.slice(s.start, s.end))).toEqual(['cease-fire', 'Kiev']);
  });
});
