/**
 * `npm run deploy-commands`: registers Cited's commands with Discord — in DISCORD_GUILD_ID only
 * when set (instant, for testing), else globally (may take up to an hour to appear).
 */
import { REST, Routes } from 'discord.js';
import { loadDotEnv, readConfig } from '../config.js';
import { citedError, isCitedError } from '../core/errors.js';
import { commands } from '../../commands/index.js';
import { commandDefinitions } from './definitions.js';

async function main(): Promise<void> {
  loadDotEnv();
  const config = readConfig();
  if (!config.discordToken) throw citedError('BAD_CONFIG', 'DISCORD_TOKEN', 'is not set; deploy-commands needs the bot token');
  const rest = new REST(config.discordApiUrl ? { api: config.discordApiUrl } : {}).setToken(config.discordToken);
  const applicationId = config.discordApplicationId ?? ((await rest.get(Routes.currentApplication())) as { id: string }).id;
  const body = commandDefinitions(commands);
  const route = config.discordGuildId ? Routes.applicationGuildCommands(applicationId, config.discordGuildId) : Routes.applicationCommands(applicationId);
  const saved = (await rest.put(route, { body })) as unknown[];
  process.stdout.write(`Registered ${saved.length} commands ${config.discordGuildId ? `in guild ${config.discordGuildId}` : 'globally'}: ${body.map((c) => c.name).join(', ')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(isCitedError(error) ? `${error.message}\n` : `deploy-commands failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
