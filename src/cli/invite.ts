/**
 * `npm run invite`: the link that adds the bot to a server, with the `bot` and
 * `applications.commands` scopes and the permissions the bot needs (INVITE_PERMISSIONS). The
 * application is DISCORD_APPLICATION_ID, or else the one read from DISCORD_TOKEN: a bot token's
 * first part is the base64 of the bot's user id, and a bot's user id is its application's id for
 * every bot created since 2019 (older ones may differ: set DISCORD_APPLICATION_ID for them). No
 * network call is made. The link goes to stdout, where the id came from to stderr.
 */
import { parseArgs } from 'node:util';
import { PermissionFlagsBits } from 'discord.js';
import { loadDotEnv, readConfig } from '../config.js';
import { citedError } from '../core/errors.js';
import { endQuietlyWhenOutputCloses, run, usageError } from './common.js';

const USAGE = `usage: npm run invite
  Prints the link that adds the bot to a server, for DISCORD_APPLICATION_ID (or the application id
  read from DISCORD_TOKEN). Set them in the environment or in .env.
`;

/** Send Messages, Embed Links (answers are embeds), Read Message History (replies to the messages that mention the bot). */
export const INVITE_PERMISSIONS = PermissionFlagsBits.SendMessages | PermissionFlagsBits.EmbedLinks | PermissionFlagsBits.ReadMessageHistory;

export function inviteUrl(applicationId: string): string {
  const query = new URLSearchParams({ client_id: applicationId, scope: 'bot applications.commands', permissions: INVITE_PERMISSIONS.toString() });
  return `https://discord.com/oauth2/authorize?${query}`;
}

/** The bot's user id from the first part of its token (base64 of the id), or null when it is not one. */
export function applicationIdFromToken(token: string): string | null {
  const first = token.split('.')[0] ?? '';
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(first)) return null;
  const decoded = Buffer.from(first.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
  return /^\d{15,21}$/.test(decoded) ? decoded : null;
}

async function main(): Promise<number> {
  endQuietlyWhenOutputCloses();
  let args;
  try {
    args = parseArgs({ allowPositionals: false, options: { help: { type: 'boolean', short: 'h' } } });
  } catch (error) {
    return usageError((error as Error).message, USAGE);
  }
  if (args.values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  loadDotEnv();
  const config = readConfig();
  let id = config.discordApplicationId;
  if (id === undefined) {
    if (config.discordToken === undefined) throw citedError('NO_APPLICATION_ID');
    id = applicationIdFromToken(config.discordToken) ?? undefined;
    if (id === undefined) throw citedError('TOKEN_WITHOUT_ID');
    process.stderr.write(`note: application id ${id} read from DISCORD_TOKEN (a bot's user id is its application id for bots created since 2019; set DISCORD_APPLICATION_ID if the link names the wrong application)\n`);
  }
  process.stdout.write(`${inviteUrl(id)}\n`);
  return 0;
}

run(main);
