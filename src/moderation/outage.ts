/**
 * Tells an outage of the moderation database (it cannot be reached, or cannot be written, right
 * now) from a bug. An outage is met with "try again in a few minutes" and, for answer records, a
 * retry once the database is back; a bug is logged and reported as ours.
 */

/** Socket-level failures reaching PostgreSQL. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED']);

/** node-postgres's own words when a connection is lost or never made (it sets no code for these). */
const PG_CONNECTION_MESSAGES = /connection terminated|timeout exceeded when trying to connect|connection error|query read timeout|cannot use a pool after calling end|client was closed|not queryable/i;

/** SQLite result codes that mean the file cannot be used right now (extended codes start with these). */
const SQLITE_OUTAGES = ['SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_IOERR', 'SQLITE_READONLY', 'SQLITE_FULL', 'SQLITE_CANTOPEN', 'SQLITE_CORRUPT', 'SQLITE_NOTADB'];

export function isOutage(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (NETWORK_CODES.has(code)) return true;
    // SQLSTATE classes: 08 connection exception, 57P operator intervention (shutdown, restart), 53 insufficient resources.
    if (/^(08|57P|53)/.test(code)) return true;
    if (SQLITE_OUTAGES.some((c) => code.startsWith(c))) return true;
  }
  if (/database connection is not open/i.test(error.message)) return true;
  return PG_CONNECTION_MESSAGES.test(error.message);
}
