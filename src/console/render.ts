/**
 * Replies as terminal text, for the console chat and `npm run ask`. One renderer per reply kind.
 * Quotes are printed exactly as the article has them; only styling (bold query words) is added.
 */
import type { Answer, Citation, Excerpt, FigureResult } from '../cited.js';
import type { Command, Reply, SourceSummary } from '../../commands/index.js';
import { plain, wrap, type Style } from './style.js';
import { comparisonSentence, contextLabel, sourceLabel } from '../figures/describe.js';
import { textChart, worthCharting } from '../figures/chart.js';
import { usage } from './parse-line.js';

const UNKNOWN = 'unknown';

export function renderReply(reply: Reply, style: Style = plain): string {
  switch (reply.kind) {
    case 'answer':
      return renderAnswer(reply.answer, style);
    case 'sources':
      return renderSources(reply.sources, style);
    case 'help':
      return renderHelp(reply.commands, style);
    case 'figures':
      return renderFigures(reply.result, style);
    case 'notice':
      return reply.text;
    case 'list':
      return reply.lines.length === 0 ? reply.empty : [style.bold(reply.title), ...reply.lines.map((l) => wrap(`• ${l}`, style.width))].join('\n');
  }
}

export function renderFigures(result: FigureResult, style: Style = plain): string {
  if (result.groups.length === 0) {
    return result.topic === null
      ? 'The articles print no figures.'
      : `No figures on “${result.topic}” in the articles. Type /figures alone for an overview, or /sources.`;
  }
  const out = [style.bold(result.topic === null ? 'What the figures count (most figures first)' : `Figures on “${result.topic}”`)];
  for (const group of result.groups) {
    out.push('', style.bold(group.subject));
    if (result.topic === null) {
      out.push(wrap(group.figures.map((f) => `${f.text} (${f.source.outlet ?? `${UNKNOWN} outlet`})`).join(' · '), style.width, '  '));
      continue;
    }
    for (const f of group.figures) {
      const context = contextLabel(f);
      out.push(wrap(`${style.bold(f.text)} — ${sourceLabel(f)}${context ? ` · ${context}` : ''}`, style.width, '  '));
      out.push(wrap(f.sentence.slice(0, f.start) + style.bold(f.sentence.slice(f.start, f.end)) + f.sentence.slice(f.end), style.width, '    > '));
    }
    for (const comparison of group.comparisons) out.push(wrap(comparisonSentence(comparison), style.width, '  '));
    if (worthCharting(group)) out.push(...textChart(group).map((line) => `  ${line}`));
  }
  if (result.topic === null) out.push('', style.dim('(type /figures <subject> for the quotes, sources and comparisons)'));
  return out.join('\n');
}

/** What the console or the CLI adds to an answer beside its quotes. */
export interface AnswerView {
  /** How the question's spellings were searched (notes.ts), true of the articles. */
  spelling: readonly string[];
  /** How to get the next excerpts when there are more (the console: /more; the CLI: --offset), or null. */
  next: string | null;
}

const BARE: AnswerView = { spelling: [], next: null };

export function renderAnswer(answer: Answer, style: Style = plain, view: AnswerView = BARE): string {
  const out: string[] = [];
  const unknown = answer.terms.unknown;
  if (answer.abstained && answer.related.length > 0) {
    // Not an answer: the closest the articles come, said so before any quote.
    out.push(style.bold('No passage clearly answers this. The closest the articles come:'), '');
    out.push(...quoted(answer.related, answer, style));
    if (unknown.length > 0) out.push(`No article mentions: ${unknown.join(', ')}.`, 'If the articles may say it in other words, ask again with theirs.', '');
    out.push(style.bold('Sources'));
    for (const c of answer.citations) out.push(renderCitation(c, style));
    if (view.spelling.length > 0) out.push('', style.dim(`(${view.spelling.join('; ')})`));
    return out.join('\n');
  }
  if (answer.abstained) {
    out.push('No passage in the articles answers this, so Cited will not guess.');
    // Most unanswered questions that the articles do cover are put in words the articles never use.
    if (unknown.length > 0) out.push(`No article mentions: ${unknown.join(', ')}.`, 'If the articles may say it in other words, ask again with theirs.');
    if (view.spelling.length > 0) out.push(style.dim(`(${view.spelling.join('; ')})`));
    out.push('Type /sources to see what the articles cover.');
    return out.join('\n');
  }
  if (answer.excerpts.length === 0) return 'No more excerpts for this question.';
  out.push(...quoted(answer.excerpts, answer, style));
  out.push(style.bold('Sources'));
  for (const c of answer.citations) out.push(renderCitation(c, style));
  const notes = [...view.spelling];
  if (unknown.length > 0) notes.push(`no article mentions: ${unknown.join(', ')}`);
  if (answer.more && view.next !== null) notes.push(view.next);
  if (notes.length > 0) out.push('', style.dim(`(${notes.join('; ')})`));
  return out.join('\n');
}

/**
 * The ids behind an answer the console showed, for moderators to act on: its answer id (to
 * retract), and each passage's sentence ids (merged copies from other outlets too) and article ids
 * (to suppress).
 */
export function renderAnswerIds(answerId: string, answer: Answer, sentenceText: (id: string) => string | undefined, style: Style = plain): string {
  const out = [style.bold(`Answer ${answerId}`) + ` — “${answer.question}”${answer.excerpts.length === 0 && answer.related.length > 0 ? ' (the closest passages, not an answer)' : ''}`];
  const passages = answer.excerpts.length > 0 ? answer.excerpts : answer.related;
  if (passages.length === 0) out.push('It quoted nothing.');
  passages.forEach((excerpt, i) => {
    out.push(`Passage ${i + 1}:`);
    for (const id of excerpt.sentenceIds) out.push(wrap(`${id}  “${clip(sentenceText(id) ?? '')}”`, style.width, '  '));
    for (const id of excerpt.duplicateIds) out.push(wrap(`${id}  (the same sentence in another article)`, style.width, '  '));
  });
  if (answer.citations.length > 0) out.push(wrap(`Articles: ${answer.citations.map((c) => `${c.articleId} (${outletName(c)})`).join(', ')}`, style.width));
  out.push(
    style.dim(`(/moderation suppress <sentence or article id> reason:<why> never quotes it here again; /report [reason] reports this answer; /moderation retract ${answerId} reason:<why> retracts it)`),
  );
  return out.join('\n');
}

function clip(text: string, max = 80): string {
  return text.length > max ? text.slice(0, max - 1).trimEnd() + '…' : text;
}

/** Excerpts as block quotes (not quotation marks: many excerpts open or close with quotes of their own), each with its citation. */
function quoted(excerpts: readonly Excerpt[], answer: Answer, style: Style): string[] {
  const out: string[] = [];
  for (const excerpt of excerpts) {
    out.push(wrap(`${highlighted(excerpt, style)} ${citationMarks(excerpt.citations.slice(0, 1))}`, style.width, '> '));
    const alsoBy = excerpt.citations.slice(1);
    if (alsoBy.length > 0) out.push(style.dim(`  also reported by ${alsoBy.map((n) => `${outletName(answer.citations[n - 1]!)} [${n}]`).join(', ')}`));
    out.push('');
  }
  return out;
}

function renderCitation(c: Citation, style: Style): string {
  const head = `[${c.number}] ${outletName(c)}, ${c.date ?? 'date unknown'} — ${c.title ?? 'untitled'}`;
  return wrap(head, style.width) + '\n' + style.dim(`    ${c.url ?? 'no link known'}`);
}

function outletName(c: { outlet: string | null }): string {
  return c.outlet ?? `${UNKNOWN} outlet`;
}

function citationMarks(numbers: number[]): string {
  return numbers.map((n) => `[${n}]`).join('');
}

function highlighted(excerpt: Excerpt, style: Style): string {
  let text = '';
  let at = 0;
  for (const { start, end } of excerpt.highlights) {
    text += excerpt.text.slice(at, start) + style.bold(excerpt.text.slice(start, end));
    at = end;
  }
  return text + excerpt.text.slice(at);
}

export function renderSources(sources: SourceSummary[], style: Style = plain): string {
  const out = [style.bold(`${sources.length} article${sources.length === 1 ? '' : 's'}`)];
  for (const s of sources) {
    out.push(wrap(`• ${s.outlet ?? `${UNKNOWN} outlet`}, ${s.date ?? 'date unknown'} — ${s.title ?? 'untitled'}`, style.width));
    out.push(style.dim(`    ${s.url ?? 'no link known'} · ${s.sentences} sentences · id ${s.id}${s.local ? ' · this server only' : ''}`));
  }
  return out.join('\n');
}

export function renderHelp(commands: readonly Command[], style: Style = plain): string {
  const out = [
    'Cited answers questions about its news articles with quotes, each cited to its source.',
    'It never writes an answer of its own: if no article covers a question, it says so.',
    '',
  ];
  // The syntax the console parses (parse-line.ts), from the same function that parses it.
  for (const c of commands) {
    if (c.subcommands) {
      out.push(`${style.bold(`/${c.name}`)} — ${c.description}`);
      for (const sub of c.subcommands) out.push(`    /${usage(`${c.name} ${sub.name}`, sub.options)} — ${sub.description}`);
    } else {
      out.push(`${style.bold(`/${usage(c.name, c.options)}`)} — ${c.description}`);
    }
    out.push(style.dim(`    e.g. ${c.example}`));
  }
  out.push(
    '',
    style.bold('In the console'),
    '/more — the next excerpts for the last question',
    '/ids — the answer id, sentence ids and article ids of the last answer, to act on as a moderator',
    '/report [<reason>] — report the last answer to the moderators (it joins /moderation queue)',
    '/quit — leave (so does Ctrl+D)',
    'A bare line is a question. Options go anywhere on the line as name:value (source:ndtv); put a value with spaces in "quotes".',
    'source: takes an article id, an outlet with one article, or an article’s link. Files for /sources add are paths.',
  );
  return out.join('\n');
}
