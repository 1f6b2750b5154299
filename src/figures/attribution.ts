/**
 * Who a figure is credited to: the speaker whose reporting verb governs the clause that holds the
 * number, or no one. A fact-checker quotes the credit, so a wrong one is worse than none: when the
 * rules below do not settle it, the figure has no speaker.
 *
 * The rules, each named (`SpeakerRule`) so tests can pin them:
 *   according-to   "according to X" in the number's clause, before or after it
 *   said-that      "X said (that) … NUMBER …": a reporting verb before the number whose reported
 *                  words reach it without crossing a clause cut; the nearest such verb wins
 *   trailing-tag   "NUMBER …, X said." / "…, said X.": a closing tag of speaker and verb only,
 *                  after a comma, with nothing reported of its own
 * Clause cuts: ";", ":" (unless it opens a quotation after a reporting verb), dashes, brackets, and
 * a comma before a relative or contrasting word ("…, which broke away", "…, with the West saying",
 * "…, while…", "…, but…"). What follows a cut is the outlet's own clause, or someone else's.
 * A pronoun ("he said") names no one: the figure gets no speaker rather than a guess.
 */
import type { TaggedToken } from '../nlp/analysis.js';

export type SpeakerRule = 'according-to' | 'said-that' | 'trailing-tag';

export interface Speaker {
  name: string;
  rule: SpeakerRule;
}

const REPORTING = new Set(['say', 'tell', 'report', 'announce', 'claim', 'warn', 'estimate', 'state', 'add', 'confirm', 'allege', 'insist', 'argue', 'note', 'write', 'reveal', 'predict', 'assert', 'declare', 'stress']);
/** A comma before one of these opens a clause of its own. */
const CLAUSE_OPENERS = new Set(['which', 'who', 'whom', 'whose', 'where', 'while', 'whereas', 'but', 'although', 'though', 'with', 'as', 'after', 'before', 'when', 'since', 'because']);
const HARD_CUTS = new Set([';', '—', '–', '--', '(', ')', '[', ']']);
const PRONOUNS = new Set(['he', 'she', 'they', 'it', 'we', 'i', 'you', 'who', 'which', 'that', 'this', 'these', 'those', 'one']);
const CALENDAR = /^(monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|may|june|july|august|september|october|november|december|today|yesterday|tonight)$/i;
/** Words that may stand between a speaker and their verb: "previously told", "has also said". */
const BETWEEN_SPEAKER_AND_VERB = new Set(['also', 'previously', 'earlier', 'later', 'has', 'have', 'had', 'had', 'again', 'further', 'then', 'repeatedly', 'reportedly', 'separately', 'publicly', 'officially']);

/** Whether tokens[i] is a reporting verb ("said", "told", "warned"…). */
function isReporting(t: TaggedToken | undefined): boolean {
  return t !== undefined && (t.pos === 'VERB' || t.pos === 'AUX') && REPORTING.has(t.lemma.toLowerCase());
}

/** Whether a clause cut lies between token indexes a and b (exclusive), in either order. */
export function cutBetween(tokens: readonly TaggedToken[], a: number, b: number): boolean {
  const [from, to] = a < b ? [a, b] : [b, a];
  for (let i = from + 1; i < to; i++) {
    const t = tokens[i]!;
    if (HARD_CUTS.has(t.value)) return true;
    if (t.value === ':' && !isReporting(tokens[i - 1])) return true;
    if (t.value === ',' && CLAUSE_OPENERS.has(tokens[i + 1]?.normal ?? '')) return true;
  }
  return false;
}

/** The speaker credited with the number at tokens[first..last], or null (see the rules above). */
export function speakerOf(tokens: readonly TaggedToken[], first: number, last: number): Speaker | null {
  // according to X
  for (let i = 0; i < tokens.length - 2; i++) {
    if (tokens[i]!.normal !== 'according' || tokens[i + 1]!.normal !== 'to') continue;
    if (cutBetween(tokens, i, i < first ? first : last)) continue;
    const name = phraseAfter(tokens, i + 2);
    if (name) return { name, rule: 'according-to' };
  }
  // X said (that) … NUMBER …: the nearest reporting verb before it whose words reach it.
  for (let v = first - 1; v >= 0; v--) {
    if (!isReporting(tokens[v])) continue;
    if (cutBetween(tokens, v, first)) break;
    const name = speakerBefore(tokens, v) ?? phraseAfter(tokens, v + 1, true);
    return name ? { name, rule: 'said-that' } : null; // a pronoun speaker: uncertain, so none
  }
  // NUMBER …, X said.
  const tag = trailingTag(tokens, last);
  return tag ? { name: tag, rule: 'trailing-tag' } : null;
}

/** The speaker of a closing "…, X said." or "…, said X." tag after the number, or null. */
function trailingTag(tokens: readonly TaggedToken[], last: number): string | null {
  let end = tokens.length;
  while (end > 0 && tokens[end - 1]!.pos === 'PUNCT') end--;
  // The tag is the part after the last comma, and the number's clause must reach that comma.
  let comma = -1;
  for (let i = end - 1; i > last; i--) if (tokens[i]!.value === ',') {
    comma = i;
    break;
  }
  if (comma < 0 || cutBetween(tokens, last, comma)) return null;
  const tag = tokens.slice(comma + 1, end);
  const v = tag.findIndex((t) => isReporting(t));
  if (v < 0) return null;
  const after = tag.slice(v + 1);
  // Nothing reported of its own: after the verb only a name ("said Borrell"), "reporters", or a time or place phrase.
  const plain = after.every((t) => t.pos === 'PROPN' || t.pos === 'NOUN' || t.pos === 'ADP' || t.pos === 'DET' || t.pos === 'ADJ' || t.pos === 'NUM' || CALENDAR.test(t.value));
  if (!plain) return null;
  const at = comma + 1 + v;
  return speakerBefore(tokens, at, comma) ?? phraseAfter(tokens, at + 1, true);
}

/**
 * The noun phrase right before a reporting verb ("Kremlin spokesman Dmitry Peskov said", "Western
 * capitals say"), past adverbs ("previously told") and an apposition ("The US ambassador to the
 * United Nations, Linda Thomas-Greenfield, warned" → Linda Thomas-Greenfield). Never before `floor`.
 */
function speakerBefore(tokens: readonly TaggedToken[], verb: number, floor = -1): string | null {
  let i = verb - 1;
  while (i > floor && (BETWEEN_SPEAKER_AND_VERB.has(tokens[i]!.normal) || CALENDAR.test(tokens[i]!.value))) i--;
  if (i > floor && tokens[i]!.value === ',') i--; // the apposition's closing comma
  const words: TaggedToken[] = [];
  const connectors = new Set(['of', 'for', 'and', 'in', 'to', "'s", '’s']);
  for (; i > floor; i--) {
    const t = tokens[i]!;
    if (CALENDAR.test(t.value)) break;
    const nounish = t.pos === 'PROPN' || t.pos === 'NOUN' || t.pos === 'ADJ' || (t.pos === 'PART' && /^['’]s$/.test(t.value)) || t.value === '-' || /^[A-Z.]+$/.test(t.value);
    const inner = connectors.has(t.normal) && words.length > 0;
    if (nounish || inner) words.push(t);
    else break;
  }
  words.reverse();
  while (words.length > 0 && (connectors.has(words[0]!.normal) || words[0]!.value === '-')) words.shift();
  return namePhrase(words);
}

/** A speaker phrase after `from` ("according to the OSCE", "said Borrell"); with `capitalisedOnly`, a name only. */
function phraseAfter(tokens: readonly TaggedToken[], from: number, capitalisedOnly = false): string | null {
  const words: TaggedToken[] = [];
  for (let i = from; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (CALENDAR.test(t.value)) {
      if (words.length === 0) continue; // "said Monday that…"
      break;
    }
    const nounish = t.pos === 'PROPN' || t.pos === 'NOUN' || t.pos === 'ADJ' || (t.pos === 'DET' && words.length === 0) || t.value === '-' || (t.normal === 'of' && words.length > 0);
    if (!nounish) break;
    words.push(t);
  }
  while (words.length > 0 && (words.at(-1)!.normal === 'of' || words.at(-1)!.value === '-')) words.pop();
  if (words[0]?.pos === 'DET') words.shift();
  if (capitalisedOnly && !words.some((w) => w.capitalised)) return null;
  return namePhrase(words);
}

/** The words as a name, or null when they name no one (no noun, only pronouns). */
function namePhrase(words: readonly TaggedToken[]): string | null {
  if (words.length === 0 || !words.some((w) => w.pos === 'NOUN' || w.pos === 'PROPN')) return null;
  if (words.every((w) => PRONOUNS.has(w.normal))) return null;
  return words
    .map((w) => w.value)
    .join(' ')
    .replace(/ ?- ?/g, '-')
    .replace(/ (['’]s)\b/g, '$1');
}
