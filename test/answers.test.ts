import { needsItsAntecedent } from '../src/answer/complete-quote.js';
import { describe, expect, it } from 'vitest';
import { createCited, type Answer } from '../src/cited.js';
import { tempCorpus } from './helpers.js';

const cited = await createCited();
const highlightedWords = (answer: Answer, i = 0) => answer.excerpts[i]!.highlights.map((h) => answer.excerpts[i]!.text.slice(h.start, h.end));

describe('answers from the bundled corpus', () => {
  it('quotes the sentences that answer, verbatim, with numbered citations', () => {
    const answer = cited.ask('How many troops has Russia amassed?');
    expect(answer.abstained).toBe(false);
    expect(answer.excerpts[0]!.text).toContain('Russia has amassed 150,000 troops');
    expect(answer.excerpts[1]!.text).toContain('Russia has amassed 147,000 troops');
    expect(answer.citations.map((c) => [c.number, c.outlet, c.date])).toEqual([
      [1, 'NDTV', '2022-02-23'],
      [2, 'Rashtranews', '2022-02-21'],
    ]);
    expect(answer.excerpts.slice(0, 2).map((e) => e.citations)).toEqual([[1], [2]]);
    for (const excerpt of answer.excerpts) {
      const article = cited.article(answer.citations[excerpt.citations[0]! - 1]!.articleId)!;
      expect(article.text).toContain(excerpt.text);
    }
  });

  it('highlights the question words in the quote', () => {
    const answer = cited.ask('How many troops has Russia amassed?');
    expect(highlightedWords(answer)).toEqual(['Russia', 'amassed', 'troops', 'Russia']);
  });

  it('takes in the neighbouring sentence that says what "the order" is', () => {
    const answer = cited.ask('How long will the state of emergency last?');
    expect(answer.excerpts[0]!.text).toContain('The order will last 30 days, starting Thursday.');
    expect(answer.excerpts[0]!.text).toMatch(/state of emergency/);
    expect(answer.excerpts[0]!.sentenceIds).toHaveLength(2);
  });

  it('finds numbers written with or without separators', () => {
    expect(cited.ask('150000 troops').excerpts[0]!.text).toContain('150,000 troops');
    expect(cited.ask('21000 residents without water').excerpts[0]!.text).toContain('more than 21,000 residents have been left without water');
  });

  it('never quotes boilerplate or a caption', () => {
    expect(cited.ask('story edited by NDTV staff syndicated feed').excerpts.map((e) => e.text).join(' ')).not.toMatch(/syndicated feed|has not been edited/);
    const heads = cited.ask('Leonid Pasechnik Denis Pushilin heads').excerpts.map((e) => e.text);
    expect(heads.every((t) => !t.startsWith('Leonid Pasechnik (L)'))).toBe(true);
  });

  it('pages with offset without repeating an excerpt', () => {
    const first = cited.ask('Putin recognised independence of the separatist regions');
    const second = cited.ask('Putin recognised independence of the separatist regions', { offset: first.excerpts.length });
    expect(first.more).toBe(true);
    const ids = new Set(first.excerpts.flatMap((e) => e.sentenceIds));
    expect(second.excerpts.length).toBeGreaterThan(0);
    for (const e of second.excerpts) for (const id of e.sentenceIds) expect(ids.has(id)).toBe(false);
  });

  it('quotes only the chosen source when asked to', () => {
    const answer = cited.ask('troops', { sources: ['003_67a18a0e446c63d1'] });
    expect(answer.citations.map((c) => c.articleId)).toEqual(['003_67a18a0e446c63d1']);
  });
});

describe('questions that ask for a figure', () => {
  // Two articles, the shorter sentence without the number: plain BM25 ranks it first.
  const dir = tempCorpus({
    'a.txt': 'Title: Border report\n\nThe army moved troops to the northern border region on Monday.\n',
    'b.txt': 'Title: Another border report\n\nOn Monday the army moved 5,000 troops to the northern border region, officials said.\n',
  });
  const question = 'How many troops did the army move to the northern border region?';
  const first = async (figureBonus?: number) => (await createCited({ corpusDir: dir, ...(figureBonus === undefined ? {} : { figureBonus }) })).search(question, 5).hits[0]!.sentence.text;

  it('rank the sentence that gives a number first', async () => {
    expect(await first()).toContain('5,000 troops');
  });

  it('are ranked by words alone without the figure bonus, and other questions are not affected', async () => {
    expect(await first(0)).toBe('The army moved troops to the northern border region on Monday.');
    const cited = await createCited({ corpusDir: dir });
    expect(cited.search('Did the army move troops to the northern border region?', 5).hits[0]!.sentence.text).toBe('The army moved troops to the northern border region on Monday.');
  });
});

describe('a sentence that opens with a pronoun', () => {
  // "He" is Borrell, named in the sentence before, a paragraph earlier (wire copy runs a sentence a paragraph).
  const dir = tempCorpus({
    'a.txt': 'Title: Ministers meet\n\nBorrell said the bloc was ready with sanctions.\n\nHe gave no details about who would be targeted.\n',
    'b.txt': 'Title: Summit\n\nBorrell welcomed the sanctions.\n',
    'c.txt': 'Title: Brussels\n\nThe weather was cold in Brussels. Ministers arrived by train. The meeting ran late into the evening. A press conference followed.\n',
  });
  const question = 'Did Borrell say who the sanctions would target?';
  const first = async (reference?: number) => (await createCited({ corpusDir: dir, ...(reference === undefined ? {} : { context: { reference } }) })).ask(question).excerpts[0]!.text;

  it('is found through the name in the sentence before it, and quoted with it (a quote says who)', async () => {
    expect(await first()).toBe('Borrell said the bloc was ready with sanctions.\n\nHe gave no details about who would be targeted.');
  });

  it('is outranked by a sentence that names its subject when that credit is off', async () => {
    expect(await first(0)).toBe('Borrell welcomed the sanctions.');
  });
});

describe('hyphenated compounds', () => {
  const dir = tempCorpus({
    'a.txt': 'Title: Front line\n\nBoth sides reported cease-fire violations near the town on Friday.\n\nThe talks continued in Minsk.\n',
    'b.txt': 'Title: Border\n\nSatellite images show a buildup of armour near the northern border.\n\nThe talks continued in Geneva.\n',
  });

  it('meet whether the outlet or the asker wrote the hyphen', async () => {
    const cited = await createCited({ corpusDir: dir });
    const ceasefire = cited.ask('Were there ceasefire violations?').excerpts[0]!;
    expect(ceasefire.text).toBe('Both sides reported cease-fire violations near the town on Friday.');
    expect(ceasefire.highlights.map((h) => ceasefire.text.slice(h.start, h.end))).toEqual(['cease-fire', 'violations']);
    const buildup = cited.ask('Is there a build-up of armour?').excerpts[0]!;
    expect(buildup.text).toBe('Satellite images show a buildup of armour near the northern border.');
    expect(buildup.highlights.map((h) => buildup.text.slice(h.start, h.end))).toEqual(['buildup', 'armour']);
  });

  it('are still searched as their parts when the corpus never joins them', async () => {
    const cited = await createCited({ corpusDir: dir });
    const answer = cited.ask('Did the talks go on in Minsk after the stand-off?');
    expect(answer.excerpts[0]!.text).toBe('The talks continued in Minsk.');
    expect(answer.terms.unknown).toEqual(['stand']);
  });
});

describe('abstaining honestly', () => {
  it.each([
    'What is the capital of Australia?',
    'Who won the football world cup?',
    'What is the weather in Kyiv today?',
    'How many troops does China have in Taiwan?',
  ])('%s → the corpus does not cover it', (question) => {
    const answer = cited.ask(question);
    expect(answer.abstained).toBe(true);
    expect(answer.excerpts).toEqual([]);
    // Citations cover only the closest passages shown (if any), never an answer.
    expect(answer.citations.map((c) => c.number)).toEqual([...new Set(answer.related.flatMap((e) => e.citations))].sort((a, b) => a - b));
  });

  it('shows the closest passages, apart from an answer, when the question\'s words occur but nothing answers it', () => {
    const answer = cited.ask('What is the weather in Kyiv today?');
    expect(answer.abstained).toBe(true);
    expect(answer.related.length).toBeGreaterThan(0);
    expect(answer.related.length).toBeLessThanOrEqual(3);
    for (const e of answer.related) expect(e.text).toMatch(/Kyiv|Kiev/);
    expect(answer.more).toBe(false);
  });

  it('shows nothing at all when no word of the question that matters occurs in the articles', () => {
    const answer = cited.ask('Who won the Eurovision song contest in Liverpool?');
    expect(answer.abstained).toBe(true);
    expect(answer.related).toEqual([]);
    expect(answer.citations).toEqual([]);
  });

  it('shows no closest passages on a later page', () => {
    expect(cited.ask('What is the weather in Kyiv today?', { offset: 3 }).related).toEqual([]);
  });

  it('names the words no article uses', () => {
    expect(cited.ask('What is the capital of Australia?').terms.unknown).toEqual(['australia']);
  });

  it('does not take an English word the articles never use for a slip or a name ("price" is not "Prime")', () => {
    const terms = cited.search('How has the oil price reacted to the Ukraine crisis?').terms;
    expect(terms.unknown).toEqual(['oil', 'price', 'reacted']);
    expect(terms.folded).toEqual([]);
    expect(cited.search('How many drones has Ukraine bought?').terms.unknown).toContain('bought');
    // A name spelled another way is still found: the articles write Zelenskyy.
    expect(cited.search('What did Zelenskiy say?').terms.folded).toEqual([{ from: 'zelenskiy', to: 'zelenskyy' }]);
  });

  it('does not search "going to", which only marks the future', () => {
    expect(cited.search('Is Moscow going to retaliate?').indexTerms).not.toContain('go');
    expect(cited.search('Where are the troops going?').indexTerms).toContain('go');
  });

  it.each([
    ['What did Peskov say about the letters?', /Peskov/],
    ['How many people are expected to evacuate from Donetsk?', /700,000 people/],
    ['Why did the pump stations stop working?', /pump stations had stopped working/],
    ['What did Josep Borrell say about sanctions?', /Borrell/],
  ])('answers what it can: %s', (question, expected) => {
    const answer = cited.ask(question);
    expect(answer.abstained).toBe(false);
    expect(answer.excerpts[0]!.text).toMatch(expected);
  });
});

describe('questions that cannot be asked get a clear error', () => {
  it.each([
    ['', 'EMPTY_QUESTION'],
    ['   \n\t ', 'EMPTY_QUESTION'],
    ['🙂🙂🙂', 'NO_SEARCHABLE_WORDS'],
    ['?!…', 'NO_SEARCHABLE_WORDS'],
    ['what is it?', 'ONLY_COMMON_WORDS'],
    ['troops '.repeat(1000), 'QUESTION_TOO_LONG'],
  ])('%j → %s', (question, code) => {
    expect(() => cited.ask(question)).toThrow(expect.objectContaining({ code }));
  });

  it('a long hostile question within the limit is answered or abstained, never crashes', () => {
    const hostile = '@everyone <script>alert(1)</script> ' + 'Kyiv '.repeat(300) + '\u0000\u202e DROP TABLE troops;';
    const answer = cited.ask(hostile);
    expect(typeof answer.abstained).toBe('boolean');
  });
});

describe('near-identical sentences from several outlets', async () => {
  const dir = tempCorpus({
    'a.txt': 'Wire story\n20220301\nhttps://www.alpha.com/a\nRussia has amassed 150,000 troops on the borders of Ukraine, officials said on Monday.\nOther news.\n',
    'b.txt': 'Same wire\n20220302\nhttps://www.betanews.com/b\nRussia has amassed 150,000 troops on the borders of Ukraine, officials said Monday.\n',
    'c.txt': 'Another\n20220303\nhttps://www.gamma.org/c\nTalks on the troops at the borders continue.\n',
  });
  const wire = await createCited({ corpusDir: dir });

  it('are merged into one excerpt that cites every outlet', () => {
    const answer = wire.ask('How many troops has Russia amassed on the borders?');
    expect(answer.excerpts[0]!.citations).toEqual([1, 2]);
    expect(answer.excerpts[0]!.duplicateIds).toHaveLength(1);
    expect(answer.citations.slice(0, 2).map((c) => c.outlet)).toEqual(['Alpha', 'Betanews']);
    const texts = answer.excerpts.map((e) => e.text);
    expect(texts.filter((t) => t.includes('150,000'))).toHaveLength(1);
  });
});

describe('complete quotes', () => {
  it('quotes a sentence whose subject is a pronoun with the sentence that says who', () => {
    const [first] = cited.ask('Were Ukrainian forces returning fire?').excerpts;
    expect(first!.text).toBe('Ukrainian military spokesman Pavlo Kovalchyuk said the separatists were cynically firing from residential areas using civilians as shields. He insisted that Ukrainian forces werent returning fire.');
  });

  it('quotes "According to them, …" with the sentence that says who they are', () => {
    const excerpt = cited.ask('How many residents were left without water?').excerpts.find((e) => e.text.includes('21,000'));
    expect(excerpt!.text.startsWith('“In connection with intensive artillery strikes')).toBe(true);
    expect(excerpt!.text.endsWith('According to them, more than 21,000 residents have been left without water.')).toBe(true);
  });

  it('knows a pointer from a quotation: a quoted pronoun points inside the quote', () => {
    expect(needsItsAntecedent('He insisted that Ukrainian forces werent returning fire.')).toBe(true);
    expect(needsItsAntecedent('The order will last 30 days.')).toBe(true);
    expect(needsItsAntecedent('According to them, more than 21,000 residents have been left without water.')).toBe(true);
    expect(needsItsAntecedent('“He is lying,” the minister said.')).toBe(false);
    expect(needsItsAntecedent('Theirs is a different story.')).toBe(false);
    expect(needsItsAntecedent('The Kremlin said talks would go on.')).toBe(false);
  });
});
