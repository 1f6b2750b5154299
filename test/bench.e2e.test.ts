import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freshDir, runScript } from './helpers.js';

const ENGINES = ['cited', 'fts5', 'minisearch', 'wink-bm25'];

interface Report {
  sentences: number;
  engines: Record<string, Record<string, number | string | null>>;
  targets: Record<string, { value: number | null; wanted: string; met: boolean | null }>;
}

const bench = async (args: string[]) => {
  const json = join(freshDir('cited-bench-'), 'bench.json');
  // As `npm run bench` runs it: with the collector exposed, so heap figures are taken after collection.
  const run = await runScript('test/bench/run.js', [...args, '--json', json], { env: { NODE_OPTIONS: '--expose-gc' } });
  return { run, report: run.code === 0 ? (JSON.parse(readFileSync(json, 'utf8')) as Report) : null };
};

describe('npm run bench (real process, a small corpus)', () => {
  it('measures every engine on the same sentences and writes the JSON the issue names, with the targets checked', async () => {
    const { run, report } = await bench(['--sentences', '3000', '--servers', '3', '--server-articles', '4']);
    expect(run.stderr).not.toMatch(/Error/);
    expect(run.code).toBe(0);
    expect(report!.sentences).toBe(3000);
    expect(Object.keys(report!.engines).sort()).toEqual([...ENGINES].sort());
    for (const name of ENGINES) {
      const e = report!.engines[name]!;
      for (const key of ['ingest_s', 'query_p50_ms', 'query_p99_ms', 'cold_start_s']) expect(e[key], `${name} ${key}`).toBeGreaterThan(0);
      expect(e['query_p99_ms']).toBeGreaterThanOrEqual(e['query_p50_ms'] as number);
    }
    // Adding to Cited's running index without a rebuild is measured, and only Cited can.
    for (const key of ['add_one_ms', 'add_batch_of_100_ms', 'query_p50_with_101_segments_ms']) expect(report!.engines['cited']![key], key).toBeGreaterThan(0);
    expect(report!.engines['fts5']!['add_one_ms']).toBeUndefined();
    expect(run.stdout).toMatch(/adding to the running index \(no rebuild\): one article [\d.]+ ms, 100 more one by one \d+ ms \(a full rebuild: [\d.]+ s\)/);
    // The JavaScript heap cannot see SQLite's index: reported as not measured, with the reason.
    expect(report!.engines['fts5']!['heap_bytes']).toBeNull();
    expect(report!.engines['fts5']!['note']).toMatch(/outside the JavaScript heap/);
    for (const name of ['cited', 'minisearch', 'wink-bm25']) expect(report!.engines[name]!['heap_bytes_per_posting'], name).toBeGreaterThan(0);
    // A sanity check on the ranking: the BM25 peers mostly agree with Cited's top ten.
    expect(report!.engines['wink-bm25']!['top10_overlap_with_cited']).toBeGreaterThan(0.5);
    expect(report!.engines['fts5']!['top10_overlap_with_cited']).toBeGreaterThan(0.5);
    // Server libraries beside the index (--servers): weighed and queried against shared-only.
    const libraries = report!.engines['cited']!['server_libraries'] as unknown as Record<string, number>;
    expect(libraries).toMatchObject({ servers: 3, articles_per_server: 4, sentences_per_article: 20 });
    for (const key of ['heap_bytes_per_server', 'query_p50_server_ms', 'query_p50_shared_ms']) expect(libraries[key], key).toBeGreaterThan(0);
    expect(run.stdout).toMatch(/server libraries: 3 servers × 4 articles of 20 sentences beside the index/);
    expect(Object.keys(report!.targets)).toHaveLength(6);
    expect(report!.targets['query p50, in a server ÷ shared']!.value).toBeGreaterThan(0);
    for (const target of Object.values(report!.targets)) expect(target.met).toEqual(target.value === null ? null : expect.any(Boolean));
    expect(run.stdout).toMatch(/ratios, Cited against each peer/);
    expect(run.stdout).toMatch(/targets \(set for 1,000,000 sentences\)/);
  }, 180_000);

  it('stops an engine at the time bound and says how many queries it ran, instead of hiding it', async () => {
    const { run, report } = await bench(['--sentences', '2000', '--time-bound', '0.05']);
    expect(run.code).toBe(0);
    const stopped = ENGINES.filter((name) => /ran \d+ of 1000 queries within the 0.05 s time bound/.test(String(report!.engines[name]!['note'] ?? '')));
    expect(stopped).toContain('minisearch');
    for (const name of stopped) expect(Number(/ran (\d+) of/.exec(String(report!.engines[name]!['note']))![1])).toBeLessThan(1000);
    expect(run.stdout).toMatch(/ran \d+ of 1000 queries within the 0.05 s time bound/);
  }, 180_000);
});
