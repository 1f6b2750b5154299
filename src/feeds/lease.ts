/**
 * Feed polling in exactly one process among all that share the moderation database — shards,
 * machines, restarts — the one holding the `feed-poller` lease in the store (README, "Scaling").
 * Two pollers would fetch every feed twice and add every new item twice.
 *
 * A process takes the lease when it is free or expired, renews it every third of its time to live,
 * and gives it up on shutdown. It polls only while it holds it: a renewal refused (another took
 * over), failed (the database is down) or unanswered until one renewal period before the lease
 * could run out stops its poller at once — so it has stopped before the lease expires in the
 * database and another takes it over — and it polls again once it holds the lease again. When the holder dies without giving it up, another
 * process takes it over once it expires: within one time to live and one renewal period.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { ModerationStore } from '../moderation/store.js';

/** The lease operations of the moderation store. */
export type LeaseStore = Pick<ModerationStore, 'takeLease' | 'releaseLease' | 'lease'>;

export const FEED_POLLER_LEASE = 'feed-poller';

/**
 * 30 s (FEED_LEASE_SECONDS): renewed every 10 s, one small write per process; a dead holder
 * replaced within 30–40 s, short beside a feed's 15-minute poll interval.
 */
export const DEFAULT_LEASE_TTL_MS = 30_000;

/** How long giving the lease up may hold a shutdown; past it the lease expires on its own. */
const RELEASE_WAIT_MS = 2_000;

export type LeaseEvent = (level: 'info' | 'warn' | 'error', message: string, detail: Record<string, unknown>) => void;

export interface LeaseKeeperOptions {
  /** The lease's name in the store. */
  name: string;
  /** What the lease is for, in the log: "feed polling". */
  job: string;
  /** How long the lease lasts unless renewed. Default DEFAULT_LEASE_TTL_MS. */
  ttlMs?: number;
  /** This process in the lease row. Default: host, pid and a random part (containers often share pid 1). */
  holder?: string;
  /** This process has come to hold the lease: start the work. */
  onTaken: () => void | Promise<void>;
  /** It holds it no more (taken over, not renewed in time, shutting down): stop the work. Awaited. */
  onLost: () => void | Promise<void>;
  onEvent?: LeaseEvent;
}

type State = 'starting' | 'held' | 'waiting' | 'failing';

export class LeaseKeeper {
  readonly holder: string;
  readonly #store: LeaseStore;
  readonly #name: string;
  readonly #job: string;
  readonly #ttlMs: number;
  readonly #renewMs: number;
  readonly #options: LeaseKeeperOptions;
  readonly #onEvent: LeaseEvent;
  #state: State = 'starting';
  /** While held: when the lease runs out at the earliest (performance.now() when the last renewal was sent, plus its time to live). */
  #heldUntil = 0;
  #running: Promise<void> | null = null;
  readonly #stopping = new AbortController();

  constructor(store: LeaseStore, options: LeaseKeeperOptions) {
    this.#store = store;
    this.#options = options;
    this.#name = options.name;
    this.#job = options.job;
    this.#ttlMs = options.ttlMs ?? DEFAULT_LEASE_TTL_MS;
    this.#renewMs = Math.floor(this.#ttlMs / 3);
    this.holder = options.holder ?? `${hostname()}/${process.pid}/${randomBytes(3).toString('hex')}`;
    this.#onEvent = options.onEvent ?? (() => undefined);
  }

  /** Whether this process holds the lease (and so does the work) now. */
  get held(): boolean {
    return this.#state === 'held';
  }

  /** Starts taking and renewing the lease in the background (once). */
  start(): void {
    this.#running ??= this.#loop();
  }

  /** Stops: the work first (onLost, when held), then the lease is given up so another takes it at once. */
  async stop(): Promise<void> {
    this.#stopping.abort();
    await this.#running;
    const held = this.held;
    if (held) await this.#lose('waiting', 'info', 'lease given up: shutting down', {});
    // Even when not held: a renewal that timed out here may still have been written there.
    const released = await within(this.#store.releaseLease(this.#name, this.holder), RELEASE_WAIT_MS).catch(() => false);
    if (held && !released) this.#event('warn', 'lease could not be given up: it expires on its own', {});
  }

  async #loop(): Promise<void> {
    const signal = this.#stopping.signal;
    while (!signal.aborted) {
      await this.#attempt();
      if (signal.aborted) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.#renewMs);
        signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
      });
    }
  }

  /** One take-or-renew, and what follows from its answer. */
  async #attempt(): Promise<void> {
    let taken = false;
    const asked = performance.now();
    // A holder waits for the answer until one renewal period before its lease could run out, and
    // stops without one: that period is left for its work to stop before another may take over.
    // Not holding, it waits one renewal period.
    const wait = this.held ? this.#heldUntil - this.#renewMs - asked : this.#renewMs;
    try {
      taken = (await within(this.#store.takeLease(this.#name, this.holder, this.#ttlMs), wait)) !== null;
      // The database counts the time to live from when it wrote the row, which is after `asked`.
      if (taken) this.#heldUntil = asked + this.#ttlMs;
    } catch (error) {
      if (this.held) return this.#lose('failing', 'warn', 'lease could not be renewed: stopped here until it is held again', { err: error });
      if (this.#state !== 'failing') this.#event('warn', 'lease could not be taken: trying again', { err: error });
      this.#state = 'failing';
      return;
    }
    if (taken && !this.held) {
      this.#state = 'held';
      this.#event('info', 'lease taken: this process does it', { ttlMs: this.#ttlMs });
      await this.#call(this.#options.onTaken);
    } else if (!taken && this.held) {
      await this.#lose('waiting', 'warn', 'lease taken over by another process: stopped here', {});
    } else if (!taken && this.#state !== 'waiting') {
      this.#state = 'waiting';
      const other = await this.#store.lease(this.#name).catch(() => null);
      this.#event('info', 'lease held by another process', { by: other?.holder ?? 'unknown' });
    }
  }

  async #lose(next: State, level: 'info' | 'warn', message: string, detail: Record<string, unknown>): Promise<void> {
    this.#state = next;
    this.#event(level, message, detail);
    await this.#call(this.#options.onLost);
  }

  async #call(callback: () => void | Promise<void>): Promise<void> {
    try {
      await callback();
    } catch (error) {
      this.#event('error', 'lease: starting or stopping the work failed', { err: error });
    }
  }

  /** "feed polling lease taken: …", with the lease and this process named. */
  #event(level: 'info' | 'warn' | 'error', message: string, detail: Record<string, unknown>): void {
    this.#onEvent(level, `${this.#job} ${message}`, { lease: this.#name, holder: this.holder, ...detail });
  }
}

/** `promise`, or a rejection once `ms` have passed without its answer (which is then ignored). */
function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer from the database within ${Math.max(0, Math.round(ms))} ms`)), Math.max(0, ms));
    promise.then(
      (value) => (clearTimeout(timer), resolve(value)),
      (error: unknown) => (clearTimeout(timer), reject(error)),
    );
  });
}

/** Polls the feeds only while this process holds the feed-poller lease. */
export function pollFeedsWhileLeased(poller: { start(): void; stop(): Promise<void> }, store: LeaseStore, options: { ttlMs?: number; onEvent?: LeaseEvent } = {}): LeaseKeeper {
  return new LeaseKeeper(store, { name: FEED_POLLER_LEASE, job: 'feed polling', ...options, onTaken: () => poller.start(), onLost: () => poller.stop() });
}
