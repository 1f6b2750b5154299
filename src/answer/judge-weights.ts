/** Written by `npm run fit:judge` (test/eval/fit-judge.ts) from the dev split; do not edit by hand. */
import type { Weights } from './judge.js';

// Features, in order: coverage, knownShare, kindExact, inSentence, spread, margin.
export const judgeWeights: Weights = {
  mean: [
    0.6182,
    0.8236,
    0.8716,
    0.6003,
    0.4333,
    0.2657
  ],
  scale: [
    0.2659,
    0.2528,
    0.3346,
    0.2729,
    0.2945,
    0.4221
  ],
  coefficients: [
    1.2078,
    0.6706,
    0.3714,
    -1.1608,
    0.625,
    0.4948
  ],
  intercept: 0.3026,
  threshold: 0.49
};
