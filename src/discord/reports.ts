/**
 * Reports and their review, on Discord: a member reports an answer (the "Report" button or the
 * "Report answer" message command, then an optional reason in a form); the report is stored first,
 * then posted to the review channel, where moderators keep, retract or suppress. Every action is
 * checked by the moderation service (rights, and the server the report belongs to): a crafted
 * button or form gets a refusal, never the action. Answers in direct messages cannot be reported.
 */
import {
  MessageFlags,
  TextInputStyle,
  type ButtonInteraction,
  type Client,
  type MessageContextMenuCommandInteraction,
  type ModalSubmitInteraction,
  type StringSelectMenuInteraction,
} from 'discord.js';
import { citedError } from '../core/errors.js';
import type { AnswerMessages } from '../moderation/moderation.js';
import type { ReviewChannelAccess } from '../../commands/command.js';
import type { AnswerRecord, Report } from '../moderation/store.js';
import { customIds, parseFormId, type ButtonAction } from './custom-ids.js';
import { notice, renderAnswer } from './render.js';
import { renderReview } from './review.js';
import { messageBody, noMentions, send } from './send.js';
import { cited, DIRECT_MESSAGES, placeOf, spellingOf, whoOf, type HandlerContext } from './context.js';
import { inert } from './escape.js';
import { KeyedSerial } from '../core/serial.js';
import { truncateAtWord } from './limits.js';

/** The "Report" button under an answer: ask why, in a form. */
export async function onReportButton(interaction: ButtonInteraction, ctx: HandlerContext): Promise<void> {
  await askForReport(interaction, interaction.message.id, ctx);
}

/** "Report answer" on a message: only Cited's recorded answers can be reported. */
export async function onReportCommand(interaction: MessageContextMenuCommandInteraction, ctx: HandlerContext): Promise<void> {
  await askForReport(interaction, interaction.targetMessage.id, ctx);
}

async function askForReport(interaction: ButtonInteraction | MessageContextMenuCommandInteraction, messageId: string, ctx: HandlerContext): Promise<void> {
  if (interaction.guildId === null) throw citedError('NOT_REVIEWABLE_HERE');
  const answer = await ctx.app.moderation.postedAnswer(messageId, placeOf(interaction));
  if (!answer) throw citedError('NOT_AN_ANSWER');
  await interaction.showModal({
    custom_id: customIds.reportForm(messageId),
    title: 'Report this answer',
    components: [
      {
        type: 1,
        components: [{ type: 4, custom_id: 'reason', label: 'What is wrong with it? (optional)', style: TextInputStyle.Paragraph, required: false, max_length: 500 }],
      },
    ],
  });
}

/** Keep, Retract (asks why), or the suppress menu (asks why) on a review message. */
export async function onReviewComponent(interaction: ButtonInteraction | StringSelectMenuInteraction, action: Extract<ButtonAction, { kind: 'review' }>, ctx: HandlerContext): Promise<void> {
  const { moderation } = ctx.app;
  const who = whoOf(interaction, ctx);
  if (action.action === 'keep') {
    await moderation.keep(action.reportId, who);
    await updateReview(interaction, action.reportId, ctx);
    return;
  }
  await moderation.reviewable(action.reportId, who, action.action === 'retract' ? 'retract an answer' : 'suppress excerpts or sources');
  const choice = interaction.isStringSelectMenu() ? interaction.values[0] : undefined;
  const formId = action.action === 'retract' ? customIds.retractForm(action.reportId) : choice ? customIds.suppressForm(action.reportId, choice) : null;
  if (formId === null || formId.length > 100) throw citedError('UNKNOWN_REPORT', action.reportId);
  await interaction.showModal({
    custom_id: formId,
    title: action.action === 'retract' ? 'Retract this answer' : 'Suppress',
    components: [
      {
        type: 1,
        components: [{ type: 4, custom_id: 'reason', label: 'Reason (kept in the audit log)', style: TextInputStyle.Paragraph, required: action.action !== 'retract', max_length: 500 }],
      },
    ],
  });
}

/** A submitted form: a member's report, or a moderator's reason for an action. */
export async function onForm(interaction: ModalSubmitInteraction, ctx: HandlerContext): Promise<void> {
  const form = parseFormId(interaction.customId);
  if (!form) {
    await send(interaction, notice('This form is not one of Cited’s, or it is out of date.'));
    return;
  }
  const reason = interaction.fields.getTextInputValue('reason').trim() || null;
  const who = whoOf(interaction, ctx, reason);
  const { moderation } = ctx.app;
  if (form.kind === 'report') {
    const { report, created } = await moderation.report(form.messageId, who);
    const others = report.reporters.length - 1;
    await send(interaction, notice(created ? 'Thank you — the moderators will review this answer.' : `Thank you — added to the report already open on this answer (${others} other member${others === 1 ? '' : 's'} reported it).`));
    await postReview(report, ctx).catch((err: unknown) => ctx.logger.warn({ err, report: report.id }, 'review message not posted; it will be retried'));
    return;
  }
  if (form.kind === 'retract') {
    const { report } = await moderation.reviewable(form.reportId, who, 'retract an answer');
    await moderation.retract(report.answerId, who);
  }
  else if (form.kind === 'suppress-excerpt') await moderation.suppressExcerpt(form.reportId, form.excerpt, { ...who, reason: reason ?? 'no reason given' });
  else await moderation.suppressReportedSource(form.reportId, form.articleId, { ...who, reason: reason ?? 'no reason given' });
  await updateReview(interaction, form.reportId, ctx);
}

/** Re-renders the review message the interaction came from (the report's new state). */
async function updateReview(interaction: ButtonInteraction | StringSelectMenuInteraction | ModalSubmitInteraction, reportId: number, ctx: HandlerContext): Promise<void> {
  const found = await ctx.app.moderation.reportIn(reportId, placeOf(interaction));
  if (!found) throw citedError('UNKNOWN_REPORT', reportId);
  const view = renderReview(found.report, found.answer, cited(ctx, found.report.guildId));
  if (interaction.isModalSubmit() && !interaction.isFromMessage()) {
    await interaction.reply({ content: 'Done.', flags: MessageFlags.Ephemeral, allowedMentions: noMentions });
  } else if (interaction.isModalSubmit()) {
    await interaction.update({ ...view, allowedMentions: noMentions });
  } else {
    await interaction.update({ ...view, allowedMentions: noMentions });
  }
}

/**
 * One review post per report at a time: reports of one answer arriving together (three members at
 * the same moment, a burst) would otherwise each find no review message yet and each post one.
 * In turn, each reads the report afresh: the first posts, the others edit that post. Every
 * interaction of a server reaches the one process (shard) that serves it, so one process's turn-
 * taking is enough.
 */
const reviewTurns = new KeyedSerial<number>();

/**
 * Posts (or updates) a report's review message in its server's review channel: the one the
 * server's moderators set (/moderation channel), else MOD_CHANNEL_ID when it is a channel of that
 * server. A report never goes to another server's channel; one of a server without a review channel
 * waits in /moderation queue. The report is already stored, so a failure here loses nothing:
 * `postPendingReviews` tries again.
 */
export async function postReview(report: Pick<Report, 'id' | 'guildId'>, ctx: HandlerContext): Promise<void> {
  const channel = await reviewChannelOf(report.guildId, ctx);
  if (!channel) return;
  await reviewTurns.run(report.id, async () => {
    const found = await ctx.app.moderation.reportIn(report.id, channel.guildId);
    if (!found) return;
    const view = { ...renderReview(found.report, found.answer, cited(ctx, found.report.guildId)), allowedMentions: noMentions };
    if (found.report.reviewMessageId && found.report.reviewChannelId === channel.id) {
      await channel.messages.edit(found.report.reviewMessageId, view);
      return;
    }
    const sent = await channel.send(view);
    await ctx.app.moderation.setReviewMessage(found.report.id, channel.id, sent.id);
  });
}

/** Server `guildId`'s review channel (see `postReview`), when it has one Cited can post in. */
async function reviewChannelOf(guildId: string, ctx: HandlerContext) {
  if (!ctx.client) return null;
  const set = await ctx.app.moderation.reviewChannelOf(guildId);
  const id = set?.channelId ?? ctx.modChannelId;
  if (!id) return null;
  const channel = set ? await ctx.client.channels.fetch(id) : await configuredChannel(ctx);
  // The trust boundary: whatever is stored or configured, a server's reports go to its own channel only.
  return channel?.isSendable() && 'guildId' in channel && channel.guildId === guildId ? channel : null;
}

/** The channel MOD_CHANNEL_ID names, when it is set and exists. */
async function configuredChannel(ctx: HandlerContext) {
  if (!ctx.modChannelId || !ctx.client) return null;
  return ctx.client.channels.fetch(ctx.modChannelId);
}

/**
 * Posts every stored report whose review message never went out (after a failure or a crash), of
 * the servers with a review channel that this process serves (its shards' servers: another process
 * posts its own, so no report is posted twice).
 */
export async function postPendingReviews(ctx: HandlerContext): Promise<number> {
  if (!ctx.client) return 0;
  const servers = new Set((await ctx.app.moderation.reviewChannels()).map((c) => c.guildId));
  const configured = await configuredChannel(ctx).catch(() => null);
  if (configured && 'guildId' in configured && typeof configured.guildId === 'string') servers.add(configured.guildId);
  let posted = 0;
  for (const guildId of servers) if (ctx.client.guilds.cache.has(guildId)) posted += await postPendingOf(guildId, ctx);
  return posted;
}

/** Posts server `guildId`'s reports that have no review post yet; how many were posted. */
async function postPendingOf(guildId: string, ctx: HandlerContext): Promise<number> {
  let posted = 0;
  for (const report of await ctx.app.moderation.unpostedReports(guildId)) {
    try {
      await postReview(report, ctx);
      if ((await ctx.app.moderation.reportIn(report.id, guildId))?.report.reviewMessageId) posted++;
    } catch (err) {
      ctx.logger.warn({ err, report: report.id }, 'review message still not posted');
    }
  }
  return posted;
}

/** Review channels as /moderation channel needs them (see ReviewChannelAccess). */
export function reviewChannelAccess(ctx: HandlerContext, by: string): ReviewChannelAccess {
  return {
    async prepare(channelId, guildId) {
      const channel = ctx.client ? await ctx.client.channels.fetch(channelId).catch(() => null) : null;
      if (!channel || !('guildId' in channel) || channel.guildId !== guildId) throw citedError('REVIEW_CHANNEL_UNUSABLE', 'it is not a channel of this server');
      if (!channel.isSendable() || !('name' in channel)) throw citedError('REVIEW_CHANNEL_UNUSABLE', 'it is not a text channel');
      try {
        await channel.send({ content: `Reports of this server's answers will be posted here for its moderators (set by <@${by}> with /moderation channel).`, allowedMentions: noMentions });
      } catch (err) {
        ctx.logger.info({ err, channel: channelId }, 'review channel refused: cannot post there');
        throw citedError('REVIEW_CHANNEL_UNUSABLE', 'Cited cannot post there. Give it View Channel, Send Messages and Embed Links in that channel, then try again');
      }
      return channel.name;
    },
    async configured(guildId) {
      const channel = await configuredChannel(ctx).catch(() => null);
      return channel && 'guildId' in channel && channel.guildId === guildId && 'name' in channel ? channel.name : null;
    },
    postPending: (guildId) => postPendingOf(guildId, ctx),
  };
}

/** Retractions on Discord: the answer's message becomes a short notice, and comes back when restored. */
export function discordAnswerMessages(client: Client, ctx: HandlerContext): AnswerMessages {
  const edit = async (record: AnswerRecord, body: Parameters<typeof messageBody>[0]) => {
    const channel = await client.channels.fetch(record.channelId);
    if (!channel?.isTextBased() || !('messages' in channel)) return;
    await channel.messages.edit(record.messageId, { ...messageBody(body), attachments: [] });
  };
  return {
    async retracted(record, reason) {
      const why = reason ? `: ${inert(truncateAtWord(reason, 500))}${/[.!?…]$/.test(reason) ? '' : '.'}` : '.';
      const text = `**This answer was retracted by the moderators**${why} It quoted articles on “${inert(truncateAtWord(record.question.replace(/\s+/g, ' '), 300))}”; /sources lists them.`;
      await edit(record, { content: text, embeds: [], components: [], ephemeral: false });
    },
    async restored(record) {
      const answer = ctx.app.answers.ask({ question: record.question, guildId: record.guildId, offset: record.offset, source: record.source });
      await edit(record, { ...renderAnswer(answer, { offset: record.offset, reportable: record.offset === 0 && record.guildId !== DIRECT_MESSAGES, spelling: spellingOf(ctx, record.guildId, answer) }), content: '', ephemeral: false });
    },
  };
}
