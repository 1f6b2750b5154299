/**
 * A console line → a command and its input, the way Discord would deliver them:
 *   `/ask How many troops?`                          → ask { question: 'How many troops?' }
 *   `How many troops?`                               → the same (a bare line is a question)
 *   `/ask source:ndtv How many troops? private:yes`  → options go anywhere, written `name:value`
 *   `/moderation suppress 003_x reason: not news`    → subcommand, then its options
 *   `/sources`                                       → the command's default subcommand (list)
 *
 * A command's first option may be written without its name (a free-text one, such as the question,
 * is named only at the start: "question:" inside a question is text). A
 * free-text value (a question, a reason, a path) runs to the next option; any other value is one
 * word or a "quoted phrase", and the words after it go back to the first option — so an option
 * can stand anywhere, even in the middle of a question. Values are checked here: a bad one
 * (`limit:abc`, `private:maybe`) or text that fits nowhere is refused with the command's usage,
 * never silently dropped. `usage` is also what /help shows, so help and parsing cannot disagree.
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

const YES = /^(yes|true|on|1)$/i;
const NO = /^(no|false|off|0)$/i;

/** The input for `command` from the rest of the line. Attachment options hold the path as written. */
export function toInput(command: Command, rest: string): CommandInput {
  const input: CommandInput = {};
  let options: readonly CommandOption[] = command.options;
  let label = command.name;
  let remaining = rest.trim();
  if (command.subcommands) {
    const [first = ''] = remaining.split(/\s+/);
    const named = command.subcommands.find((s) => s.name === first.toLowerCase());
    const chosen = named ?? (first === '' ? command.subcommands.find((s) => s.name === command.defaultSubcommand) : undefined);
    if (!chosen) throw citedError('UNKNOWN_COMMAND', `${command.name} ${first}`);
    input.subcommand = chosen.name;
    options = chosen.options;
    label = `${command.name} ${chosen.name}`;
    if (named) remaining = remaining.slice(first.length).trim();
  }
  const [main, ...others] = options;
  if (!main) {
    if (remaining !== '') throw citedError('UNEXPECTED_TEXT', remaining, `/${label}, which takes nothing after it`);
    return input;
  }
  const fits = `/${usage(label, options)} (options are written name:value)`;

  // A free-text first option's name counts only at the start, so "question:" inside a question stays text.
  const anywhere = takesSpaces(main) ? others : options;
  const markers = [...remaining.matchAll(new RegExp(`(?:^|\\s)(${anywhere.map((o) => escapeRegExp(o.name)).join('|') || '(?!)'}):`, 'gi'))];
  const mainMarker = takesSpaces(main) ? new RegExp(`^${escapeRegExp(main.name)}:`, 'i').exec(remaining) : null;
  if (mainMarker) markers.unshift(Object.assign(mainMarker, { 1: main.name }));
  const loose = [remaining.slice(0, markers[0]?.index ?? remaining.length)];
  markers.forEach((m, i) => {
    const option = options.find((o) => o.name.toLowerCase() === m[1]!.toLowerCase())!;
    const segment = remaining.slice(m.index! + m[0].length, markers[i + 1]?.index ?? remaining.length);
    if (input[option.name] !== undefined) throw citedError('REPEATED_OPTION', option.name);
    if (takesSpaces(option)) {
      if (segment.trim() !== '') input[option.name] = convert(option, segment.trim());
      return;
    }
    const { value, after } = oneWord(segment);
    input[option.name] = convert(option, value);
    loose.push(after);
  });

  const leftover = loose.map((s) => s.trim()).filter((s) => s !== '').join(' ');
  if (leftover === '') return input;
  if (input[main.name] !== undefined) throw citedError('UNEXPECTED_TEXT', leftover, fits);
  if (takesSpaces(main)) input[main.name] = convert(main, leftover);
  else {
    const { value, after } = oneWord(leftover);
    if (after.trim() !== '') throw citedError('UNEXPECTED_TEXT', after.trim(), fits);
    input[main.name] = convert(main, value);
  }
  return input;
}

/**
 * How a command is written in the console, as /help shows it: `moderation suppress <sentence or
 * article id> reason:<why>`, `ask <question> [source:<…>] [private:yes|no]`.
 */
export function usage(label: string, options: readonly CommandOption[]): string {
  const [main, ...others] = options;
  const parts = [label];
  if (main) parts.push(main.required ? `<${main.hint ?? main.name}>` : takesSpaces(main) ? `[<${main.hint ?? main.name}>]` : `[${named(main)}]`);
  for (const o of others) parts.push(o.required ? named(o) : `[${named(o)}]`);
  return parts.join(' ');
}

function named(option: CommandOption): string {
  if (option.type === 'boolean') return `${option.name}:yes|no`;
  if (option.type === 'integer') return `${option.name}:<${option.min !== undefined && option.max !== undefined ? `${option.min}-${option.max}` : 'number'}>`;
  if (option.choices) return `${option.name}:${option.choices.map((c) => c.value).join('|')}`;
  return `${option.name}:<${option.hint ?? option.name}>`;
}

/** A value with spaces: free text, or a path (paths may hold spaces). */
function takesSpaces(option: CommandOption): boolean {
  return option.freeText === true || option.type === 'attachment';
}

/** The first word of `text` (or a "quoted phrase", without its quotes), and what follows it. */
function oneWord(text: string): { value: string; after: string } {
  const start = text.trimStart();
  const quoted = /^"([^"]*)"?/.exec(start);
  if (quoted) return { value: quoted[1]!.trim(), after: start.slice(quoted[0].length) };
  const word = /^\S*/.exec(start)![0];
  return { value: word, after: start.slice(word.length) };
}

function convert(option: CommandOption, value: string): string | number | boolean {
  if (option.type === 'boolean') {
    if (YES.test(value)) return true;
    if (NO.test(value)) return false;
    throw citedError('BAD_OPTION_VALUE', option.name, 'yes or no', value);
  }
  if (option.type === 'integer') {
    const ranged = option.min !== undefined && option.max !== undefined;
    const takes = ranged ? `a whole number from ${option.min} to ${option.max}` : 'a whole number';
    if (!/^[+-]?\d+$/.test(value)) throw citedError('BAD_OPTION_VALUE', option.name, takes, value);
    const n = Number.parseInt(value, 10);
    if ((option.min !== undefined && n < option.min) || (option.max !== undefined && n > option.max)) throw citedError('BAD_OPTION_VALUE', option.name, takes, value);
    return n;
  }
  if (option.choices && !option.choices.some((c) => c.value === value)) throw citedError('BAD_OPTION_VALUE', option.name, option.choices.map((c) => c.value).join(' or '), value);
  if (value === '') throw citedError('BAD_OPTION_VALUE', option.name, option.hint ? `${/^[aeiou]/i.test(option.hint) ? 'an' : 'a'} ${option.hint}` : 'a value', value);
  return value;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
