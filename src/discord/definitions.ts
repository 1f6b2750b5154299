/**
 * Application command definitions for Discord, made from the same `commands/` modules the
 * console runs, plus the message context-menu command "Find sources". Used by the deploy script.
 */
import { ApplicationCommandOptionType, ApplicationCommandType, type RESTPostAPIApplicationCommandsJSONBody } from 'discord.js';
import type { Command } from '../../commands/index.js';

export const FIND_SOURCES = 'Find sources';

const optionTypes = {
  string: ApplicationCommandOptionType.String,
  boolean: ApplicationCommandOptionType.Boolean,
  integer: ApplicationCommandOptionType.Integer,
} as const;

export function commandDefinitions(commands: readonly Command[]): RESTPostAPIApplicationCommandsJSONBody[] {
  const slash = commands.map((c) => ({
    type: ApplicationCommandType.ChatInput,
    name: c.name,
    description: c.description.slice(0, 100),
    // Required options must come first in Discord's schema.
    options: [...c.options]
      .sort((a, b) => Number(b.required ?? false) - Number(a.required ?? false))
      .map((o) => ({
        type: optionTypes[o.type],
        name: o.name,
        description: o.description.slice(0, 100),
        required: o.required ?? false,
        ...(o.autocomplete ? { autocomplete: true } : {}),
        ...(o.maxLength ? { max_length: Math.min(o.maxLength, 6000) } : {}),
      })),
  })) as RESTPostAPIApplicationCommandsJSONBody[];
  return [...slash, { type: ApplicationCommandType.Message, name: FIND_SOURCES }];
}
