/**
 * The machine shape of `npm run figures -- --json`, stable like the ask interface:
 *   {"topic","groups":[{"subject","figures":[{"value","text","qualifier","sentence","sources":[{"id","title","outlet","date","url"}]}]}]}
 * `qualifier` is "exact", "approximate", "lower bound" or "upper bound"; unknown metadata is null.
 */
import type { FigureResult } from '../cited.js';

export function figuresToJson(result: FigureResult) {
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
      })),
    })),
  };
}

