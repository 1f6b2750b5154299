/**
 * The one owner of "word → index term", used by the index, the questions, the figures and the
 * highlights alike, so they always meet (the role of Lucene's Analyzer, tantivy's TextAnalyzer,
 * MiniSearch's processTerm). Its chain, for every token:
 *
 *   fold     foldToken (terms.ts): diacritics, apostrophes, thousands separators, counting words
 *            → digits; stop words and one-letter leftovers carry nothing
 *   spell    the corpus's own spelling of a name (Variants: Kiev → Kyiv, learnt from the vocabulary)
 *   stem     Porter 2 (numbers stay as they are)
 *
 * The spelling step needs the whole corpus's vocabulary, so an Analyzer is made once the corpus has
 * been read; while the corpus is being indexed only the fold step runs (search/builder.ts), and the
 * folded forms become terms through `termOfForm` when the index is built. One cache, per analyzer.
 */
import type { Span } from '../core/types.js';
import type { Variants } from '../search/variants.js';
import { analyzeText, type WordToken } from './analysis.js';
import { foldToken, foldWord, hyphenCompounds, termOf } from './terms.js';

export class Analyzer {
  /** Folded form → term: a corpus and its questions repeat their words. */
  private readonly terms = new Map<string, string>();

  constructor(readonly variants: Variants) {}

  /** The term of a folded form (spelling, then stem). */
  termOfForm(folded: string): string {
    let term = this.terms.get(folded);
    if (term === undefined) {
      term = termOf(this.variants.canonical(folded));
      if (this.terms.size < MAX_REMEMBERED) this.terms.set(folded, term);
    }
    return term;
  }

  /**
   * `termOfForm` for a form whose stem is already known (worked out on a worker thread): the stem
   * is its term unless the corpus spells the word another way.
   */
  termOfStemmedForm(folded: string, stem: string): string {
    const cached = this.terms.get(folded);
    if (cached !== undefined) return cached;
    const canonical = this.variants.canonical(folded);
    const term = canonical === folded ? stem : termOf(canonical);
    if (this.terms.size < MAX_REMEMBERED) this.terms.set(folded, term);
    return term;
  }

  /** The term of a token, or null when it carries nothing (a stop word, a lone letter). */
  termOfToken(token: WordToken): string | null {
    const folded = foldToken(token);
    return folded === null ? null : this.termOfForm(folded);
  }

  /** Terms of tokens, in order; tokens that carry nothing give none. */
  termsOf(tokens: readonly WordToken[]): string[] {
    const out: string[] = [];
    for (const token of tokens) {
      const term = this.termOfToken(token);
      if (term !== null) out.push(term);
    }
    return out;
  }

  /** The term of one word as written (a figure's subject), or null when it carries nothing. */
  termOfWord(word: string): string | null {
    const folded = foldWord(word.toLowerCase());
    return folded === null ? null : this.termOfForm(folded);
  }

  /** Every term of a text, its hyphenated compounds joined as the index has them (for comparing sentences). */
  termsOfText(text: string): Set<string> {
    const tokens = analyzeText(text);
    return new Set(this.termsOf([...tokens, ...hyphenCompounds(text, tokens).map((c) => c.token)]));
  }

  /**
   * Where `wanted` terms occur in `text`, in order: a compound found whole ("cease-fire" for
   * "ceasefire") is one span, not its parts again.
   */
  highlight(text: string, wanted: ReadonlySet<string>): Span[] {
    const tokens = analyzeText(text);
    const spans = [...tokens, ...hyphenCompounds(text, tokens).map((c) => c.token)]
      .filter((token) => {
        const term = this.termOfToken(token);
        return term !== null && wanted.has(term);
      })
      .map((token) => ({ start: token.start, end: token.end }));
    const inside = (s: Span, o: Span) => o !== s && o.start <= s.start && s.end <= o.end;
    return spans.filter((s) => !spans.some((o) => inside(s, o))).sort((a, b) => a.start - b.start);
  }
}

const MAX_REMEMBERED = 2_000_000;
