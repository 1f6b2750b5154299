/**
 * The one place replies leave for Discord: mentions are never parsed (a quoted "@everyone" or a
 * question with a role mention pings no one), ephemeral flags are set here, and the error
 * boundary turns any failure into a friendly ephemeral message.
 */
import {
  MessageFlags,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  type Message,
  type MessageContextMenuCommandInteraction,
  type RepliableInteraction,
} from 'discord.js';
import type { Logger } from '../logger.js';
import { isCitedError } from '../core/errors.js';
import { notice, type DiscordReply } from './render.js';

export const noMentions = { parse: [] as never[], repliedUser: false };

export type AnyRepliable = RepliableInteraction | ChatInputCommandInteraction | ButtonInteraction | MessageContextMenuCommandInteraction;

/** The message body of a reply, as discord.js takes it: never parsing mentions, charts attached. */
export function messageBody(reply: DiscordReply) {
  return {
    ...(reply.content !== undefined ? { content: reply.content } : {}),
    embeds: reply.embeds,
    components: reply.components,
    allowedMentions: noMentions,
    files: (reply.files ?? []).map((f) => ({ attachment: f.data, name: f.name })),
  };
}

/** Sends a reply to an interaction (replying, editing a deferral or following up); returns the message id. */
export async function send(interaction: AnyRepliable, reply: DiscordReply): Promise<string | null> {
  const body = messageBody(reply);
  const flags = reply.ephemeral ? MessageFlags.Ephemeral : undefined;
  if (interaction.deferred && !interaction.replied) return (await interaction.editReply(body)).id;
  if (interaction.replied) return (await interaction.followUp({ ...body, ...(flags ? { flags } : {}) })).id;
  const response = await interaction.reply({ ...body, ...(flags ? { flags } : {}), withResponse: true });
  return response.resource?.message?.id ?? null;
}

/** Replaces the message a button is on (a new page of the same list). */
export async function update(interaction: ButtonInteraction, reply: DiscordReply): Promise<void> {
  await interaction.update({ ...messageBody(reply), attachments: [] });
}

/** Replies to a message (a mention or a DM); returns the new message's id. */
export async function sendToMessage(message: Message, reply: DiscordReply): Promise<string> {
  return (await message.reply(messageBody(reply))).id;
}

/** A user-facing sentence for any error: a CitedError's own message, or a generic apology (logged). */
export function userMessage(error: unknown, logger: Logger, context: Record<string, unknown>): string {
  if (isCitedError(error)) return error.message;
  logger.error({ err: error, ...context }, 'request failed');
  return 'Something went wrong on our side; it has been logged. Please try again in a moment.';
}

/**
 * The error boundary for interactions: answers ephemerally whether or not the interaction was
 * already acknowledged, and never throws (a failure here is only logged).
 */
export async function replyWithError(interaction: Interaction, error: unknown, logger: Logger): Promise<void> {
  const text = userMessage(error, logger, { interaction: interaction.id, type: interaction.type, user: interaction.user.id });
  try {
    if (interaction.isAutocomplete()) {
      if (!interaction.responded) await interaction.respond([]);
      return;
    }
    if (!interaction.isRepliable()) return;
    if (interaction.deferred && !interaction.replied) {
      // The deferral may be public; replace it with a private message instead of showing the error to all.
      await interaction.deleteReply().catch(() => undefined);
      await interaction.followUp({ content: text, flags: MessageFlags.Ephemeral, allowedMentions: noMentions });
    } else if (interaction.replied) {
      await interaction.followUp({ content: text, flags: MessageFlags.Ephemeral, allowedMentions: noMentions });
    } else {
      await send(interaction, notice(text));
    }
  } catch (secondary) {
    logger.warn({ err: secondary, interaction: interaction.id }, 'could not tell the user about an error');
  }
}
