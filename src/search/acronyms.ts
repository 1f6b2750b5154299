/**
 * Acronyms the corpus spells out: "European Union" answers a question about the EU, "the
 * Organization for Security and Cooperation in Europe" one about the OSCE. Learnt from the corpus:
 * every run of capitalised words (with of, for, and, in, the, 's inside) gives the acronym of its
 * initials; a question word the corpus never uses that is such an acronym is searched as the words.
 */
import type { WordToken } from '../nlp/analysis.js';
import { foldWord } from '../nlp/terms.js';

const CONNECTORS = new Set(['of', 'for', 'and', 'in', 'the', "'s", '’s', 'on']);
const MIN = 2;
const MAX = 6;

export class Acronyms {
  private readonly expansions = new Map<string, Map<string, number>>();

  /** Learns from one sentence's tokens (all runs of two to six capitalised words). */
  learn(tokens: readonly WordToken[]): void {
    let run: WordToken[] = [];
    const flush = () => {
      while (run.length > 0 && CONNECTORS.has(run.at(-1)!.normal)) run.pop();
      const words = run.filter((t) => t.capitalised);
      for (let from = 0; from + MIN <= words.length; from++) {
        for (let to = from + MIN; to <= Math.min(words.length, from + MAX); to++) {
          const part = words.slice(from, to);
          const acronym = part.map((t) => t.normal[0]).join('');
          const expansion = part.map((t) => foldWord(t.normal) ?? t.normal).join(' ');
          const counts = this.expansions.get(acronym) ?? new Map<string, number>();
          counts.set(expansion, (counts.get(expansion) ?? 0) + 1);
          this.expansions.set(acronym, counts);
        }
      }
      run = [];
    };
    tokens.forEach((t, i) => {
      const adjacent = i === 0 || tokens[i - 1]!.end + 2 >= t.start; // no punctuation between
      if (!adjacent) flush();
      if (t.capitalised && t.kind === 'word') run.push(t);
      else if (run.length > 0 && CONNECTORS.has(t.normal)) run.push(t);
      else flush();
    });
    flush();
  }

  /** What was learnt, for a snapshot. */
  state(): [string, [string, number][]][] {
    return [...this.expansions].map(([acronym, counts]) => [acronym, [...counts]]);
  }

  static restore(state: [string, [string, number][]][]): Acronyms {
    const acronyms = new Acronyms();
    for (const [acronym, counts] of state) acronyms.expansions.set(acronym, new Map(counts));
    return acronyms;
  }

  /** The words an acronym stands for in this corpus (the most frequent spelling-out), or null. */
  expand(word: string): string[] | null {
    if (word.length < MIN || word.length > MAX || !/^[a-z]+$/.test(word)) return null;
    const counts = this.expansions.get(word);
    if (!counts) return null;
    const [best] = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    return best ? best[0].split(' ') : null;
  }
}
