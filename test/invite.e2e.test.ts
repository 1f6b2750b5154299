/** `npm run invite` (src/cli/invite.ts) as a real process: the link, where the id comes from, and what it says without one. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PermissionFlagsBits } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { root, runScript } from './helpers.js';

const PERMISSIONS = PermissionFlagsBits.SendMessages | PermissionFlagsBits.EmbedLinks | PermissionFlagsBits.ReadMessageHistory;
const ID = '123456789012345678';
/** A token as Discord makes them: base64 of the bot's user id (no padding), a timestamp part, an HMAC part. */
const TOKEN = `${Buffer.from('987654321098765432').toString('base64').replace(/=+$/, '')}.GabCdE.${'x'.repeat(38)}`;
// Nothing listens there: a network call would fail the run.
const invite = (env: Record<string, string | undefined>, args: string[] = []) =>
  runScript('src/cli/invite.js', args, { env: { DISCORD_TOKEN: undefined, DISCORD_APPLICATION_ID: undefined, DISCORD_API_URL: 'http://127.0.0.1:9/api', ...env } });

describe('npm run invite', () => {
  it('prints the link for DISCORD_APPLICATION_ID with the bot and applications.commands scopes and the permissions the bot needs', async () => {
    const run = await invite({ DISCORD_APPLICATION_ID: ID, DISCORD_TOKEN: TOKEN });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe(`https://discord.com/oauth2/authorize?client_id=${ID}&scope=bot+applications.commands&permissions=${PERMISSIONS}\n`);
    const url = new URL(run.stdout.trim());
    expect(url.searchParams.get('scope')!.split(' ')).toEqual(['bot', 'applications.commands']);
    expect(BigInt(url.searchParams.get('permissions')!)).toBe(2048n + 16384n + 65536n); // Send Messages, Embed Links, Read Message History
  });

  it('reads the application id from DISCORD_TOKEN when DISCORD_APPLICATION_ID is unset, and says so', async () => {
    const run = await invite({ DISCORD_TOKEN: TOKEN });
    expect(run.code).toBe(0);
    expect(new URL(run.stdout.trim()).searchParams.get('client_id')).toBe('987654321098765432');
    expect(run.stderr).toMatch(/^note: application id 987654321098765432 read from DISCORD_TOKEN \(.*since 2019/);
  });

  it('names the variables when it has neither, and refuses a token that does not begin with a user id', async () => {
    const none = await invite({});
    expect(none.code).toBe(1);
    expect(none.stdout).toBe('');
    expect(none.stderr).toMatch(/DISCORD_APPLICATION_ID.*DISCORD_TOKEN/);
    expect(none.stderr).not.toMatch(/\n\s+at /);
    const odd = await invite({ DISCORD_TOKEN: 'bm90LWFuLWlk.GabCdE.xxxx' }); // "not-an-id"
    expect(odd.code).toBe(1);
    expect(odd.stderr).toContain('DISCORD_TOKEN does not begin with a bot\'s user id');
  });

  it('--help prints the usage; an unknown flag is wrong usage', async () => {
    expect(await invite({}, ['--help'])).toMatchObject({ code: 0, stdout: expect.stringMatching(/^usage: npm run invite/) });
    expect(await invite({ DISCORD_APPLICATION_ID: ID }, ['--scopes'])).toMatchObject({ code: 2, stdout: '' });
  });

  it('the README states the same permissions', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    expect(readme).toContain(`permissions integer ${PERMISSIONS}`);
    expect(readme).toContain('npm run invite');
  });
});
