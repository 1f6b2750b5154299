/**
 * Outlets often run the same wire sentence with small edits. Two sentences are near-identical
 * when their term sets overlap strongly: Jaccard similarity at or above `threshold`, or one
 * containing nearly all (90%) of the other's terms when that one has at least six terms.
 */
export function similarity(a: ReadonlySet<string>, b: ReadonlySet<string>): { jaccard: number; containment: number } {
  let shared = 0;
  for (const t of a) if (b.has(t)) shared++;
  const union = a.size + b.size - shared;
  const smaller = Math.min(a.size, b.size);
  return { jaccard: union === 0 ? 0 : shared / union, containment: smaller === 0 ? 0 : shared / smaller };
}

export function nearIdentical(a: ReadonlySet<string>, b: ReadonlySet<string>, threshold: number): boolean {
  const { jaccard, containment } = similarity(a, b);
  return jaccard >= threshold || (Math.min(a.size, b.size) >= 6 && containment >= 0.9);
}

/**
 * Groups items (already best first) so that each group's first item leads and the rest are its
 * near-identical copies. Comparing with group leads only keeps groups from drifting apart.
 */
export function groupNearIdentical<T>(items: T[], termsOf: (item: T) => ReadonlySet<string>, threshold: number): T[][] {
  const groups: { lead: ReadonlySet<string>; items: T[] }[] = [];
  for (const item of items) {
    const terms = termsOf(item);
    const group = groups.find((g) => nearIdentical(g.lead, terms, threshold));
    if (group) group.items.push(item);
    else groups.push({ lead: terms, items: [item] });
  }
  return groups.map((g) => g.items);
}
