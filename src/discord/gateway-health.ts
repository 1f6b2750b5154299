/**
 * Is the gateway connected? For /readyz: every shard of the client is Ready in discord.js and has
 * had a heartbeat acknowledged lately.
 *
 * The status alone lags: when the network goes silent, discord.js notices the missing
 * acknowledgement at the next heartbeat, then waits for the socket to close, which the ws library
 * gives 30 s; the shard stays "Ready" all that while. So the acknowledgements are watched too: a
 * shard whose last acknowledged heartbeat is older than two heartbeat intervals has missed one
 * whole beat. The interval (Discord's HELLO sets it: 41.25 s today) is not public in discord.js,
 * so it is learnt from the acknowledgements themselves (`lastPingTimestamp`, the time of the last
 * acknowledged heartbeat): the gap between the last two on the same connection. A reconnection
 * starts over, since its first heartbeat comes after a random part of an interval.
 */
import { Events, Status, type Client } from 'discord.js';
import type { Check } from '../metrics/server.js';

/** How often the acknowledgements are looked at: often enough to learn a test's half-second interval. */
const sampleMs = 250;

interface Beats {
  /** Acknowledged heartbeats up to this time belong to an earlier connection. */
  since: number;
  /** The last acknowledged heartbeat seen on this connection. */
  last?: number;
  /** The gap between the last two: the heartbeat interval, as observed. */
  interval?: number;
}

export class GatewayWatch {
  readonly #client: Client;
  readonly #beats = new Map<number, Beats>();
  readonly #timer: NodeJS.Timeout;

  constructor(client: Client) {
    this.#client = client;
    const restart = (shard: number) => this.#beats.set(shard, { since: client.ws.shards.get(shard)?.lastPingTimestamp ?? -1 });
    client.on(Events.ShardReady, restart);
    client.on(Events.ShardResume, restart);
    client.on(Events.ShardReconnecting, restart);
    this.#timer = setInterval(() => this.#sample(), sampleMs);
    this.#timer.unref();
  }

  check(now = Date.now()): Check {
    this.#sample();
    const shards = [...this.#client.ws.shards.values()];
    if (shards.length === 0) return { ok: false, reason: 'not connected to Discord' };
    const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    const seen: string[] = [];
    for (const shard of shards) {
      if (shard.status !== Status.Ready) return { ok: false, reason: `shard ${shard.id} is ${Status[shard.status]?.toLowerCase() ?? shard.status}` };
      const beats = this.#beats.get(shard.id);
      if (beats?.last === undefined || beats.interval === undefined) {
        seen.push(`shard ${shard.id}: ready, heartbeat interval not learnt yet`);
        continue;
      }
      const age = now - beats.last;
      if (age > 2 * beats.interval) return { ok: false, reason: `shard ${shard.id}: no heartbeat acknowledged for ${seconds(age)} (one is due every ${seconds(beats.interval)})` };
      seen.push(`shard ${shard.id}: heartbeat acknowledged ${seconds(age)} ago (every ${seconds(beats.interval)})`);
    }
    return { ok: true, detail: seen.join('; ') };
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  #sample(): void {
    for (const shard of this.#client.ws.shards.values()) {
      const at = shard.lastPingTimestamp;
      const beats = this.#beats.get(shard.id) ?? { since: -1 };
      this.#beats.set(shard.id, beats);
      if (at <= beats.since || at === beats.last) continue;
      if (beats.last !== undefined) beats.interval = at - beats.last;
      beats.last = at;
    }
  }
}
