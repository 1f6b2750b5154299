/**
 * `npm run eval`: Cited against the two plain baselines on the same questions and sentences, per
 * split (dev, held-out, blind, blind3, all). `--json` prints the scores as JSON; `--options JSON` runs Cited with
 * those options instead of the defaults; `--misses` lists Cited's misses on the dev split
 * (`--split <name>` another; `--verbose`: with their gold strings and Cited's first excerpt).
 */
import { createCited, type UserOptions } from '../../src/cited.js';
import { citedEngine, fts5Engine, quotableSentences, winkBm25Engine } from './engines.js';
import { loadQuestions, meetsTargets, runEngine, score, type Question, type Scores } from './harness.js';

const argv = process.argv.slice(2);
const args = new Set(argv);
// `--options '{"context":{"neighbour":0.4}}'`: Cited with other options, to try a change before making it the default.
const overrides = argv.includes('--options') ? (JSON.parse(argv[argv.indexOf('--options') + 1] ?? '{}') as UserOptions) : {};
const cited = await createCited(overrides);
const sentences = quotableSentences(cited);
const engines = [citedEngine(cited), winkBm25Engine(sentences), fts5Engine(sentences)];
const questions = loadQuestions();
const splits: Record<string, Question[]> = {
  dev: questions.filter((q) => q.split === 'dev'),
  heldout: questions.filter((q) => q.split === 'heldout'),
  blind: questions.filter((q) => q.split === 'blind'),
  blind3: questions.filter((q) => q.split === 'blind3'),
  blind4: questions.filter((q) => q.split === 'blind4'),
  all: questions,
};

const results: Record<string, Record<string, Scores>> = {};
const outcomes = new Map(engines.map((e) => [e.name, runEngine(e, questions)]));
for (const [split, qs] of Object.entries(splits)) {
  const ids = new Set(qs.map((q) => q.id));
  results[split] = Object.fromEntries(engines.map((e) => [e.name, score(qs, outcomes.get(e.name)!.filter((o) => ids.has(o.id)))]));
}

if (args.has('--json')) {
  process.stdout.write(JSON.stringify(results) + '\n');
} else {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`.padStart(9);
  const columns = ['Hit@1', 'Hit@3', 'MRR@10', 'shown@3', 'precis.', 'abst.ok', 'abst.bad', 'nothing'];
  for (const [split, byEngine] of Object.entries(results)) {
    const any = Object.values(byEngine)[0]!;
    process.stdout.write(`\n${split}: ${any.answerable} answerable, ${any.unanswerable} unanswerable\n`);
    process.stdout.write(`  ${'engine'.padEnd(10)}${columns.map((c) => c.padStart(9)).join('')}\n`);
    for (const [name, s] of Object.entries(byEngine)) {
      const cells = [pct(s.hit1), pct(s.hit3), s.mrr10.toFixed(3).padStart(9), pct(s.shown3), pct(s.precision), pct(s.correctAbstentions), pct(s.falseAbstentions), pct(s.shownNothing)];
      process.stdout.write(`  ${name.padEnd(10)}${cells.join('')}\n`);
    }
    const misses = meetsTargets(byEngine['cited']!, byEngine['wink-bm25']!);
    process.stdout.write(misses.length === 0 ? '  cited meets every target\n' : `  cited misses: ${misses.join('; ')}\n`);
  }
  if (args.has('--misses')) {
    const mine = outcomes.get('cited')!;
    // Only the dev split by default: the held-out and blind splits are not to be read question by question.
    const only = argv.includes('--split') ? argv[argv.indexOf('--split') + 1] : 'dev';
    process.stdout.write(`\nCited misses on ${only} (rank > 1, or wrong abstention):\n`);
    for (const q of questions.filter((x) => x.split === only)) {
      const o = mine.find((x) => x.id === q.id)!;
      const miss = q.gold.length > 0 ? o.rank !== 1 : !o.abstained;
      if (!miss) continue;
      process.stdout.write(`  ${q.id} [${q.kind}/${q.split}] rank ${o.rank ?? '-'}${o.abstained ? ' (abstained)' : ''}: ${q.question}\n`);
      if (args.has('--verbose')) {
        for (const g of q.gold) process.stdout.write(`      gold: ${g}\n`);
        const shown = engines[0]!.rank(q.question, 1);
        const first = shown.confident[0] ?? (shown.related[0] !== undefined ? `(closest) ${shown.related[0]}` : undefined);
        if (first !== undefined) process.stdout.write(`      got:  ${first.slice(0, 200)}\n`);
      }
    }
  }
}
