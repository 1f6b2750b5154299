/** Discord's limits, named once (see the developer docs, "Message Resource" and "Embed Limits"). */
export const limits = {
  content: 2000,
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  fieldName: 256,
  fieldValue: 1024,
  embedFooter: 2048,
  /** All characters of all embeds in one message. */
  embedsTotal: 6000,
  embedsPerMessage: 10,
  customId: 100,
  buttonLabel: 80,
  buttonsPerRow: 5,
  rows: 5,
  choices: 25,
  choiceName: 100,
  choiceValue: 100,
} as const;

/**
 * Shortens `text` to at most `max` characters at a word boundary, ending with "…".
 * Never cuts inside a word; a single word longer than `max` is the only thing ever cut hard.
 */
export function truncateAtWord(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 1) return '…'.slice(0, max);
  const room = text.slice(0, max - 1);
  const space = room.search(/\s\S*$/);
  const cut = space > 0 ? room.slice(0, space) : room;
  return cut.replace(/[\s,;:–—-]+$/, '') + '…';
}
