/**
 * Stopping a long-running process (the bot) on SIGINT or SIGTERM, within a deadline.
 *
 * The first signal aborts `signal` (start-up steps that wait on the network, such as reaching
 * Discord, stop waiting) and resolves `requested`; the process then shuts down in order. Whatever
 * hangs meanwhile — a database connect that never answers, a Discord gateway that has gone away —
 * the deadline ends the process: it logs that it did and exits with status 1, so a supervisor
 * (or a test harness) is never left with a process that outlives it. A second signal exits at once.
 * As a shard, losing the channel to the ShardingManager counts as a signal.
 */
import type { Logger } from './logger.js';

export interface StopRequest {
  /** Aborted by the first SIGINT or SIGTERM; its reason is the signal's name. */
  signal: AbortSignal;
  /** Resolves with the signal's name. */
  requested: Promise<string>;
}

/** Listens for SIGINT and SIGTERM from now on; from the first, the process has `deadlineMs` to finish. */
export function listenForStop(logger: Logger, deadlineMs: number): StopRequest {
  const controller = new AbortController();
  const requested = new Promise<string>((resolve) => controller.signal.addEventListener('abort', () => resolve(String(controller.signal.reason)), { once: true }));
  const onSignal = (signal: string) => {
    if (controller.signal.aborted) {
      logger.fatal({ signal }, 'second signal: exiting now, without shutting down in order');
      process.exit(1);
    }
    logger.info({ signal }, 'signal received');
    exitDeadline(logger, deadlineMs, `shutdown after ${signal}`);
    controller.abort(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // A shard whose ShardingManager has died (killed, no chance to send SIGTERM) stops too: left
  // running it would be orphaned, and a new manager would start a second copy of it.
  if (process.channel) process.once('disconnect', () => controller.signal.aborted || onSignal('disconnect'));
  return { signal: controller.signal, requested };
}

/**
 * From now on the process has `ms` to end; past that it logs what did not finish and exits 1.
 * The timer is unref'd: it never keeps alive a process that is done, and fires only when
 * something else (a socket, a retry timer) does.
 */
export function exitDeadline(logger: Logger, ms: number, what: string): void {
  setTimeout(() => {
    logger.fatal({ deadlineMs: ms }, `${what} did not finish within ${ms / 1000} s: exiting`);
    process.exit(1);
  }, ms).unref();
}
