/**
 * A quote must say who or what it is about. A sentence whose subject is a pronoun or a pointer
 * ("He insisted…", "According to them…", "The order will last 30 days.", "This comes after…")
 * means nothing on its own: it is quoted together with the sentence before, which resolves it —
 * still one verbatim, contiguous passage of the same article.
 */
import type { Article, Sentence } from '../core/types.js';

const PRONOUN = /^(?:(?:But|And|However|Meanwhile|Still|Yet|So|Now|Later|Earlier),?\s+)?(?:he|she|it|they|his|her|its|their|him|them|this|that|these|those)\b/i;
// A definite reference to something said or done just before ("The order…", "This decision…"), or to a person named just before ("The spokesman added…").
const POINTER = /^(?:the|such|this|that|these|those)\s+(?:order|move|decision|claim|claims|statement|statements|request|requests|letter|letters|plan|measure|measures|decree|step|announcement|remarks|comments|appeal|appeals|motion|proposal|offer|warning|threat|figure|estimate|official|spokesman|spokeswoman)\b/i;
const ATTRIBUTION = /^(?:according to|citing|quoting)\s+(?:him|her|them|it|the (?:official|officials|source|sources|ministry|report|group))\b/i;

/** Whether a sentence's subject points to an earlier sentence. */
export function needsItsAntecedent(text: string): boolean {
  const start = text.replace(/^[\s"“‘'(\[-]+/, '');
  // An opening quote mark starts someone's words: their pronouns point inside the quotation.
  if (start !== text.trimStart()) return false;
  return PRONOUN.test(start) || POINTER.test(start) || ATTRIBUTION.test(start);
}

/**
 * The sentence that resolves `sentence`'s pronoun or pointer: the quotable sentence just before it
 * in its paragraph or the paragraph before, or undefined (the first sentence, or none quotable).
 */
export function antecedentOf(sentence: Sentence, article: Article, allow: (s: Sentence) => boolean): Sentence | undefined {
  const before = article.sentences[sentence.position - 1];
  if (!before || before.excluded || !allow(before) || sentence.paragraph - before.paragraph > 1) return undefined;
  return before;
}
