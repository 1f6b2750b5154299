/** Terminal styling: ANSI on a colour terminal, nothing when piped or when NO_COLOR is set. */
export interface Style {
  bold(s: string): string;
  dim(s: string): string;
  /** Wrap width for prose, or 0 for no wrapping (pipes keep quotes on one line, verbatim). */
  width: number;
}

export const plain: Style = { bold: (s) => s, dim: (s) => s, width: 0 };

export function terminalStyle(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env): Style {
  if (!stream.isTTY) return plain;
  const color = env.NO_COLOR === undefined || env.NO_COLOR === '';
  return {
    bold: color ? (s) => `\x1b[1m${s}\x1b[22m` : (s) => s,
    dim: color ? (s) => `\x1b[2m${s}\x1b[22m` : (s) => s,
    width: Math.min(stream.columns || 80, 100),
  };
}

/**
 * Word-wraps `text` to `width` columns with `indent` before each line. Styling codes are
 * zero-width, so they are skipped when measuring. Breaks at single spaces, so a run of spaces inside
 * a line stays as the article printed it (quotes are verbatim); only the space at a break goes.
 */
export function wrap(text: string, width: number, indent = ''): string {
  if (width <= 0) return indent + text;
  const visible = (s: string) => s.replace(/\x1b\[\d+m/g, '').length;
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && visible(indent + line + ' ' + word) > width) {
      lines.push(indent + line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  lines.push(indent + line);
  return lines.join('\n');
}

/**
 * Text safe to write to a terminal: control characters from articles, questions or file names
 * (an escape sequence can retitle the window, move the cursor or hide text) are dropped; only
 * the bold and dim codes this module adds survive. Newlines and tabs stay.
 */
export function printable(text: string): string {
  return text.replace(/[\x00-\x08\x0b-\x1a\x1c-\x1f\x7f-\x9f]/g, '').replace(/\x1b(?!\[(?:1|2|22)m)/g, '');
}
