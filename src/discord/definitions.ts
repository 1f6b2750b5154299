/**
 * Application command definitions for Discord, made from the same `commands/` modules the
 * console runs, plus the message context-menu commands "Find sources" and "Report answer".
 */
import { ApplicationCommandOptionType, ApplicationCommandType, ChannelType, InteractionContextType, PermissionFlagsBits, type RESTPostAPIApplicationCommandsJSONBody } from 'discord.js';
import type { Command, CommandOption } from '../../commands/index.js';

export const FIND_SOURCES = 'Find sources';
export const REPORT_ANSWER = 'Report answer';

const optionTypes = {
  string: ApplicationCommandOptionType.String,
  boolean: ApplicationCommandOptionType.Boolean,
  integer: ApplicationCommandOptionType.Integer,
  attachment: ApplicationCommandOptionType.Attachment,
  channel: ApplicationCommandOptionType.Channel,
} as const;

export function commandDefinitions(commands: readonly Command[]): RESTPostAPIApplicationCommandsJSONBody[] {
  const slash = commands.map((c) => ({
    type: ApplicationCommandType.ChatInput,
    name: c.name,
    description: c.description.slice(0, 100),
    options: c.subcommands
      ? c.subcommands.map((sub) => ({ type: ApplicationCommandOptionType.Subcommand, name: sub.name, description: sub.description.slice(0, 100), options: options(sub.options) }))
      : options(c.options),
    // Hidden from members without Manage Messages; every action is still checked server-side.
    ...(c.moderatorsOnly ? { default_member_permissions: String(PermissionFlagsBits.ManageMessages), contexts: [InteractionContextType.Guild] } : {}),
  })) as RESTPostAPIApplicationCommandsJSONBody[];
  return [...slash, { type: ApplicationCommandType.Message, name: FIND_SOURCES }, { type: ApplicationCommandType.Message, name: REPORT_ANSWER, contexts: [InteractionContextType.Guild] }];
}

function options(list: readonly CommandOption[]) {
  // Required options must come first in Discord's schema.
  return [...list]
    .sort((a, b) => Number(b.required ?? false) - Number(a.required ?? false))
    .map((o) => ({
      type: optionTypes[o.type],
      name: o.name,
      description: o.description.slice(0, 100),
      required: o.required ?? false,
      ...(o.autocomplete ? { autocomplete: true } : {}),
      ...(o.choices && o.type === 'string' ? { choices: o.choices.map((c) => ({ name: c.name.slice(0, 100), value: c.value })) } : {}),
      ...(o.maxLength && o.type === 'string' ? { max_length: Math.min(o.maxLength, 6000) } : {}),
      // Channels a review post can go to: text and announcement channels.
      ...(o.type === 'channel' ? { channel_types: [ChannelType.GuildText, ChannelType.GuildAnnouncement] } : {}),
    }));
}
