/**
 * Reaching Discord at start-up, and telling a passing outage from a fatal refusal.
 *
 * No network yet (DNS failing, connection refused, Discord down: a 5xx) is waited out with
 * backoff, each attempt logged with its delay, until Discord answers or a signal stops the wait:
 * a bot started before its network is up, or during an outage, connects when it can instead of
 * exiting. A bad token (401 on /gateway/bot, or the gateway closing with 4004 "Authentication
 * failed") and the other closes Discord never recovers from are fatal: retrying cannot help, so
 * the process says why and exits non-zero for its supervisor to notice.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { DiscordAPIError, DiscordjsError, DiscordjsErrorCodes, GatewayCloseCodes, REST, Routes } from 'discord.js';
import { citedError, type CitedError } from '../core/errors.js';
import type { Logger } from '../logger.js';

/**
 * The wait before retry n (1, 2, …): 1 s doubling up to 30 s, each ±20% at random so that shards
 * or bots restarted together do not retry in step.
 */
export const retryBackoff = { firstMs: 1_000, maxMs: 30_000, jitter: 0.2 } as const;
/** One attempt gives up after this long: a Discord that accepts and never answers is an outage too. */
export const attemptTimeoutMs = 10_000;

export function retryDelayMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(retryBackoff.maxMs, retryBackoff.firstMs * 2 ** (attempt - 1));
  return Math.round(base * (1 + retryBackoff.jitter * (2 * random() - 1)));
}

export interface WaitForDiscordOptions {
  token: string;
  /** DISCORD_API_URL; Discord's own when unset. */
  apiUrl?: string;
  logger: Logger;
  /** Aborted by a stop signal: retrying ends, rejecting with the signal's reason. */
  signal?: AbortSignal;
}

/**
 * Resolves once Discord answers GET /gateway/bot (the first thing `client.login` asks), retrying
 * network failures and 5xx with backoff. Rejects with a CitedError for a bad token or another 4xx.
 * discord.js's own client is not retried instead: after a failed login it is destroyed for good.
 */
export async function waitForDiscord(options: WaitForDiscordOptions): Promise<void> {
  const { logger, signal } = options;
  // Its own REST, without discord.js's retries, so the schedule here is the whole schedule.
  const rest = new REST({ ...(options.apiUrl ? { api: options.apiUrl } : {}), retries: 0, timeout: attemptTimeoutMs }).setToken(options.token);
  for (let attempt = 1; ; attempt++) {
    try {
      // The first attempt is made even after a stop signal: a start-up that can complete does, and
      // then shuts down in order. Retries, and the waits between them, the signal cancels.
      await rest.get(Routes.gatewayBot(), attempt > 1 && signal ? { signal } : {});
      if (attempt > 1) logger.info({ attempts: attempt }, 'Discord reachable again');
      return;
    } catch (error) {
      if (error instanceof DiscordAPIError && error.status < 500) throw refusal(error.status, error.message);
      signal?.throwIfAborted();
      const delayMs = retryDelayMs(attempt);
      logger.warn({ attempt, delayMs, reason: reasonOf(error) }, 'cannot reach Discord; retrying');
      await sleep(delayMs, undefined, signal ? { signal } : {}).catch(() => signal?.throwIfAborted());
    }
  }
}

function refusal(status: number, message: string): CitedError {
  return status === 401 ? citedError('DISCORD_TOKEN_REJECTED', 'the REST API answered 401 Unauthorized') : citedError('DISCORD_REFUSED', status, message);
}

/** The network error's code (ECONNREFUSED, ENOTFOUND, EAI_AGAIN …) with its message, or the HTTP status. */
function reasonOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as NodeJS.ErrnoException).code ?? (error.cause as NodeJS.ErrnoException | undefined)?.code;
  if (error.name === 'AbortError') return `no answer within ${attemptTimeoutMs / 1000} s`;
  return code && !error.message.includes(code) ? `${code}: ${error.message}` : error.message;
}

/** The error for a gateway close discord.js does not recover from (it emits ShardDisconnect for these only). */
export function gatewayClosedError(code: number): CitedError {
  if (code === GatewayCloseCodes.AuthenticationFailed) return citedError('DISCORD_TOKEN_REJECTED', 'the gateway closed with 4004 Authentication failed');
  return citedError('DISCORD_GATEWAY_CLOSED', code, GatewayCloseCodes[code] ?? 'unknown');
}

/** What `client.login` threw, in the project's terms where it is about the token. */
export function loginError(error: unknown): unknown {
  if (error instanceof DiscordjsError && error.code === DiscordjsErrorCodes.TokenInvalid) return citedError('DISCORD_TOKEN_REJECTED', 'the REST API answered 401 Unauthorized');
  if (error instanceof Error && error.message === 'Authentication failed') return gatewayClosedError(GatewayCloseCodes.AuthenticationFailed);
  return error;
}

/** Whether `work` settled within `ms` (it goes on either way). */
export async function settledWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([work.then(() => true, () => true), late]);
  } finally {
    clearTimeout(timer);
  }
}
