/** Structured logs (JSON lines, pino) for the bot. The console chat does not log. */
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level = 'info'): Logger {
  return pino({ level, base: { app: 'cited' } });
}
