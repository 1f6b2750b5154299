/**
 * Replies as Discord messages (plain API JSON, so tests can inspect them): an embed per answer
 * with quotes as block quotes, query words in bold, citations as numbered masked links, and
 * buttons. Every Discord limit is respected; trimming shortens quotes at word boundaries and
 * never drops a citation that a shown quote uses.
 */
import { escapeMarkdown, type APIActionRowComponent, type APIButtonComponent, type APIEmbed, type APIEmbedField } from 'discord.js';
import type { Answer, Citation, Excerpt, FigureResult } from '../cited.js';
import type { Command, Reply, SourceSummary } from '../../commands/index.js';
import { limits, truncateAtWord } from './limits.js';
import { customIds } from './custom-ids.js';

export interface DiscordReply {
  content?: string;
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIButtonComponent>[];
  ephemeral: boolean;
}

const COLOR = { answer: 0x2f6fdf, abstain: 0x8a8f98, list: 0x2f9f6f };
const SOURCES_PER_PAGE = 10;

export function renderReply(reply: Reply, page = 0): DiscordReply {
  switch (reply.kind) {
    case 'answer':
      return { ...renderAnswer(reply.answer, { offset: 0 }), ephemeral: reply.private === true };
    case 'sources':
      return renderSources(reply.sources, page);
    case 'help':
      return renderHelp(reply.commands);
    case 'figures':
      return renderFigures(reply.result);
  }
}

/** Figures, first version: one field per figure, with its quote (number in bold) and source. */
export function renderFigures(result: FigureResult): DiscordReply {
  const title = truncateAtWord(`Figures on “${result.topic}”`, limits.embedTitle);
  if (result.figures.length === 0) {
    return { embeds: [{ title, description: 'No figures on this topic in the articles. Use `/sources` to see what they cover.', color: COLOR.abstain }], components: [], ephemeral: false };
  }
  let total = title.length;
  const fields: APIEmbedField[] = [];
  for (const f of result.figures.slice(0, limits.embedFields)) {
    const name = truncateAtWord(`${f.text} — ${f.source.outlet ?? 'unknown outlet'}, ${f.source.date ?? 'date unknown'}`, limits.fieldName);
    const before = escape(f.sentence.slice(0, f.start));
    const quote = `> ${before}**${escape(f.sentence.slice(f.start, f.end))}**${escape(f.sentence.slice(f.end))}`;
    const link = f.source.url ? `\n[${plainLabel(f.source.title ?? 'source')}](${safeUrl(f.source.url)})` : '';
    const value = quote.length + link.length <= limits.fieldValue ? quote + link : truncateAtWord(quote, limits.fieldValue - link.length) + link;
    if (total + name.length + value.length > limits.embedsTotal - 100) break;
    total += name.length + value.length;
    fields.push({ name, value });
  }
  return { embeds: [{ title, color: COLOR.list, fields, footer: { text: 'Numbers as the articles print them · Cited writes no text of its own' } }], components: [], ephemeral: false };
}

/** Plain text for errors and notices, always ephemeral. */
export function notice(text: string): DiscordReply {
  return { content: truncateAtWord(text, limits.content), embeds: [], components: [], ephemeral: true };
}

export interface AnswerView {
  /** Where this page starts among the answer's excerpts (0 for the first page). */
  offset: number;
  /** Heading; the question by default. */
  title?: string;
}

export function renderAnswer(answer: Answer, view: AnswerView): Omit<DiscordReply, 'ephemeral'> {
  const heading = truncateAtWord((view.title ?? answer.question).replace(/\s+/g, ' '), limits.embedTitle);
  if (answer.abstained || answer.excerpts.length === 0) {
    const lines = answer.abstained
      ? ['**The corpus does not cover this.** No article answers it, so Cited will not guess.']
      : ['No more excerpts for this question.'];
    if (answer.terms.unknown.length > 0) lines.push(`No article mentions: ${answer.terms.unknown.map((w) => `\`${w.replace(/`/g, '')}\``).join(', ')}.`);
    lines.push('Use `/sources` to see what the articles cover.');
    const description = truncateAtWord(lines.join('\n'), limits.embedDescription);
    return { embeds: [{ title: heading, description, color: COLOR.abstain }], components: [] };
  }

  const footer = { text: footerText(answer) };
  // Sources first: they must all fit, since every shown quote needs its citations.
  let shown = answer.excerpts;
  for (;;) {
    const used = new Set(shown.flatMap((e) => e.citations));
    const fields = sourceFields(answer.citations.filter((c) => used.has(c.number)));
    const fixed = heading.length + footer.text.length + fields.reduce((n, f) => n + f.name.length + f.value.length, 0);
    const room = Math.min(limits.embedDescription, limits.embedsTotal - fixed);
    const description = describeExcerpts(shown, answer, room);
    if (description !== null || shown.length === 1) {
      const embed: APIEmbed = { title: heading, description: description ?? truncateAtWord(shown[0]!.text, room), color: COLOR.answer, fields, footer };
      return { embeds: [embed], components: answerButtons(answer, view.offset, shown.length) };
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
      out += escape(excerpt.text.slice(at, start)) + `**${escape(excerpt.text.slice(start, Math.min(stop, end)))}**`;
      at = Math.min(stop, end);
    }
    return out + escape(excerpt.text.slice(at, end));
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

function footerText(answer: Answer): string {
  const outlets = [...new Set(answer.citations.map((c) => c.outlet ?? 'unknown outlet'))];
  return truncateAtWord(`Verbatim quotes from ${outlets.join(', ')} · Cited writes no text of its own`, limits.embedFooter);
}

function answerButtons(answer: Answer, offset: number, shown: number): DiscordReply['components'] {
  const buttons: APIButtonComponent[] = [];
  if (answer.more || shown < answer.excerpts.length) buttons.push({ type: 2, style: 1, label: 'More excerpts', custom_id: customIds.more(offset + shown) });
  buttons.push({ type: 2, style: 2, label: 'Sources', custom_id: customIds.citedSources(offset) });
  return [{ type: 1, components: buttons }];
}

export function renderSources(sources: readonly SourceSummary[], page: number): DiscordReply {
  const pages = Math.max(1, Math.ceil(sources.length / SOURCES_PER_PAGE));
  const current = Math.min(Math.max(0, page), pages - 1);
  const slice = sources.slice(current * SOURCES_PER_PAGE, (current + 1) * SOURCES_PER_PAGE);
  const fields = slice.map((s) => ({
    name: truncateAtWord(`${s.outlet ?? 'unknown outlet'} · ${s.date ?? 'date unknown'}`, limits.fieldName),
    value: truncateAtWord(
      `${s.url ? `[${truncateAtWord(plainLabel(s.title ?? 'untitled'), 200)}](${safeUrl(s.url)})` : escape(s.title ?? 'untitled')}\n${s.sentences} sentences · id \`${s.id}\``,
      limits.fieldValue,
    ),
  }));
  const embed: APIEmbed = {
    title: `${sources.length} article${sources.length === 1 ? '' : 's'} in the corpus`,
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
  const lines = commands.map((c) => `**/${c.name}** — ${c.description}\ne.g. \`${c.example}\``);
  lines.push('**Mention me** or **DM me** with a question, or right-click a message → Apps → **Find sources** to check a claim.');
  return {
    embeds: [{ title: 'Cited: quotes from the news, with sources', description: truncateAtWord(['Cited answers with sentences the articles printed, each cited to its outlet, date and link. It never writes an answer of its own; when no article covers a question, it says so.', '', ...lines].join('\n'), limits.embedDescription), color: COLOR.list }],
    components: [],
    ephemeral: true,
  };
}

/** Article text in Markdown: every formatting character escaped, so a quote shows as printed. */
function escape(text: string): string {
  return escapeMarkdown(text, { bulletedList: true, numberedList: true, heading: true, maskedLink: true });
}

/** A masked link's label: escaped, and without the brackets that would end it. */
function plainLabel(text: string): string {
  return escape(text.replace(/[[\]]/g, ''));
}

/** A URL safe inside `( )` of a masked link. */
function safeUrl(url: string): string {
  return url.replace(/[()\s]/g, (c) => encodeURIComponent(c));
}

/** The "Sources" button: full details of the articles an answer page cites, privately. */
export function renderCitedSources(answer: Answer): DiscordReply {
  if (answer.citations.length === 0) return notice('This page cites no sources.');
  const fields = answer.citations.slice(0, limits.embedFields).map((c) => ({
    name: truncateAtWord(`[${c.number}] ${c.outlet ?? 'unknown outlet'} · ${c.date ?? 'date unknown'}`, limits.fieldName),
    value: truncateAtWord(`${escape(c.title ?? 'untitled')}\n${c.url ? safeUrl(c.url) : 'no link known'}\nid \`${c.articleId}\``, limits.fieldValue),
  }));
  return { embeds: [{ title: 'Sources cited', color: COLOR.list, fields }], components: [], ephemeral: true };
}
