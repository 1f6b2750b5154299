/**
 * The bot's Prometheus series (prom-client), in one registry. The adapters record into them
 * (`src/discord/observe.ts`, `src/main.ts`); `server.ts` serves them on /metrics when METRICS_PORT is
 * set. Every series is defined here, with its labels and their values, so a dashboard can be written
 * from this file alone. Recording costs a map lookup and an addition, so it is always on; only the
 * endpoint is optional.
 *
 * Labelled counters start at 0 for every value listed here: Prometheus's rate() and increase() need
 * the series to exist before its first event, and a reader sees what could be counted.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export const registry = new Registry();

/**
 * What an interaction is: a slash command, autocomplete, a button or select menu, a context-menu
 * command ("Find sources", "Report answer"), a form (modal) submitted; `message` is a question
 * asked by mentioning the bot or by DM, which Discord delivers as a message, not an interaction.
 */
export const interactionKinds = ['command', 'autocomplete', 'button', 'context_menu', 'form', 'message', 'other'] as const;
export type InteractionKind = (typeof interactionKinds)[number];

/**
 * How it ended: `ok`; `refused` when the member was told why it could not be done (a question
 * with nothing to search for, not a moderator, the moderation database down: a CitedError);
 * `rate_limited` by the per-member cooldown; `error` for our own failures (logged), including a
 * reply Discord would not take.
 */
export const interactionOutcomes = ['ok', 'refused', 'rate_limited', 'error'] as const;
export type InteractionOutcome = (typeof interactionOutcomes)[number];

export const interactions = new Counter({
  name: 'cited_interactions_total',
  help: 'Interactions handled (and questions by mention or DM, kind "message"), by kind and outcome.',
  labelNames: ['kind', 'outcome'] as const,
  registers: [registry],
});

/**
 * Discord's window for the first response is 3 s from the interaction's creation; the buckets are
 * dense around it. Measured from the moment the bot received the interaction to Discord's answer
 * to the acknowledgement (reply, deferral, update, autocomplete choices or form).
 */
export const acknowledgementSeconds = new Histogram({
  name: 'cited_acknowledgement_seconds',
  help: 'From receiving an interaction to Discord confirming its first response (reply, deferral, update, choices or form).',
  labelNames: ['kind'] as const,
  buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 1.5, 2, 2.5, 3, 5],
  registers: [registry],
});

/** Answers under a burst wait for discord.js's REST pace (README, "Under load": p99 42 s), hence buckets up to two minutes. */
export const answerSeconds = new Histogram({
  name: 'cited_answer_seconds',
  help: 'From receiving a question (/ask, Find sources, a mention or DM) to its answer delivered to Discord.',
  labelNames: ['kind'] as const,
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 20, 30, 60, 120],
  registers: [registry],
});

/**
 * `quoted`: the answer quotes a passage that answers; `abstained`: no passage clearly answers (the
 * Answer's `abstained`), and the closest passages are shown as related instead. Pages of an answer
 * (More excerpts) are not counted again.
 */
export const answerResults = ['quoted', 'abstained'] as const;

export const answers = new Counter({
  name: 'cited_answers_total',
  help: 'Questions answered: with a confident quote (quoted) or without (abstained, the closest passages shown as related).',
  labelNames: ['result'] as const,
  registers: [registry],
});

/**
 * What the moderation service reports through its `onEvent`: `outage` for its warnings (the
 * database unreachable: answer records held in memory, an audit entry or a request refused),
 * `failed` for its errors (a write or refresh that failed for another reason).
 */
export const databaseErrorKinds = ['outage', 'failed'] as const;

export const databaseErrors = new Counter({
  name: 'cited_database_errors_total',
  help: 'Moderation database failures reported by the moderation service: outage (unreachable) or failed (any other error).',
  labelNames: ['kind'] as const,
  registers: [registry],
});

/**
 * A feed poll's outcome: `new` (new articles fetched), `unchanged` (nothing new: 304 or the same
 * items), `error` (unreachable, an HTTP error, a feed that does not parse).
 */
export const feedPollOutcomes = ['new', 'unchanged', 'error'] as const;
export type FeedPollOutcome = (typeof feedPollOutcomes)[number];

export const feedPolls = new Counter({
  name: 'cited_feed_polls_total',
  help: 'Feed polls by outcome: new (articles fetched), unchanged, error.',
  labelNames: ['outcome'] as const,
  registers: [registry],
});

/** For the feed poller: count one poll of one feed. */
export function recordFeedPoll(outcome: FeedPollOutcome): void {
  feedPolls.inc({ outcome });
}

/** Where the gauges read their values at scrape time; each is set once the part it reads exists. */
export interface Readings {
  /** Answer jobs waiting in the bot's work queue (`src/discord/work-queue.ts`). */
  queueDepth?: () => number;
  /** Interactions being handled right now. */
  inFlight?: () => number;
  /** The index in use: quotable sentences and segments searched (1 after a build or a merge). */
  index?: () => { sentences: number; segments: number };
  /** Whether this process holds the feed-polling lease, and so polls the feeds (`src/feeds/lease.ts`). */
  feedLeaseHeld?: () => boolean;
}

const readings: Readings = {};

export function readFrom(more: Readings): void {
  Object.assign(readings, more);
}

new Gauge({
  name: 'cited_answer_queue_depth',
  help: 'Answer jobs waiting in the work queue, not yet started.',
  registers: [registry],
  collect() {
    this.set(readings.queueDepth?.() ?? 0);
  },
});

new Gauge({
  name: 'cited_interactions_in_flight',
  help: 'Interactions and questions being handled right now (above 20 the bot acknowledges first).',
  registers: [registry],
  collect() {
    this.set(readings.inFlight?.() ?? 0);
  },
});

new Gauge({
  name: 'cited_index_sentences',
  help: 'Quotable sentences in the index in use (0 while it loads).',
  registers: [registry],
  collect() {
    this.set(readings.index?.().sentences ?? 0);
  },
});

new Gauge({
  name: 'cited_index_segments',
  help: 'Index segments searched: 1 after a build or a merge, one more for each article added since (0 while loading).',
  registers: [registry],
  collect() {
    this.set(readings.index?.().segments ?? 0);
  },
});

new Gauge({
  name: 'cited_feed_lease_held',
  help: 'Whether this process holds the feed-polling lease and polls the feeds (1) or not (0): across every process sharing the database, one at most.',
  registers: [registry],
  collect() {
    this.set(readings.feedLeaseHeld?.() ? 1 : 0);
  },
});

/** Every listed label value at 0, so each series exists from the start. */
function zeroSeries(): void {
  for (const kind of interactionKinds) for (const outcome of interactionOutcomes) interactions.inc({ kind, outcome }, 0);
  for (const result of answerResults) answers.inc({ result }, 0);
  for (const kind of databaseErrorKinds) databaseErrors.inc({ kind }, 0);
  for (const outcome of feedPollOutcomes) feedPolls.inc({ outcome }, 0);
}
zeroSeries();

let processMetrics = false;

/**
 * Node's own series as well (CPU, memory, heap, event-loop delay, handles), without a prefix so
 * standard dashboards work. Only for a process that serves the endpoint: the event-loop monitor is
 * not worth running where nobody reads it.
 */
export function collectProcessMetrics(): void {
  if (processMetrics) return;
  processMetrics = true;
  collectDefaultMetrics({ register: registry });
}

/** Under the sharding manager every series carries `shard`, whatever the scraper's own labels. */
export function labelShard(shardId: number): void {
  registry.setDefaultLabels({ shard: String(shardId) });
}
