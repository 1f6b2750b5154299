/**
 * The one place that calls wink-nlp. It splits text into sentences and word tokens with exact
 * character offsets, so everything downstream can quote and highlight the original text verbatim.
 */
import winkNLP, { type ItemEntity, type ItemSentence } from 'wink-nlp';
import model from 'wink-eng-lite-web-model';

// Search needs only sentence boundaries; dropping pos/ner/negation roughly doubles throughput.
const nlp = winkNLP(model, ['sbd']);
const its = nlp.its;
// Figures need parts of speech, lemmas and entities; this pipeline runs only over sentences with numbers.
const tagger = winkNLP(model, ['sbd', 'pos', 'ner']);

/**
 * Words wink-nlp's English model knows have lexicon ids below this; a word it meets for the first
 * time (a rare name, a typo) gets the next id up. Read once, before any text is analysed.
 */
const KNOWN_BELOW = nlp.readDoc('qxzjvq').tokens().itemAt(0).out(its.uniqueId);

/** Whether a word (any case) is in the English model's lexicon: an English word, not a slip of the keyboard. */
export function isEnglishWord(word: string): boolean {
  const tokens = nlp.readDoc(word.toLowerCase()).tokens();
  return tokens.length() === 1 && tokens.itemAt(0).out(its.uniqueId) < KNOWN_BELOW;
}

/** Porter 2 stemmer of the same model, applied to our folded forms (its.stem stems the raw token). */
export const stem = model.addons.stem as (word: string) => string;

export interface WordToken {
  /** wink-nlp's normal form: lower case, British/American spelling folded, contractions expanded. */
  normal: string;
  kind: 'word' | 'number';
  stop: boolean;
  /** Written with a capital first letter (a hint that it is a name). */
  capitalised: boolean;
  /** Offsets in the analysed text. */
  start: number;
  end: number;
}

export interface SentenceSpan {
  start: number;
  end: number;
  tokens: WordToken[];
}

/**
 * Sentences of one paragraph (one line of an article). wink-nlp does not break sentences at a
 * single newline, which is why callers split lines first and pass one paragraph at a time.
 */
export function analyzeParagraph(text: string): SentenceSpan[] {
  const doc = nlp.readDoc(text);
  const values = doc.tokens().out(its.value) as string[];
  const spaces = doc.tokens().out(its.precedingSpaces) as string[];
  const types = doc.tokens().out(its.type) as string[];
  const normals = doc.tokens().out(its.normal) as string[];
  const stops = doc.tokens().out(its.stopWordFlag) as unknown as boolean[];
  const cases = doc.tokens().out(its.case) as string[];

  const starts = locateTokens(text, values, spaces);
  const sentences: SentenceSpan[] = [];
  let first = 0;
  doc.sentences().each((sentence: ItemSentence) => {
    const count = sentence.tokens().length();
    const last = first + count - 1;
    if (count > 0) {
      const tokens: WordToken[] = [];
      for (let i = first; i <= last; i++) {
        const kind = types[i] === 'number' ? 'number' : types[i] === 'word' ? 'word' : null;
        if (kind === null) continue;
        tokens.push({
          normal: normals[i]!,
          kind,
          stop: stops[i]!,
          capitalised: cases[i] === 'titleCase',
          start: starts[i]!,
          end: starts[i]! + values[i]!.length,
        });
      }
      sentences.push({ start: starts[first]!, end: starts[last]! + values[last]!.length, tokens });
    }
    first = last + 1;
  });
  return sentences;
}

/** Word tokens of a short text (a question, or an excerpt to highlight), ignoring sentences. */
export function analyzeText(text: string): WordToken[] {
  return analyzeParagraph(text).flatMap((s) => s.tokens);
}

/**
 * Start offset of every token. wink-nlp reproduces the text as preceding spaces + value, so a
 * running cursor normally lands exactly; where it does not (rare normalisations inside the
 * tokenizer) the token is searched for from the cursor, so offsets never drift.
 */
function locateTokens(text: string, values: string[], spaces: string[]): number[] {
  const starts: number[] = new Array(values.length);
  let cursor = 0;
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!;
    let at = cursor + spaces[i]!.length;
    if (text.startsWith(value, at) === false) {
      const found = text.indexOf(value, cursor);
      at = found >= 0 ? found : Math.min(at, text.length);
    }
    starts[i] = at;
    cursor = Math.min(at + value.length, text.length);
  }
  return starts;
}

export interface TaggedToken {
  value: string;
  normal: string;
  lemma: string;
  /** Universal part of speech (NOUN, PROPN, NUM, ADJ, VERB, ADP, PUNCT…). */
  pos: string;
  /** wink-nlp token type: word, number, punctuation, symbol, currency… */
  type: string;
  capitalised: boolean;
  start: number;
  end: number;
}

export interface EntitySpan {
  /** CARDINAL, ORDINAL, DATE, TIME, DURATION, MONEY, PERCENT… */
  type: string;
  /** Token indexes, inclusive. */
  first: number;
  last: number;
}

export interface TaggedText {
  tokens: TaggedToken[];
  entities: EntitySpan[];
}

/** Tokens with part of speech and lemma, and wink-nlp's entities, for one sentence. */
export function tagText(text: string): TaggedText {
  const doc = tagger.readDoc(text);
  const t = doc.tokens();
  const values = t.out(tagger.its.value) as string[];
  const starts = locateTokens(text, values, t.out(tagger.its.precedingSpaces) as string[]);
  const normals = t.out(tagger.its.normal) as string[];
  const lemmas = t.out(tagger.its.lemma as unknown as typeof tagger.its.normal) as string[];
  const pos = t.out(tagger.its.pos) as string[];
  const types = t.out(tagger.its.type) as string[];
  const cases = t.out(tagger.its.case) as string[];
  const tokens = values.map((value, i) => ({
    value,
    normal: normals[i]!,
    lemma: lemmas[i]!,
    pos: pos[i]!,
    type: types[i]!,
    capitalised: cases[i] === 'titleCase' || cases[i] === 'upperCase',
    start: starts[i]!,
    end: starts[i]! + value.length,
  }));
  const entities: EntitySpan[] = [];
  doc.entities().each((entity: ItemEntity) => {
    const { type } = entity.out(tagger.its.detail) as unknown as { type: string };
    const [first, last] = entity.out(tagger.its.span) as unknown as [number, number];
    entities.push({ type, first, last });
  });
  return { tokens, entities };
}
