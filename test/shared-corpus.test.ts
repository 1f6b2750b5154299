/**
 * One corpus for every process (src/shared-corpus/): two apps, each with its own DATA_DIR, over one
 * PostgreSQL schema, as two bot processes would be. What one adds or removes — shared or a server's
 * own — the other quotes, or stops quoting, within seconds and without a restart; a process started
 * later catches up; one that was down applies what changed meanwhile; the database going away
 * stops changes, never answers.
 *
 * Needs TEST_DATABASE_URL (CI sets it; see .ci/run). The end-to-end test with bot processes is
 * test/many-processes.e2e.test.ts.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, type App } from '../src/app.js';
import { readConfig } from '../src/config.js';
import { isCitedError } from '../src/core/errors.js';
import type { Who } from '../src/moderation/moderation.js';
import { freshDir, tempCorpus } from './helpers.js';
import { postgresUrlParts, startTcpProxy, type TcpProxy } from './support/tcp-proxy.js';

const postgresUrl = process.env.TEST_DATABASE_URL;
const A = '350000000000000001';
const B = '360000000000000001';
const ADMIN = '370000000000000001';
const GENEVA = 'Negotiators from both sides met in Geneva on Friday to discuss a ceasefire along the contact line.\n';
const HARBOUR = 'The harbour master said 42 trawlers were stranded by the ice on Tuesday.\n';
const bytes = (text: string) => new Uint8Array(Buffer.from(text));
const admin: Who = { guildId: A, userId: ADMIN, isModerator: true };
const moderatorOf = (guildId: string): Who => ({ guildId, userId: '380000000000000001', isModerator: true });
const quotes = (app: App, guildId: string, question: string) => app.answers.ask({ question, guildId }).excerpts.map((e) => e.text).join(' | ');

/** Polls until `check` holds (at most `ms`); the assertion after it says what did not happen. */
async function until(check: () => boolean, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check() && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
}

describe.skipIf(!postgresUrl)('one corpus for every process, through PostgreSQL', () => {
  let pool: pg.Pool;
  let proxy: TcpProxy;
  let url = '';
  const schema = `cited_corpus_${randomUUID().replace(/-/g, '')}`;
  const seed = tempCorpus({}, true);
  const apps: App[] = [];

  /** What the apps said about the corpus (CorpusSync's events), as "level: message". */
  const said: { level: string; message: string; detail: Record<string, unknown> }[] = [];

  async function open(dataDir = freshDir('cited-data-')): Promise<App> {
    const config = readConfig({ DATA_DIR: dataDir, DATABASE_URL: url, CORPUS_DIR: seed, CORPUS_ADMINS: ADMIN });
    const app = await openApp(config, { onWarning: () => undefined, onCorpus: (level, message, detail) => said.push({ level, message, detail: detail as Record<string, unknown> }) });
    apps.push(app);
    return app;
  }

  beforeAll(async () => {
    pool = new pg.Pool({ connectionString: postgresUrl });
    await pool.query(`CREATE SCHEMA ${schema}`);
    const { user, database, target } = postgresUrlParts(postgresUrl!);
    proxy = await startTcpProxy(target);
    url = `postgresql://${user}@127.0.0.1:${proxy.port}/${database}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  });

  afterAll(async () => {
    for (const app of apps) await app.close().catch(() => undefined);
    await proxy?.close();
    await pool?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await pool?.end();
  });

  let one: App;
  let two: App;

  it('seeds an empty database from the corpus folder, and a new process copies it', async () => {
    one = await open();
    const [{ n }] = (await pool.query(`SELECT count(*)::int AS n FROM ${schema}.cited_corpus_files WHERE scope = ''`)).rows as [{ n: number }];
    expect(n).toBe(readdirSync(seed).filter((f) => !f.startsWith('.')).length);
    two = await open();
    expect(two.library.current.articles.map((a) => a.id).sort()).toEqual(one.library.current.articles.map((a) => a.id).sort());
    expect(two.library.current.sentenceCount).toBe(one.library.current.sentenceCount);
  });

  it('an article added through one process is quoted by the other within seconds; a removed one stops being quoted', async () => {
    const added = await one.moderation.addSource('geneva.txt', bytes(GENEVA), admin);
    expect(added.id).toBe('geneva');
    await until(() => two.library.current.article('geneva') !== undefined);
    expect(quotes(two, B, 'Where did negotiators discuss a ceasefire?')).toContain('Negotiators from both sides met in Geneva');
    await two.moderation.removeSource('geneva', admin);
    await until(() => one.library.current.article('geneva') === undefined);
    expect(quotes(one, A, 'Where did negotiators discuss a ceasefire?')).not.toContain('Negotiators from both sides');
    expect(quotes(two, A, 'Where did negotiators discuss a ceasefire?')).not.toContain('Negotiators from both sides');
  });

  it("a server's own article reaches the other process for that server only", async () => {
    const local = await one.moderation.addSource('harbour.txt', bytes(HARBOUR), moderatorOf(A), 'server');
    expect(local.id).toBe('local.harbour');
    await until(() => two.library.forServer(A).article('local.harbour') !== undefined);
    expect(quotes(two, A, 'How many trawlers were stranded?')).toContain('42 trawlers');
    expect(quotes(two, B, 'How many trawlers were stranded?')).not.toContain('42 trawlers');
    expect(two.library.current.article('local.harbour')).toBeUndefined();
  });

  it('one name added through both processes at once is added once; the other is told it exists', async () => {
    const results = await Promise.allSettled([one.moderation.addSource('same.txt', bytes(GENEVA), admin), two.moderation.addSource('same.txt', bytes(GENEVA.replace('Friday', 'Monday')), admin)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(isCitedError(refused.reason) && refused.reason.code).toBe('SOURCE_EXISTS');
    // Both end with the winner's text.
    await until(() => one.library.current.article('same')?.text === two.library.current.article('same')?.text);
    expect(one.library.current.article('same')?.text).toBe(two.library.current.article('same')?.text);
  });

  it('a process started later has everything; one that was down applies what changed meanwhile', async () => {
    const dataDir = freshDir('cited-data-');
    let three = await open(dataDir);
    expect(three.library.current.article('same')).toBeDefined();
    expect(three.library.forServer(A).article('local.harbour')).toBeDefined();
    expect(three.library.current.article('geneva')).toBeUndefined();
    await three.close();
    // While it is down: one article added, one removed, a server's article removed.
    await one.moderation.addSource('later.txt', bytes('Inspectors counted 118 containers at the northern pier on Monday.\n'), admin);
    await one.moderation.removeSource('same', admin);
    await one.moderation.removeSource('local.harbour', moderatorOf(A));
    three = await open(dataDir);
    expect(three.library.current.article('later')).toBeDefined();
    expect(three.library.current.article('same')).toBeUndefined();
    expect(three.library.forServer(A).article('local.harbour')).toBeUndefined();
    expect(quotes(three, A, 'How many containers were counted at the northern pier?')).toContain('118 containers');
    // Applied as changes, not by analysing the corpus again: the snapshot beside the copy was used.
    expect(three.library.current.loadedFrom).toBe('snapshot');
    expect(existsSync(join(dataDir, 'corpus', 'later.txt'))).toBe(true);
  });

  it('with the database away, answers go on, changes are refused with the reason, and a change made after it is back still arrives', async () => {
    proxy.cut();
    try {
      expect(quotes(two, A, 'How many containers were counted at the northern pier?')).toContain('118 containers');
      const refused = await one.moderation.addSource('outage.txt', bytes('Ferries to Helsinki were cancelled for the third day.\n'), admin).catch((e: unknown) => e);
      expect(isCitedError(refused) && refused.code).toBe('CORPUS_DATABASE_DOWN');
      expect(one.library.current.article('outage')).toBeUndefined();
    } finally {
      proxy.restore();
    }
    await one.moderation.addSource('after.txt', bytes('Ferries to Helsinki were cancelled for the third day.\n'), admin);
    // The other process's listener was cut too: it reconnects and catches up.
    await until(() => two.library.current.article('after') !== undefined, 10_000);
    expect(quotes(two, A, 'Why were the ferries to Helsinki cancelled?')).toContain('Ferries to Helsinki were cancelled');
  });

  it('says at start which files in the corpus folder the database never had (they are not read), and keeps quiet about removed ones', async () => {
    const removed = one.library.current.articles.find((a) => !a.id.startsWith('local.') && readdirSync(seed).includes(a.file))!;
    await one.moderation.removeSource(removed.id, admin);
    writeFileSync(join(seed, 'dropped-in.txt'), 'Divers recovered a second anchor from the canal on Sunday.\n');
    said.length = 0;
    const four = await open();
    const warned = said.filter((e) => e.level === 'warn' && /not in the shared corpus database/.test(e.message));
    expect(warned).toHaveLength(1);
    expect(warned[0]!.detail).toMatchObject({ files: 1, examples: ['dropped-in.txt'], folder: seed });
    expect(four.library.current.article('dropped-in')).toBeUndefined();
    expect(four.library.current.article(removed.id)).toBeUndefined();
  });
});
