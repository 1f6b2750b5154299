/**
 * `npm run bench [-- --sentences N] [--json FILE] [--queries N] [--time-bound S] [--servers N]`: Cited against FTS5, MiniSearch and
 * wink-bm25-text-search on the same generated sentences and questions, in one run. Reports ingest
 * time (and raw wink-nlp analysis of the same text, the floor), index heap, query latency p50/p99,
 * top-10 overlap with Cited, and cold start; then the ratios against each peer. Absolute times on a
 * shared machine are noise: compare within a run.
 *
 * With `--servers N`, Cited also gives N servers a library of their own (`--server-articles`, default
 * 50, of `--server-sentences`, default 20, generated sentences each) beside the index, and compares a
 * server's query p50 with a shared-only query's over the same questions, timed in turn; with the
 * heap each server's library takes.
 *
 * An engine whose queries run past the time bound (default 600 s) is stopped there; its figures then
 * cover the queries it ran, and its note says so.
 *
 * Run with `node --expose-gc` (npm run bench does) so heap figures are measured after collection.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { generate } from './generate.js';
import { cited, peers, rawAnalysis, type BenchEngine, type Built } from './engines.js';

const { values } = parseArgs({
  options: {
    sentences: { type: 'string', default: '10000' },
    queries: { type: 'string', default: '1000' },
    json: { type: 'string' },
    'time-bound': { type: 'string', default: '600' },
    servers: { type: 'string', default: '0' },
    'server-articles': { type: 'string', default: '50' },
    'server-sentences': { type: 'string', default: '20' },
  },
});
const serverCount = Number(values.servers);
const serverArticles = Number(values['server-articles']);
const serverSentences = Number(values['server-sentences']);
const count = Number(values.sentences);
const queryCount = Math.max(1000, Number(values.queries));
const bound = Number(values['time-bound']) * 1000;
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

const log = (s: string) => process.stderr.write(s + '\n');
log(`generating ${count.toLocaleString('en-US')} sentences and ${queryCount} questions…`);
const { sentences, questions } = generate(count, { questions: queryCount });
// Postings as any engine would count them, near enough: distinct lower-cased words per sentence.
const postings = sentences.reduce((sum, s) => sum + new Set(s.toLowerCase().match(/[\p{L}\p{N}]+/gu)).size, 0);

interface Result {
  ingest_s: number | null;
  /** Ingest throughput: sentences indexed per second. */
  ingest_sentences_per_s: number | null;
  heap_bytes: number | null;
  /** heap_bytes over the corpus's postings (distinct lower-cased words per sentence): one denominator for every engine. */
  heap_bytes_per_posting: number | null;
  query_p50_ms: number | null;
  query_p99_ms: number | null;
  cold_start_s: number | null;
  top10_overlap_with_cited: number | null;
  /** Adding to the running index without a rebuild (engines that can): one article of 50 sentences, then 100 more one by one. */
  add_one_ms?: number;
  add_batch_of_100_ms?: number;
  /** Query p50 with those 101 articles searched as segments beside the main index (before a merge). */
  query_p50_with_101_segments_ms?: number;
  /** With `--servers`: each server's own library beside the index, against shared-only queries of the same questions. */
  server_libraries?: ServerLibraries;
  note?: string;
}

interface ServerLibraries {
  servers: number;
  articles_per_server: number;
  sentences_per_article: number;
  /** Analysing and indexing every server's articles, and making their views (in process, on worker threads). */
  build_s: number;
  heap_bytes_per_server: number;
  query_p50_shared_ms: number;
  query_p50_server_ms: number;
  query_p99_shared_ms: number;
  query_p99_server_ms: number;
}

const heap = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

async function measure(engine: BenchEngine, reference?: number[][]): Promise<{ result: Result; tops: number[][] }> {
  log(`${engine.name}: ingest…`);
  const prepared = engine.prepare?.(sentences);
  const before = heap();
  const started = performance.now();
  let built: Built | null = null;
  try {
    built = await engine.build(sentences, prepared);
  } catch (error) {
    return { result: { ingest_s: null, ingest_sentences_per_s: null, heap_bytes: null, heap_bytes_per_posting: null, query_p50_ms: null, query_p99_ms: null, cold_start_s: null, top10_overlap_with_cited: null, note: `failed: ${String(error)}` }, tops: [] };
  }
  const ingest = (performance.now() - started) / 1000;
  const notes: string[] = [];
  const heapBytes = engine.heapNote === undefined ? heap() - before : null;
  if (engine.heapNote !== undefined) notes.push(engine.heapNote);
  if (ingest * 1000 > bound) notes.push(`ingest took longer than the ${bound / 1000} s time bound`);
  log(`${engine.name}: ${queryCount} queries…`);
  const latencies: number[] = [];
  const tops: number[][] = [];
  const queriesStarted = performance.now();
  for (const q of questions) {
    const t = performance.now();
    tops.push(built.query(q, 10));
    latencies.push(performance.now() - t);
    // An engine too slow for this size is stopped at the bound and says so; its figures cover the queries it ran.
    if (t - queriesStarted > bound) {
      notes.push(`ran ${latencies.length} of ${questions.length} queries within the ${bound / 1000} s time bound`);
      break;
    }
  }
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => percentile(latencies, p);
  const libraries = built.servers && serverCount > 0 ? await measureServers(engine.name, built) : undefined;
  const adding: Partial<Result> = {};
  if (built.add) {
    // Articles of 50 generated sentences each, from another seed than the corpus.
    const extra = generate(50 * 101, { seed: 7, questions: 0 }).sentences;
    const articles = Array.from({ length: 101 }, (_, i) => extra.slice(i * 50, (i + 1) * 50));
    log(`${engine.name}: adding 1 article, then 100…`);
    let t = performance.now();
    await built.add(articles.slice(0, 1));
    adding.add_one_ms = performance.now() - t;
    t = performance.now();
    await built.add(articles.slice(1));
    adding.add_batch_of_100_ms = performance.now() - t;
    const after: number[] = [];
    for (const q of questions.slice(0, 200)) {
      const s = performance.now();
      built.query(q, 10);
      after.push(performance.now() - s);
    }
    after.sort((a, b) => a - b);
    adding.query_p50_with_101_segments_ms = after[Math.floor(after.length / 2)]!;
  }
  let cold: number | null = null;
  if (built.save) {
    const load = built.save();
    // A cold start is a process that starts from the saved index: the engine built here is let go first.
    built = null;
    gc();
    const t = performance.now();
    const again = load();
    again.query(questions[0]!, 10);
    cold = (performance.now() - t) / 1000;
  } else {
    cold = ingest; // no snapshot: a cold start re-ingests
    notes.push('cold start = re-ingest (the engine has no saved index)');
  }
  const overlap = reference
    ? tops.reduce((sum, top, i) => {
        const mine = new Set(reference[i]);
        const union = new Set([...mine, ...top]).size;
        return sum + (union === 0 ? 1 : top.filter((x) => mine.has(x)).length / union);
      }, 0) / tops.length
    : null;
  return {
    result: { ingest_s: ingest, ingest_sentences_per_s: count / ingest, heap_bytes: heapBytes, heap_bytes_per_posting: heapBytes === null ? null : heapBytes / postings, query_p50_ms: pct(0.5), query_p99_ms: pct(0.99), cold_start_s: cold, top10_overlap_with_cited: overlap, ...adding, ...(libraries ? { server_libraries: libraries } : {}), ...(notes.length > 0 ? { note: notes.join('; ') } : {}) },
    tops,
  };
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

/** Server libraries beside the merged index (see the module comment): built, weighed, then queried in turn with shared-only queries. */
async function measureServers(name: string, built: Built): Promise<ServerLibraries> {
  log(`${name}: ${serverCount} server libraries of ${serverArticles} articles…`);
  const per = serverArticles * serverSentences;
  const extra = generate(serverCount * per, { seed: 11, questions: 0 }).sentences;
  const libraries = Array.from({ length: serverCount }, (_, s) => Array.from({ length: serverArticles }, (_, a) => extra.slice(s * per + a * serverSentences, s * per + (a + 1) * serverSentences)));
  const before = heap();
  const started = performance.now();
  const servers = await built.servers!(libraries);
  const buildSeconds = (performance.now() - started) / 1000;
  const bytes = heap() - before;
  log(`${name}: ${queryCount} queries, shared-only and in a server, in turn…`);
  const shared: number[] = [];
  const own: number[] = [];
  questions.forEach((q, i) => {
    let t = performance.now();
    built.query(q, 10);
    shared.push(performance.now() - t);
    t = performance.now();
    servers[i % servers.length]!(q, 10);
    own.push(performance.now() - t);
  });
  shared.sort((a, b) => a - b);
  own.sort((a, b) => a - b);
  return {
    servers: serverCount,
    articles_per_server: serverArticles,
    sentences_per_article: serverSentences,
    build_s: buildSeconds,
    heap_bytes_per_server: bytes / serverCount,
    query_p50_shared_ms: percentile(shared, 0.5),
    query_p50_server_ms: percentile(own, 0.5),
    query_p99_shared_ms: percentile(shared, 0.99),
    query_p99_server_ms: percentile(own, 0.99),
  };
}

log('raw wink-nlp analysis…');
let t = performance.now();
const tokens = rawAnalysis(sentences);
const analysisSeconds = (performance.now() - t) / 1000;

const engines: Record<string, Result> = {};
const mine = await measure(cited);
engines['cited'] = mine.result;
for (const peer of peers) engines[peer.name] = (await measure(peer, mine.tops)).result;


const fmt = (x: number | null, digits = 3) => (x === null ? 'n/a' : x.toFixed(digits));
const lines = [
  `\n${count.toLocaleString('en-US')} sentences, ${tokens.toLocaleString('en-US')} tokens, ${postings.toLocaleString('en-US')} postings; raw wink-nlp analysis ${analysisSeconds.toFixed(2)} s`,
  `${'engine'.padEnd(11)} ${'ingest s'.padStart(9)} ${'sent/s'.padStart(8)} ${'heap MB'.padStart(8)} ${'B/post'.padStart(7)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'cold s'.padStart(8)} ${'top10∩'.padStart(7)}`,
  ...Object.entries(engines).map(([name, r]) =>
    `${name.padEnd(11)} ${fmt(r.ingest_s, 2).padStart(9)} ${(r.ingest_sentences_per_s === null ? 'n/a' : Math.round(r.ingest_sentences_per_s).toString()).padStart(8)} ${(r.heap_bytes === null ? 'n/a' : (r.heap_bytes / 1e6).toFixed(1)).padStart(8)} ${fmt(r.heap_bytes_per_posting, 1).padStart(7)} ${fmt(r.query_p50_ms).padStart(8)} ${fmt(r.query_p99_ms).padStart(8)} ${fmt(r.cold_start_s, 3).padStart(8)} ${(r.top10_overlap_with_cited === null ? '-' : r.top10_overlap_with_cited.toFixed(2)).padStart(7)}${r.note ? `  (${r.note})` : ''}`,
  ),
  '\nratios, Cited against each peer (> 1: Cited is better by that factor)',
];
const live = engines['cited']!;
if (live.add_one_ms !== undefined) {
  lines.splice(-1, 0, `\nadding to the running index (no rebuild): one article ${live.add_one_ms.toFixed(1)} ms, 100 more one by one ${live.add_batch_of_100_ms!.toFixed(0)} ms (a full rebuild: ${fmt(live.ingest_s, 1)} s); query p50 with 101 segments ${fmt(live.query_p50_with_101_segments_ms ?? null)} ms (merged: ${fmt(live.query_p50_ms)} ms)`);
}
const libraries = live.server_libraries;
if (libraries) {
  lines.splice(
    -1,
    0,
    `\nserver libraries: ${libraries.servers.toLocaleString('en-US')} servers × ${libraries.articles_per_server} articles of ${libraries.sentences_per_article} sentences beside the index, built in ${libraries.build_s.toFixed(1)} s, ${(libraries.heap_bytes_per_server / 1024).toFixed(0)} KiB of heap each; query p50 in a server ${fmt(libraries.query_p50_server_ms)} ms against ${fmt(libraries.query_p50_shared_ms)} ms shared-only (p99 ${fmt(libraries.query_p99_server_ms)} against ${fmt(libraries.query_p99_shared_ms)} ms)`,
  );
}
const c = engines['cited']!;
for (const [name, r] of Object.entries(engines)) {
  if (name === 'cited') continue;
  const ratio = (theirs: number | null, ours: number | null) => (theirs === null || ours === null || ours <= 0 ? 'n/a' : `${(theirs / ours).toFixed(2)}×`);
  lines.push(`  vs ${name.padEnd(10)} query p50 ${ratio(r.query_p50_ms, c.query_p50_ms)}, p99 ${ratio(r.query_p99_ms, c.query_p99_ms)}, heap ${ratio(r.heap_bytes, c.heap_bytes)}, ingest ${ratio(r.ingest_s, c.ingest_s)}, cold start ${ratio(r.cold_start_s, c.cold_start_s)}`);
}
// The project's targets (issue #7, at a million sentences), checked on this run's figures.
const factor = (a: number | null | undefined, b: number | null | undefined) => (a == null || b == null || b <= 0 ? null : a / b);
const targets: [string, number | null, (x: number) => boolean, string][] = [
  ['query p50, FTS5 ÷ Cited', factor(engines['fts5']?.query_p50_ms, c.query_p50_ms), (x) => x >= 10, '≥ 10×'],
  ['query p50, MiniSearch ÷ Cited', factor(engines['minisearch']?.query_p50_ms, c.query_p50_ms), (x) => x >= 50, '≥ 50×'],
  ['heap, MiniSearch ÷ Cited', factor(engines['minisearch']?.heap_bytes, c.heap_bytes), (x) => x >= 4, '≥ 4×'],
  ['ingest ÷ raw wink-nlp analysis', factor(c.ingest_s, analysisSeconds), (x) => x <= 1.3, '≤ 1.3×'],
  ['ingest ÷ cold start', factor(c.ingest_s, c.cold_start_s), (x) => x >= 20, '≥ 20×'],
  // Issue 18, with --servers 1000 beside a million sentences.
  ['query p50, in a server ÷ shared', factor(libraries?.query_p50_server_ms, libraries?.query_p50_shared_ms), (x) => x <= 1.5, '≤ 1.5×'],
];
lines.push('\ntargets (set for 1,000,000 sentences)');
for (const [name, value, met, wanted] of targets) {
  lines.push(`  ${name.padEnd(31)} ${value === null ? 'n/a' : `${value.toFixed(2)}×`} (${wanted}): ${value === null ? 'not measured' : met(value) ? 'met' : 'NOT met'}`);
}
const targetResults = Object.fromEntries(targets.map(([name, value, met, wanted]) => [name, { value, wanted, met: value === null ? null : met(value) }]));
const report = { sentences: count, tokens, postings, queries: queryCount, wink_analysis_s: analysisSeconds, engines, targets: targetResults };
if (values.json) writeFileSync(values.json, JSON.stringify(report, null, 2));
process.stdout.write(lines.join('\n') + '\n');
