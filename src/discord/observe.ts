/**
 * What the Discord adapter records in the metrics (`src/metrics/metrics.ts`): every interaction
 * and question by mention or DM with its outcome, how long its acknowledgement and its answer
 * took, and whether the answer quoted a passage. The handlers call `observe` when something
 * arrives, `answered` when an answer is delivered and `finish` at the end; acknowledgements are
 * seen in discord.js's REST responses (`acknowledgementResponse`), whichever of the many ways
 * (reply, deferral, update, choices, form) a handler acknowledged.
 */
import { InteractionType, type Interaction } from 'discord.js';
import type { Answer } from '../cited.js';
import { isCitedError } from '../core/errors.js';
import { acknowledgementSeconds, answerResults, answers, answerSeconds, interactions, type InteractionKind, type InteractionOutcome } from '../metrics/metrics.js';

interface Observed {
  kind: InteractionKind;
  /** performance.now() when it arrived. */
  at: number;
  acknowledged: boolean;
}

/** What is being handled, by interaction or message id. Ids are unique, so one map serves both. */
const handling = new Map<string, Observed>();

export function interactionKind(interaction: Interaction): InteractionKind {
  if (interaction.isAutocomplete()) return 'autocomplete';
  if (interaction.isChatInputCommand()) return 'command';
  if (interaction.isContextMenuCommand()) return 'context_menu';
  if (interaction.isMessageComponent()) return 'button';
  if (interaction.type === InteractionType.ModalSubmit) return 'form';
  return 'other';
}

/** Something arrived (an interaction, or a message that asks the bot); `finish` must follow. */
export function observe(id: string, kind: InteractionKind): void {
  handling.set(id, { kind, at: performance.now(), acknowledged: false });
}

/** It has been handled: counted with its outcome, and forgotten. */
export function finish(id: string, outcome: InteractionOutcome): void {
  const observed = handling.get(id);
  if (!observed) return;
  handling.delete(id);
  interactions.inc({ kind: observed.kind, outcome });
}

/** The outcome of a handler that threw: refused when the member was told why (a CitedError), else our error. */
export function outcomeOf(error: unknown): InteractionOutcome {
  return isCitedError(error) ? 'refused' : 'error';
}

/** An answer to a question was delivered: its latency since arrival, and whether it quoted a passage. */
export function answered(id: string, answer: Answer): void {
  answers.inc({ result: answer.abstained ? answerResults[1] : answerResults[0] });
  const observed = handling.get(id);
  if (observed) answerSeconds.observe({ kind: observed.kind }, (performance.now() - observed.at) / 1000);
}

const CALLBACK = /^\/interactions\/(\d+)\/[^/]+\/callback$/;

/**
 * A REST response discord.js received: a successful interaction callback is that interaction's
 * acknowledgement (the first one counts; a 404 after Discord's window, or a 5xx that discord.js
 * retries, is none).
 */
export function acknowledgementResponse(method: string, path: string, status: number): void {
  if (method.toUpperCase() !== 'POST' || status < 200 || status >= 300) return;
  const id = CALLBACK.exec(path)?.[1];
  const observed = id === undefined ? undefined : handling.get(id);
  if (!observed || observed.acknowledged) return;
  observed.acknowledged = true;
  acknowledgementSeconds.observe({ kind: observed.kind }, (performance.now() - observed.at) / 1000);
}
