/**
 * Words for figures, shared by every renderer: how a figure is credited and how a comparison is
 * stated. Every value is quoted as the article printed it.
 */
import type { Comparison, Figure } from './figures.js';

/** "~" approximate, "≥" lower bound, "≤" upper bound, "" exact. */
export function qualifierMark(figure: Figure): string {
  return { exact: '', approximate: '~', 'lower bound': '≥', 'upper bound': '≤' }[figure.qualifier];
}

/** "NDTV, 2022-02-23" (outlet and date, "unknown" where the article does not say). */
export function sourceLabel(figure: Figure): string {
  return `${figure.source.outlet ?? 'unknown outlet'}, ${figure.source.date ?? 'date unknown'}`;
}

/** "according to Ukrainian Defense Minister Oleksii Reznikov · in Belarus", or "". */
export function contextLabel(figure: Figure): string {
  const parts: string[] = [];
  if (figure.attribution) parts.push(`according to ${figure.attribution}`);
  if (figure.place) parts.push(`in ${figure.place}`);
  return parts.join(' · ');
}

/**
 * One plain sentence per comparison, values grouped: "Sources agree: more than 14,000 (NDTV) and
 * Over 14,000 (Rashtranews)." / "Sources disagree: 150,000 (NDTV, according to Western capitals;
 * Rashtranews, an estimate) against 147,000 (Rashtranews, according to …)."
 */
export function comparisonSentence(comparison: Comparison): string {
  const credit = (f: Figure) => [f.source.outlet ?? 'unknown outlet', f.attribution ? `according to ${f.attribution}` : '', f.qualifier === 'approximate' ? 'an estimate' : ''].filter(Boolean).join(', ');
  if (comparison.verdict === 'agree') {
    const items = comparison.figures.map((f) => `${f.text} (${credit(f)})`);
    return `Sources agree: ${joinList(items)}.`;
  }
  const byValue = new Map<number, Figure[]>();
  for (const f of comparison.figures) byValue.set(f.value, [...(byValue.get(f.value) ?? []), f]);
  const blocks = [...byValue.entries()].map(([value, figures]) => `${value.toLocaleString('en-US')} (${figures.map(credit).join('; ')})`);
  return `Sources disagree: ${blocks.join(' against ')}.`;
}

function joinList(items: string[]): string {
  return items.length <= 2 ? items.join(' and ') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}
