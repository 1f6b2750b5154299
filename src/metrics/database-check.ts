/**
 * Readiness of the moderation database (DATABASE_URL): a `SELECT 1` on a connection of its own.
 * Not through the moderation service: it keeps its store private, and notices an outage only when
 * a request needs the database, so an idle bot would look ready with the database gone. The
 * connection is made the store's way (`postgresDriver`: the same user, TLS and URL options).
 */
import { postgresDriver, postgresServer } from '../moderation/postgres.js';
import type { Check } from './server.js';

/**
 * How long a probe waits for PostgreSQL. Probes are short-lived (Kubernetes gives one a second by
 * default); a server that never answers is reported as such rather than left to the driver's 5 s
 * connect timeout.
 */
export const databaseCheckDeadlineMs = 2_000;

export interface DatabaseCheck {
  check(): Promise<Check>;
  close(): Promise<void>;
}

export function databaseCheck(connectionString: string, deadlineMs = databaseCheckDeadlineMs): DatabaseCheck {
  const driver = postgresDriver(connectionString);
  const server = postgresServer(connectionString);
  // Probes that arrive together share one query: a hanging server holds one connection, not one per probe.
  let inFlight: Promise<unknown> | null = null;
  return {
    async check() {
      const probe = (inFlight ??= driver.query('SELECT 1').finally(() => (inFlight = null)));
      probe.catch(() => undefined); // observed below, or after the deadline has answered for it
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`PostgreSQL at ${server} did not answer within ${deadlineMs / 1000} s`)), deadlineMs);
      });
      try {
        await Promise.race([probe, deadline]);
        return { ok: true };
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return { ok: false, reason: message.startsWith('PostgreSQL at') ? message : `PostgreSQL at ${server}: ${message}` };
      } finally {
        clearTimeout(timer);
      }
    },
    close: () => driver.close(),
  };
}
