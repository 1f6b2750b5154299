/**
 * What kind of answer a question asks for (as the TREC question-answering systems typed
 * questions, Li & Roth 2002, by hand-written patterns here): a number, a time, a person, a place,
 * someone's words, or anything. A quote that cannot hold that kind of answer — no number for "how
 * many", no time for "when" — is not the confident answer, however many words it shares.
 *
 * Judged on the sentence text with cheap patterns, so it can run on every candidate of every
 * question: news sentences mark these answers plainly ("150,000", "on Monday", "said").
 */
import type { WordToken } from '../nlp/analysis.js';
import { mentionsNumber } from '../nlp/terms.js';

export type AnswerKind = 'money' | 'number' | 'time' | 'person' | 'place' | 'words' | 'any';

/** Leading chatter ("hey, quick question:", "so,") is skipped before the question word. */
const KINDS: [AnswerKind, RegExp][] = [
  ['money', /\bhow much\b.{0,60}\b(worth|cost|costs|pay|paid|spend|spent|money|aid|funding|loan|loans|price|budget)\b|\bhow much (money|aid|funding)\b|\bwhat (is|was) .{0,40}\b(worth|cost)\b/i],
  ['number', /\bhow (many|much|long|far|big|large|high|old|tall|wide|deep|strong)\b|\bwhat (number|percentage|share|proportion|amount|size|sum|figure|toll|death toll)\b|\bby how much\b/i],
  ['time', /\bwhen\b|\bwhat (year|date|day|time|month|week)\b|\bwhich (year|date|day|month)\b|\bsince when\b|\bhow soon\b/i],
  ['words', /\bwhat (did|does|do|has|have|had|was|is)\b.{1,60}\b(say|said|tell|told|claim|claimed|warn|warned|announce|announced|write|wrote|think|argue|argued|call|called|mean)\b|\baccording to\b|\bhow did\b.{1,60}\b(react|respond|reply|describe)\b/i],
  ['person', /\bwho\b|\bwhom\b|\bwhose\b|\bwhich (official|officials|leader|leaders|minister|ministers|president|spokesman|spokeswoman|diplomat|diplomats|person|people|outlet|agency)\b|\bwhat (is|was) (the|his|her|their) name\b|\bwhat('s| is) the name of\b/i],
  ['place', /\bwhere\b|\bwhich (city|cities|town|towns|region|regions|country|countries|village|villages|border|borders|capital)\b/i],
];

/** A question that opens with an auxiliary ("Did Borrell say who…", "Is Moscow…") asks yes or no: any passage may answer it. */
const YES_NO = /^(is|are|was|were|do|does|did|has|have|had|can|could|will|would|should|shall|may|might|must)\b/i;
/** Chatter before the question proper: "hey, quick question:", "so,", "ok so". */
const CHATTER = /^.{0,40}?(question|wondering|curious|ok|okay|so|hey|hi|hello|please|pls)\b[\s,:;.!-]*/i;
/** "When", "who", "where" ask for that only as the question's opening words, not in a clause later on ("…react when he heard"). */
const OPENING_ONLY = new Set<AnswerKind>(['time', 'person', 'place']);

export function answerKind(question: string): AnswerKind {
  const head = question.trim().replace(CHATTER, '').trim();
  if (YES_NO.test(head)) return 'any';
  const opening = head.split(/\s+/).slice(0, 4).join(' ');
  for (const [kind, pattern] of KINDS) if (pattern.test(OPENING_ONLY.has(kind) ? opening : head)) return kind;
  return 'any';
}

/** A day, a month, a year, or a span of time counted ("30 days", "last week"); vaguer words ("earlier", "soon") do not date anything. */
const TIME = /\b(several|few|many|couple of) (days|weeks|months|years|hours)\b|\bfor (days|weeks|months|years)\b|\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec|today|yesterday|tomorrow|tonight|overnight|weekend)\b|\b(last|next|this|past|coming) (week|month|year|decade|weekend|spring|summer|autumn|winter)\b|\b\d+ (days?|weeks?|months?|years?|hours?)\b|\b(days?|weeks?|months?|years?|hours?) ago\b|\b(1[89]|20)\d\d\b/i;
/** Money: a currency sign or word, or an amount in millions or billions. */
const MONEY = /[$€£₽]|\b(dollars?|euros?|pounds|roubles?|rubles?|usd|eur)\b|\b(million|billion|trillion|bn|mn)\b/i;
const SAYING = /\b(said|says|say|saying|told|tells|tell|telling|stated|states|stating|added|adds|adding|warned|warns|warning|announced|announces|announcing|claimed|claims|claiming|wrote|writes|writing|insisted|insists|insisting|argued|argues|arguing|noted|explained|accused|accusing|urged|urging|called|calling|described|declared|asserted|stressed|emphasised|emphasized|signalled|signaled|according to|quoted|reported|reports|denied|denies|dismissed|confirmed|admitted|shocked|pleaded)\b|[“"]/i;
/** "The third time", "a second attack": ordinals answer "how many times". */
const ORDINAL = /\b(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|twice|once)\b/i;
/** A capitalised word past the start of a sentence: most often a name. */
const NAME = /(?<![.!?]\s|^)(?<=\s|\(|“|")[A-Z][\p{L}’'-]+/u;

/**
 * Whether `text` (a candidate passage) can hold the kind of answer asked for. `questionWords` are
 * the question's own words in lower case: a person or place the question already names is not
 * the answer to "who" or "where".
 */
export function canHold(kind: AnswerKind, text: string, questionWords: ReadonlySet<string>): boolean {
  switch (kind) {
    case 'any':
      return true;
    case 'money':
      return MONEY.test(text);
    case 'number': {
      const own = text.replace(questionNumbers(questionWords), ' ');
      return mentionsNumber(own) || ORDINAL.test(own) || TIME.test(own);
    }
    case 'time':
      return TIME.test(text);
    case 'words':
      return SAYING.test(text);
    case 'person':
    case 'place':
      return newName(text, questionWords);
  }
}

/** The question's own numbers ("Nord Stream 2", "the 27 EU states") are no answer to "how many": they are taken out first. */
function questionNumbers(questionWords: ReadonlySet<string>): RegExp {
  const numbers = [...questionWords].filter((w) => /^\d[\d,.]*$/.test(w));
  return numbers.length === 0 ? /(?!)/g : new RegExp(`\\b(${numbers.map((n) => n.replace(/[.,]/g, '\\$&')).join('|')})\\b`, 'g');
}

function newName(text: string, questionWords: ReadonlySet<string>): boolean {
  const names = text.match(new RegExp(NAME.source, 'gu')) ?? [];
  return names.some((name) => !questionWords.has(name.toLowerCase().replace(/['’]s$/, '')));
}

/** Counting words that stand for a number in a passage ("five", "hundreds", "a dozen"). */
const NUMBER_WORD = /^(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred|hundreds|thousand|thousands|million|millions|billion|billions|dozen|dozens)$/;
const REPORTING = new Set(['said', 'says', 'say', 'told', 'tells', 'tell', 'stated', 'states', 'added', 'adds', 'warned', 'warns', 'announced', 'announces', 'claimed', 'claims', 'wrote', 'writes', 'insisted', 'insists', 'argued', 'argues', 'noted', 'explained', 'accused', 'urged', 'called', 'described', 'declared', 'asserted', 'stressed', 'emphasised', 'emphasized', 'according', 'quoted', 'reported', 'signalled', 'signaled', 'denied', 'dismissed', 'confirmed', 'admitted', 'suggested', 'predicted', 'promised', 'vowed', 'threatened', 'acknowledged']);

/** A passage's word tokens, each with its index term (null when it carries none). */
export interface PassageTokens {
  tokens: readonly WordToken[];
  terms: readonly (string | null)[];
}

/**
 * The finer test, where the question says what it wants: for "how many troops", a number printed
 * just before the thing counted ("150,000 troops", "thousands of Russian troops"), not a number of
 * something else; for "what did Peskov say", Peskov next to a reporting verb (he is the one
 * speaking, not someone spoken of). `target` holds the counted thing's or the speaker's terms;
 * without one, the coarse test (`canHold`) decides.
 */
export function holdsExactly(kind: AnswerKind, passage: PassageTokens, target: ReadonlySet<string>): boolean {
  if (target.size === 0 || (kind !== 'number' && kind !== 'words')) return true;
  const { tokens, terms } = passage;
  const at = terms.flatMap((t, i) => (t !== null && target.has(t) ? [i] : []));
  if (kind === 'number') {
    const numbers = tokens.flatMap((t, i) => (t.kind === 'number' || NUMBER_WORD.test(t.normal) ? [i] : []));
    return at.some((i) => numbers.some((n) => n < i && i - n <= 4));
  }
  const saying = tokens.flatMap((t, i) => (REPORTING.has(t.normal) ? [i] : []));
  // "Eduard Basurin, the spokesman for the Donetsk People's Militia, said": an apposition may stand between.
  return at.some((i) => saying.some((v) => Math.abs(v - i) <= 12));
}

const SPEAKING_QUESTION = new Set(['say', 'said', 'tell', 'told', 'claim', 'claimed', 'warn', 'warned', 'announce', 'announced', 'write', 'wrote', 'think', 'argue', 'argued', 'call', 'called', 'mean', 'react', 'respond', 'reply', 'describe']);

/**
 * What the question asks about, for `holdsExactly`: for a number, the first noun after "how
 * many/much" ("how many Russian troops" → troops); for someone's words, the names in the question.
 * `tokens` are the question's word tokens; `posAt` gives a token's part of speech by its offset.
 */
export function askedAbout(kind: AnswerKind, tokens: readonly WordToken[], posAt: (start: number) => string | undefined, nameAt: (i: number) => boolean): number[] {
  if (kind === 'words') {
    // The speaker: the names between "did/does/has" and the verb of saying ("What did Dmitry Peskov tell…").
    const verb = tokens.findIndex((t) => SPEAKING_QUESTION.has(t.normal));
    const from = tokens.findIndex((t, i) => (i < verb || verb < 0) && ['did', 'does', 'do', 'has', 'have', 'had', 'was', 'is', 'to'].includes(t.normal));
    const names = tokens.flatMap((_, i) => (nameAt(i) && i > from && (verb < 0 || i < verb) ? [i] : []));
    return names;
  }
  if (kind !== 'number') return [];
  const how = tokens.findIndex((t, i) => t.normal === 'how' && (tokens[i + 1]?.normal === 'many' || tokens[i + 1]?.normal === 'much'));
  if (how < 0) return [];
  for (let i = how + 2; i < Math.min(tokens.length, how + 6); i++) {
    const pos = posAt(tokens[i]!.start);
    if (pos === 'NOUN') return [i];
    if (pos !== 'ADJ' && pos !== 'PROPN' && pos !== 'NUM') break;
  }
  return [];
}
