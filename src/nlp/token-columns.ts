/**
 * Analysed paragraphs as a few flat columns, for passing between threads. Structured cloning of
 * millions of small token objects costs more than analysing the text did; a string of normal
 * forms, a byte of flags per token and one array of numbers move as three values (the typed
 * arrays by transfer, without copying).
 */
import type { SentenceSpan, WordToken } from './analysis.js';

export interface TokenColumns {
  /** Every token's normal form, joined by "\n" (a normal form never contains one). */
  normals: string;
  /** Per token: bit 0 number, bit 1 stop word, bit 2 capitalised. */
  flags: Uint8Array<ArrayBuffer>;
  /** Per paragraph: its span count; per span: start, end, token count; per token: start, end. */
  numbers: Uint32Array<ArrayBuffer>;
}

export function encodeParagraphs(paragraphs: readonly SentenceSpan[][]): TokenColumns {
  const normals: string[] = [];
  const flags: number[] = [];
  const numbers: number[] = [];
  for (const spans of paragraphs) {
    numbers.push(spans.length);
    for (const span of spans) {
      numbers.push(span.start, span.end, span.tokens.length);
      for (const t of span.tokens) {
        normals.push(t.normal);
        flags.push((t.kind === 'number' ? 1 : 0) | (t.stop ? 2 : 0) | (t.capitalised ? 4 : 0));
        numbers.push(t.start, t.end);
      }
    }
  }
  return { normals: normals.join('\n'), flags: Uint8Array.from(flags), numbers: Uint32Array.from(numbers) };
}

export function decodeParagraphs(columns: TokenColumns): SentenceSpan[][] {
  const { flags, numbers } = columns;
  const normals = flags.length === 0 ? [] : columns.normals.split('\n');
  let n = 0;
  let token = 0;
  const paragraphs: SentenceSpan[][] = [];
  while (n < numbers.length) {
    const spanCount = numbers[n++]!;
    const spans: SentenceSpan[] = [];
    for (let s = 0; s < spanCount; s++) {
      const start = numbers[n++]!;
      const end = numbers[n++]!;
      const count = numbers[n++]!;
      const tokens: WordToken[] = new Array(count);
      for (let i = 0; i < count; i++, token++) {
        const f = flags[token]!;
        tokens[i] = { normal: normals[token]!, kind: f & 1 ? 'number' : 'word', stop: (f & 2) !== 0, capitalised: (f & 4) !== 0, start: numbers[n++]!, end: numbers[n++]! };
      }
      spans.push({ start, end, tokens });
    }
    paragraphs.push(spans);
  }
  return paragraphs;
}
