/**
 * Choosing the best k of many scored sentences without sorting them all: a quickselect over a
 * copy of the scores gives the k-th best score, and only the sentences at or above it are sorted.
 */

/** The k-th largest (1-based) of values[0..n); values is reordered. Expected O(n). */
export function kthLargest(values: Float64Array, n: number, k: number): number {
  let lo = 0;
  let hi = n - 1;
  const target = k - 1;
  while (lo < hi) {
    const pivot = values[(lo + hi) >> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i]! > pivot) i++;
      while (values[j]! < pivot) j--;
      if (i <= j) {
        const t = values[i]!;
        values[i] = values[j]!;
        values[j] = t;
        i++;
        j--;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else break;
  }
  return values[target]!;
}

/**
 * The k docs of docs[0..n) with the highest score, best first; ties go to the lower doc number,
 * so the choice never depends on the order the docs were met in.
 */
export function topByScore(docs: Uint32Array, n: number, k: number, score: Float64Array, buffer: Float64Array): number[] {
  let chosen: number[];
  if (n <= k) {
    chosen = Array.from(docs.subarray(0, n));
  } else {
    for (let i = 0; i < n; i++) buffer[i] = score[docs[i]!]!;
    const threshold = kthLargest(buffer, n, k);
    const above: number[] = [];
    const at: number[] = [];
    for (let i = 0; i < n; i++) {
      const d = docs[i]!;
      const s = score[d]!;
      if (s > threshold) above.push(d);
      else if (s === threshold) at.push(d);
    }
    at.sort((a, b) => a - b);
    chosen = above.concat(at.slice(0, k - above.length));
  }
  return chosen.sort((a, b) => score[b]! - score[a]! || a - b);
}
