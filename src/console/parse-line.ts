/**
 * A console line → a command and its options, the way Discord would deliver them:
 *   `/ask How many troops?`            → ask { question: 'How many troops?' }
 *   `How many troops?`                 → the same (a bare line is a question)
 *   `/ask source:003_x private:yes …`  → options other than the first are written `name:value`
 */
import type { Command, CommandInput } from '../../commands/index.js';

export interface ParsedLine {
  name: string;
  rest: string;
}

export function splitLine(line: string): ParsedLine | null {
  const trimmed = line.trim();
  if (trimmed === '') return null;
  const match = /^\/(\S+)\s*([\s\S]*)$/.exec(trimmed);
  return match ? { name: match[1]!.toLowerCase(), rest: match[2]! } : { name: 'ask', rest: trimmed };
}

export function toInput(command: Command, rest: string): CommandInput {
  const input: CommandInput = {};
  const [main, ...others] = command.options;
  let remaining = rest;
  for (const option of others) {
    const pattern = new RegExp(`(?:^|\\s)${option.name}:(\\S+)`, 'i');
    const found = pattern.exec(remaining);
    if (!found) continue;
    input[option.name] = option.type === 'boolean' ? /^(true|yes|1|on)$/i.test(found[1]!) : found[1]!;
    remaining = remaining.slice(0, found.index) + remaining.slice(found.index + found[0].length);
  }
  if (main) {
    const value = remaining.trim().replace(new RegExp(`^${main.name}:\\s*`, 'i'), '');
    if (value !== '') input[main.name] = value;
  }
  return input;
}
