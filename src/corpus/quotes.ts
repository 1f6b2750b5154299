/**
 * Sentence splitters end a sentence inside a quotation ("Ukraine needs security guarantees.
 * Clear, specific, and immediate," Zelensky said), which would cut the quote from its speaker.
 * A sentence that opens a quote without closing it is joined with the sentences that follow,
 * up to the one that closes it (at most `MAX_JOINED` sentences, else they stay apart).
 */
const MAX_JOINED = 4;

export interface Span {
  start: number;
  end: number;
}

function quoteBalance(text: string): number {
  const straight = (text.match(/"/g) ?? []).length % 2;
  const curly = (text.match(/“/g) ?? []).length - (text.match(/”/g) ?? []).length;
  return straight + Math.max(curly, 0);
}

/** Groups of consecutive spans (indexes) that form one sentence each. */
export function joinOpenQuotes(text: string, spans: readonly Span[]): number[][] {
  const groups: number[][] = [];
  let i = 0;
  while (i < spans.length) {
    let j = i;
    if (quoteBalance(text.slice(spans[i]!.start, spans[i]!.end)) > 0) {
      for (let k = i + 1; k < spans.length && k < i + MAX_JOINED; k++) {
        if (quoteBalance(text.slice(spans[i]!.start, spans[k]!.end)) === 0) {
          j = k;
          break;
        }
      }
    }
    groups.push(Array.from({ length: j - i + 1 }, (_, n) => i + n));
    i = j + 1;
  }
  return groups;
}
