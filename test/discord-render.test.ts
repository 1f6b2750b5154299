import { describe, expect, it } from 'vitest';
import type { APIEmbed } from 'discord.js';
import type { Answer, Citation, Excerpt } from '../src/cited.js';
import { createCited } from '../src/cited.js';
import { limits, truncateAtWord } from '../src/discord/limits.js';
import { CLOSEST_LEAD, renderAnswer, renderCitedSources, renderFigures, renderSources } from '../src/discord/render.js';
import { parseCustomId } from '../src/discord/custom-ids.js';
import { inert, inertWithin, readInert } from '../src/discord/escape.js';
import { commandDefinitions } from '../src/discord/definitions.js';
import { commands } from '../commands/index.js';

const embedLength = (e: APIEmbed) =>
  (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.footer?.text.length ?? 0) + (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);

function citation(number: number, extra: Partial<Citation> = {}): Citation {
  return { number, articleId: `a${number}`, title: `Title ${number}`, outlet: `Outlet${number}`, date: '2022-02-2' + (number % 10), url: `https://news${number}.example/story_(${number})`, ...extra };
}

function excerpt(text: string, citations: number[], words: string[] = []): Excerpt {
  const highlights = words.flatMap((w) => {
    const at = text.indexOf(w);
    return at >= 0 ? [{ start: at, end: at + w.length }] : [];
  });
  return { text, score: 1, sentenceIds: [`s-${text.length}`], duplicateIds: [], citations, highlights };
}

function answer(excerpts: Excerpt[], citations: Citation[], more = false): Answer {
  return { question: 'How many troops?', abstained: false, excerpts, related: [], citations, terms: { searched: ['troop'], unknown: [], folded: [] }, more };
}

describe('answer embeds', () => {
  it('show quotes as block quotes with bold query words and numbered masked-link citations', async () => {
    const cited = await createCited();
    const view = renderAnswer(cited.ask('How many troops has Russia amassed?'), { offset: 0, reportable: true });
    const [embed] = view.embeds;
    expect(embed!.title).toBe('How many troops has Russia amassed?');
    expect(embed!.description).toContain("> Western capitals say **Russia** has **amassed** 150,000 **troops** in combat formations on Ukraine's borders");
    expect(embed!.description).toContain('— [[1] NDTV, 2022-02-23](https://www.ndtv.com/world-news/pro-russian-leaders-in-ukraine-ask-putin-for-military-against-kyiv-2785807)');
    expect(embed!.fields![0]!.name).toBe('Sources');
    expect(embed!.fields![0]!.value).toMatch(/^\*\*\[1\]\*\* \[ProRussian Leaders In Ukraine Ask Putin For Military Against Kyiv\]\(https:\/\/www\.ndtv\.com/);
    expect(embed!.footer!.text).toMatch(/^Verbatim quotes from NDTV, Rashtranews/);
    expect(view.components[0]!.components.map((b) => ('custom_id' in b ? b.custom_id : ''))).toEqual(['more:3', 'cites:0', 'report']);
  });

  it('offer "More excerpts" when there are more, pointing at the next offset', () => {
    const view = renderAnswer(answer([excerpt('Troops moved.', [1])], [citation(1)], true), { offset: 3, reportable: true });
    const ids = view.components[0]!.components.map((b) => ('custom_id' in b ? b.custom_id : ''));
    expect(ids).toEqual(['more:4', 'cites:3', 'report']);
    for (const id of ids) expect(id.length).toBeLessThanOrEqual(limits.customId);
  });

  it('escape Markdown in article text so a quote shows as printed', () => {
    const view = renderAnswer(answer([excerpt('Officials said *all* troops_left > now ~~maybe~~ [link](x)', [1])], [citation(1)]), { offset: 0, reportable: true });
    const description = view.embeds[0]!.description!;
    expect(description).toContain('\\*all\\*');
    expect(description).toContain('troops\\_left');
    expect(description).toContain('\\~\\~maybe\\~\\~');
  });

  it('fit every limit with huge quotes: cut at word boundaries, keep every citation a shown quote uses', () => {
    const words = Array.from({ length: 900 }, (_, i) => `word${i}`).join(' ');
    const many = Array.from({ length: 12 }, (_, i) => citation(i + 1, { title: 'A very long headline '.repeat(8) }));
    const big = answer(
      [excerpt(`Troops ${words}.`, [1, 2, 3, 4], ['Troops']), excerpt(`More troops ${words}.`, [5, 6, 7, 8]), excerpt(`Even more ${words}.`, [9, 10, 11, 12])],
      many,
    );
    const [embed] = renderAnswer(big, { offset: 0, reportable: true }).embeds;
    expect(embed!.description!.length).toBeLessThanOrEqual(limits.embedDescription);
    expect(embedLength(embed!)).toBeLessThanOrEqual(limits.embedsTotal);
    for (const field of embed!.fields!) expect(field.value.length).toBeLessThanOrEqual(limits.fieldValue);
    expect(embed!.fields!.length).toBeLessThanOrEqual(limits.embedFields);
    const quotes = embed!.description!.split('\n').filter((l) => l.startsWith('> '));
    expect(quotes.length).toBeGreaterThan(0);
    for (const quote of quotes) {
      expect(quote.endsWith('…')).toBe(true);
      const lastWord = quote.slice(0, -1).replace(/\*/g, '').split(' ').at(-1)!;
      expect(lastWord).toMatch(/^word\d+$/); // a whole word, never a piece of one
      expect(words.split(' ')).toContain(lastWord);
    }
    const sourcesText = embed!.fields!.map((f) => f.value).join('\n');
    const shownCitations = new Set([...embed!.description!.matchAll(/\[(\d+)\] Outlet/g)].map((m) => Number(m[1])));
    for (const n of shownCitations) expect(sourcesText).toContain(`**[${n}]**`);
  });

  it('say plainly when the corpus does not cover a question, with no buttons', () => {
    const view = renderAnswer(
      { question: 'What is the capital of Australia?', abstained: true, excerpts: [], related: [], citations: [], more: false, terms: { searched: ['capit'], unknown: ['australia'], folded: [] } },
      { offset: 0, reportable: true },
    );
    expect(view.embeds[0]!.description).toContain('No passage in the articles answers this');
    expect(view.embeds[0]!.description).toContain('`australia`');
    expect(view.embeds[0]!.description).toContain('ask again with theirs');
    expect(view.components).toEqual([]);
  });

  it('show the closest passages apart from an answer: led by what they are, grey, no paging', () => {
    const closest = { ...answer([], [citation(1)]), abstained: true, related: [excerpt('Troops moved near Kyiv.', [1], ['Kyiv'])], terms: { searched: ['kyiv'], unknown: ['weather'], folded: [] } };
    const view = renderAnswer(closest, { offset: 0, reportable: true });
    const [embed] = view.embeds;
    expect(embed!.description!.startsWith(`${CLOSEST_LEAD}\n\n> Troops moved near **Kyiv**.`)).toBe(true);
    expect(embed!.description).toContain('No article mentions: `weather`.');
    expect(embed!.color).not.toBe(renderAnswer(answer([excerpt('Troops moved.', [1])], [citation(1)]), { offset: 0, reportable: true }).embeds[0]!.color);
    expect(embed!.footer!.text).toMatch(/^Closest passages, not an answer/);
    expect(embed!.fields![0]!.value).toContain('**[1]**');
    expect(view.components[0]!.components.map((b) => ('custom_id' in b ? b.custom_id : ''))).toEqual(['cites:0', 'report']);
  });

  it('say how a spelling was searched in the footer, also under an abstention, with the asker\'s word shown as typed', () => {
    const notes = ['searched “[kiev](https://evil.example)” as the articles spell it, “Kyiv”'];
    const answered = renderAnswer(answer([excerpt('Troops moved.', [1])], [citation(1)]), { offset: 0, reportable: true, spelling: notes });
    // A footer renders no markdown and no mentions: the note is shown as it is, never escaped into backslashes.
    expect(answered.embeds[0]!.footer!.text).toBe('Searched “[kiev](https://evil.example)” as the articles spell it, “Kyiv”.\nVerbatim quotes from Outlet1 · Cited writes no text of its own');
    const abstained = renderAnswer({ ...answer([], []), abstained: true }, { offset: 0, reportable: true, spelling: notes });
    expect(abstained.embeds[0]!.footer!.text).toBe('Searched “[kiev](https://evil.example)” as the articles spell it, “Kyiv”.');
    expect(renderAnswer({ ...answer([], []), abstained: true }, { offset: 0, reportable: true }).embeds[0]!.footer).toBeUndefined();
  });

  it('shorten a 6,000-character question title at a word boundary', () => {
    const question = 'troops '.repeat(900).trim();
    const view = renderAnswer({ ...answer([excerpt('Troops moved.', [1])], [citation(1)]), question }, { offset: 0, reportable: true });
    expect(view.embeds[0]!.title!.length).toBeLessThanOrEqual(limits.embedTitle);
    expect(view.embeds[0]!.title!).toMatch(/troops…$/);
  });
});

describe('/figures pages', () => {
  it('pack many subjects into pages within every limit, without losing a figure', async () => {
    const cited = await createCited();
    const troops = cited.figures('troops').groups[0]!;
    const groups = Array.from({ length: 30 }, (_, i) => ({ ...troops, subject: `subject${i}`, key: `k${i}` }));
    const result = { topic: 'many', groups };
    const first = renderFigures(result, 0);
    const pages = Number(/of (\d+)/.exec(first.embeds[0]!.footer!.text)![1]);
    expect(pages).toBeGreaterThan(1);
    const seen = new Set<string>();
    for (let page = 0; page < pages; page++) {
      const view = renderFigures(result, page);
      const [embed] = view.embeds;
      expect(view.embeds.reduce((n, e) => n + embedLength(e), 0)).toBeLessThanOrEqual(limits.embedsTotal);
      expect(embed!.fields!.length).toBeLessThanOrEqual(limits.embedFields);
      for (const f of embed!.fields!) {
        expect(f.value.length).toBeLessThanOrEqual(limits.fieldValue);
        if (!f.name.endsWith('(continued)')) seen.add(f.name);
      }
      expect(view.files!.length).toBeLessThanOrEqual(3);
    }
    expect(seen.size).toBe(30);
  });
});

describe('/sources pages', () => {
  const sources = Array.from({ length: 23 }, (_, i) => ({ id: `id${i}`, title: `Title ${i}`, outlet: i % 2 ? null : 'NDTV', date: null, url: i % 3 ? null : `https://x.example/${i}`, sentences: i, local: false }));

  it('list ten articles a page with Previous/Next buttons', () => {
    const first = renderSources(sources, 0);
    expect(first.embeds[0]!.fields).toHaveLength(10);
    expect(first.embeds[0]!.footer!.text).toMatch(/^Page 1 of 3/);
    const buttons = first.components[0]!.components as { custom_id: string; disabled: boolean }[];
    expect(buttons.map((b) => [b.custom_id, b.disabled])).toEqual([['sources:0', true], ['sources:1', false]]);
    const last = renderSources(sources, 2);
    expect(last.embeds[0]!.fields).toHaveLength(3);
    expect(renderSources(sources, 99).embeds[0]!.footer!.text).toMatch(/^Page 3 of 3/);
    expect(last.embeds[0]!.fields![1]!.name).toBe('unknown outlet · date unknown');
  });

  it('need no buttons for one page', () => {
    expect(renderSources(sources.slice(0, 5), 0).components).toEqual([]);
  });

  it("mark a server's own articles, and count them in the title", () => {
    const mixed = [...sources.slice(0, 3), { ...sources[3]!, id: 'local.briefing', local: true }];
    const view = renderSources(mixed, 0);
    expect(view.embeds[0]!.title).toBe("4 articles: 3 shared, 1 this server's own");
    expect(view.embeds[0]!.fields![3]!.value).toMatch(/id `local\.briefing` · this server only$/);
    expect(view.embeds[0]!.fields![0]!.value).not.toContain('this server only');
    expect(renderSources(sources.slice(0, 3), 0).embeds[0]!.title).toBe('3 articles in the corpus');
  });
});

describe('custom ids and command definitions', () => {
  it('read only the ids Cited makes', () => {
    expect(parseCustomId('more:3')).toEqual({ kind: 'more', offset: 3 });
    expect(parseCustomId('sources:2')).toEqual({ kind: 'sources', page: 2 });
    for (const junk of ['more:-1', 'more:abc', 'delete:1', 'more:3:extra', '', 'x'.repeat(100)]) expect(parseCustomId(junk)).toBe(null);
  });

  it('define the slash commands and the "Find sources" and "Report answer" message commands', () => {
    const defs = commandDefinitions(commands) as { name: string; type: number; options?: { name: string; required: boolean }[] }[];
    expect(defs.map((d) => [d.name, d.type])).toEqual([['ask', 1], ['sources', 1], ['figures', 1], ['moderation', 1], ['help', 1], ['Find sources', 3], ['Report answer', 3]]);
    expect(defs[0]!.options!.map((o) => [o.name, o.required])).toEqual([['question', true], ['source', false], ['private', false]]);
  });

  it('truncateAtWord never splits a word', () => {
    expect(truncateAtWord('alpha beta gamma', 12)).toBe('alpha beta…');
    expect(truncateAtWord('alpha beta gamma', 100)).toBe('alpha beta gamma');
    expect(truncateAtWord('supercalifragilistic', 6)).toBe('super…');
  });
});

describe('inert: text shown again on Discord renders as typed', () => {
  const hostile = [
    '[click here to verify](https://evil.example/x)',
    '<@123456789012345678> <@&123456789012345678> <#123456789012345678> <t:1700000000:R> </ask:1234567890>',
    '# Heading\n## Sub\n-# subtext\n> quote\n- item\n+ item\n1. first',
    '```js\nalert(1)\n``` `code` **bold** __under__ ~~strike~~ ||spoiler|| *it* _it_',
    '@everyone @here back\\slash \\[already escaped]',
  ];

  it('escapes every construct, and reads back to exactly what was given', () => {
    for (const text of hostile) expect(readInert(inert(text))).toBe(text);
    const shown = inert(hostile.join('\n'));
    expect(shown).not.toMatch(/(?<!\\)\[[^\]\\]*(?<!\\)\]\(/); // no masked link
    expect(shown).not.toMatch(/(?<!\\)<[@#t/]/); // no mention, channel, timestamp or command mention
    expect(shown).not.toMatch(/^#/m); // no heading
    expect(shown).not.toMatch(/^>/m); // no block quote
    expect(shown).not.toMatch(/^[-+] /m); // no list
    expect(shown).not.toMatch(/^\d+\. /m); // no numbered list
    expect(shown).not.toMatch(/(?<!\\)```/); // no code fence
    expect(shown).toContain('\\@everyone');
  });

  it("keeps an article's own title, outlet and text inert in an answer, its Sources field and the Sources button", () => {
    const hostile = citation(1, { title: 'Read [this](https://evil.example/a) <@&123456789012345678>', outlet: '# Outlet ||x||', url: 'https://news.example/a' });
    const reply = answer([excerpt('Troops moved [here](https://evil.example/b) <#123456789012345678>.', [1])], [hostile]);
    const [embed] = renderAnswer(reply, { offset: 0, reportable: true }).embeds;
    const [cited] = renderCitedSources(reply).embeds;
    for (const text of [embed!.description!, ...embed!.fields!.map((f) => f.value), ...cited!.fields!.flatMap((f) => [f.name, f.value])]) {
      expect(text).not.toMatch(/(?<!\\)\[[^\]\\]*(?<!\\)\]\(https:\/\/evil/);
      expect(text).not.toMatch(/(?<!\\)<[@#]/);
      expect(text).not.toMatch(/(?<!\\)\|\|/);
    }
    expect(embed!.description).toContain('[[1] \\# Outlet \\|\\|x\\|\\|, 2022-02-21](https://news.example/a)');
  });

  it('fits a limit without leaving half an escape', () => {
    const text = '[x](y) '.repeat(100);
    const shown = inertWithin(text, 50, truncateAtWord);
    expect(shown.length).toBeLessThanOrEqual(50);
    expect(shown.endsWith('…')).toBe(true);
    expect(shown).not.toMatch(/(?<!\\)(\\\\)*\\…$/);
    expect(readInert(shown.slice(0, -1)).trim()).toMatch(/^(\[x\]\(y\) ?)+$/);
  });
});
