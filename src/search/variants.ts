/**
 * Spelling variants of one name, learnt from the corpus's own vocabulary: Kyiv/Kiev,
 * Luhansk/Lugansk, Zelensky/Zelenskyy, Donbas/Donbass. Outlets transliterate differently, and a
 * question spelled one way must find sentences spelled the other.
 *
 * The rule (see `areVariants`), applied to words the corpus writes with a capital letter and never
 * in lower case ("names"):
 *   - both at least `minLength` letters and the same first letter;
 *   - not inflections of one stem (Russia/Russian, Russias/Russian, Putin/Putins): the endings
 *     after their common start are s, es, n, an, ian or nothing, unless the shorter already ends
 *     in the letter added (Donbas → Donbass is a spelling);
 *   - one edit apart (Luhansk/Lugansk), or two edits apart with the same Soundex key (Kyiv/Kiev).
 * Candidates come from shared one-deletion keys (as in SymSpell), so no pair of words is compared
 * unless they could be variants. `corpus/aliases.txt` adds groups no rule infers and keeps apart
 * pairs the rule should not join. Each group is folded onto its most frequent spelling.
 */
import { distance } from 'fastest-levenshtein';

export interface AliasRules {
  /** Groups of spellings to treat as one; the first of each group is the canonical form. */
  groups: string[][];
  /** Pairs never to join by rule. */
  apart: [string, string][];
}

export const noAliases: AliasRules = { groups: [], apart: [] };

const MIN_LENGTH = 4;
/** Ordinary words (not names) are corrected in questions only when this long and one edit away. */
const MIN_WORD_LENGTH = 6;
const INFLECTIONS = ['s', 'es', 'n', 'an', 'ian'];

export function soundex(word: string): string {
  const codes: Record<string, string> = {
    b: '1', f: '1', p: '1', v: '1',
    c: '2', g: '2', j: '2', k: '2', q: '2', s: '2', x: '2', z: '2',
    d: '3', t: '3', l: '4', m: '5', n: '5', r: '6',
  };
  const letters = word.toLowerCase().replace(/[^a-z]/g, '');
  if (letters.length === 0) return '';
  let key = letters[0]!.toUpperCase();
  let previous = codes[letters[0]!] ?? '';
  for (const letter of letters.slice(1)) {
    const code = codes[letter] ?? '';
    if (code !== '' && code !== previous) key += code;
    // h and w do not separate equal codes; vowels do.
    if (letter !== 'h' && letter !== 'w') previous = code;
    if (key.length === 4) break;
  }
  return key.padEnd(4, '0');
}

/**
 * Whether a and b are one stem with different endings (Russia/Russian, Russias/Russian,
 * Putin/Putins), rather than two spellings. A doubled final letter is a spelling (Donbas/Donbass).
 */
function isInflection(a: string, b: string): boolean {
  let common = 0;
  while (common < a.length && common < b.length && a[common] === b[common]) common++;
  const stem = a.slice(0, common);
  const endings = [a.slice(common), b.slice(common)];
  if (!endings.every((e) => e === '' || INFLECTIONS.includes(e))) return false;
  const added = endings.find((e) => e !== '');
  return !(endings.includes('') && added !== undefined && stem.endsWith(added[0]!));
}

/** True when `a` and `b` look like two spellings of one name. */
export function areVariants(a: string, b: string): boolean {
  if (a === b) return false;
  if (Math.min(a.length, b.length) < MIN_LENGTH || a[0] !== b[0]) return false;
  if (isInflection(a, b)) return false;
  const edits = distance(a, b);
  return edits === 1 || (edits === 2 && soundex(a) === soundex(b));
}

function deletionKeys(word: string): string[] {
  const keys = [word];
  for (let i = 0; i < word.length; i++) keys.push(word.slice(0, i) + word.slice(i + 1));
  return keys;
}

/** Words that share a one-deletion key with `word`, from a key index built by `indexKeys`. */
function candidates(word: string, keyIndex: Map<string, string[]>): Set<string> {
  const found = new Set<string>();
  for (const key of deletionKeys(word)) for (const other of keyIndex.get(key) ?? []) found.add(other);
  found.delete(word);
  return found;
}

function indexKeys(words: Iterable<string>): Map<string, string[]> {
  const index = new Map<string, string[]>();
  for (const word of words) {
    for (const key of new Set(deletionKeys(word))) {
      const list = index.get(key);
      if (list) list.push(word);
      else index.set(key, [word]);
    }
  }
  return index;
}

export interface Vocabulary {
  /** Folded form → occurrences, over every word of the corpus. */
  counts: Map<string, number>;
  /** Folded forms the corpus only ever writes with a capital letter. */
  names: Set<string>;
}

export class Variants {
  private readonly canonicalOf = new Map<string, string>();
  private readonly nameKeys: Map<string, string[]>;
  /** Deletion keys of every word, for correcting a question's typos; built on the first correction. */
  private wordKeys: Map<string, string[]> | null = null;

  constructor(
    readonly vocabulary: Vocabulary,
    aliases: AliasRules = noAliases,
  ) {
    const { names, counts } = vocabulary;
    this.nameKeys = indexKeys(names);

    const parent = new Map<string, string>();
    const find = (w: string): string => {
      let root = w;
      while (parent.has(root) && parent.get(root) !== root) root = parent.get(root)!;
      parent.set(w, root);
      return root;
    };
    const union = (a: string, b: string) => {
      const ra = find(a), rb = find(b);
      if (ra !== rb) parent.set(rb, ra);
    };
    const apart = new Set(aliases.apart.map(([a, b]) => [a, b].sort().join('\u0000')));

    for (const name of names) {
      for (const other of candidates(name, this.nameKeys)) {
        if (other < name) continue; // each pair once
        if (apart.has(name + '\u0000' + other)) continue;
        if (areVariants(name, other)) union(name, other);
      }
    }
    for (const group of aliases.groups) for (const w of group.slice(1)) union(group[0]!, w);

    const members = new Map<string, string[]>();
    for (const w of parent.keys()) {
      const root = find(w);
      const list = members.get(root);
      if (list) list.push(w);
      else members.set(root, [w]);
    }
    const preferred = new Map(aliases.groups.flatMap((g) => g.map((w) => [w, g[0]!] as const)));
    for (const group of members.values()) {
      if (group.length < 2) continue;
      const aliased = group.map((w) => preferred.get(w)).find((w) => w !== undefined);
      const canonical =
        aliased ??
        [...group].sort((a, b) => (counts.get(b) ?? 0) - (counts.get(a) ?? 0) || a.localeCompare(b))[0]!;
      for (const w of group) if (w !== canonical) this.canonicalOf.set(w, canonical);
    }
  }

  /** The form every spelling of this word is indexed under (the word itself if it has no variants). */
  canonical(word: string): string {
    return this.canonicalOf.get(word) ?? word;
  }

  /**
   * For a question word the corpus never uses: the corpus spelling it most likely means — a name
   * variant (Zelenskiy → zelensky) or a one-letter slip in a longer word (explosoins) — or null.
   * `englishWord` says the word is in an English lexicon: then it is no slip ("bought" is not
   * "sought"), and a name it may be written for must also sound the same (the lexicon knows "kiev",
   * which is Kyiv, but "price" is not "Prime").
   */
  correct(word: string, englishWord = false): string | null {
    if (this.vocabulary.counts.has(word) || /^\d/.test(word)) return null;
    const pick = (options: string[]) =>
      options.sort((a, b) => (this.vocabulary.counts.get(b) ?? 0) - (this.vocabulary.counts.get(a) ?? 0) || a.localeCompare(b))[0];
    const names = [...candidates(word, this.nameKeys)].filter((n) => areVariants(word, n) && (!englishWord || soundex(word) === soundex(n)));
    if (names.length > 0) return this.canonical(pick(names)!);
    if (englishWord || word.length < MIN_WORD_LENGTH) return null;
    this.wordKeys ??= indexKeys([...this.vocabulary.counts.keys()].filter((w) => w.length >= MIN_WORD_LENGTH - 1 && !/^\d/.test(w)));
    const words = [...candidates(word, this.wordKeys)].filter((w) => distance(word, w) === 1 && !isInflection(word, w));
    return words.length > 0 ? this.canonical(pick(words)!) : null;
  }

  /** Every group of spellings folded together, canonical form first (for inspection and tests). */
  groups(): string[][] {
    const byCanonical = new Map<string, string[]>();
    for (const [w, c] of this.canonicalOf) byCanonical.set(c, [...(byCanonical.get(c) ?? [c]), w]);
    return [...byCanonical.values()].map((g) => [g[0]!, ...g.slice(1).sort()]);
  }
}

/**
 * Parses `aliases.txt`: `a = b = c` joins spellings (the first is shown and indexed),
 * `a != b` keeps two apart; `#` starts a comment. Bad lines are reported and skipped.
 */
export function parseAliases(text: string, onBadLine: (line: number, why: string) => void): AliasRules {
  const rules: AliasRules = { groups: [], apart: [] };
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/#.*/, '').trim();
    if (line === '') return;
    const words = (s: string) => s.split('=').map((w) => w.trim().toLowerCase()).filter((w) => w !== '');
    if (line.includes('!=')) {
      const [a, b, ...rest] = line.split('!=').map((w) => w.trim().toLowerCase());
      if (!a || !b || rest.length > 0 || /\s|=/.test(a + b)) return onBadLine(i + 1, 'write "a != b" with one word on each side');
      rules.apart.push([a, b]);
    } else if (line.includes('=')) {
      const group = words(line);
      if (group.length < 2 || group.some((w) => /\s/.test(w))) return onBadLine(i + 1, 'write "a = b", one word per spelling');
      rules.groups.push(group);
    } else {
      onBadLine(i + 1, 'expected "a = b" (same name) or "a != b" (different names)');
    }
  });
  return rules;
}
