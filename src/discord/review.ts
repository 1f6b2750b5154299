/**
 * Review messages in the moderators' channel: the reported question, the excerpts as quoted
 * (sentence ids resolved against the corpus), who reported it and why, a link to the answer, and
 * the actions: Keep, Retract, and a menu to suppress one excerpt or one source.
 */
import type { APIActionRowComponent, APIComponentInMessageActionRow, APIEmbed } from 'discord.js';
import type { Cited } from '../cited.js';
import type { AnswerRecord, Report } from '../moderation/store.js';
import { customIds } from './custom-ids.js';
import { limits, truncateAtWord } from './limits.js';
import { inert, inertWithin } from './escape.js';

export interface ReviewMessage {
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIComponentInMessageActionRow>[];
}

const OUTCOME: Record<Report['status'], string> = {
  open: '',
  kept: 'Kept',
  retracted: 'Retracted',
  suppressed: 'Suppressed',
};

export function answerLink(answer: Pick<AnswerRecord, 'guildId' | 'channelId' | 'messageId'>): string {
  return `https://discord.com/channels/${answer.guildId}/${answer.channelId}/${answer.messageId}`;
}

export function renderReview(report: Report, answer: AnswerRecord, cited: Cited): ReviewMessage {
  const excerpts = answer.excerpts.map((e, i) => {
    const sentence = cited.sentence(e.sentenceIds[0] ?? '');
    const article = sentence ? cited.article(sentence.articleId) : undefined;
    const where = article ? `${article.outlet ?? 'unknown outlet'}, ${article.date ?? 'date unknown'}` : 'no longer in the corpus';
    return `**${i + 1}.** > ${inert(truncateAtWord(sentence?.text ?? `(${e.sentenceIds[0] ?? 'unknown sentence'})`, 300).replace(/\s+/g, ' '))}\n— ${inert(where)}`;
  });
  // Reporters are mentioned by id (allowed_mentions pings nobody); what they wrote is shown inert.
  const reasons = report.reporters.map((r) => `<@${r.userId}>${r.reason ? `: ${inert(truncateAtWord(r.reason, 200))}` : ''}`);
  const status = report.status === 'open' ? 'Open' : `${OUTCOME[report.status]} by <@${report.resolvedBy}>`;
  const embed: APIEmbed = {
    title: `Report #${report.id}: “${inertWithin(answer.question.replace(/\s+/g, ' '), limits.embedTitle - 24, truncateAtWord)}”`,
    url: answerLink(answer),
    description: truncateAtWord(excerpts.length > 0 ? excerpts.join('\n\n') : 'The answer said the corpus does not cover this.', limits.embedDescription),
    color: report.status === 'open' ? 0xd64545 : 0x8a8f98,
    fields: [
      { name: `Reported by ${report.reporters.length} member${report.reporters.length === 1 ? '' : 's'}`, value: truncateAtWord(reasons.join('\n'), limits.fieldValue) },
      { name: 'Status', value: `${status}${answer.retractedAt ? ' · the answer is retracted' : ''} · [answer](${answerLink(answer)})` },
    ],
    footer: { text: `Answer ${answer.messageId} · asked by ${answer.askerId}` },
  };
  if (report.status !== 'open') return { embeds: [embed], components: [] };

  const options = [
    ...answer.excerpts.map((e, i) => ({ label: truncateAtWord(`Excerpt ${i + 1}: ${cited.sentence(e.sentenceIds[0] ?? '')?.text ?? ''}`, 100), value: `x:${i}` })),
    ...sourcesOf(answer, cited).map((a) => ({ label: truncateAtWord(`Source: ${a.outlet ?? 'unknown outlet'} — ${a.title ?? a.id}`, 100), value: `s:${a.id}` })),
  ].slice(0, 25);
  const components: ReviewMessage['components'] = [
    {
      type: 1,
      components: [
        { type: 2, style: 3, label: 'Keep', custom_id: customIds.review('keep', report.id) },
        { type: 2, style: 4, label: 'Retract', custom_id: customIds.review('retract', report.id) },
      ],
    },
  ];
  if (options.length > 0) {
    components.push({ type: 1, components: [{ type: 3, custom_id: customIds.review('suppress', report.id), placeholder: 'Suppress an excerpt or a source…', options }] });
  }
  return { embeds: [embed], components };
}

/** The articles an answer quotes, in order, each once (those still in the corpus). */
function sourcesOf(answer: AnswerRecord, cited: Cited) {
  const ids = new Set(answer.excerpts.flatMap((e) => e.sentenceIds.map((s) => cited.sentence(s)?.articleId).filter((a): a is string => a !== undefined)));
  return [...ids].map((id) => cited.article(id)).filter((a) => a !== undefined && `s:${a.id}`.length <= 100) as NonNullable<ReturnType<Cited['article']>>[];
}
