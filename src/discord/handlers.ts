/**
 * Routes what Discord sends to the shared commands and renders the replies: slash commands,
 * autocomplete, buttons, the "Find sources" context menu, and messages that mention the bot or
 * come by DM. Every path ends in one error boundary; nothing here can crash the bot.
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
import type { Cited } from '../cited.js';
import { citedError } from '../core/errors.js';
import type { Logger } from '../logger.js';
import { findCommandIn, summarize, type Command, type CommandInput, type Reply } from '../../commands/index.js';
import { FIND_SOURCES } from './definitions.js';
import { AnswerMemory } from './answer-memory.js';
import { Cooldown } from './cooldown.js';
import { parseCustomId } from './custom-ids.js';
import { limits, truncateAtWord } from './limits.js';
import { figuresTopic, notice, renderAnswer, renderCitedSources, renderFigures, renderReply, renderSources } from './render.js';
import { replyWithError, send, sendToMessage, update, userMessage } from './send.js';

export interface HandlerContext {
  cited: Cited;
  commands: readonly Command[];
  memory: AnswerMemory;
  cooldown: Cooldown;
  logger: Logger;
  /** Acknowledge (defer) when a command has not finished after this long; Discord allows 3 s. */
  deferAfterMs: number;
}

/** Commands that search the corpus on a user's behalf, and so count against the cooldown. */
const RATE_LIMITED = new Set(['ask', 'figures']);

export async function handleInteraction(interaction: Interaction, ctx: HandlerContext): Promise<void> {
  const started = Date.now();
  try {
    if (interaction.isAutocomplete()) await autocomplete(interaction, ctx);
    else if (interaction.isChatInputCommand()) await chatInput(interaction, ctx);
    else if (interaction.isMessageContextMenuCommand()) await findSources(interaction, ctx);
    else if (interaction.isButton()) await button(interaction, ctx);
    else ctx.logger.debug({ interaction: interaction.id, type: interaction.type }, 'interaction ignored');
  } catch (error) {
    await replyWithError(interaction, error, ctx.logger);
  } finally {
    ctx.logger.info({ interaction: interaction.id, type: interaction.type, user: interaction.user.id, ms: Date.now() - started }, 'interaction handled');
  }
}

async function chatInput(interaction: ChatInputCommandInteraction, ctx: HandlerContext): Promise<void> {
  const command = findCommandIn(ctx.commands, interaction.commandName);
  if (!command) throw citedError('UNKNOWN_COMMAND', interaction.commandName);
  if (RATE_LIMITED.has(command.name) && (await coolingDown(interaction, ctx))) return;
  const input: CommandInput = {};
  for (const option of command.options) {
    const value = interaction.options.get(option.name)?.value;
    if (value !== undefined) input[option.name] = value;
  }
  const reply = await withDeferral(interaction, () => command.run(input, { cited: ctx.cited, commands: ctx.commands }), input.private === true || command.name === 'help', ctx);
  const id = await send(interaction, renderReply(reply));
  if (id && reply.kind === 'answer') remember(ctx, id, reply, typeof input.source === 'string' ? input.source : undefined);
}

/** "Find sources" on any message: the quotes that bear on what it claims. */
async function findSources(interaction: MessageContextMenuCommandInteraction, ctx: HandlerContext): Promise<void> {
  if (interaction.commandName !== FIND_SOURCES) throw citedError('UNKNOWN_COMMAND', interaction.commandName);
  if (await coolingDown(interaction, ctx)) return;
  const claim = interaction.targetMessage.content.trim();
  if (claim === '') {
    await send(interaction, notice('That message has no text to check (only attachments or embeds).'));
    return;
  }
  const answer = await withDeferral(interaction, () => ctx.cited.ask(claim), false, ctx);
  const view = renderAnswer(answer, { offset: 0, title: `Sources on: “${claim.replace(/\s+/g, ' ')}”` });
  const id = await send(interaction, { ...view, ephemeral: false });
  if (id) ctx.memory.remember(id, { question: claim });
}

async function button(interaction: ButtonInteraction, ctx: HandlerContext): Promise<void> {
  const action = parseCustomId(interaction.customId);
  if (!action) {
    await send(interaction, notice('This button is not one of Cited’s, or it is out of date.'));
    return;
  }
  if (action.kind === 'sources') {
    await update(interaction, renderSources(ctx.cited.articles.map(summarize), action.page));
    return;
  }
  if (action.kind === 'figs') {
    const topic = figuresTopic(interaction.message.embeds[0]?.title);
    if (topic === undefined) {
      await send(interaction, notice('This list is too old to page through. Ask again with /figures.'));
      return;
    }
    await update(interaction, renderFigures(ctx.cited.figures(topic), action.page));
    return;
  }
  const asked = ctx.memory.recall(interaction.message.id, interaction.message.embeds[0]?.title);
  if (!asked) {
    await send(interaction, notice('This answer is too old to page through. Ask again with /ask.'));
    return;
  }
  const answer = ctx.cited.ask(asked.question, { offset: action.offset, ...(asked.source ? { sources: [asked.source] } : {}) });
  if (action.kind === 'cites') {
    await send(interaction, renderCitedSources(answer));
    return;
  }
  const id = await send(interaction, { ...renderAnswer(answer, { offset: action.offset }), ephemeral: true });
  if (id) ctx.memory.remember(id, asked);
}

async function autocomplete(interaction: AutocompleteInteraction, ctx: HandlerContext): Promise<void> {
  const focused = interaction.options.getFocused(true);
  const typed = String(focused.value).toLowerCase().trim();
  if (focused.name === 'topic') {
    const subjects = ctx.cited
      .figureSubjects()
      .filter((s) => typed === '' || s.subject.toLowerCase().includes(typed))
      .slice(0, limits.choices)
      .map((s) => ({ name: truncateAtWord(`${s.subject} (${s.count} figure${s.count === 1 ? '' : 's'})`, limits.choiceName), value: s.subject.slice(0, limits.choiceValue) }));
    return void (await interaction.respond(subjects));
  }
  if (focused.name !== 'source') return void (await interaction.respond([]));
  const choices = ctx.cited.articles
    .filter((a) => a.id.length <= limits.choiceValue)
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
  try {
    const wait = ctx.cooldown.take(message.author.id);
    if (wait > 0) {
      await sendToMessage(message, notice(cooldownText(wait)));
      return;
    }
    const question = message.content.replace(new RegExp(`<@!?${botUserId}>`, 'g'), ' ').trim();
    const answer = ctx.cited.ask(question);
    const id = await sendToMessage(message, { ...renderAnswer(answer, { offset: 0 }), ephemeral: false });
    ctx.memory.remember(id, { question: answer.question });
  } catch (error) {
    const text = userMessage(error, ctx.logger, { message: message.id, user: message.author.id });
    await sendToMessage(message, notice(text)).catch((e: unknown) => ctx.logger.warn({ err: e, message: message.id }, 'could not reply to a message'));
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

function remember(ctx: HandlerContext, messageId: string, reply: Reply, source: string | undefined): void {
  if (reply.kind !== 'answer') return;
  ctx.memory.remember(messageId, { question: reply.answer.question, ...(source ? { source } : {}) });
}

/**
 * Runs a command; if it has not finished within `deferAfterMs`, acknowledges the interaction
 * first (Discord's 3-second window), so a slow answer is still delivered.
 */
async function withDeferral<T>(interaction: ChatInputCommandInteraction | MessageContextMenuCommandInteraction, work: () => T | Promise<T>, ephemeral: boolean, ctx: HandlerContext): Promise<T> {
  let deferring: Promise<unknown> | null = null;
  const timer = setTimeout(() => {
    deferring = interaction.deferReply(ephemeral ? { flags: MessageFlags.Ephemeral } : {}).catch((e: unknown) => ctx.logger.warn({ err: e }, 'defer failed'));
  }, ctx.deferAfterMs);
  try {
    return await work();
  } finally {
    clearTimeout(timer);
    if (deferring) await deferring;
  }
}
