/**
 * Replies as terminal text, for the console chat and `npm run ask`. One renderer per reply kind.
 * Quotes are printed exactly as the article has them; only styling (bold query words) is added.
 */
import type { Answer, Citation, Excerpt, FigureResult } from '../cited.js';
import type { Command, Reply, SourceSummary } from '../../commands/index.js';
import { plain, wrap, type Style } from './style.js';
import { comparisonSentence, contextLabel, sourceLabel } from '../figures/describe.js';
import { textChart, worthCharting } from '../figures/chart.js';

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

export function renderAnswer(answer: Answer, style: Style = plain): string {
  const out: string[] = [];
  if (answer.abstained && answer.related.length > 0) {
    // Not an answer: the closest the articles come, said so before any quote.
    out.push(style.bold('No passage clearly answers this. The closest the articles come:'), '');
    out.push(...quoted(answer.related, answer, style));
    if (answer.terms.unknown.length > 0) out.push(`No article mentions: ${answer.terms.unknown.join(', ')}.`, 'If the articles may say it in other words, ask again with theirs.', '');
    out.push(style.bold('Sources'));
    for (const c of answer.citations) out.push(renderCitation(c, style));
    return out.join('\n');
  }
  if (answer.abstained) {
    out.push('No passage in the articles answers this, so Cited will not guess.');
    // Most unanswered questions that the articles do cover are put in words the articles never use.
    if (answer.terms.unknown.length > 0) out.push(`No article mentions: ${answer.terms.unknown.join(', ')}.`, 'If the articles may say it in other words, ask again with theirs.');
    out.push('Type /sources to see what the articles cover.');
    return out.join('\n');
  }
  if (answer.excerpts.length === 0) return 'No more excerpts for this question.';
  out.push(...quoted(answer.excerpts, answer, style));
  out.push(style.bold('Sources'));
  for (const c of answer.citations) out.push(renderCitation(c, style));
  const notes: string[] = [];
  for (const { from, to } of answer.terms.folded) notes.push(`searched “${from}” as the corpus spells it, “${to}”`);
  if (answer.terms.unknown.length > 0) notes.push(`no article mentions: ${answer.terms.unknown.join(', ')}`);
  if (answer.more) notes.push('type /more for more excerpts');
  if (notes.length > 0) out.push('', style.dim(`(${notes.join('; ')})`));
  return out.join('\n');
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
    out.push(style.dim(`    ${s.url ?? 'no link known'} · ${s.sentences} sentences · id ${s.id}`));
  }
  return out.join('\n');
}

export function renderHelp(commands: readonly Command[], style: Style = plain): string {
  const out = [
    'Cited answers questions about its news articles with quotes, each cited to its source.',
    'It never writes an answer of its own: if no article covers a question, it says so.',
    '',
  ];
  const usage = (options: Command['options']) => options.map((o) => (o.required ? `<${o.name}>` : `[${o.name}:…]`)).join(' ');
  for (const c of commands) {
    if (c.subcommands) {
      out.push(`${style.bold(`/${c.name}`)} — ${c.description}`);
      for (const sub of c.subcommands) out.push(`    /${c.name} ${sub.name}${sub.options.length ? ' ' + usage(sub.options) : ''} — ${sub.description}`);
    } else {
      out.push(`${style.bold(`/${c.name}`)}${c.options.length ? ' ' + usage(c.options) : ''} — ${c.description}`);
    }
    out.push(style.dim(`    e.g. ${c.example}`));
  }
  out.push('', 'In the console: /more shows more excerpts for the last question; /quit leaves. Files for /sources add are paths.');
  return out.join('\n');
}
