/**
 * What an answer says about the question's words, for every adapter — the console, `npm run ask`
 * (also its JSON `notes`) and Discord (an answer's footer): how a spelling was searched, and the
 * words no article uses.
 *
 * A spelling note must be true of the articles. The searcher folds every spelling of a name onto
 * the one the corpus uses most (Luhansk → Lugansk), so a fold alone does not mean the articles
 * never write the asker's spelling: Newsweek writes Luhansk, the others Lugansk. When the corpus's
 * vocabulary has the asker's spelling too, the note says the articles use both; only when it never
 * does, that it was searched as the articles spell it.
 */
import type { Answer } from '../cited.js';
import type { Vocabulary } from '../search/variants.js';

/** Every note, as the console prints them and the JSON lists them. */
export function answerNotes(answer: Pick<Answer, 'terms'>, vocabulary: Vocabulary): string[] {
  const unknown = answer.terms.unknown;
  return [...spellingNotes(answer, vocabulary), ...(unknown.length > 0 ? [`no article mentions: ${unknown.join(', ')}`] : [])];
}

/** How each folded spelling was searched, true of the articles (see above). */
export function spellingNotes(answer: Pick<Answer, 'terms'>, vocabulary: Vocabulary): string[] {
  const capital = (w: string) => w.charAt(0).toUpperCase() + w.slice(1);
  // Names as the articles write them: capitalised when the corpus only ever writes them so.
  const shown = (form: string) => form.split(' ').map((w) => (vocabulary.names.has(w) ? capital(w) : w)).join(' ');
  return answer.terms.folded.map(({ from, to }) => {
    // An acronym the articles spell out (EU → European Union).
    if (to.includes(' ')) return `searched “${from.toUpperCase()}” as the articles spell it out, “${shown(to)}”`;
    // Another spelling of a name is a name too, whether or not the articles use it.
    const asked = vocabulary.names.has(to) ? capital(from) : from;
    if ((vocabulary.counts.get(from) ?? 0) > 0) return `the articles spell it both “${asked}” and “${shown(to)}”`;
    return `searched “${asked}” as the articles spell it, “${shown(to)}”`;
  });
}
