/** The environment, read once: CORPUS_ADMINS, shards, the metrics endpoint, and the rules every variable follows. */
import { describe, expect, it } from 'vitest';
import { metricsPortOf, readConfig } from '../src/config.js';

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
  it('has safe defaults: no feeds, a poll every 15 minutes, a 30-second feed-polling lease, a 15-second fetch deadline, private addresses refused, no announcements', () => {
    const config = readConfig({});
    expect(config).toMatchObject({ feeds: [], feedPollSeconds: 900, feedLeaseSeconds: 30, fetchTimeoutSeconds: 15, allowPrivateUrls: false });
    expect(config.announceChannelId).toBeUndefined();
  });

  it('reads FEEDS separated by commas or spaces, once each, and the other settings', () => {
    const config = readConfig({ FEEDS: 'https://a.example/rss, https://b.example/atom.xml\nhttps://a.example/rss', FEED_POLL_SECONDS: '300', FEED_LEASE_SECONDS: '12', FETCH_TIMEOUT_SECONDS: '5', ALLOW_PRIVATE_URLS: 'true', ANNOUNCE_CHANNEL_ID: '300000000000000004' });
    expect(config).toMatchObject({ feeds: ['https://a.example/rss', 'https://b.example/atom.xml'], feedPollSeconds: 300, feedLeaseSeconds: 12, fetchTimeoutSeconds: 5, allowPrivateUrls: true, announceChannelId: '300000000000000004' });
  });

  it('stops start-up on a feed that is not a web address, or a value that is not one', () => {
    expect(() => readConfig({ FEEDS: 'https://a.example/rss ftp://b.example/feed' })).toThrow('Configuration FEEDS: "ftp://b.example/feed" is not an http:// or https:// address (list feed addresses separated by commas or spaces).');
    expect(() => readConfig({ ALLOW_PRIVATE_URLS: 'sometimes' })).toThrow('Configuration ALLOW_PRIVATE_URLS: "sometimes" is not true or false.');
    expect(() => readConfig({ FEED_POLL_SECONDS: '0' })).toThrow('Configuration FEED_POLL_SECONDS: "0" is not a positive whole number.');
    expect(() => readConfig({ FEED_LEASE_SECONDS: '2' })).toThrow('Configuration FEED_LEASE_SECONDS: is 2; give 3 or more (the lease is renewed every third of it).');
    expect(() => readConfig({ ANNOUNCE_CHANNEL_ID: '#news' })).toThrow(/Configuration ANNOUNCE_CHANNEL_ID: "#news" is not a Discord id/);
  });
});

describe('TOTAL_SHARDS, SHARD_LIST and SHARD_COUNT', () => {
  it('takes ids and ranges, in the order given, within the total', () => {
    expect(readConfig({ TOTAL_SHARDS: '8', SHARD_LIST: '4-7' })).toMatchObject({ totalShards: 8, shardList: [4, 5, 6, 7] });
    expect(readConfig({ TOTAL_SHARDS: '8', SHARD_LIST: ' 0, 1,2 ,3,' }).shardList).toEqual([0, 1, 2, 3]);
    expect(readConfig({ TOTAL_SHARDS: '16', SHARD_LIST: '8-9,0,12 - 13' }).shardList).toEqual([8, 9, 0, 12, 13]);
    expect(readConfig({ TOTAL_SHARDS: '4' })).toMatchObject({ totalShards: 4 });
    expect(readConfig({ TOTAL_SHARDS: '4' }).shardList).toBeUndefined();
  });

  it('refuses an id out of range, a duplicate, a backwards range or something else, naming SHARD_LIST', () => {
    expect(() => readConfig({ TOTAL_SHARDS: '4', SHARD_LIST: '2-4' })).toThrow(/^Configuration SHARD_LIST: shard 4 is out of range: with TOTAL_SHARDS=4 the ids are 0 to 3/);
    expect(() => readConfig({ TOTAL_SHARDS: '8', SHARD_LIST: '0-3,3' })).toThrow(/^Configuration SHARD_LIST: shard 3 is listed twice/);
    expect(() => readConfig({ TOTAL_SHARDS: '8', SHARD_LIST: '0-3,2-5' })).toThrow(/shard 2 is listed twice/);
    expect(() => readConfig({ TOTAL_SHARDS: '8', SHARD_LIST: '7-4' })).toThrow(/the range 7-4 runs backwards; write it as 4-7/);
    expect(() => readConfig({ TOTAL_SHARDS: '8', SHARD_LIST: 'one' })).toThrow(/^Configuration SHARD_LIST: "one" is neither a shard id nor a range/);
    expect(() => readConfig({ TOTAL_SHARDS: '8', SHARD_LIST: '-1' })).toThrow(/"-1" is neither a shard id nor a range/);
    expect(() => readConfig({ TOTAL_SHARDS: '8', SHARD_LIST: ',' })).toThrow(/lists no shard/);
    expect(() => readConfig({ TOTAL_SHARDS: '0' })).toThrow(/^Configuration TOTAL_SHARDS: "0" is not a positive whole number/);
  });

  it('needs TOTAL_SHARDS for SHARD_LIST, not SHARD_COUNT alone', () => {
    expect(() => readConfig({ SHARD_LIST: '0-3' })).toThrow(/^Configuration SHARD_LIST: needs TOTAL_SHARDS/);
    expect(() => readConfig({ SHARD_COUNT: '8', SHARD_LIST: '0-3' })).toThrow(/^Configuration SHARD_LIST: needs TOTAL_SHARDS/);
  });

  it('reads SHARD_COUNT as the older name of TOTAL_SHARDS; both set must agree (as inside a shard, where discord.js sets SHARD_COUNT)', () => {
    expect(readConfig({ SHARD_COUNT: '3' }).totalShards).toBe(3);
    expect(readConfig({ TOTAL_SHARDS: '4', SHARD_LIST: '2-3', SHARD_COUNT: '4', SHARDING_MANAGER: 'true', SHARDS: '3' })).toMatchObject({ totalShards: 4, shardList: [2, 3], shardId: 3 });
    expect(() => readConfig({ TOTAL_SHARDS: '8', SHARD_COUNT: '4' })).toThrow(/^Configuration SHARD_COUNT: is 4 but TOTAL_SHARDS is 8; SHARD_COUNT is the older name of TOTAL_SHARDS/);
  });
});

describe('METRICS_PORT and METRICS_HOST', () => {
  it('is off unless METRICS_PORT is set; listens on 127.0.0.1 unless METRICS_HOST says otherwise', () => {
    expect(readConfig({}).metrics).toBeUndefined();
    expect(readConfig({ METRICS_PORT: '9464' }).metrics).toEqual({ port: 9464, host: '127.0.0.1' });
    expect(readConfig({ METRICS_PORT: '9464', METRICS_HOST: '0.0.0.0' }).metrics).toEqual({ port: 9464, host: '0.0.0.0' });
    expect(readConfig({ METRICS_PORT: '9464', METRICS_HOST: '::' }).metrics?.host).toBe('::');
    expect(readConfig({ METRICS_PORT: '9464', METRICS_HOST: 'metrics.internal' }).metrics?.host).toBe('metrics.internal');
  });

  it('refuses a port that is not one, a host that is not one, and a host without a port', () => {
    expect(() => readConfig({ METRICS_PORT: '65536' })).toThrow(/^Configuration METRICS_PORT: "65536" is not a TCP port \(1 to 65535\)/);
    expect(() => readConfig({ METRICS_PORT: 'http' })).toThrow(/^Configuration METRICS_PORT: "http" is not a TCP port/);
    expect(() => readConfig({ METRICS_PORT: '0' })).toThrow(/METRICS_PORT: "0" is not a TCP port/);
    expect(() => readConfig({ METRICS_PORT: '9464', METRICS_HOST: 'http://0.0.0.0' })).toThrow(/^Configuration METRICS_HOST: "http:\/\/0.0.0.0" is not an IP address or host name/);
    expect(() => readConfig({ METRICS_HOST: '0.0.0.0' })).toThrow(/^Configuration METRICS_HOST: is set but METRICS_PORT is not/);
  });

  it('gives each shard METRICS_PORT + its id, within the last TCP port', () => {
    expect(metricsPortOf({ port: 9464, host: '127.0.0.1' }, undefined)).toBe(9464);
    expect(metricsPortOf({ port: 9464, host: '127.0.0.1' }, 3)).toBe(9467);
    expect(() => metricsPortOf({ port: 65535, host: '127.0.0.1' }, 1)).toThrow(/^Configuration METRICS_PORT: 65535 \+ shard 1 is past the last TCP port/);
  });
});
