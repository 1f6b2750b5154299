/**
 * `npm run fit:judge`: fits the judge (src/answer/judge.ts) on the dev split — never the held-out
 * or blind ones — and writes src/answer/judge-weights.ts.
 *
 * One row per dev question: the signals of its best-ranked passage (judge.ts FEATURES) and whether
 * that passage holds one of the question's gold strings (an unanswerable question's never does). A
 * logistic regression with an L2 penalty (standardised signals, gradient descent) gives each row a
 * probability. The threshold is then chosen on dev as the one with the most questions handled right
 * net of those handled wrong: a right first quote or a right abstention counts +1, a confident
 * answer that is wrong (a wrong first quote, or any answer to an unanswerable question) −1, an
 * abstention on an answerable question 0 (its closest passages are still shown) — a wrong line costs
 * more than silence. A 5-fold cross-validation on dev is printed too, to show how much of the fit
 * is the fit.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCited } from '../../src/cited.js';
import { projectRoot } from '../../src/core/paths.js';
import { FEATURES, meetsTheQuestion, type Weights } from '../../src/answer/judge.js';
import { loadQuestions } from './harness.js';

const L2 = 1;
/** `--features a,b,c`: fit on these signals only (the others get no weight), to compare sets by cross-validation. */
const only = process.argv.includes('--features') ? new Set(process.argv[process.argv.indexOf('--features') + 1]!.split(',')) : null;
const used = FEATURES.map((f) => only === null || only.has(f));
/** `--dry`: print the fit, write nothing. */
const dry = process.argv.includes('--dry');
const STEPS = 4000;
const RATE = 0.1;

interface Row {
  x: number[];
  /** The passage meets the question's hard requirements (judge.ts meetsTheQuestion); if not, no probability makes it an answer. */
  meets: boolean;
  /** The best-ranked passage answers the question. */
  y: number;
  answerable: boolean;
}
type Model = Pick<Weights, 'mean' | 'scale' | 'coefficients' | 'intercept'>;

const cited = await createCited();
const dev = loadQuestions().filter((q) => q.split === 'dev');
const rows: Row[] = dev.map((q) => {
  let judged = null;
  try {
    judged = cited.judge(q.question);
  } catch {
    // a question with no searchable words: nothing found
  }
  return judged
    ? { x: FEATURES.map((f) => judged.features[f]), meets: meetsTheQuestion(judged.features), y: q.gold.some((g) => judged.text.includes(g)) ? 1 : 0, answerable: q.gold.length > 0 }
    : { x: [], meets: false, y: 0, answerable: q.gold.length > 0 };
});
// The model weighs only the passages the hard requirements let through.
const found = rows.filter((r) => r.meets);

function fit(train: Row[]): Model {
  const n = FEATURES.length;
  const mean = FEATURES.map((_, j) => train.reduce((s, r) => s + r.x[j]!, 0) / train.length);
  const scale = FEATURES.map((_, j) => Math.sqrt(train.reduce((s, r) => s + (r.x[j]! - mean[j]!) ** 2, 0) / train.length) || 1);
  const z = train.map((r) => r.x.map((v, j) => (v - mean[j]!) / scale[j]!));
  const w = new Array<number>(n).fill(0);
  let b = 0;
  for (let step = 0; step < STEPS; step++) {
    const gw = new Array<number>(n).fill(0);
    let gb = 0;
    z.forEach((x, i) => {
      const err = 1 / (1 + Math.exp(-(b + x.reduce((s, v, j) => s + v * w[j]!, 0)))) - train[i]!.y;
      gb += err;
      x.forEach((v, j) => (gw[j]! += err * v));
    });
    for (let j = 0; j < n; j++) if (used[j]) w[j]! -= (RATE * (gw[j]! + L2 * w[j]!)) / train.length;
    b -= (RATE * gb) / train.length;
  }
  return { mean, scale, coefficients: w, intercept: b };
}

function probabilityOf(model: Model, x: number[]): number {
  if (x.length === 0) return 0;
  const z = model.intercept + x.reduce((s, v, j) => s + model.coefficients[j]! * ((v - model.mean[j]!) / model.scale[j]!), 0);
  return 1 / (1 + Math.exp(-z));
}

function outcome(model: Model, subset: Row[], threshold: number) {
  let hit1 = 0;
  let confident = 0;
  let rightFirst = 0;
  let abstained = 0;
  let net = 0;
  for (const r of subset) {
    const sure = r.meets && probabilityOf(model, r.x) >= threshold;
    if (sure) {
      confident++;
      rightFirst += r.y;
      if (r.answerable) hit1 += r.y;
    } else if (!r.answerable) abstained++;
    net += sure ? (r.y === 1 ? 1 : -1) : r.answerable ? 0 : 1;
  }
  const answerable = subset.filter((r) => r.answerable).length;
  const unanswerable = subset.length - answerable;
  return { hit1: hit1 / answerable, precision: confident ? rightFirst / confident : 1, correctAbstentions: unanswerable ? abstained / unanswerable : 1, net };
}

const GRID = Array.from({ length: 99 }, (_, i) => (i + 1) / 100);
const chooseThreshold = (model: Model, subset: Row[]) => GRID.reduce((best, t) => (outcome(model, subset, t).net > outcome(model, subset, best).net ? t : best), 0.5);

const model = fit(found);
const threshold = chooseThreshold(model, rows);
const fitted = outcome(model, rows, threshold);

// 5-fold cross-validation on dev: fit and choose the threshold on four fifths, score the fifth.
const folds = 5;
const cv = { hit1: 0, precision: 0, correctAbstentions: 0, net: 0 };
for (let k = 0; k < folds; k++) {
  const train = rows.filter((_, i) => i % folds !== k);
  const test = rows.filter((_, i) => i % folds === k);
  const m = fit(train.filter((r) => r.meets));
  const o = outcome(m, test, chooseThreshold(m, train));
  for (const key of Object.keys(cv) as (keyof typeof cv)[]) cv[key] += key === 'net' ? o[key] : o[key] / folds;
}

const round = (x: number) => Math.round(x * 1e4) / 1e4;
const weights: Weights = { mean: model.mean.map(round), scale: model.scale.map(round), coefficients: model.coefficients.map(round), intercept: round(model.intercept), threshold };
const file = join(projectRoot(), 'src', 'answer', 'judge-weights.ts');
if (!dry) writeFileSync(
  file,
  `/** Written by \`npm run fit:judge\` (test/eval/fit-judge.ts) from the dev split; do not edit by hand. */
import type { Weights } from './judge.js';

// Features, in order: ${FEATURES.join(', ')}.
export const judgeWeights: Weights = ${JSON.stringify(weights, null, 2).replace(/"(\w+)":/g, '$1:')};
`,
);
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const line = (o: ReturnType<typeof outcome>) => `Hit@1 ${pct(o.hit1)}  precision ${pct(o.precision)}  correct abstentions ${pct(o.correctAbstentions)}  net ${o.net}`;
process.stdout.write(`dev: ${rows.length} questions, ${rows.filter((r) => r.y === 1).length} whose best-ranked passage answers; ${found.length} passages meet their question (${found.filter((r) => r.y === 1).length} of them answer)\n`);
process.stdout.write(`coefficients (standardised): ${FEATURES.map((f, j) => `${f} ${weights.coefficients[j]}`).join(', ')}; intercept ${weights.intercept}\n`);
process.stdout.write(`threshold: answer at p ≥ ${threshold}\n`);
process.stdout.write(`dev (fitted):  ${line(fitted)}\n`);
process.stdout.write(`dev (5-fold):  ${line(cv as ReturnType<typeof outcome>)}\n`);
process.stdout.write(dry ? 'nothing written (--dry)\n' : `wrote ${file}\n`);
