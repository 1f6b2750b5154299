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

describe('pages and feeds', () => {
  it('has safe defaults: no feeds, a poll every 15 minutes, a 15-second fetch deadline, private addresses refused, no announcements', () => {
    const config = readConfig({});
    expect(config).toMatchObject({ feeds: [], feedPollSeconds: 900, fetchTimeoutSeconds: 15, allowPrivateUrls: false });
    expect(config.announceChannelId).toBeUndefined();
  });

  it('reads FEEDS separated by commas or spaces, once each, and the other settings', () => {
    const config = readConfig({ FEEDS: 'https://a.example/rss, https://b.example/atom.xml\nhttps://a.example/rss', FEED_POLL_SECONDS: '300', FETCH_TIMEOUT_SECONDS: '5', ALLOW_PRIVATE_URLS: 'true', ANNOUNCE_CHANNEL_ID: '300000000000000004' });
    expect(config).toMatchObject({ feeds: ['https://a.example/rss', 'https://b.example/atom.xml'], feedPollSeconds: 300, fetchTimeoutSeconds: 5, allowPrivateUrls: true, announceChannelId: '300000000000000004' });
  });

  it('stops start-up on a feed that is not a web address, or a value that is not one', () => {
    expect(() => readConfig({ FEEDS: 'https://a.example/rss ftp://b.example/feed' })).toThrow('Configuration FEEDS: "ftp://b.example/feed" is not an http:// or https:// address (list feed addresses separated by commas or spaces).');
    expect(() => readConfig({ ALLOW_PRIVATE_URLS: 'sometimes' })).toThrow('Configuration ALLOW_PRIVATE_URLS: "sometimes" is not true or false.');
    expect(() => readConfig({ FEED_POLL_SECONDS: '0' })).toThrow('Configuration FEED_POLL_SECONDS: "0" is not a positive whole number.');
    expect(() => readConfig({ ANNOUNCE_CHANNEL_ID: '#news' })).toThrow(/Configuration ANNOUNCE_CHANNEL_ID: "#news" is not a Discord id/);
  });
});
