/**
 * From wink-nlp tokens to index terms: fold what wink-nlp leaves apart (diacritics, apostrophes,
 * thousands separators), fold spelling variants onto one form, then stem. The corpus and the
 * questions go through exactly these functions, so they always meet.
 */
import { stem, type WordToken } from './analysis.js';

/**
 * The searchable form of a token before variant folding, or null when it carries nothing
 * (stop words, possessive 's, single letters).
 */
export function foldToken(token: WordToken): string | null {
  // A corpus repeats its words: remember each fold, per kind of token (a number, a stop word, a word).
  const memo = token.kind === 'number' ? foldedNumbers : token.stop ? foldedStopWords : foldedWords;
  let folded = memo.get(token.normal);
  if (folded === undefined) {
    folded = foldUncached(token);
    if (memo.size < MAX_REMEMBERED) memo.set(token.normal, folded);
  }
  return folded;
}

function foldUncached(token: WordToken): string | null {
  if (token.kind === 'number') return foldNumber(token.normal);
  const number = NUMBER_WORDS.get(token.normal);
  if (number !== undefined) return number;
  if (token.stop && !NOT_STOP_WORDS.has(token.normal)) return null;
  return foldWord(token.normal);
}

const foldedNumbers = new Map<string, string | null>();
const foldedStopWords = new Map<string, string | null>();
const foldedWords = new Map<string, string | null>();

/**
 * wink-nlp's stop list drops words that carry the point of a news question ("How long will the
 * order last?", "When is the next summit?"); these are searched for all the same.
 */
const NOT_STOP_WORDS = new Set(['last', 'first', 'next']);

/** Counting words become digits, so "five days" and "5 days" meet ("one" stays a stop word: it is mostly a pronoun). */
const NUMBER_WORDS = new Map(
  ['two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen', 'twenty'].map(
    (word, i) => [word, String(i + 2)] as const,
  ),
);

/** `150,000` and `150000` become one term; leading zeros go; decimals stay as written. */
export function foldNumber(normal: string): string | null {
  const plain = normal.replace(/[,_\s]/g, '');
  const [whole = '', fraction] = plain.split('.');
  const trimmed = whole.replace(/^0+(?=\d)/, '');
  const folded = fraction === undefined ? trimmed : `${trimmed}.${fraction}`;
  return folded.length > 0 ? folded : null;
}

/** Diacritics, apostrophes and inner dots (`u.s.` → `us`) go; one-letter leftovers are dropped. */
export function foldWord(normal: string): string | null {
  if (/^[a-z0-9]+$/.test(normal)) return normal.length > 1 ? normal : null; // most words: nothing to fold
  const folded = normal
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/['’‘`.]/g, '')
    .replace(/^[-–—]+|[-–—]+$/g, '');
  return folded.length > 1 ? folded : null;
}

/** The index term of a folded form: numbers as they are, words stemmed (Porter 2). */
export function termOf(folded: string): string {
  if (/^\d/.test(folded)) return folded;
  // Stemming is regex work and a corpus repeats its words: remember each stem (one entry per word form).
  let term = stems.get(folded);
  if (term === undefined) {
    term = stem(folded);
    if (stems.size < MAX_REMEMBERED) stems.set(folded, term);
  }
  return term;
}

const stems = new Map<string, string>();
const MAX_REMEMBERED = 2_000_000;

/**
 * Hyphenated compounds in a text ("cease-fire", "build-up", "go-between"), each as one word token
 * spelling the parts run together ("ceasefire"): outlets hyphenate differently, so the corpus indexes
 * the joined form beside the parts and a question searches it, and "ceasefire" meets "cease-fire".
 * Runs of 2 to 3 words only (a longer run is a URL slug or a phrase, not a compound), no numbers
 * ("8-year-old"). `tokens` are the text's word tokens in order, with offsets into `text`.
 */
export function hyphenCompounds(text: string, tokens: readonly WordToken[]): Compound[] {
  const compounds: Compound[] = [];
  let first = 0;
  for (let i = 0; i < tokens.length; i++) {
    const next = tokens[i + 1];
    if (next !== undefined && next.start === tokens[i]!.end + 1 && HYPHENS.has(text[tokens[i]!.end]!)) continue;
    // Most tokens stand alone: a run is looked at only when it has 2 or 3 parts.
    const parts = i - first + 1;
    if (parts >= 2 && parts <= 3) {
      const run = tokens.slice(first, i + 1);
      if (run.every((t) => t.kind === 'word')) {
        const token: WordToken = { normal: run.map((t) => t.normal).join(''), kind: 'word', stop: false, capitalised: run[0]!.capitalised, start: run[0]!.start, end: tokens[i]!.end };
        compounds.push({ first, last: i, token });
      }
    }
    first = i + 1;
  }
  return compounds;
}

export interface Compound {
  /** Indexes of its first and last part in the tokens. */
  first: number;
  last: number;
  /** The joined form as a word token spanning the parts. */
  token: WordToken;
}

/** Hyphen-minus, hyphen, non-breaking hyphen. */
const HYPHENS = new Set(['-', '\u2010', '\u2011']);

/**
 * Whether a sentence opens with a personal pronoun ("He provided no details…", "It has also
 * demanded…"): it takes its subject from the sentence before. Not after an opening quote mark — a
 * quoted sentence's pronouns point inside the quotation, not to the sentence before it. `tokens`
 * are the sentence's word tokens, with offsets into it.
 */
export function opensWithPronoun(tokens: readonly WordToken[]): boolean {
  const first = tokens[0];
  return first !== undefined && first.start === 0 && first.capitalised && PRONOUNS.has(first.normal);
}

const PRONOUNS = new Set(['he', 'she', 'it', 'they', 'his', 'her', 'its', 'their']);

/** Whether a text mentions a number, in digits or in words ("5,000", "five", "hundreds", "a dozen"). */
export function mentionsNumber(text: string): boolean {
  return MENTIONS_NUMBER.test(text);
}

const MENTIONS_NUMBER = /\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred|thousand|million|billion|dozen)s?\b/i;
