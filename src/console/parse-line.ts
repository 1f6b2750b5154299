/**
 * A console line → a command and its input, the way Discord would deliver them:
 *   `/ask How many troops?`                → ask { question: 'How many troops?' }
 *   `How many troops?`                     → the same (a bare line is a question)
 *   `/ask Kyiv source:003_x private:yes`   → options after the first are written `name:value`
 *   `/moderation suppress 003_x reason: not news` → subcommand, then its options (values may have spaces)
 *   `/sources`                             → the command's default subcommand (list)
 */
import type { Command, CommandInput, CommandOption } from '../../commands/index.js';
import { citedError } from '../core/errors.js';

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

/** The input for `command` from the rest of the line. Attachment options hold the path as written. */
export function toInput(command: Command, rest: string): CommandInput {
  const input: CommandInput = {};
  let options: readonly CommandOption[] = command.options;
  let remaining = rest.trim();
  if (command.subcommands) {
    const [first = ''] = remaining.split(/\s+/);
    const named = command.subcommands.find((s) => s.name === first.toLowerCase());
    const chosen = named ?? (first === '' ? command.subcommands.find((s) => s.name === command.defaultSubcommand) : undefined);
    if (!chosen) throw citedError('UNKNOWN_COMMAND', `${command.name} ${first}`);
    input.subcommand = chosen.name;
    options = chosen.options;
    if (named) remaining = remaining.slice(first.length).trim();
  }
  const [main, ...others] = options;
  // Each `name:` marker of a known option starts its value, which runs to the next marker.
  const names = others.map((o) => o.name).concat(main ? [main.name] : []);
  const markers = [...remaining.matchAll(new RegExp(`(?:^|\\s)(${names.map(escapeRegExp).join('|')}):`, 'gi'))];
  const leading = (markers[0]?.index ?? remaining.length) > 0 ? remaining.slice(0, markers[0]?.index ?? remaining.length).trim() : '';
  markers.forEach((m, i) => {
    const option = options.find((o) => o.name.toLowerCase() === m[1]!.toLowerCase())!;
    const end = markers[i + 1]?.index ?? remaining.length;
    const value = remaining.slice(m.index! + m[0].length, end).trim();
    if (value !== '') input[option.name] = convert(option, value);
  });
  if (main && leading !== '' && input[main.name] === undefined) input[main.name] = convert(main, leading);
  return input;
}

function convert(option: CommandOption, value: string): string | number | boolean {
  if (option.type === 'boolean') return /^(true|yes|1|on)$/i.test(value);
  if (option.type === 'integer') {
    const n = Number.parseInt(value, 10);
    return Number.isFinite(n) ? n : value;
  }
  return value;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
