/**
 * Routes what Discord sends to the shared commands and renders the replies: slash commands,
 * autocomplete, buttons, the context menus, forms, and messages that mention the bot or come by
 * DM. Every path ends in one error boundary; nothing here can crash the bot.
 */
import {
  ChannelType,
  MessageFlags,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  type Message,
  type MessageContextMenuCommandInteraction,
} from 'discord.js';
import { citedError } from '../core/errors.js';
import { findCommandIn, summarize, type Attachment, type CommandInput } from '../../commands/index.js';
import { FIND_SOURCES, REPORT_ANSWER } from './definitions.js';
import { parseCustomId } from './custom-ids.js';
import { limits, truncateAtWord } from './limits.js';
import { figuresTopic, notice, renderAnswer, renderCitedSources, renderFigures, renderReply, renderSources } from './render.js';
import { replyWithError, send, sendToMessage, update, userMessage } from './send.js';
import { cited, placeOf, recordAnswer, spellingOf, whoOf, type HandlerContext } from './context.js';
import { readInert } from './escape.js';
import { MAX_PAGE_BYTES } from '../pages/limits.js';
import { onReportButton, onReportCommand, onReviewComponent, onForm, reviewChannelAccess } from './reports.js';
import { answered, finish, interactionKind, observe, outcomeOf } from './observe.js';
import type { InteractionOutcome } from '../metrics/metrics.js';

/** A handler's result: nothing when it went as asked, `rate_limited` when the cooldown turned it away. */
type Handled = void | 'rate_limited';

export async function handleInteraction(interaction: Interaction, ctx: HandlerContext): Promise<void> {
  const started = Date.now();
  ctx.inFlight++;
  observe(interaction.id, interactionKind(interaction));
  let outcome: InteractionOutcome = 'ok';
  try {
    let handled: Handled = undefined;
    if (interaction.isAutocomplete()) await autocomplete(interaction, ctx);
    else if (interaction.isChatInputCommand()) handled = await chatInput(interaction, ctx);
    else if (interaction.isMessageContextMenuCommand()) handled = await messageCommand(interaction, ctx);
    else if (interaction.isButton() || interaction.isStringSelectMenu()) await component(interaction, ctx);
    else if (interaction.isModalSubmit()) await onForm(interaction, ctx);
    else ctx.logger.debug({ interaction: interaction.id, type: interaction.type }, 'interaction ignored');
    if (handled) outcome = handled;
  } catch (error) {
    outcome = outcomeOf(error);
    await replyWithError(interaction, error, ctx.logger);
  } finally {
    ctx.inFlight--;
    finish(interaction.id, outcome);
    ctx.logger.info({ interaction: interaction.id, type: interaction.type, user: interaction.user.id, ms: Date.now() - started }, 'interaction handled');
  }
}

async function chatInput(interaction: ChatInputCommandInteraction, ctx: HandlerContext): Promise<Handled> {
  const command = findCommandIn(ctx.commands, interaction.commandName);
  if (!command) throw citedError('UNKNOWN_COMMAND', interaction.commandName);
  if (command.rateLimited === true && (await coolingDown(interaction, ctx))) return 'rate_limited';
  const subcommand = interaction.options.getSubcommand(false) ?? undefined;
  const chosen = command.subcommands?.find((s) => s.name === subcommand);
  const options = chosen?.options ?? command.options;
  const input: CommandInput = subcommand ? { subcommand } : {};
  for (const option of options) {
    if (option.type === 'attachment') {
      const file = interaction.options.getAttachment(option.name);
      if (file) input[option.name] = await download(file, ctx);
      continue;
    }
    const value = interaction.options.get(option.name)?.value;
    if (value !== undefined) input[option.name] = value;
  }
  const privately = input.private === true || command.private === true || command.moderatorsOnly === true || chosen?.private === true;
  const context = { cited: cited(ctx, placeOf(interaction)), commands: ctx.commands, who: whoOf(interaction, ctx), answers: ctx.app.answers, moderation: ctx.app.moderation, reviewChannels: reviewChannelAccess(ctx, interaction.user.id) };
  const reply = await withDeferral(interaction, () => command.run(input, context), privately, ctx);
  const spelling = reply.kind === 'answer' ? { spelling: spellingOf(ctx, placeOf(interaction), reply.answer) } : {};
  const id = await send(interaction, renderReply(reply, { reportable: interaction.guildId !== null, ...spelling }));
  if (reply.kind === 'answer') answered(interaction.id, reply.answer);
  if (id && reply.kind === 'answer') await recordAnswer(ctx, reply.request, reply.answer, { messageId: id, channelId: interaction.channelId, askerId: interaction.user.id });
}

/** An attachment option's file, within the size limit (an article's; a page's for .html and .htm). */
async function download(file: { name: string; size: number; url: string }, ctx: HandlerContext): Promise<Attachment> {
  const max = /\.html?$/i.test(file.name) ? MAX_PAGE_BYTES : ctx.app.library.current.options.maxArticleBytes;
  if (file.size > max) throw citedError('BAD_ARTICLE_FILE', file.name, `it is larger than the ${Math.round(max / 1024 / 1024)} MiB limit`);
  const response = await fetch(file.url);
  if (!response.ok) throw citedError('BAD_ARTICLE_FILE', file.name, `Discord would not hand it over (HTTP ${response.status}); try again`);
  return { name: file.name, bytes: new Uint8Array(await response.arrayBuffer()) };
}

async function messageCommand(interaction: MessageContextMenuCommandInteraction, ctx: HandlerContext): Promise<Handled> {
  if (interaction.commandName === REPORT_ANSWER) return onReportCommand(interaction, ctx);
  if (interaction.commandName !== FIND_SOURCES) throw citedError('UNKNOWN_COMMAND', interaction.commandName);
  if (await coolingDown(interaction, ctx)) return 'rate_limited';
  // "Find sources" on any message: the quotes that bear on what it claims.
  const claim = interaction.targetMessage.content.trim();
  if (claim === '') {
    await send(interaction, notice('That message has no text to check (only attachments or embeds).'));
    return;
  }
  const request = { question: claim, guildId: placeOf(interaction) };
  const answer = await withDeferral(interaction, () => ctx.app.answers.ask(request), false, ctx);
  const view = renderAnswer(answer, { offset: 0, title: `Sources on: “${claim.replace(/\s+/g, ' ')}”`, reportable: interaction.guildId !== null, spelling: spellingOf(ctx, request.guildId, answer) });
  const id = await send(interaction, { ...view, ephemeral: false });
  answered(interaction.id, answer);
  if (id) await recordAnswer(ctx, request, answer, { messageId: id, channelId: interaction.channelId, askerId: interaction.user.id });
}

async function component(interaction: ButtonInteraction | import('discord.js').StringSelectMenuInteraction, ctx: HandlerContext): Promise<void> {
  const action = parseCustomId(interaction.customId);
  if (!action) {
    await send(interaction, notice('This button is not one of Cited’s, or it is out of date.'));
    return;
  }
  if (action.kind === 'review') return onReviewComponent(interaction, action, ctx);
  if (!interaction.isButton()) throw citedError('UNKNOWN_COMMAND', interaction.customId);
  if (action.kind === 'report') return onReportButton(interaction, ctx);
  if (action.kind === 'sources') return update(interaction, renderSources(cited(ctx, placeOf(interaction)).articles.map(summarize), action.page));
  if (action.kind === 'figs') {
    const topic = figuresTopic(interaction.message.embeds[0]?.title);
    if (topic === undefined) return void (await send(interaction, notice('This list is too old to page through. Ask again with /figures.')));
    return update(interaction, renderFigures(ctx.app.answers.figures(topic, placeOf(interaction)), action.page));
  }
  // more / cites: the answer's question from its record (this server's only), else from the embed title when whole.
  const guildId = placeOf(interaction);
  const record = await ctx.app.moderation.postedAnswer(interaction.message.id, guildId);
  const title = interaction.message.embeds[0]?.title;
  const question = record?.question ?? (title && !title.endsWith('…') ? readInert(title) : null);
  if (!question) return void (await send(interaction, notice('This answer is too old to page through. Ask again with /ask.')));
  const request = { question, guildId, offset: action.offset, source: record?.source ?? null };
  const answer = ctx.app.answers.ask(request);
  if (action.kind === 'cites') return void (await send(interaction, renderCitedSources(answer)));
  const id = await send(interaction, { ...renderAnswer(answer, { offset: action.offset, reportable: false, spelling: spellingOf(ctx, guildId, answer) }), ephemeral: true });
  if (id) await recordAnswer(ctx, request, answer, { messageId: id, channelId: interaction.channelId, askerId: interaction.user.id });
}

async function autocomplete(interaction: AutocompleteInteraction, ctx: HandlerContext): Promise<void> {
  const focused = interaction.options.getFocused(true);
  const typed = String(focused.value).toLowerCase().trim();
  if (focused.name === 'topic') {
    const subjects = cited(ctx, placeOf(interaction))
      .figureSubjects()
      .filter((s) => typed === '' || s.subject.toLowerCase().includes(typed))
      .slice(0, limits.choices)
      .map((s) => ({ name: truncateAtWord(`${s.subject} (${s.count} figure${s.count === 1 ? '' : 's'})`, limits.choiceName), value: s.subject.slice(0, limits.choiceValue) }));
    return void (await interaction.respond(subjects));
  }
  if (focused.name !== 'source' && focused.name !== 'id') return void (await interaction.respond([]));
  const choices = cited(ctx, placeOf(interaction))
    .articles.filter((a) => a.id.length <= limits.choiceValue)
    .filter((a) => typed === '' || [a.id, a.outlet ?? '', a.title ?? ''].some((s) => s.toLowerCase().includes(typed)))
    .slice(0, limits.choices)
    .map((a) => ({
      name: truncateAtWord(`${a.outlet ?? 'unknown outlet'} · ${a.date ?? 'date unknown'} — ${a.title ?? a.id}`, limits.choiceName),
      value: a.id,
    }));
  await interaction.respond(choices);
}

/** A message that mentions the bot, or a DM, is a question. */
export async function handleMessage(message: Message, botUserId: string, ctx: HandlerContext): Promise<void> {
  if (message.author.bot || message.system) return;
  const direct = message.channel.type === ChannelType.DM;
  const mentioned = message.mentions.users.has(botUserId);
  if (!direct && !mentioned) return;
  const started = Date.now();
  observe(message.id, 'message');
  let outcome: InteractionOutcome = 'ok';
  try {
    const wait = ctx.cooldown.take(message.author.id);
    if (wait > 0) {
      outcome = 'rate_limited';
      await sendToMessage(message, notice(cooldownText(wait)));
      return;
    }
    const request = { question: message.content.replace(new RegExp(`<@!?${botUserId}>`, 'g'), ' ').trim(), guildId: placeOf(message) };
    const answer = ctx.app.answers.ask(request);
    const id = await sendToMessage(message, { ...renderAnswer(answer, { offset: 0, reportable: message.guildId !== null, spelling: spellingOf(ctx, request.guildId, answer) }), ephemeral: false });
    answered(message.id, answer);
    await recordAnswer(ctx, request, answer, { messageId: id, channelId: message.channelId, askerId: message.author.id });
  } catch (error) {
    outcome = outcomeOf(error);
    const text = userMessage(error, ctx.logger, { message: message.id, user: message.author.id });
    await sendToMessage(message, notice(text)).catch((e: unknown) => ctx.logger.warn({ err: e, message: message.id }, 'could not reply to a message'));
  } finally {
    finish(message.id, outcome);
    ctx.logger.info({ message: message.id, user: message.author.id, ms: Date.now() - started }, 'message handled');
  }
}

async function coolingDown(interaction: ChatInputCommandInteraction | MessageContextMenuCommandInteraction, ctx: HandlerContext): Promise<boolean> {
  const wait = ctx.cooldown.take(interaction.user.id);
  if (wait === 0) return false;
  await interaction.reply({ content: cooldownText(wait), flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
  return true;
}

function cooldownText(seconds: number): string {
  return `You are asking faster than Cited answers. Try again in ${seconds} s.`;
}

/**
 * Runs a command (its CPU work through the bot's work queue); if it
 * has not finished within `deferAfterMs`, or many interactions are in hand (`busyAfter`),
 * acknowledges the interaction first (Discord's 3-second window), so a slow or queued answer is
 * still delivered.
 */
async function withDeferral<T>(
  interaction: ChatInputCommandInteraction | MessageContextMenuCommandInteraction,
  work: () => T | Promise<T>,
  ephemeral: boolean,
  ctx: HandlerContext,
): Promise<T> {
  // Under a burst, the queue ahead of this interaction could outlast the window: acknowledge now.
  if (ctx.inFlight > ctx.busyAfter) await interaction.deferReply(ephemeral ? { flags: MessageFlags.Ephemeral } : {});
  let deferring: Promise<unknown> | null = null;
  const timer = setTimeout(() => {
    deferring = interaction.deferReply(ephemeral ? { flags: MessageFlags.Ephemeral } : {}).catch((e: unknown) => ctx.logger.warn({ err: e }, 'defer failed'));
  }, ctx.deferAfterMs);
  try {
    return await ctx.queue.run(work);
  } finally {
    clearTimeout(timer);
    if (deferring) await deferring;
  }
}
