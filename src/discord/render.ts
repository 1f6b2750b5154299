/**
 * Replies as Discord messages (plain API JSON, so tests can inspect them): an embed per answer
 * with quotes as block quotes, query words in bold, citations as numbered masked links, and
 * buttons. Every Discord limit is respected; trimming shortens quotes at word boundaries and
 * never drops a citation that a shown quote uses.
 */
import { type APIActionRowComponent, type APIButtonComponent, type APIEmbed, type APIEmbedField } from 'discord.js';
import type { Answer, Citation, Excerpt, Figure, FigureGroup, FigureResult } from '../cited.js';
import { chartPng, worthCharting } from '../figures/chart.js';
import { comparisonSentence, contextLabel, sourceLabel } from '../figures/describe.js';
import type { Command, Reply, SourceSummary } from '../../commands/index.js';
import { limits, truncateAtWord } from './limits.js';
import { customIds } from './custom-ids.js';
import { inert, inertWithin, readInert } from './escape.js';

export interface DiscordReply {
  content?: string;
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIButtonComponent>[];
  ephemeral: boolean;
  /** Attachments (charts), referenced from embeds as attachment://name. */
  files?: { name: string; data: Buffer }[];
}

const COLOR = { answer: 0x2f6fdf, abstain: 0x8a8f98, list: 0x2f9f6f };
const SOURCES_PER_PAGE = 10;

/** `reportable`: answers carry a Report button (not in direct messages, where nobody moderates); `spelling`: an answer's spelling notes. */
export function renderReply(reply: Reply, options: { reportable: boolean; spelling?: readonly string[] }): DiscordReply {
  switch (reply.kind) {
    case 'answer':
      return { ...renderAnswer(reply.answer, { offset: 0, reportable: options.reportable, ...(options.spelling ? { spelling: options.spelling } : {}) }), ephemeral: reply.private === true };
    case 'sources':
      return renderSources(reply.sources, 0);
    case 'help':
      return renderHelp(reply.commands);
    case 'figures':
      return renderFigures(reply.result);
    case 'notice':
      return { ...notice(reply.text), ephemeral: reply.private === true };
    case 'list':
      return renderList(reply.title, reply.lines, reply.empty, reply.private === true);
  }
}

/** A titled list (moderation queue, audit log…) as an embed, as many lines as fit. */
export function renderList(title: string, lines: readonly string[], empty: string, ephemeral: boolean): DiscordReply {
  if (lines.length === 0) return { content: empty, embeds: [], components: [], ephemeral };
  let description = '';
  let shown = 0;
  for (const line of lines) {
    const next = `${description}${description ? '\n' : ''}• ${inert(truncateAtWord(line, 400))}`;
    if (next.length > limits.embedDescription - 60) break;
    description = next;
    shown++;
  }
  if (shown < lines.length) description += `\n…and ${lines.length - shown} more`;
  return { embeds: [{ title: truncateAtWord(title, limits.embedTitle), description, color: COLOR.list }], components: [], ephemeral };
}

const CHARTS_PER_PAGE = 3;
/** Characters of fields per /figures page, leaving room for title, description and footer. */
const FIGURE_PAGE_BUDGET = 5200;

/**
 * Figures as an embed table: each subject's values with their quotes and citations, then whether
 * sources agree, in fields of up to 1,024 characters ("(continued)" when a subject needs more),
 * as many subjects a page as fit, and a bar chart image for each subject with two or more values.
 */
export function renderFigures(result: FigureResult, page = 0): DiscordReply {
  const title = result.topic === null ? OVERVIEW_TITLE : `Figures on “${inertWithin(result.topic.replace(/\s+/g, ' '), limits.embedTitle - 14, truncateAtWord)}”`;
  if (result.groups.length === 0) {
    const description = result.topic === null ? 'The articles print no figures.' : 'No figures on this topic in the articles. Try `/figures` alone for an overview, or `/sources`.';
    return { embeds: [{ title, description, color: COLOR.abstain }], components: [], ephemeral: false };
  }
  const pages = paginateFields(result.groups.map((g) => ({ group: g, fields: figureFields(g, result.topic === null) })));
  const current = Math.min(Math.max(0, page), pages.length - 1);
  const shown = pages[current]!;
  const fields = shown.flatMap((s) => s.fields);
  const description = 'Figures as the articles print them, grouped by what they count. ~ approximate · ≥ at least · ≤ at most.';
  const footer = { text: `Page ${current + 1} of ${pages.length} · Cited writes no text of its own` };
  const charted = shown.map((s) => s.group).filter(worthCharting).slice(0, CHARTS_PER_PAGE);
  const files = charted.map((g) => ({ name: `figures-${g.key.replace(/[^a-z0-9]/gi, '') || 'chart'}.png`, data: chartPng(g) }));
  const embeds: APIEmbed[] = [{ title, description, color: COLOR.list, fields, footer, ...(files[0] ? { image: { url: `attachment://${files[0].name}` } } : {}) }];
  for (const [i, file] of files.entries()) if (i > 0) embeds.push({ color: COLOR.list, image: { url: `attachment://${file.name}` }, description: inertWithin(`${charted[i]!.subject}: values by source`, 200, truncateAtWord) });
  const components: DiscordReply['components'] =
    pages.length > 1
      ? [{ type: 1, components: [
          { type: 2, style: 2, label: 'Previous', custom_id: customIds.figuresPage(current - 1), disabled: current === 0 },
          { type: 2, style: 2, label: 'Next', custom_id: customIds.figuresPage(current + 1), disabled: current >= pages.length - 1 },
        ] }]
      : [];
  return { embeds, components, ephemeral: false, files };
}

const OVERVIEW_TITLE = 'What the figures in the articles count';

/** The topic of a /figures message from its title: null for the overview, undefined when cut short. */
export function figuresTopic(title: string | null | undefined): string | null | undefined {
  if (title === OVERVIEW_TITLE) return null;
  const match = /^Figures on “(.*)”$/.exec(title ?? '');
  return match && !match[1]!.endsWith('…') ? readInert(match[1]!) : undefined;
}

/** Subjects packed into pages within the field budget and Discord's 25 fields (a subject never split across pages). */
function paginateFields<T extends { fields: APIEmbedField[] }>(items: T[]): T[][] {
  const pages: T[][] = [[]];
  let used = 0;
  let count = 0;
  for (const item of items) {
    const size = item.fields.reduce((n, f) => n + f.name.length + f.value.length, 0);
    if (pages.at(-1)!.length > 0 && (used + size > FIGURE_PAGE_BUDGET || count + item.fields.length > limits.embedFields)) {
      pages.push([]);
      used = 0;
      count = 0;
    }
    pages.at(-1)!.push(item);
    used += size;
    count += item.fields.length;
  }
  return pages;
}

/** One subject as fields of at most 1,024 characters; a figure's line and its quote stay together. */
function figureFields(group: FigureGroup, overview: boolean): APIEmbedField[] {
  const blocks: string[] = group.comparisons.map((c) => `**${inert(comparisonSentence(c))}**`);
  for (const f of group.figures) {
    const who = f.source.url ? `[${plainLabel(sourceLabel(f))}](${safeUrl(f.source.url)})` : inert(sourceLabel(f));
    const context = contextLabel(f);
    const line = `**${inert(f.text)}** — ${who}${context ? ` · ${inert(context)}` : ''}`;
    blocks.push(overview ? line : `${line}\n> ${quoteAround(f, 140)}`);
  }
  const values: string[] = [];
  for (const block of blocks.map((b) => truncateAtWord(b, limits.fieldValue))) {
    const last = values.at(-1);
    if (last !== undefined && last.length + 1 + block.length <= limits.fieldValue) values[values.length - 1] = `${last}\n${block}`;
    else values.push(block);
  }
  const name = inertWithin(`${group.subject} (${group.figures.length})`, limits.fieldName, truncateAtWord);
  return values.map((value, i) => ({ name: i === 0 ? name : inertWithin(`${group.subject} (continued)`, limits.fieldName, truncateAtWord), value }));
}

/** The part of the sentence around a figure (about `room` characters), cut at words, figure in bold. */
function quoteAround(f: Figure, room: number): string {
  const from = Math.max(0, f.start - Math.floor(room / 2));
  const to = Math.min(f.sentence.length, f.end + Math.floor(room / 2));
  let before = f.sentence.slice(from, f.start);
  let after = f.sentence.slice(f.end, to);
  if (from > 0) before = '…' + before.replace(/^\S*\s/, '');
  if (to < f.sentence.length) after = after.replace(/\s\S*$/, '') + '…';
  return `${inert(before)}**${inert(f.sentence.slice(f.start, f.end))}**${inert(after)}`;
}

/** Plain text for errors and notices, always ephemeral; inert, since it may quote what a member typed. */
export function notice(text: string): DiscordReply {
  return { content: inertWithin(text, limits.content, truncateAtWord), embeds: [], components: [], ephemeral: true };
}

export interface AnswerView {
  /** Where this page starts among the answer's excerpts (0 for the first page). */
  offset: number;
  /** Heading; the question by default. */
  title?: string;
  /** Show the "Report" button: public answers in a server, never in direct messages. */
  reportable: boolean;
  /** How the question's spellings were searched (answer/notes.ts), said in the footer. */
  spelling?: readonly string[];
}

/** After an abstention with words no article uses: the articles may say it in other words. */
const REPHRASE = 'If the articles may say it in other words, ask again with theirs.';

/** Said before the closest passages, so they are never taken for an answer. */
export const CLOSEST_LEAD = '**No passage clearly answers this.** The closest the articles come:';

export function renderAnswer(answer: Answer, view: AnswerView): Omit<DiscordReply, 'ephemeral'> {
  const heading = inertWithin((view.title ?? answer.question).replace(/\s+/g, ' '), limits.embedTitle, truncateAtWord);
  const closest = answer.abstained && answer.related.length > 0;
  if (!closest && (answer.abstained || answer.excerpts.length === 0)) {
    const lines = answer.abstained
      ? ['**No passage in the articles answers this**, so Cited will not guess.']
      : ['No more excerpts for this question.'];
    if (answer.terms.unknown.length > 0) {
      lines.push(unknownWordsLine(answer));
      // Most unanswered questions that the articles do cover are put in words the articles never use.
      if (answer.abstained) lines.push(REPHRASE);
    }
    lines.push('Use `/sources` to see what the articles cover.');
    const description = truncateAtWord(lines.join('\n'), limits.embedDescription);
    const said = spellingLine(view.spelling);
    return { embeds: [{ title: heading, description, color: COLOR.abstain, ...(said ? { footer: { text: said } } : {}) }], components: [] };
  }

  const footer = { text: footerText(answer, closest, view.spelling) };
  // The closest passages are styled apart from an answer: grey, and led by what they are.
  const lead = closest ? `${CLOSEST_LEAD}\n\n` : '';
  const unknown = closest && answer.terms.unknown.length > 0 ? `\n\n${unknownWordsLine(answer)} ${REPHRASE}` : '';
  // Sources first: they must all fit, since every shown quote needs its citations.
  let shown = closest ? answer.related : answer.excerpts;
  for (;;) {
    const used = new Set(shown.flatMap((e) => e.citations));
    const fields = sourceFields(answer.citations.filter((c) => used.has(c.number)));
    const fixed = heading.length + footer.text.length + fields.reduce((n, f) => n + f.name.length + f.value.length, 0);
    // The quotes share the description with the lead and the unknown-words line.
    const room = Math.min(limits.embedDescription, limits.embedsTotal - fixed) - lead.length - unknown.length;
    const description = describeExcerpts(shown, answer, room);
    if (description !== null || shown.length === 1) {
      const quotes = description ?? inertWithin(shown[0]!.text, room, truncateAtWord);
      const embed: APIEmbed = { title: heading, description: lead + quotes + unknown, color: closest ? COLOR.abstain : COLOR.answer, fields, footer };
      return { embeds: [embed], components: answerButtons(answer, view.offset, shown.length, view.reportable) };
    }
    shown = shown.slice(0, -1); // not even trimmed quotes fit: show fewer excerpts
  }
}

/** Excerpts as block quotes, trimmed to fit `room` characters; null when they cannot fit. */
function describeExcerpts(excerpts: readonly Excerpt[], answer: Answer, room: number): string | null {
  const attribution = excerpts.map((e) => attributionLine(e, answer));
  const separators = (excerpts.length - 1) * 2;
  const fixed = attribution.reduce((n, a) => n + a.length + 3, separators); // "> " + "\n"
  let budget = room - fixed;
  if (budget < excerpts.length * 40) return null;
  // Share the room: short quotes keep their length, long ones are trimmed evenly.
  const lengths = excerpts.map((e) => quoteMarkdown(e, Infinity).length);
  const caps = excerpts.map(() => Infinity);
  const order = lengths.map((l, i) => [l, i] as const).sort((a, b) => a[0] - b[0]);
  order.forEach(([length, i], k) => {
    const fair = Math.floor(budget / (order.length - k));
    if (length > fair) caps[i] = fair;
    budget -= Math.min(length, fair);
  });
  const parts = excerpts.map((e, i) => `> ${quoteMarkdown(e, caps[i]!)}\n${attribution[i]}`);
  const text = parts.join('\n\n');
  return text.length <= room ? text : null;
}

/** The quote in Markdown, bold query words, at most `max` characters (cut at a word). */
function quoteMarkdown(excerpt: Excerpt, max: number): string {
  const build = (end: number) => {
    let out = '';
    let at = 0;
    for (const { start, end: stop } of excerpt.highlights) {
      if (start >= end) break;
      out += inert(excerpt.text.slice(at, start)) + `**${inert(excerpt.text.slice(start, Math.min(stop, end)))}**`;
      at = Math.min(stop, end);
    }
    return out + inert(excerpt.text.slice(at, end));
  };
  const full = build(excerpt.text.length).replace(/\n/g, ' ');
  if (full.length <= max) return full;
  // Cut the plain text at a word boundary, shrinking until the Markdown fits.
  let end = excerpt.text.length;
  for (;;) {
    const plain = truncateAtWord(excerpt.text, Math.max(1, end));
    const cutAt = plain.endsWith('…') ? plain.length - 1 : plain.length;
    const md = build(cutAt).replace(/\n/g, ' ') + '…';
    if (md.length <= max || cutAt <= 1) return md;
    end = cutAt - Math.max(1, md.length - max);
  }
}

function attributionLine(excerpt: Excerpt, answer: Answer): string {
  const [first, ...also] = excerpt.citations.map((n) => answer.citations[n - 1]!);
  const line = `— ${citationLink(first!)}`;
  return also.length === 0 ? line : `${line} · also reported by ${also.map(citationLink).join(', ')}`;
}

/** `[1] NDTV, 2022-02-23` as a masked link to the article when its URL is known. */
function citationLink(c: Citation): string {
  const label = `[${c.number}] ${plainLabel(c.outlet ?? 'unknown outlet')}, ${c.date ?? 'date unknown'}`;
  return c.url ? `[${label}](${safeUrl(c.url)})` : label;
}

function sourceFields(citations: readonly Citation[]): APIEmbedField[] {
  const lines = citations.map((c) => {
    const title = truncateAtWord(plainLabel(c.title ?? 'untitled'), 120);
    const where = `${plainLabel(c.outlet ?? 'unknown outlet')} · ${c.date ?? 'date unknown'}`;
    return `**[${c.number}]** ${c.url ? `[${title}](${safeUrl(c.url)})` : title} — ${where}`;
  });
  const fields: APIEmbedField[] = [];
  let value = '';
  for (const line of lines) {
    if (value !== '' && value.length + 1 + line.length > limits.fieldValue) {
      fields.push({ name: fields.length === 0 ? 'Sources' : 'Sources (continued)', value });
      value = '';
    }
    value = value === '' ? truncateAtWord(line, limits.fieldValue) : `${value}\n${line}`;
  }
  if (value !== '') fields.push({ name: fields.length === 0 ? 'Sources' : 'Sources (continued)', value });
  return fields.slice(0, limits.embedFields);
}

function footerText(answer: Answer, closest: boolean, spelling?: readonly string[]): string {
  const outlets = [...new Set(answer.citations.map((c) => c.outlet ?? 'unknown outlet'))];
  const what = closest ? 'Closest passages, not an answer: verbatim from' : 'Verbatim quotes from';
  const said = spellingLine(spelling);
  return truncateAtWord(`${said ? `${said}\n` : ''}${what} ${outlets.join(', ')} · Cited writes no text of its own`, limits.embedFooter);
}

/**
 * The spelling notes as one footer line ("Searched “kiev” as the articles spell it, “Kyiv”."), or
 * null. A footer renders no markdown and no mentions, so the asker's words are shown as typed.
 */
function spellingLine(spelling: readonly string[] | undefined): string | null {
  if (!spelling || spelling.length === 0) return null;
  const line = spelling.join('; ');
  return truncateAtWord(`${line.charAt(0).toUpperCase()}${line.slice(1)}.`, 500);
}

/** The question's words no article uses, each in inline code (a word holds no backtick). */
function unknownWordsLine(answer: Answer): string {
  return `No article mentions: ${answer.terms.unknown.map((w) => `\`${w.replace(/`/g, '')}\``).join(', ')}.`;
}

function answerButtons(answer: Answer, offset: number, shown: number, reportable: boolean): DiscordReply['components'] {
  const buttons: APIButtonComponent[] = [];
  if (answer.more || shown < answer.excerpts.length) buttons.push({ type: 2, style: 1, label: 'More excerpts', custom_id: customIds.more(offset + shown) });
  buttons.push({ type: 2, style: 2, label: 'Sources', custom_id: customIds.citedSources(offset) });
  if (reportable) buttons.push({ type: 2, style: 4, label: 'Report', custom_id: customIds.report() });
  return [{ type: 1, components: buttons }];
}

/** "12 articles in the corpus", and how many are the server's own when it has some. */
function sourcesTitle(sources: readonly SourceSummary[]): string {
  const local = sources.filter((s) => s.local).length;
  const all = `${sources.length} article${sources.length === 1 ? '' : 's'}`;
  return local === 0 ? `${all} in the corpus` : `${all}: ${sources.length - local} shared, ${local} this server's own`;
}

export function renderSources(sources: readonly SourceSummary[], page: number): DiscordReply {
  const pages = Math.max(1, Math.ceil(sources.length / SOURCES_PER_PAGE));
  const current = Math.min(Math.max(0, page), pages - 1);
  const slice = sources.slice(current * SOURCES_PER_PAGE, (current + 1) * SOURCES_PER_PAGE);
  const fields = slice.map((s) => ({
    name: inertWithin(`${s.outlet ?? 'unknown outlet'} · ${s.date ?? 'date unknown'}`, limits.fieldName, truncateAtWord),
    value: truncateAtWord(
      `${s.url ? `[${truncateAtWord(plainLabel(s.title ?? 'untitled'), 200)}](${safeUrl(s.url)})` : inert(s.title ?? 'untitled')}\n${s.sentences} sentences · id ${idCode(s.id)}${s.local ? ' · this server only' : ''}`,
      limits.fieldValue,
    ),
  }));
  const embed: APIEmbed = {
    title: sourcesTitle(sources),
    color: COLOR.list,
    fields,
    footer: { text: `Page ${current + 1} of ${pages} · /ask quotes only from these articles` },
  };
  const components: DiscordReply['components'] =
    pages > 1
      ? [
          {
            type: 1,
            components: [
              { type: 2, style: 2, label: 'Previous', custom_id: customIds.sourcesPage(current - 1), disabled: current === 0 },
              { type: 2, style: 2, label: 'Next', custom_id: customIds.sourcesPage(current + 1), disabled: current >= pages - 1 },
            ],
          },
        ]
      : [];
  return { embeds: [embed], components, ephemeral: false };
}

export function renderHelp(commands: readonly Command[]): DiscordReply {
  const lines = commands
    .filter((c) => !c.moderatorsOnly)
    .map((c) => {
      const head = c.subcommands ? c.subcommands.map((s) => `**/${c.name} ${s.name}** — ${s.description}`).join('\n') : `**/${c.name}** — ${c.description}`;
      return `${head}\ne.g. \`${c.example}\``;
    });
  lines.push('**Mention me** or **DM me** with a question, or right-click a message → Apps → **Find sources** to check a claim. Wrong answer? Press **Report** under it.');
  const intro = 'Cited answers with sentences the articles printed, each cited to its outlet, date and link. It never writes an answer of its own; when no article covers a question, it says so.';
  return {
    embeds: [{ title: 'Cited: quotes from the news, with sources', description: truncateAtWord([intro, '', ...lines].join('\n'), limits.embedDescription), color: COLOR.list }],
    components: [],
    ephemeral: true,
  };
}

/** A masked link's label: escaped, and without the brackets that would end it. */
function plainLabel(text: string): string {
  return inert(text.replace(/[[\]]/g, ''));
}

/** An id in inline code, to copy; one holding a backtick (which would end the code) is shown escaped instead. */
function idCode(id: string): string {
  return id.includes('`') ? inert(id) : `\`${id}\``;
}

/** A URL safe inside `( )` of a masked link. */
function safeUrl(url: string): string {
  return url.replace(/[()\s]/g, (c) => encodeURIComponent(c));
}

/** The "Sources" button: full details of the articles an answer page cites, privately. */
export function renderCitedSources(answer: Answer): DiscordReply {
  if (answer.citations.length === 0) return notice('This page cites no sources.');
  const fields = answer.citations.slice(0, limits.embedFields).map((c) => ({
    name: inertWithin(`[${c.number}] ${c.outlet ?? 'unknown outlet'} · ${c.date ?? 'date unknown'}`, limits.fieldName, truncateAtWord),
    value: truncateAtWord(`${inert(c.title ?? 'untitled')}\n${c.url ? safeUrl(c.url) : 'no link known'}\nid ${idCode(c.articleId)}`, limits.fieldValue),
  }));
  return { embeds: [{ title: 'Sources cited', color: COLOR.list, fields }], components: [], ephemeral: true };
}
