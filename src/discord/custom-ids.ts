/**
 * custom_id strings of Cited's buttons (at most 100 characters). They carry only positions; the
 * question itself comes from the message the button is on (see answer-memory.ts).
 *   more:<offset>       next page of excerpts, starting at offset
 *   cites:<offset>      details of the sources cited by the page starting at offset
 *   sources:<page>      a page of /sources
 *   figs:<page>         a page of /figures (the topic is read back from the embed title)
 */
export const customIds = {
  more: (offset: number) => `more:${offset}`,
  citedSources: (offset: number) => `cites:${offset}`,
  sourcesPage: (page: number) => `sources:${Math.max(0, page)}`,
  figuresPage: (page: number) => `figs:${Math.max(0, page)}`,
};

export type ButtonAction = { kind: 'more' | 'cites'; offset: number } | { kind: 'sources'; page: number } | { kind: 'figs'; page: number };

/** Reads a custom_id; null for anything not made by Cited (or tampered with). */
export function parseCustomId(id: string): ButtonAction | null {
  const match = /^(more|cites|sources|figs):(\d{1,6})$/.exec(id);
  if (!match) return null;
  const n = Number(match[2]);
  const kind = match[1]!;
  if (kind === 'sources') return { kind, page: n };
  if (kind === 'figs') return { kind, page: n };
  return { kind: kind as 'more' | 'cites', offset: n };
}
