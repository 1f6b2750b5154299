/**
 * What every Discord handler works with, and the facts it derives from an interaction: who is
 * acting (and whether they moderate) and what their server must not be shown.
 */
import { PermissionFlagsBits, type Client, type Interaction } from 'discord.js';
import type { WorkQueue } from './work-queue.js';
import type { Answer, Cited } from '../cited.js';
import type { AnswerRequest, Posted } from '../answers.js';
import { DIRECT_MESSAGES } from '../moderation/store.js';
import { spellingNotes } from '../answer/notes.js';
import type { App } from '../app.js';
import type { Logger } from '../logger.js';
import type { Who } from '../moderation/moderation.js';
import type { Command } from '../../commands/index.js';
import type { Cooldown } from './cooldown.js';

export interface HandlerContext {
  app: App;
  commands: readonly Command[];
  cooldown: Cooldown;
  logger: Logger;
  /** Acknowledge (defer) when a command has not finished after this long; Discord allows 3 s. */
  deferAfterMs: number;
  /** Review channel for reports (MOD_CHANNEL_ID). */
  modChannelId?: string;
  /** Role whose members moderate besides those with Manage Messages (MOD_ROLE_ID). */
  modRoleId?: string;
  /** The logged-in client (for posting review messages and editing answers). */
  client?: Client;
  /** Interactions being handled right now (see `busyAfter`). */
  inFlight: number;
  /** With more interactions than this in hand, acknowledge (defer) first and answer after. */
  busyAfter: number;
  /** Answers' CPU work, one at a time, letting acknowledgements through between them. */
  queue: WorkQueue;
}

export { DIRECT_MESSAGES };

/** The corpus as server `guildId` sees it: the shared articles and the server's own. */
export function cited(ctx: HandlerContext, guildId: string): Cited {
  return ctx.app.library.forServer(guildId);
}

/** How the question's spellings were searched, true of the articles server `guildId` sees (answer/notes.ts). */
export function spellingOf(ctx: HandlerContext, guildId: string, answer: Answer): string[] {
  return spellingNotes(answer, cited(ctx, guildId).vocabulary);
}

/** The server an interaction or message comes from ("dm" for direct messages). */
export function placeOf(source: { guildId: string | null }): string {
  return source.guildId ?? DIRECT_MESSAGES;
}

/** The acting member: a moderator has Manage Messages in the channel, or the moderator role. */
export function whoOf(interaction: Interaction, ctx: HandlerContext, reason?: string | null): Who {
  const guildId = placeOf(interaction);
  const member = interaction.member;
  const roles = member ? (Array.isArray(member.roles) ? member.roles : [...member.roles.cache.keys()]) : [];
  const isModerator =
    interaction.guildId !== null && (interaction.memberPermissions?.has(PermissionFlagsBits.ManageMessages) === true || (ctx.modRoleId !== undefined && roles.includes(ctx.modRoleId)));
  return { guildId, userId: interaction.user.id, isModerator, ...(reason !== undefined ? { reason } : {}) };
}

/** Records an answer the bot posted (for reports, retractions and its buttons). Failures are logged, not fatal. */
export async function recordAnswer(ctx: HandlerContext, request: AnswerRequest, answer: Answer, posted: Posted): Promise<void> {
  try {
    await ctx.app.answers.record(request, answer, posted);
  } catch (err) {
    ctx.logger.error({ err, message: posted.messageId }, 'could not record an answer');
  }
}
