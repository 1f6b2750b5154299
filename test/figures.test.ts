import { describe, expect, it } from 'vitest';
import { createCited, type Figure, type FigureGroup } from '../src/cited.js';
import { tagText } from '../src/nlp/analysis.js';
import { extractFigures, type ExtractedFigure } from '../src/figures/extract.js';
import { compareFigures } from '../src/figures/figures.js';
import { chartPng, chartSvg, textChart } from '../src/figures/chart.js';
import { comparisonSentence } from '../src/figures/describe.js';
import { figuresToJson } from '../src/cli/figures-json.js';
import { runScript } from './helpers.js';

const cited = await createCited();
const extract = (sentence: string) => extractFigures(sentence, tagText(sentence));
const only = (sentence: string): ExtractedFigure => {
  const found = extract(sentence);
  expect(found).toHaveLength(1);
  return found[0]!;
};
const group = (topic: string, subject: string): FigureGroup => cited.figures(topic).groups.find((g) => g.subject === subject)!;
const values = (g: FigureGroup) => g.figures.map((f) => [f.value, f.qualifier, f.source.outlet]);

describe('reading a figure', () => {
  it.each([
    ['Russia has amassed 150,000 troops.', 150000, '150,000', 'exact', 'troops'],
    ['It could displace five million people.', 5e6, 'five million', 'exact', 'people'],
    ['Moscow has around a million active-duty personnel.', 1e6, 'around a million', 'approximate', 'personnel'],
    ['Hundreds of explosions were recorded daily.', 200, 'Hundreds', 'lower bound', 'explosions'],
    ['Tens of thousands of Russian troops are stationed there.', 20000, 'Tens of thousands', 'lower bound', 'troops'],
    ['The regions had around 1,400 explosions.', 1400, 'around 1,400', 'approximate', 'explosions'],
    ['More than 60,000 residents fled.', 60000, 'More than 60,000', 'lower bound', 'residents'],
    ['The call up could see up to 250,000 reservists.', 250000, 'up to 250,000', 'upper bound', 'reservists'],
    ['Approximately 700,000 people are expected to leave.', 700000, 'Approximately 700,000', 'approximate', 'people'],
    ['Kyiv lies 75 kilometers from the border.', 75, '75', 'exact', 'kilometers'],
    ['The fund holds $3.5 billion in aid.', 3.5e9, '$3.5 billion', 'exact', 'aid'],
    ['Prices rose 40% last year.', 40, '40%', 'exact', 'percent'],
    ['The order will last 30 days.', 30, '30 days', 'exact', 'days'],
  ])('%s → %d', (sentence, value, text, qualifier, subject) => {
    expect(only(sentence)).toMatchObject({ value, text, qualifier, subject });
  });

  it('leaves out list numbering but keeps the figure on the same line', () => {
    expect(extract('1. Russia sent 300 troops to the border.').map((f) => f.text)).toEqual(['300']);
  });

  it('keeps the noun counted by a later number in the same list ("including 9,000 in Belarus")', () => {
    const [all, part] = extract('Russia has amassed 147,000 troops around Ukraine, including 9,000 in Belarus.');
    expect([all!.subject, part!.subject, part!.place]).toEqual(['troops', 'troops', 'Belarus']);
  });

  it('credits the speaker the sentence names', () => {
    expect(only('Ukrainian Defense Minister Oleksii Reznikov said Monday that Russia has amassed 147,000 troops.').attribution).toBe('Ukrainian Defense Minister Oleksii Reznikov');
    expect(only('The regions had around 1,400 explosions, Reuters reported.').attribution).toBe('Reuters');
    expect(only('He said that 300 troops left.').attribution).toBe(null);
  });

  it('takes no "27-nation bloc" for a figure: the count names the bloc', () => {
    expect(extract('The 27-nation bloc agreed.')).toEqual([]);
    expect(extract('Borrell said the 27-nation bloc has finalized its sanctions package.')).toEqual([]);
  });

  it('places a figure in every place coordinated after "in"', () => {
    expect(only('More than 60,000 residents in Donetsk and Luhansk fled to Russia on Monday.').place).toBe('Donetsk and Luhansk');
    expect(only('Russia is evacuating 40 diplomats in Kyiv, Odesa and Kharkiv.').place).toBe('Kyiv, Odesa and Kharkiv');
  });
});

describe('who a figure is credited to (attribution.ts)', () => {
  const speaker = (sentence: string, text: string) => {
    const tagged = tagText(sentence);
    const figure = extractFigures(sentence, tagged).find((f) => f.text === text);
    expect(figure, `${text} in: ${sentence}`).toBeDefined();
    return figure!.attribution;
  };

  it.each([
    // The outlet's own clause after ", which": Russia said something else.
    ['Russia said it had established diplomatic relations "at the level of embassies" with the separatist statelets, which broke away from Kyiv in 2014 in a conflict that has cost more than 14,000 lives.', 'more than 14,000', null],
    // "with the West saying" reports something else (the attack), not the troops.
    ["Tens of thousands of Russian troops are stationed near Ukraine's borders, with the West saying they could be used for an attack at any moment.", 'Tens of thousands', null],
    // An apposition between the speaker and the verb.
    ['The US ambassador to the United Nations, Linda Thomas-Greenfield, warned that an all-out Russian invasion could displace five million people, triggering a new European refugee crisis.', 'five million', 'Linda Thomas-Greenfield'],
    // An adverb between the speaker and the verb.
    ["The Russian Federation's Ministry of Emergency Situations previously told reporters approximately 700,000 people in total are expected to evacuate from Donetsk to Russia.", 'approximately 700,000', "Russian Federation's Ministry of Emergency Situations"],
    ['Western capitals say Russia has amassed 150,000 troops in combat formations on Ukraine\'s borders.', '150,000', 'Western capitals'],
    ['Ukrainian Defense Minister Oleksii Reznikov said Monday that Russia has amassed 147,000 troops around Ukraine, including 9,000 in Belarus, arguing that the number is clearly insufficient.', '9,000', 'Ukrainian Defense Minister Oleksii Reznikov'],
    ['The separatist authorities said Monday that at least four civilians were killed by Ukrainian shelling over the past 24 hours.', 'at least four', 'separatist authorities'],
    ['According to the OSCE, the two regions had around 1,400 explosions.', 'around 1,400', 'OSCE'],
    ['The two regions had around 1,400 explosions, according to the OSCE.', 'around 1,400', 'OSCE'],
    ['More than 300 troops crossed the border, said Borrell.', 'More than 300', 'Borrell'],
    // A pronoun names no one, and a quotation's tag "he said" is no better: no speaker rather than a guess.
    ['"We have 200 tanks ready," he said.', '200', null],
    // A figure in the outlet's own sentence before a reported clause of someone else's.
    ['Russia has massed 150,000 troops; officials in Kyiv say an attack is imminent.', '150,000', null],
    // A reported figure after "but": the contrast is the outlet's.
    ['Peskov said talks were possible, but 150,000 troops remain on the border.', '150,000', null],
  ])('%s → %s', (sentence, text, name) => {
    expect(speaker(sentence, text)).toBe(name);
  });

  it.each([
    ['year', 'The conflict began in 2014 and the war games in 2015.'],
    ['age', 'Dmitry Maksimenko, a 27-year-old coal miner, spoke to AFP.'],
    ['age', 'Reservists aged between 18 and 60 were called up.'],
    ['age', 'It was earlier in the nearly 8-year-old conflict.'],
    ['reference', 'Germany halted the Nord Stream 2 pipeline.'],
    ['reference', 'In accordance with Articles 3 and 4 of the treaties.'],
    ['date', 'The letters were dated February 22.'],
    ['ordinal', 'It was the sixth in four days and the third time.'],
    ['uncounted', 'Support, including military one, from the United States.'],
  ])('is not a figure: %s (%s)', (_rule, sentence) => {
    const found = extract(sentence).map((f) => f.text);
    expect(found.filter((t) => /\b(2014|2015|27|18|60|8|2|3|4|22|one|sixth|third)\b/.test(t))).toEqual([]);
  });
});

describe('the figures of the bundled corpus a reader checks first', () => {
  it('troops: 150,000 from two outlets, 147,000 from the Ukrainian defence minister — and they disagree', () => {
    const troops = group('troops', 'troops');
    expect(values(troops)).toEqual(
      expect.arrayContaining([
        [150000, 'exact', 'NDTV'],
        [150000, 'approximate', 'Rashtranews'],
        [147000, 'exact', 'Rashtranews'],
      ]),
    );
    expect(troops.figures.find((f) => f.value === 147000)!.attribution).toBe('Ukrainian Defense Minister Oleksii Reznikov');
    const [comparison] = troops.comparisons;
    expect(comparison!.verdict).toBe('disagree');
    expect(comparisonSentence(comparison!)).toBe(
      'Sources disagree: 150,000 (NDTV, according to Western capitals; Rashtranews, an estimate) against 147,000 (Rashtranews, according to Ukrainian Defense Minister Oleksii Reznikov).',
    );
  });

  it('explosions: about 1,400 in total, 533 in Donetsk, 860 in Luhansk — parts of one report, not rivals', () => {
    const explosions = group('explosions', 'explosions');
    const byValue = new Map(explosions.figures.map((f) => [f.value, f]));
    expect(byValue.get(1400)).toMatchObject({ qualifier: 'approximate', text: 'around 1,400' });
    expect(byValue.get(533)).toMatchObject({ place: 'Donetsk' });
    expect(byValue.get(860)).toMatchObject({ place: 'Luhansk' });
    expect(explosions.comparisons).toEqual([]);
  });

  it('residents: more than 60,000 fled, more than 21,000 without water — different quantities', () => {
    const residents = group('residents', 'residents');
    expect(values(residents)).toEqual([
      [60000, 'lower bound', 'Newsweek'],
      [21000, 'lower bound', null],
    ]);
    expect(residents.figures[1]!.sentence).toBe('According to them, more than 21,000 residents have been left without water.');
    expect(residents.comparisons).toEqual([]);
  });

  it('reservists: up to 250,000', () => {
    expect(values(group('reservists', 'reservists'))).toEqual([[250000, 'upper bound', 'NDTV']]);
  });

  it('deaths: 14,000 lives and 14,000 people killed agree; civilians and soldiers killed count as deaths too', () => {
    const killed = group('How many people have been killed?', 'people killed');
    expect(values(killed)).toEqual(expect.arrayContaining([
      [14000, 'lower bound', 'NDTV'],
      [14000, 'lower bound', 'Rashtranews'],
      [4, 'lower bound', 'Rashtranews'],
      [2, 'exact', 'Rashtranews'],
    ]));
    expect(killed.comparisons.map((c) => c.verdict)).toEqual(['agree']);
    expect(killed.comparisons[0]!.figures.map((f) => f.value)).toEqual([14000, 14000]);
  });

  it('/figures casualties finds the civilians and soldiers killed and the casualty recorded', () => {
    const texts = cited.figures('casualties').groups.flatMap((g) => g.figures.map((f) => f.text));
    expect(texts).toEqual(expect.arrayContaining(['at least four', 'two', 'one']));
  });

  it('/figures tanks lists no distances from the sentence the fuel tanks are in', () => {
    expect(cited.figures('tanks').groups.flatMap((g) => g.figures.map((f) => f.subject))).not.toEqual(expect.arrayContaining(['kilometres']));
    expect(cited.figures('tanks').groups.flatMap((g) => g.figures)).toEqual([]);
  });

  it('no year and no age shows up as a figure anywhere', () => {
    const all = cited.figures(null).groups.flatMap((g) => g.figures).concat(...['troops', 'reservists', 'conflict', 'miner', 'Crimea', 'bloc'].flatMap((t) => cited.figures(t).groups.flatMap((g) => g.figures)));
    for (const f of all) {
      expect(f.text).not.toMatch(/^(19|20)\d\d$/);
      expect(f.sentence.slice(f.end, f.end + 10)).not.toMatch(/^-year-old/);
      expect([18, 60, 2014, 2015]).not.toContain(f.value);
      if (f.value === 27) expect(f.subject).toBe('nation'); // "the 27-nation bloc" counts nations, it is no age
    }
  });

  it('finds the figures a topic names through its sentences when no figure counts it, with variant spellings', () => {
    const donetsk = cited.figures('Donetsk');
    expect(donetsk.groups.map((g) => g.subject)).toContain('explosions');
    expect(cited.figures('Lugansk').groups.flatMap((g) => g.figures.map((f) => f.value))).toContain(860);
  });

  it('gives an overview of the subjects with the most figures when there is no topic', () => {
    const overview = cited.figures(null);
    expect(overview.topic).toBe(null);
    expect(overview.groups[0]!.subject).toBe('troops');
    expect(overview.groups.map((g) => g.subject)).toContain('explosions');
    expect(cited.figureSubjects()[0]).toEqual({ subject: 'troops', count: 5 });
  });
});

describe('comparing values', () => {
  const figure = (value: number, sentenceId: string, qualifier: Figure['qualifier'] = 'exact'): Figure =>
    ({ value, sentenceId, qualifier, kind: 'count', text: String(value), start: 0, end: 1, subject: 'troops', subjectLemma: 'troop', attribution: null, place: null, sentence: '', key: 'troop', source: { articleId: sentenceId, title: null, date: null, url: null, outlet: sentenceId } }) as Figure;

  it('agrees on equal values, disagrees on close ones, and leaves far-apart values alone', () => {
    expect(compareFigures([figure(100, 'a'), figure(100, 'b')], 1.5).map((c) => c.verdict)).toEqual(['agree']);
    expect(compareFigures([figure(150, 'a'), figure(147, 'b')], 1.5).map((c) => c.verdict)).toEqual(['disagree']);
    expect(compareFigures([figure(150000, 'a'), figure(9000, 'b')], 1.5)).toEqual([]);
    expect(compareFigures([figure(533, 'a'), figure(860, 'a')], 2)).toEqual([]); // one sentence: parts of one report
  });
});

describe('charts', () => {
  const troops = group('troops', 'troops');

  it('render the competing values as a PNG bar chart, marking approximate values and bounds', () => {
    const svg = chartSvg(troops);
    expect(svg).toContain('~150,000');
    expect(svg).toContain('≥20,000');
    expect(svg).toContain('url(#hatch)');
    const png = chartPng(troops);
    expect(png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
    expect(png.readUInt32BE(16)).toBe(720); // width from the IHDR chunk
  });

  it('draw the same as text for the console', () => {
    const lines = textChart(troops);
    expect(lines[0]).toMatch(/^ 150,000 █{30}\s+NDTV$/);
    expect(lines.some((l) => /^~150,000 ▒+/.test(l))).toBe(true);
    expect(lines.some((l) => /≥20,000 █+→/.test(l))).toBe(true);
  });
});

describe('npm run figures', () => {
  it('--json prints the stable shape', async () => {
    const run = await runScript('src/cli/figures.js', ['--json', 'troops']);
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout);
    expect(Object.keys(json).sort()).toEqual(['groups', 'topic']);
    expect(json.topic).toBe('troops');
    const [first] = json.groups;
    // Added, as the console shows them: a group's comparisons, a figure's speaker and place.
    expect(Object.keys(first).sort()).toEqual(['comparisons', 'figures', 'subject']);
    expect(first.subject).toBe('troops');
    expect(first.comparisons).toEqual(expect.arrayContaining([expect.objectContaining({ verdict: 'disagree' })]));
    const disagree = first.comparisons.find((c: { verdict: string }) => c.verdict === 'disagree');
    expect(disagree.values.map((v: { value: number }) => v.value)).toEqual(expect.arrayContaining([150000, 147000]));
    for (const f of first.figures) {
      expect(Object.keys(f).sort()).toEqual(['place', 'qualifier', 'sentence', 'sources', 'speaker', 'text', 'value']);
      expect(f.speaker === null || typeof f.speaker === 'string').toBe(true);
      expect(f.place === null || typeof f.place === 'string').toBe(true);
      expect(Object.keys(f.sources[0]).sort()).toEqual(['date', 'id', 'outlet', 'title', 'url']);
      expect(f.sentence).toContain(f.text);
    }
    expect(json).toEqual(figuresToJson(cited.figures('troops')));
    expect(first.figures.find((f: { value: number }) => f.value === 147000).speaker).toBe('Ukrainian Defense Minister Oleksii Reznikov');
    expect(first.figures.find((f: { value: number }) => f.value === 9000).place).toBe('Belarus');
    const single = figuresToJson(cited.figures('reservists')).groups[0]!;
    expect(single.comparisons).toEqual([{ verdict: 'one report', values: single.figures.map((f) => ({ value: f.value, text: f.text, outlet: f.sources[0]!.outlet, speaker: f.speaker })) }]);
  });

  it('prints the overview as text without a topic', async () => {
    const run = await runScript('src/cli/figures.js');
    expect(run.stdout).toMatch(/^What the figures count/);
    expect(run.stdout).toContain('troops');
  });
});
