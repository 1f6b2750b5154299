/** Every slash command, in the order /help lists them. Adapters load commands from here only. */
import type { Command } from './command.js';
import { ask } from './ask.js';
import { sources } from './sources.js';
import { help } from './help.js';
import { figures } from './figures.js';
import { moderation } from './moderation.js';

export const commands: readonly Command[] = [ask, sources, figures, moderation, help];

export function findCommand(name: string): Command | undefined {
  return findCommandIn(commands, name);
}

export function findCommandIn(list: readonly Command[], name: string): Command | undefined {
  return list.find((c) => c.name === name.toLowerCase());
}

export { summarize, text } from './command.js';
export type { Attachment, Command, CommandContext, CommandInput, CommandOption, Reply, SourceSummary, Subcommand } from './command.js';
