/**
 * Reading a snapshot in slices (what the bot does after a rebuild, so the event loop keeps
 * turning): the same data as reading it in one go, whatever the slice size — slices that end inside
 * a multi-byte character or in the middle of an article's text must not change a byte.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { indexCorpus } from '../src/cited.js';
import { readSnapshot, readSnapshotSliced, writeSnapshot } from '../src/snapshot.js';
import { freshDir, tempCorpus, turnsDuring } from './helpers.js';

const corpusDir = tempCorpus(
  {
    'zz_scripts.txt': 'Überblick: Zürich, Kyiv and 北京\n\nThe mayor of Zürich met envoys in Kyiv. 🙂 Talks in 北京 ended on Tuesday.\nНовости: переговоры возобновились в Минске.\n',
    'новости.txt': 'Переговоры возобновились в Минске в понедельник. Talks resumed in Minsk on Monday.\n',
  },
  true,
);
const snapshot = join(freshDir('cited-snap-'), 'index.snapshot');
const { data, print } = await indexCorpus({ corpusDir });
writeSnapshot(snapshot, data, print);

describe('reading a snapshot in slices', () => {
  it('gives back exactly what was written, in one go or in slices of any size', async () => {
    const whole = readSnapshot(snapshot, print);
    if (!whole.ok) throw new Error(whole.reason);
    expect(whole.data.articles).toEqual(data.articles);
    expect(whole.data.warnings).toEqual(data.warnings);
    expect(whole.data.searcher.vocabulary).toEqual(data.searcher.vocabulary);
    expect(whole.data.searcher.index.terms).toEqual(data.searcher.index.terms);
    expect([...whole.data.searcher.index.docs]).toEqual([...data.searcher.index.docs]);
    for (const sliceBytes of [1, 7, 100, 4096]) {
      const sliced = await readSnapshotSliced(snapshot, print, 0, { sliceBytes });
      expect(sliced).toEqual(whole);
      expect(readSnapshot(snapshot, print, { sliceBytes })).toEqual(whole);
    }
  });

  it('lets the event loop through between slices', async () => {
    // A slice of no time at all: every step is followed by a turn of the event loop.
    const { result: read, turns } = await turnsDuring(() => readSnapshotSliced(snapshot, print, 0, { sliceBytes: 4096 }));
    expect(read.ok).toBe(true);
    expect(turns).toBeGreaterThan(10);
  });

  it('reports a stale or corrupt file in slices just as in one go', async () => {
    expect(await readSnapshotSliced(snapshot, 'another fingerprint')).toEqual({ ok: false, reason: 'stale (the corpus or the options changed)' });
    expect(await readSnapshotSliced(join(freshDir('cited-snap-'), 'none.snapshot'), print)).toEqual({ ok: false, reason: 'no snapshot yet' });
  });
});
