/**
 * custom_id strings of Cited's buttons, menus and forms (at most 100 characters). They carry
 * positions and record ids only; the question itself comes from the answer's record.
 *   more:<offset>         next page of excerpts, starting at offset
 *   cites:<offset>        details of the sources cited by the page starting at offset
 *   sources:<page>        a page of /sources
 *   figs:<page>           a page of /figures (the topic is read back from the embed title)
 *   report                report the answer this button is under (opens a form)
 *   mod:keep:<report>     review: keep the answer
 *   mod:retract:<report>  review: retract it (opens a form for the reason)
 *   mod:suppress:<report> review: menu of its excerpts (x:<n>) and sources (s:<article id>)
 * Forms (modals): report:<message>, retract:<report>, supx:<report>:<n>, sups:<report>:<article id>.
 */
import { ARTICLE_ID_CHARS, ARTICLE_ID_MAX } from '../corpus/article-id.js';

export const customIds = {
  more: (offset: number) => `more:${offset}`,
  citedSources: (offset: number) => `cites:${offset}`,
  sourcesPage: (page: number) => `sources:${Math.max(0, page)}`,
  figuresPage: (page: number) => `figs:${Math.max(0, page)}`,
  report: () => 'report',
  review: (action: 'keep' | 'retract' | 'suppress', reportId: number) => `mod:${action}:${reportId}`,
  reportForm: (messageId: string) => `report:${messageId}`,
  retractForm: (reportId: number) => `retract:${reportId}`,
  suppressForm: (reportId: number, choice: string) => (choice.startsWith('x:') ? `supx:${reportId}:${choice.slice(2)}` : `sups:${reportId}:${choice.slice(2)}`),
};

export type ButtonAction =
  | { kind: 'more' | 'cites'; offset: number }
  | { kind: 'sources'; page: number }
  | { kind: 'figs'; page: number }
  | { kind: 'report' }
  | { kind: 'review'; action: 'keep' | 'retract' | 'suppress'; reportId: number };

export type FormAction =
  | { kind: 'report'; messageId: string }
  | { kind: 'retract'; reportId: number }
  | { kind: 'suppress-excerpt'; reportId: number; excerpt: number }
  | { kind: 'suppress-source'; reportId: number; articleId: string };

/** Reads a button's or menu's custom_id; null for anything not made by Cited (or tampered with). */
export function parseCustomId(id: string): ButtonAction | null {
  if (id === 'report') return { kind: 'report' };
  const review = /^mod:(keep|retract|suppress):(\d{1,12})$/.exec(id);
  if (review) return { kind: 'review', action: review[1] as 'keep' | 'retract' | 'suppress', reportId: Number(review[2]) };
  const match = /^(more|cites|sources|figs):(\d{1,6})$/.exec(id);
  if (!match) return null;
  const n = Number(match[2]);
  const kind = match[1]!;
  if (kind === 'sources') return { kind, page: n };
  if (kind === 'figs') return { kind, page: n };
  return { kind: kind as 'more' | 'cites', offset: n };
}

/** An article id is what corpus/article-id.ts makes of a file name: letters and digits of any script, _ . -, at most 80. */
const SUPPRESS_SOURCE = new RegExp(`^sups:(\\d{1,12}):([${ARTICLE_ID_CHARS}]{1,${ARTICLE_ID_MAX}})$`, 'u');

export function parseFormId(id: string): FormAction | null {
  let m = /^report:(\d{1,25})$/.exec(id);
  if (m) return { kind: 'report', messageId: m[1]! };
  m = /^retract:(\d{1,12})$/.exec(id);
  if (m) return { kind: 'retract', reportId: Number(m[1]) };
  m = /^supx:(\d{1,12}):(\d{1,2})$/.exec(id);
  if (m) return { kind: 'suppress-excerpt', reportId: Number(m[1]), excerpt: Number(m[2]) };
  m = SUPPRESS_SOURCE.exec(id);
  if (m) return { kind: 'suppress-source', reportId: Number(m[1]), articleId: m[2]! };
  return null;
}
