import { describe, expect, it } from 'vitest';
import { analyzeParagraph } from '../src/nlp/analysis.js';
import { repairSentenceBreaks } from '../src/corpus/sentence-breaks.js';

const sentences = (text: string) => {
  const spans = analyzeParagraph(text);
  return repairSentenceBreaks(text, spans).map((g) => text.slice(spans[g[0]!]!.start, spans[g.at(-1)!]!.end));
};

describe('sentence splitting', () => {
  it('splits a paragraph into sentences with exact offsets, spacing and punctuation kept', () => {
    const text = 'Moscow denies it.  It wants guarantees\u00a0— now. Kiev’s troops werent firing, officials said.';
    expect(sentences(text)).toEqual(['Moscow denies it.', 'It wants guarantees\u00a0— now.', 'Kiev’s troops werent firing, officials said.']);
  });

  it('gives word tokens offsets that point at the original characters', () => {
    const text = 'Ukraines forces werent “returning” fire on 150,000 troops.';
    const [sentence] = analyzeParagraph(text);
    const words = sentence!.tokens.map((t) => text.slice(t.start, t.end));
    expect(words).toEqual(['Ukraines', 'forces', 'were', 'nt', 'returning', 'fire', 'on', '150,000', 'troops']);
  });

  it('does not cut a quotation from its speaker', () => {
    expect(sentences('"Ukraine needs security guarantees. Clear, specific, and immediate," Zelensky said, adding more.')).toEqual([
      '"Ukraine needs security guarantees. Clear, specific, and immediate," Zelensky said, adding more.',
    ]);
    expect(sentences('“We are ready. We wait,” he said. Then he left.')).toEqual(['“We are ready. We wait,” he said.', 'Then he left.']);
  });

  it('does not break after a web address or leave punctuation alone', () => {
    expect(sentences('It is published from a www.indiatoday.in feed. Next.')).toEqual(['It is published from a www.indiatoday.in feed.', 'Next.']);
    expect(sentences("She said: 'Have you heard the news?'. How could I know?")).toEqual(["She said: 'Have you heard the news?'.", 'How could I know?']);
  });

  it('leaves an unclosed quotation as separate sentences rather than swallowing the paragraph', () => {
    const text = '"One. Two. Three. Four. Five. Six. Seven. Eight.';
    expect(sentences(text).length).toBeGreaterThan(1);
  });
});
