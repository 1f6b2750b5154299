/**
 * Characters that show nothing but split a word for the tokenizer: zero-width space, non-joiner
 * and joiner (U+200B–U+200D), word joiner (U+2060), the byte-order mark used as a zero-width
 * no-break space (U+FEFF), and the soft hyphen (U+00AD). They arrive in questions pasted from web
 * pages (break opportunities, hyphenation points) or typed to dodge filters ("tro\u200Bops").
 *
 * Removed from questions wherever they stand: between two letters they are inside a word, and a
 * question never needs them (a ZWJ emoji sequence falls apart into its emoji, which search ignores).
 * Article text is quoted verbatim and is not touched.
 */
const INVISIBLE = /[\u00AD\u200B-\u200D\u2060\uFEFF]/g;

export function removeInvisible(text: string): string {
  return text.replace(INVISIBLE, '');
}
