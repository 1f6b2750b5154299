/** The environment, read once: CORPUS_ADMINS and the rules every variable follows. */
import { describe, expect, it } from 'vitest';
import { readConfig } from '../src/config.js';

describe('CORPUS_ADMINS', () => {
  it('is nobody when unset, and a list of user ids when set (spaces and empty items ignored)', () => {
    expect(readConfig({}).corpusAdmins).toEqual([]);
    expect(readConfig({ CORPUS_ADMINS: ' 400000000000000001, 400000000000000002 ,' }).corpusAdmins).toEqual(['400000000000000001', '400000000000000002']);
  });

  it('stops start-up with a message naming the variable and the value that is not a user id', () => {
    expect(() => readConfig({ CORPUS_ADMINS: '400000000000000001,alice' })).toThrow(/^Configuration CORPUS_ADMINS: "alice" is not a Discord user id/);
  });

  it('is separate from DISCORD_GUILD_ID, which only says where commands are registered', () => {
    const config = readConfig({ DISCORD_GUILD_ID: '300000000000000001' });
    expect(config.corpusAdmins).toEqual([]);
    expect(config.discordGuildId).toBe('300000000000000001');
  });
});
