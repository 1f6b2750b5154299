/** What kind of answer a question asks for, and whether a passage can hold it (answer/question-type.ts). */
import { describe, expect, it } from 'vitest';
import { answerKind, canHold, holdsExactly } from '../src/answer/question-type.js';
import { analyzeText } from '../src/nlp/analysis.js';
import { termOf, foldToken } from '../src/nlp/terms.js';

const words = (q: string) => new Set((q.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []));
const passage = (text: string) => {
  const tokens = analyzeText(text);
  return { tokens, terms: tokens.map((t) => { const f = foldToken(t); return f === null ? null : termOf(f); }) };
};

describe('answerKind', () => {
  it.each([
    ['How many troops has Russia amassed?', 'number'],
    ['hey, quick question: how long will the state of emergency last?', 'number'],
    ['How much is the Nord Stream 2 pipeline worth?', 'money'],
    ['When did the war games begin?', 'time'],
    ['What year was the pipeline completed?', 'time'],
    ['Who is Russia’s defence minister?', 'person'],
    ['What is the name of the coal miner’s wife?', 'person'],
    ['Where will Biden and Putin meet?', 'place'],
    ['What did Peskov say about the letters?', 'words'],
    ['Did Borrell say who the sanctions would target?', 'any'],
    ['how did the coal miner react when he heard the news?', 'words'],
    ['Is Moscow going to retaliate?', 'any'],
  ])('%s → %s', (question, kind) => {
    expect(answerKind(question)).toBe(kind);
  });
});

describe('canHold', () => {
  it('wants a number for "how many" — not the question’s own ("Nord Stream 2")', () => {
    const q = words('How many pipelines does Nord Stream 2 have?');
    expect(canHold('number', 'Washington announced sanctions on the Nord Stream 2 gas pipeline.', q)).toBe(false);
    expect(canHold('number', 'Russia has amassed 150,000 troops.', q)).toBe(true);
    expect(canHold('number', 'It was the third time within a month.', q)).toBe(true);
    expect(canHold('number', 'It is likely to take several months to set up.', q)).toBe(true);
  });

  it('wants a time for "when", money for "how much is it worth", a new name for "who"', () => {
    expect(canHold('time', 'Germany had earlier suspended certification.', new Set())).toBe(false);
    expect(canHold('time', 'The order will last 30 days, starting Thursday.', new Set())).toBe(true);
    expect(canHold('money', 'The pipeline has been suspended.', new Set())).toBe(false);
    expect(canHold('money', 'The project cost $11 billion.', new Set())).toBe(true);
    expect(canHold('person', 'Peskov said the rebels asked for help.', words('Who did Peskov say asked for help?'))).toBe(false);
    expect(canHold('person', 'Kremlin spokesman Dmitry Peskov said the rebels asked for help.', words('Who said the rebels asked for help?'))).toBe(true);
  });
});

describe('holdsExactly', () => {
  const troop = new Set([termOf('troops')]);
  it('for "how many troops": a number printed just before the troops, not a number of something else', () => {
    expect(holdsExactly('number', passage('Russia has amassed 150,000 troops on the border.'), troop)).toBe(true);
    expect(holdsExactly('number', passage('Tens of thousands of Russian troops are stationed near the border.'), troop)).toBe(true);
    expect(holdsExactly('number', passage('The troops fired 860 shells over 3 days.'), troop)).toBe(false);
  });

  it('for "what did Peskov say": Peskov next to a verb of saying, an apposition allowed between', () => {
    const peskov = new Set([termOf('peskov')]);
    expect(holdsExactly('words', passage('Dmitry Peskov, the Kremlin spokesman, told reporters the talks were premature.'), peskov)).toBe(true);
    expect(holdsExactly('words', passage('Photographs of Peskov hung in the hall where Macron later met Putin.'), peskov)).toBe(false);
  });
});
