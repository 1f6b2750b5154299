/**
 * The machine shape of `npm run figures -- --json`, stable like the ask interface:
 *   {"topic","groups":[{"subject","figures":[{"value","text","qualifier","sentence","sources":[{"id","title","outlet","date","url"}],
 *                                            "speaker","place"}],
 *                       "comparisons":[{"verdict","values":[{"value","text","outlet","speaker"}]}]}]}
 * `qualifier` is "exact", "approximate", "lower bound" or "upper bound"; unknown metadata is null.
 * Added later, as the console shows them: a figure's `speaker` (who the sentence credits with it,
 * null when no one or uncertain) and `place` (null when the sentence names none); a group's
 * `comparisons`, each "agree" or "disagree" with the values compared, or one "one report" entry
 * holding every value when the group's figures were never compared.
 */
import type { Figure, FigureResult } from '../cited.js';

export function figuresToJson(result: FigureResult) {
  const value = (f: Figure) => ({ value: f.value, text: f.text, outlet: f.source.outlet, speaker: f.attribution });
  return {
    topic: result.topic,
    groups: result.groups.map((g) => ({
      subject: g.subject,
      figures: g.figures.map((f) => ({
        value: f.value,
        text: f.text,
        qualifier: f.qualifier,
        sentence: f.sentence,
        sources: [{ id: f.source.articleId, title: f.source.title, outlet: f.source.outlet, date: f.source.date, url: f.source.url }],
        speaker: f.attribution,
        place: f.place,
      })),
      comparisons:
        g.comparisons.length > 0
          ? g.comparisons.map((c) => ({ verdict: c.verdict, values: c.figures.map(value) }))
          : [{ verdict: 'one report' as const, values: g.figures.map(value) }],
    })),
  };
}
