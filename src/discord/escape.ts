/**
 * The one escaping function for text Cited shows again on Discord without having written it: a
 * member's question or reason, a file name, an article's title, outlet or sentences. Whatever it
 * holds shows as typed — no masked link, mention, heading, list, quote, code block, bold or spoiler
 * renders, and nobody is pinged.
 *
 * Every Markdown-significant character (\\ * _ ~ | ` > # [ ] < @) gets a backslash. Discord hides a backslash before any
 * punctuation, so the text looks unchanged; `<` escaped keeps `<@id>`, `<@&role>`, `<#channel>`,
 * `<t:…>` and `</command:id>` from rendering, `[` and `]` keep `[text](url)` from becoming a
 * disguised link (a bare URL still shows in full, as typed). Lists and numbered lists only start
 * a line, so only there do `-`, `+` and `1.` need one.
 *
 * Use it where Discord renders Markdown: message content, embed titles, descriptions and field
 * values and names. Not in footers, button labels, menu options or autocomplete choices: those
 * render no Markdown and would show the backslashes.
 */
const SIGNIFICANT = /[\\*_~|`>#[\]<@]/g;

export function inert(text: string): string {
  return text
    .replace(SIGNIFICANT, (c) => `\\${c}`)
    .replace(/^(\s*)([-+])(?=\s)/gm, '$1\\$2')
    .replace(/^(\s*\d+)\.(?=\s)/gm, '$1\\.');
}

/** The text `inert` was given, read back from what it made (e.g. a question from an embed title). */
export function readInert(shown: string): string {
  return shown.replace(/\\([^A-Za-z0-9\s])/g, '$1');
}

/**
 * `inert(text)` within `max` characters: the text is shortened at a word (with "…") until its
 * escaped form fits, so a cut never leaves half an escape.
 */
export function inertWithin(text: string, max: number, shorten: (text: string, max: number) => string): string {
  let room = max;
  let shown = inert(shorten(text, room));
  while (shown.length > max && room > 1) {
    room = Math.max(1, room - (shown.length - max));
    shown = inert(shorten(text, room));
  }
  return shown.length > max ? '…' : shown;
}
