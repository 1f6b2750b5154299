/**
 * Sentences that are publishing machinery, not news: syndication notices, "follow live updates"
 * links, source credits. They stay in the article (marked, so they can be inspected) but are
 * never quoted. Extend with the `boilerplate` option.
 */
export const defaultBoilerplate: readonly RegExp[] = [
  /\bthis story has not been edited by\b.{0,80}\bstaff\b/i,
  /\bpublished from a\b.{0,60}\bfeed\b/i,
  /^\W*news source\s*:/i,
  /^\W*follow\b.{0,80}\blive updates?\W*$/i,
  /^\W*(also read|read more|click here to|subscribe to our)\b/i,
  /^\W*\(?with inputs from\b.{0,60}\)?\W*$/i,
  /\ball rights reserved\b/i,
];

export function isBoilerplate(sentence: string, patterns: readonly RegExp[]): boolean {
  return patterns.some((p) => p.test(sentence));
}
