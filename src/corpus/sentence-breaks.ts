/**
 * Repairs the sentence splitter's wrong breaks before anything is quoted. Three are common in news:
 *   - inside a quotation: "Ukraine needs security guarantees. Clear, specific, and immediate,"
 *     Zelensky said — the quote must not be cut from its speaker;
 *   - after an abbreviation or a web address: "published from a www." | "indiatoday.in feed.";
 *   - stray punctuation left on its own: 'Have you heard the news?' | "." | "How could…".
 * A break is undone when the next piece starts in lower case or has no letters or digits, or
 * while a quotation opened in the sentence is still open (at most `MAX_JOINED` pieces in all).
 */
const MAX_JOINED = 6;

export interface Span {
  start: number;
  end: number;
}

function openQuotes(text: string): number {
  const straight = (text.match(/"/g) ?? []).length % 2;
  const curly = (text.match(/“/g) ?? []).length - (text.match(/”/g) ?? []).length;
  return straight + Math.max(curly, 0);
}

function continues(piece: string): boolean {
  return /^[a-z]/.test(piece) || !/[\p{L}\p{N}]/u.test(piece);
}

/** Groups of consecutive spans (by index) that each form one sentence. */
export function repairSentenceBreaks(text: string, spans: readonly Span[]): number[][] {
  const groups: number[][] = [];
  let i = 0;
  while (i < spans.length) {
    let j = i;
    while (j + 1 < spans.length && j + 1 < i + MAX_JOINED) {
      const next = text.slice(spans[j + 1]!.start, spans[j + 1]!.end);
      if (continues(next)) {
        j++;
        continue;
      }
      const sofar = text.slice(spans[i]!.start, spans[j]!.end);
      if (openQuotes(sofar) === 0) break;
      // Join up to the piece that closes the quote, if one does within reach; else leave it open.
      let close = -1;
      for (let k = j + 1; k < spans.length && k < i + MAX_JOINED; k++) {
        if (openQuotes(text.slice(spans[i]!.start, spans[k]!.end)) === 0) {
          close = k;
          break;
        }
      }
      if (close < 0) break;
      j = close;
    }
    groups.push(Array.from({ length: j - i + 1 }, (_, n) => i + n));
    i = j + 1;
  }
  return groups;
}
