/**
 * Figures in one sentence: the numbers people ask about (troops, casualties, distances, money),
 * each with its value, qualifier, what it counts and who said it. Works on wink-nlp's tags and
 * entities (CARDINAL, MONEY, PERCENT, DURATION); DATE, TIME and ORDINAL are not figures.
 *
 * Numbers that are not figures, each a named rule (see `exclusionOf`):
 *   year       a four-digit number from 1800 to 2100 with no counted noun ("in 2014")
 *   age        "27-year-old", "aged between 18 and 60", "8-year-old conflict"
 *   reference  part of a name or a reference: "Nord Stream 2", "Articles 3 and 4"
 *   list       numbering at the start of a line: "1.", "(2)"
 *   uncounted  nothing it counts ("including military one")
 *   descriptor a count hyphenated into a name for something else: "the 27-nation bloc" (the EU)
 */
import type { TaggedText, TaggedToken } from '../nlp/analysis.js';
import { speakerOf } from './attribution.js';

export type Qualifier = 'exact' | 'approximate' | 'lower bound' | 'upper bound';
export type FigureKind = 'count' | 'money' | 'percent' | 'duration';

export interface ExtractedFigure {
  value: number;
  /** As printed, with its qualifier words: "more than 60,000", "up to 250,000". */
  text: string;
  /** Character range of `text` in the sentence. */
  start: number;
  end: number;
  qualifier: Qualifier;
  kind: FigureKind;
  /** The noun it counts as printed, lower case ("troops"), or null. */
  subject: string | null;
  /** The noun's lemma ("troop"); the unit for durations ("day"). */
  subjectLemma: string | null;
  /** Who the sentence credits with it, by the rules of attribution.ts ("Ukrainian Defense Minister Oleksii Reznikov"), or null when no one or uncertain. */
  attribution: string | null;
  /** The nearest place or name in the same clause ("Donetsk"), or null. */
  place: string | null;
}

export type Exclusion = 'year' | 'age' | 'reference' | 'list' | 'uncounted' | 'descriptor';

const FIGURE_ENTITIES = new Set(['CARDINAL', 'MONEY', 'PERCENT', 'DURATION']);

const UNITS: Record<string, number> = { hundred: 1e2, thousand: 1e3, million: 1e6, billion: 1e9, trillion: 1e12, k: 1e3, m: 1e6, bn: 1e9 };
const WORD_NUMBERS: Record<string, number> = {
  a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18, nineteen: 19,
  twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90, dozen: 12,
};
/** Plural scale words alone ("hundreds", "tens of thousands") are lower bounds: at least two of them. */
const VAGUE: Record<string, number> = { dozens: 24, tens: 20, hundreds: 200, thousands: 2e3, millions: 2e6, billions: 2e9 };

/** Words before a number that qualify it, longest first. */
const QUALIFIERS: [string[], Qualifier][] = [
  [['more', 'than'], 'lower bound'], [['at', 'least'], 'lower bound'], [['upwards', 'of'], 'lower bound'], [['in', 'excess', 'of'], 'lower bound'],
  [['no', 'fewer', 'than'], 'lower bound'], [['no', 'less', 'than'], 'lower bound'], [['over'], 'lower bound'], [['above'], 'lower bound'],
  [['up', 'to'], 'upper bound'], [['as', 'many', 'as'], 'upper bound'], [['less', 'than'], 'upper bound'], [['fewer', 'than'], 'upper bound'],
  [['at', 'most'], 'upper bound'], [['under'], 'upper bound'], [['below'], 'upper bound'],
  [['an', 'estimated'], 'approximate'], [['estimated'], 'approximate'], [['around'], 'approximate'], [['about'], 'approximate'],
  [['approximately'], 'approximate'], [['roughly'], 'approximate'], [['nearly'], 'approximate'], [['almost'], 'approximate'],
  [['some'], 'approximate'], [['close', 'to'], 'approximate'], [['about'], 'approximate'],
];

/** Kill/death words that turn "14,000 lives" and "14,000 people killed" into one subject. */
const DEATH_WORDS = /\b(kill(?:ed|ing)?|died|dead|deaths?|death toll|fatalit(?:y|ies)|lives)\b/i;
/** Who is counted when a figure counts the dead: "14,000 lives", "four civilians were killed", "two soldiers were killed". */
const VICTIMS = new Set(['life', 'people', 'person', 'civilian', 'soldier', 'serviceman', 'servicemen', 'troop', 'resident', 'child', 'children', 'fighter', 'man', 'men', 'woman', 'women', 'rebel', 'separatist', 'officer']);

export function extractFigures(sentence: string, tagged: TaggedText): ExtractedFigure[] {
  const { tokens } = tagged;
  const found: ExtractedFigure[] = [];
  const excludedEnds = new Set<number>();
  let previousSubject: { subject: string; lemma: string } | null = null;
  for (const entity of tagged.entities) {
    if (!FIGURE_ENTITIES.has(entity.type)) continue;
    const parsed = parseEntity(tokens, entity.first, entity.last, entity.type);
    if (parsed === null) continue;
    const exclusion = exclusionOf(tokens, entity.first, parsed.last, excludedEnds);
    if (exclusion !== null && exclusion !== 'uncounted') {
      excludedEnds.add(entity.last);
      continue;
    }
    // Qualifier words come before the entity ("more than 14,000") or inside it ("around 50").
    const qualifierStart = qualifierBefore(tokens, parsed.first) ?? qualifierInside(tokens, parsed.first, parsed.last);
    const qualifier: Qualifier = qualifierStart?.qualifier ?? parsed.qualifier;
    const first = Math.min(qualifierStart?.index ?? parsed.first, parsed.first);

    let counted = parsed.kind === 'duration' ? parsed.unit : subjectAfter(tokens, parsed.last, parsed.kind);
    if (counted === null && previousSubject !== null && continuesList(tokens, parsed.last)) counted = previousSubject;
    if (counted === null && parsed.kind === 'money') counted = { subject: 'money', lemma: 'money' };
    if (counted === null && parsed.kind === 'percent') counted = { subject: 'percent', lemma: 'percent' };
    if (counted === null) continue; // uncounted: nothing a reader could ask "how many" about
    if (parsed.kind === 'count' && isDescriptor(tokens, parsed.last)) continue;
    previousSubject = counted;

    const start = tokens[first]!.start;
    const end = tokens[parsed.last]!.end;
    found.push({
      value: parsed.value,
      text: sentence.slice(start, end),
      start,
      end,
      qualifier,
      kind: parsed.kind,
      subject: counted.subject,
      subjectLemma: counted.lemma,
      attribution: speakerOf(tokens, first, parsed.last)?.name ?? null,
      place: placeNear(tokens, first, parsed.last),
    });
  }
  return found;
}

/**
 * The figure counts the dead: it counts people (lives, civilians, soldiers…) and killing or death
 * follows it in its clause ("four civilians were killed", "cost more than 14,000 lives").
 * `after` is the sentence from the figure on.
 */
export function countsDeaths(after: string, subjectLemma: string | null): boolean {
  if (subjectLemma === null || !VICTIMS.has(subjectLemma)) return false;
  const clause = after.split(/[;:—–]|,\s+(?:which|who|while|but|and)\b/)[0] ?? after;
  return DEATH_WORDS.test(clause.slice(0, 80));
}

interface ParsedEntity {
  value: number;
  kind: FigureKind;
  qualifier: Qualifier;
  first: number;
  last: number;
  unit: { subject: string; lemma: string } | null;
}

/** The numeric value of an entity's tokens; null when there is no number in it ("years"). */
function parseEntity(tokens: TaggedToken[], first: number, last: number, type: string): ParsedEntity | null {
  let value: number | null = null;
  let qualifier: Qualifier = 'exact';
  let kind: FigureKind = type === 'MONEY' ? 'money' : type === 'PERCENT' ? 'percent' : type === 'DURATION' ? 'duration' : 'count';
  let unit: ParsedEntity['unit'] = null;
  let numberEnd = first;
  for (let i = first; i <= last; i++) {
    const t = tokens[i]!;
    const word = t.normal.toLowerCase();
    if (t.type === 'number') {
      const n = Number(t.value.replace(/[,\s]/g, ''));
      if (!Number.isFinite(n)) return null;
      value = value === null ? n : value * n;
      numberEnd = i;
    } else if (UNITS[word] !== undefined && value !== null) {
      value *= UNITS[word]!;
      numberEnd = i;
    } else if (UNITS[word] !== undefined && value === null && (word === 'hundred' || word === 'thousand' || word === 'million' || word === 'billion')) {
      value = UNITS[word]!; // "million" after "a" or alone
      numberEnd = i;
    } else if (WORD_NUMBERS[word] !== undefined && (word !== 'a' && word !== 'an' ? true : UNITS[tokens[i + 1]?.normal ?? ''] !== undefined)) {
      value = value === null ? WORD_NUMBERS[word]! : value + WORD_NUMBERS[word]!;
      numberEnd = i;
    } else if (VAGUE[word] !== undefined) {
      // "tens of thousands": the vague words multiply; all are lower bounds.
      value = value === null ? VAGUE[word]! : Math.max(value, 1) * (VAGUE[word]! / 2);
      qualifier = 'lower bound';
      numberEnd = i;
    } else if (t.value === '%' || word === 'percent' || word === 'per') {
      kind = 'percent';
      if (word !== 'per') numberEnd = i;
    } else if (kind === 'duration' && t.pos === 'NOUN') {
      unit = { subject: t.value.toLowerCase(), lemma: t.lemma.toLowerCase() };
      numberEnd = Math.max(numberEnd, i);
    }
  }
  if (value === null) {
    // "Tens of thousands", "hundreds" arrive as a bare plural: read the words before it.
    return null;
  }
  if (kind === 'duration' && unit === null) return null;
  // "Tens of thousands" is tagged as "thousands" alone: take in "tens of" before it.
  if (first >= 2 && tokens[first - 1]!.normal === 'of' && VAGUE[tokens[first - 2]!.normal.toLowerCase()] !== undefined) {
    value = VAGUE[tokens[first - 2]!.normal.toLowerCase()]! * (value / 2);
    qualifier = 'lower bound';
    first -= 2;
  }
  if (first >= 1 && ['a', 'an'].includes(tokens[first - 1]!.normal.toLowerCase()) && UNITS[tokens[first]!.normal.toLowerCase()] !== undefined) first -= 1;
  return { value, kind, qualifier, first, last: kind === 'duration' ? Math.max(numberEnd, last) : numberEnd, unit };
}

/** Why the number at tokens[first..last] is not a figure, or null when it is one. */
export function exclusionOf(tokens: TaggedToken[], first: number, last: number, excludedEnds: ReadonlySet<number> = new Set()): Exclusion | null {
  const t = tokens[first]!;
  const next = tokens[last + 1];
  const after = tokens.slice(last + 1, last + 5).map((x) => x.normal.toLowerCase()).join(' ');
  const before = tokens.slice(Math.max(0, first - 4), first).map((x) => x.normal.toLowerCase());
  if (/^(- )?year(s)?( -)? old\b/.test(after) || /^- year - old/.test(after) || before.includes('aged') || before.includes('age') || before.includes('ages')) return 'age';
  if (first === last && t.type === 'number' && /^\d{4}$/.test(t.value) && +t.value >= 1800 && +t.value <= 2100 && next?.pos !== 'NOUN') return 'year';
  const prev = tokens[first - 1];
  if (prev && prev.pos === 'PROPN' && prev.capitalised && t.type === 'number' && first - 1 > 0) return 'reference';
  if (prev && ['and', 'or', ','].includes(prev.normal) && excludedEnds.has(first - 2)) return 'reference';
  if (first === 0 && (next?.value === '.' || next?.value === ')')) return 'list';
  return null;
}

function qualifierInside(tokens: TaggedToken[], first: number, last: number): { index: number; qualifier: Qualifier } | null {
  for (const [words, qualifier] of QUALIFIERS) {
    if (first + words.length > last) continue;
    if (words.every((w, k) => tokens[first + k]!.normal.toLowerCase() === w)) return { index: first, qualifier };
  }
  return null;
}

function qualifierBefore(tokens: TaggedToken[], first: number): { index: number; qualifier: Qualifier } | null {
  for (const [words, qualifier] of QUALIFIERS) {
    const at = first - words.length;
    if (at < 0) continue;
    if (words.every((w, k) => tokens[at + k]!.normal.toLowerCase() === w)) return { index: at, qualifier };
  }
  return null;
}

/**
 * The noun a number counts: the first noun after it, past adjectives, nationalities, hyphenated
 * modifiers ("active-duty personnel") and "of" ("hundreds of explosions"); null if a verb,
 * preposition or clause break comes first.
 */
function subjectAfter(tokens: TaggedToken[], last: number, kind: FigureKind = 'count'): { subject: string; lemma: string } | null {
  // "a 27-nation bloc": the number counts the noun it is hyphenated to.
  const compound = tokens[last + 2];
  if (tokens[last + 1]?.value === '-' && compound?.pos === 'NOUN') return { subject: compound.value.toLowerCase(), lemma: compound.lemma.toLowerCase() };
  // "$3.5 billion in aid", "$2 million for reconstruction": money names what it pays for after a preposition.
  if (kind === 'money' && ['in', 'for', 'of'].includes(tokens[last + 1]?.normal ?? '') && tokens[last + 2]?.pos === 'NOUN') {
    return { subject: tokens[last + 2]!.value.toLowerCase(), lemma: tokens[last + 2]!.lemma.toLowerCase() };
  }
  // A percentage counts only what it is "of" ("40% of residents"); "40% last year" is 40 percent.
  if (kind === 'percent') {
    const of = tokens[last + 1]?.normal === 'of' ? tokens.slice(last + 2, last + 5).find((t) => t.pos === 'NOUN') : undefined;
    return of ? { subject: of.value.toLowerCase(), lemma: of.lemma.toLowerCase() } : null;
  }
  for (let i = last + 1; i < tokens.length && i <= last + 6; i++) {
    const t = tokens[i]!;
    if (t.pos === 'NOUN') {
      // A modifier is not the head: "active-duty personnel", "breakaway Ukrainian regions", "coal miner".
      const next = tokens[i + 1];
      if (next?.value === '-' || next?.pos === 'NOUN' || ((next?.pos === 'PROPN' || next?.pos === 'ADJ') && tokens[i + 2]?.pos === 'NOUN')) continue;
      return { subject: t.value.toLowerCase(), lemma: t.lemma.toLowerCase() };
    }
    if (t.pos === 'ADJ' || t.pos === 'PROPN' || t.value === '-' || (t.pos === 'VERB' && /(ed|ing)$/.test(t.value) && tokens[i + 1]?.pos !== 'ADP')) continue;
    if (t.normal === 'of' && i === last + 1) continue;
    return null;
  }
  return null;
}

/** "the 27-nation bloc": a count hyphenated to a noun that itself modifies a noun names the thing, it is no figure. */
function isDescriptor(tokens: TaggedToken[], last: number): boolean {
  return tokens[last + 1]?.value === '-' && tokens[last + 2]?.pos === 'NOUN' && tokens[last + 3]?.pos === 'NOUN';
}

/** "147,000 troops …, including 9,000 in Belarus": the second number counts the same thing. */
function continuesList(tokens: TaggedToken[], last: number): boolean {
  const next = tokens[last + 1];
  return next === undefined || next.pos === 'ADP' || next.pos === 'PUNCT' || next.pos === 'CCONJ';
}

/**
 * Where a figure applies, when the sentence says so plainly: "9,000 in Belarus", "60,000 residents
 * in Donetsk", or a name right before the verb that reports it ("Luhansk recorded 860").
 */
function placeNear(tokens: TaggedToken[], first: number, last: number): string | null {
  for (let i = last + 1; i < tokens.length && i <= last + 4; i++) {
    const t = tokens[i]!;
    if (t.value === ',' || t.pos === 'VERB') break;
    if (t.normal === 'in' && isName(tokens[i + 1])) return namesFrom(tokens, i + 1);
  }
  const verb = tokens[first - 1];
  const name = tokens[first - 2];
  if (verb?.pos === 'VERB' && isName(name)) return name!.value;
  return null;
}

/** A name and the names coordinated with it: "Donetsk and Luhansk", "Kyiv, Odesa and Kharkiv". */
function namesFrom(tokens: TaggedToken[], at: number): string {
  const names = [tokens[at]!.value];
  let i = at + 1;
  while ((tokens[i]?.normal === 'and' || tokens[i]?.value === ',') && isName(tokens[i + 1])) {
    names.push(tokens[i + 1]!.value);
    i += 2;
  }
  return names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

const CALENDAR = /^(monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|may|june|july|august|september|october|november|december|today|yesterday)$/i;

function isName(t: TaggedToken | undefined): boolean {
  return t !== undefined && t.pos === 'PROPN' && t.capitalised && !CALENDAR.test(t.value) && !isNationality(t);
}

function isNationality(t: TaggedToken): boolean {
  return /(an|ian|ese|ish|i)$/.test(t.value) && !/stan$/.test(t.value) && t.value !== 'Luhansk';
}
