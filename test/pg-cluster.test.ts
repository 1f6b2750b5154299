/**
 * The private PostgreSQL cluster of test/support/pg-cluster.ts: reachable at its URL, unreachable
 * while stopped, its data kept across a restart, its folder gone once removed.
 */
import { existsSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { postgresBinDir, startPgCluster, type PgCluster } from './support/pg-cluster.js';

const installed = postgresBinDir() !== null;
let cluster: PgCluster | undefined;
afterAll(async () => {
  await cluster?.remove();
});

describe.skipIf(!installed)('a private PostgreSQL cluster for a test', () => {
  it('serves its database on its own port, goes away when stopped, and keeps its data across a restart', async () => {
    cluster = await startPgCluster();
    expect(cluster.url).toBe(`postgresql://cited@127.0.0.1:${cluster.port}/cited`);
    await cluster.query('CREATE TABLE kept (note TEXT)');
    await cluster.query('INSERT INTO kept VALUES ($1)', ['before the restart']);

    await cluster.stop();
    expect(cluster.running()).toBe(false);
    await expect(cluster.query('SELECT 1')).rejects.toThrow(/ECONNREFUSED/);

    await cluster.start();
    expect(await cluster.query('SELECT note FROM kept')).toEqual([{ note: 'before the restart' }]);
    await cluster.restart();
    expect(await cluster.query('SELECT note FROM kept')).toEqual([{ note: 'before the restart' }]);
    expect(cluster.log()).toMatch(/database system is ready to accept connections/);
  });

  it('is removed with its folder', async () => {
    const removed = cluster!;
    cluster = undefined;
    expect(existsSync(removed.dir)).toBe(true);
    await removed.remove();
    await expect(removed.query('SELECT 1')).rejects.toThrow(/ECONNREFUSED/);
    expect(existsSync(removed.dir)).toBe(false);
  });
});

describe.skipIf(installed)('a private PostgreSQL cluster for a test', () => {
  it('needs PostgreSQL installed here (CI installs it; see .ci/run)', () => {
    expect(process.env.CI, 'CI must install PostgreSQL so the tests with a private cluster run').not.toBe('true');
  });
});
